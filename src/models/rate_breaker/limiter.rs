//! A token bucket with the semantics of golang.org/x/time/rate's `Limiter.Allow`: tokens refill
//! continuously at `rate` per second up to `burst`, the bucket starts full, and a request that finds
//! at least one token takes it; otherwise it is refused at once (no reservation, no waiting).

use crate::sim::time::Nanos;

#[derive(Clone, Debug, PartialEq)]
pub struct TokenBucket {
    /// Tokens per second.
    rate: f64,
    burst: f64,
    tokens: f64,
    /// When `tokens` was last brought up to date.
    last: Nanos,
}

impl TokenBucket {
    pub fn new(rate: f64, burst: u64) -> Self {
        TokenBucket {
            rate,
            burst: burst as f64,
            tokens: burst as f64,
            last: 0,
        }
    }

    /// The tokens available at `now` (x/time/rate's `advance`).
    pub fn tokens_at(&self, now: Nanos) -> f64 {
        let elapsed = now.saturating_sub(self.last) as f64 / 1e9;
        (self.tokens + elapsed * self.rate).min(self.burst)
    }

    /// `Allow()` at `now`: true and one token fewer; or false, and, as in x/time/rate, the state is
    /// left exactly as it was (so refusals do not accumulate rounding).
    pub fn allow(&mut self, now: Nanos) -> bool {
        let t = self.tokens_at(now);
        if t >= 1.0 {
            self.tokens = t - 1.0;
            self.last = self.last.max(now);
            true
        } else {
            false
        }
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.u64(self.tokens.to_bits()).u64(self.last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Nanos = 1_000_000;

    #[test]
    fn starts_full_and_refills_at_the_rate() {
        let mut b = TokenBucket::new(100.0, 5);
        assert!((0..5).all(|_| b.allow(0)));
        assert!(!b.allow(0));
        // 100 per second is one token every 10 ms.
        assert!(!b.allow(9 * MS));
        assert!(b.allow(10 * MS));
        assert!(!b.allow(10 * MS));
    }

    #[test]
    fn never_holds_more_than_burst() {
        let mut b = TokenBucket::new(1000.0, 3);
        assert!((0..3).all(|_| b.allow(0)));
        assert!((b.tokens_at(10_000 * MS) - 3.0).abs() < 1e-12);
        assert_eq!((0..10).filter(|_| b.allow(10_000 * MS)).count(), 3);
    }
}
