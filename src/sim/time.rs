//! Virtual time. The clock counts integer nanoseconds from the start of a run, so ordering and
//! arithmetic are exact and identical on every target.

/// A point in, or a span of, virtual time in nanoseconds.
pub type Nanos = u64;

pub const NANOS_PER_MICRO: Nanos = 1_000;
pub const NANOS_PER_MILLI: Nanos = 1_000_000;
pub const NANOS_PER_SEC: Nanos = 1_000_000_000;

/// Converts seconds to nanoseconds, rounding to the nearest nanosecond and saturating at the ends of
/// the range (negative and NaN become 0), so an absurd input can never wrap around.
pub fn from_secs_f64(secs: f64) -> Nanos {
    from_f64_nanos(secs * NANOS_PER_SEC as f64)
}

/// Rounds a nanosecond count held in an f64 to [`Nanos`], saturating like [`from_secs_f64`].
pub fn from_f64_nanos(ns: f64) -> Nanos {
    if ns.is_nan() || ns <= 0.0 {
        0
    } else if ns >= u64::MAX as f64 {
        u64::MAX
    } else {
        // Round half up; `as` truncates toward zero for positive values.
        (ns + 0.5) as u64
    }
}

/// Nanoseconds as seconds.
pub fn to_secs(ns: Nanos) -> f64 {
    ns as f64 / NANOS_PER_SEC as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_saturate() {
        assert_eq!(from_secs_f64(1.5), 1_500_000_000);
        assert_eq!(from_secs_f64(2.4e-9), 2);
        assert_eq!(from_secs_f64(-3.0), 0);
        assert_eq!(from_secs_f64(f64::NAN), 0);
        assert_eq!(from_secs_f64(f64::INFINITY), u64::MAX);
        assert_eq!(to_secs(250 * NANOS_PER_MILLI), 0.25);
    }
}
