//! The flash crowd: a Poisson stream whose rate ramps linearly from 0 to the peak, then holds until
//! the sale's traffic ends; and the backoff of users who try again.
//!
//! Arrivals are drawn by inverting the cumulative rate Λ(t): the next arrival is where Λ grows by an
//! Exp(1) draw. For a linear ramp Λ has a closed form, so this is exact and costs one draw per
//! request (no thinning, whatever the peak).

use crate::sim::rng::SimRng;
use crate::sim::time::{from_f64_nanos, Nanos};

#[derive(Clone, Debug, PartialEq)]
pub struct Crowd {
    peak: f64,
    /// Ramp length, s.
    ramp: f64,
    /// When new users stop arriving, s.
    end: f64,
    /// Λ at the last arrival.
    lambda: f64,
}

impl Crowd {
    pub fn new(peak_rps: f64, ramp_s: f64, duration: Nanos) -> Self {
        Crowd {
            peak: peak_rps.max(1e-9),
            ramp: ramp_s.max(0.0),
            end: duration as f64 / 1e9,
            lambda: 0.0,
        }
    }

    /// The offered rate at `t` seconds.
    pub fn rate_at(&self, t: f64) -> f64 {
        if t >= self.end {
            0.0
        } else if t < self.ramp {
            self.peak * t / self.ramp
        } else {
            self.peak
        }
    }

    /// t where Λ(t) = `lambda`.
    fn inverse(&self, lambda: f64) -> f64 {
        let ramp_mass = self.peak * self.ramp / 2.0;
        if lambda <= ramp_mass {
            (2.0 * self.ramp * lambda / self.peak).sqrt()
        } else {
            self.ramp + (lambda - ramp_mass) / self.peak
        }
    }

    /// The next first attempt, or None once the crowd has stopped arriving.
    pub fn next(&mut self, rng: &mut SimRng) -> Option<Nanos> {
        self.lambda += -rng.next_f64_open0().ln();
        let t = self.inverse(self.lambda);
        (t < self.end).then(|| from_f64_nanos(t * 1e9))
    }

    /// How many first attempts to expect in all.
    pub fn expected_total(&self) -> f64 {
        if self.end <= self.ramp {
            self.peak * self.end * self.end / (2.0 * self.ramp)
        } else {
            self.peak * self.ramp / 2.0 + self.peak * (self.end - self.ramp)
        }
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.f64(self.lambda);
    }
}

/// Exponential backoff with jitter: attempt k (1 for the first retry) waits base · 2^(k-1), scaled by
/// a uniform factor in [0.5, 1.5) so that a crowd refused together does not return together.
pub fn backoff(base_ns: f64, attempt: u8, rng: &mut SimRng) -> Nanos {
    let doubling = f64::from(1u32 << attempt.saturating_sub(1).min(20));
    from_f64_nanos(base_ns * doubling * (0.5 + rng.next_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrivals_match_the_expected_count_for_ramp_and_plateau() {
        let mut rng = SimRng::new(7, 0);
        let mut crowd = Crowd::new(20_000.0, 1.0, 3_000_000_000);
        let mut n = 0u64;
        let mut ramp = 0u64;
        let mut last = 0;
        while let Some(t) = crowd.next(&mut rng) {
            assert!(t >= last, "arrivals come in time order");
            last = t;
            n += 1;
            ramp += u64::from(t < 1_000_000_000);
        }
        // 10,000 in the ramp, 40,000 on the plateau; Poisson noise is about ±1 %.
        let want = crowd.expected_total();
        assert!((n as f64 - want).abs() < 4.0 * want.sqrt(), "{n} vs {want}");
        assert!((ramp as f64 - 10_000.0).abs() < 400.0, "{ramp} in the ramp");
    }

    #[test]
    fn backoff_doubles_around_its_base() {
        let mut rng = SimRng::new(1, 0);
        for k in 1..5u8 {
            let d = backoff(1e6, k, &mut rng) as f64;
            let mid = 1e6 * f64::from(1u32 << (k - 1));
            assert!(d >= 0.5 * mid && d < 1.5 * mid);
        }
    }
}
