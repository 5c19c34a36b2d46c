//! Seeded, portable randomness.
//!
//! PCG (`Pcg64Mcg`) gives the same stream on every platform for the same seed, unlike an OS or thread
//! RNG. The generator counts its draws so that a state hash can include "where in the stream" a run
//! is without reaching into the generator's private state.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Pcg64Mcg,
    seed: u64,
    draws: u64,
}

impl SimRng {
    /// A generator for `seed`. Different `stream` values give independent streams from one seed, so a
    /// model can keep arrivals and service times apart (changing one parameter then leaves the other
    /// stream untouched, which makes what-if comparisons fair).
    pub fn new(seed: u64, stream: u64) -> Self {
        // SplitMix64's finaliser spreads (seed, stream) over the whole seed space.
        let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self {
            inner: Pcg64Mcg::seed_from_u64(z),
            seed,
            draws: 0,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many 64-bit words have been drawn so far.
    pub fn draws(&self) -> u64 {
        self.draws
    }

    pub fn next_u64(&mut self) -> u64 {
        self.draws += 1;
        self.inner.next_u64()
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    pub fn next_f64_open0(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n) without modulo bias (Lemire's multiply-and-reject). `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        if n <= 1 {
            return 0;
        }
        let mut m = (self.next_u64() as u128) * (n as u128);
        // The rejection threshold (2^64 mod n) is below n, so it is only needed (and its division
        // only paid for) when the low word is below n.
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = (self.next_u64() as u128) * (n as u128);
            }
        }
        (m >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first outputs for a fixed seed are part of the product's contract: every shared link and
    /// every pinned test result depends on them. If this test fails, the RNG changed.
    #[test]
    fn first_outputs_for_seed_1_are_pinned() {
        let mut r = SimRng::new(1, 0);
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(got, PINNED_SEED_1_STREAM_0);
        assert_eq!(r.draws(), 4);
    }

    const PINNED_SEED_1_STREAM_0: [u64; 4] = [
        3870537839603238443,
        17148826331110639515,
        4548462581186598073,
        3594275726998975493,
    ];

    #[test]
    fn streams_differ_and_repeat() {
        let a: Vec<u64> = {
            let mut r = SimRng::new(7, 1);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = SimRng::new(7, 2);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let a2: Vec<u64> = {
            let mut r = SimRng::new(7, 1);
            (0..8).map(|_| r.next_u64()).collect()
        };
        assert_ne!(a, b);
        assert_eq!(a, a2);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = SimRng::new(3, 0);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[r.below(7) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
    }

    #[test]
    fn unit_floats_stay_in_their_intervals() {
        let mut r = SimRng::new(11, 0);
        for _ in 0..10_000 {
            let x = r.next_f64();
            assert!((0.0..1.0).contains(&x));
            let y = r.next_f64_open0();
            assert!(y > 0.0 && y <= 1.0);
        }
    }
}
