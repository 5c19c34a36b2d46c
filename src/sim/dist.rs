//! Service-time and inter-arrival distributions.
//!
//! All transcendental maths goes through `libm`, whose results are the same on every target; std's
//! `ln`/`exp` call the platform's maths library and may differ in the last bit between glibc and wasm,
//! which would make a shared link replay differently in the browser.

use super::rng::SimRng;

/// A non-negative random variable, sampled in whatever unit its parameters are given in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    /// Always `value`: deterministic arrivals or service (the D in M/D/1).
    Constant { value: f64 },
    /// Exponential with the given mean: memoryless (the M in M/M/c).
    Exponential { mean: f64 },
    /// Uniform on [lo, hi].
    Uniform { lo: f64, hi: f64 },
    /// exp(N(mu, sigma²)): right-skewed with a heavy tail, like real request latencies.
    LogNormal { mu: f64, sigma: f64 },
}

/// The distribution families a lesson can name, each fixed by its mean (and, where it has one, a
/// coefficient of variation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistKind {
    Constant,
    Exponential,
    Uniform,
    LogNormal,
}

impl DistKind {
    pub const NAMES: [&'static str; 4] = ["const", "exp", "uniform", "lognormal"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "const" => Some(Self::Constant),
            "exp" => Some(Self::Exponential),
            "uniform" => Some(Self::Uniform),
            "lognormal" => Some(Self::LogNormal),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Constant => "const",
            Self::Exponential => "exp",
            Self::Uniform => "uniform",
            Self::LogNormal => "lognormal",
        }
    }
}

/// The coefficient of variation used for the log-normal family when a lesson names it by mean alone.
pub const LOGNORMAL_DEFAULT_CV: f64 = 1.5;

impl Dist {
    /// A distribution of `kind` with the given mean. Uniform spans [0, 2·mean] (cv ≈ 0.58); log-normal
    /// has cv = [`LOGNORMAL_DEFAULT_CV`].
    pub fn with_mean(kind: DistKind, mean: f64) -> Self {
        let mean = if mean.is_finite() && mean > 0.0 {
            mean
        } else {
            0.0
        };
        match kind {
            DistKind::Constant => Dist::Constant { value: mean },
            DistKind::Exponential => Dist::Exponential { mean },
            DistKind::Uniform => Dist::Uniform {
                lo: 0.0,
                hi: 2.0 * mean,
            },
            DistKind::LogNormal => Self::lognormal_mean_cv(mean, LOGNORMAL_DEFAULT_CV),
        }
    }

    /// A log-normal with the given mean and coefficient of variation: sigma² = ln(1 + cv²),
    /// mu = ln(mean) - sigma²/2.
    pub fn lognormal_mean_cv(mean: f64, cv: f64) -> Self {
        let s2 = libm::log1p(cv * cv);
        let mu = if mean > 0.0 {
            libm::log(mean) - s2 / 2.0
        } else {
            f64::NEG_INFINITY
        };
        Dist::LogNormal {
            mu,
            sigma: libm::sqrt(s2),
        }
    }

    /// The distribution's mean, for theory curves and sanity checks.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Constant { value } => value,
            Dist::Exponential { mean } => mean,
            Dist::Uniform { lo, hi } => (lo + hi) / 2.0,
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
        }
    }

    /// The squared coefficient of variation (variance / mean²): 0 for constant, 1 for exponential.
    pub fn scv(&self) -> f64 {
        match *self {
            Dist::Constant { .. } => 0.0,
            Dist::Exponential { .. } => 1.0,
            Dist::Uniform { lo, hi } => {
                let m = (lo + hi) / 2.0;
                if m == 0.0 {
                    0.0
                } else {
                    (hi - lo) * (hi - lo) / 12.0 / (m * m)
                }
            }
            Dist::LogNormal { sigma, .. } => libm::expm1(sigma * sigma),
        }
    }

    /// Draws one value (never negative, never NaN).
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match *self {
            Dist::Constant { value } => value,
            Dist::Exponential { mean } => mean * super::ziggurat::exp1(rng),
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.next_f64(),
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
        }
    }
}

/// One standard normal deviate by Marsaglia's polar method (no trigonometry; the second deviate is
/// dropped so the generator's state stays a plain draw count).
fn standard_normal(rng: &mut SimRng) -> f64 {
    loop {
        let u = 2.0 * rng.next_f64() - 1.0;
        let v = 2.0 * rng.next_f64() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(d: Dist, n: usize, seed: u64) -> (f64, f64) {
        let mut rng = SimRng::new(seed, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0);
        (m, v)
    }

    #[test]
    fn every_family_has_the_mean_it_was_built_with() {
        for kind in [
            DistKind::Constant,
            DistKind::Exponential,
            DistKind::Uniform,
            DistKind::LogNormal,
        ] {
            let d = Dist::with_mean(kind, 2.0);
            assert!((d.mean() - 2.0).abs() < 1e-12, "{kind:?}");
            let (m, v) = moments(d, 400_000, 5);
            let sd = (d.scv() * 4.0).sqrt();
            // Sample mean within 5 standard errors.
            assert!(
                (m - 2.0).abs() <= 5.0 * sd / (400_000f64).sqrt() + 1e-12,
                "{kind:?}: mean {m}"
            );
            if kind != DistKind::LogNormal {
                // (the log-normal's sample variance converges too slowly for a tight check)
                assert!(
                    (v - d.scv() * 4.0).abs() <= 0.03 * (d.scv() * 4.0) + 1e-12,
                    "{kind:?}: var {v}"
                );
            }
        }
    }

    #[test]
    fn samples_are_never_negative_or_nan() {
        let mut rng = SimRng::new(9, 0);
        for d in [
            Dist::with_mean(DistKind::Exponential, 1e-9),
            Dist::with_mean(DistKind::LogNormal, 1e6),
            Dist::with_mean(DistKind::Uniform, 0.0),
            Dist::with_mean(DistKind::Exponential, f64::NAN),
        ] {
            for _ in 0..10_000 {
                let x = d.sample(&mut rng);
                assert!(x >= 0.0 && !x.is_nan(), "{d:?} gave {x}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for name in DistKind::NAMES {
            assert_eq!(DistKind::parse(name).map(|k| k.name()), Some(name));
        }
        assert_eq!(DistKind::parse("pareto"), None);
    }
}
