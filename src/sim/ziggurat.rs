//! Exponential variates by the ziggurat method (Marsaglia & Tsang, 2000), in the 256-layer form
//! rand_distr uses.
//!
//! Inverse-transform sampling (`-ln U`) costs a logarithm per draw, which was over a quarter of the
//! simulator's time. The ziggurat returns from a multiply and a compare about 99% of the time and
//! falls back to `exp`/`ln` (through `libm`, so every target agrees) only at layer edges and in the tail.
//! The tables are computed once from the layer constants with `libm`, so they are identical natively and
//! in wasm.

use std::sync::OnceLock;

use super::rng::SimRng;

/// Where the tail begins, for 256 layers.
const R: f64 = 7.697_117_470_131_05;
/// The area of each layer.
const V: f64 = 0.003_949_659_822_581_557;

struct Tables {
    /// Layer edges, decreasing: x[0] = V / f(R) (the base layer's effective width), x[1] = R, x[256] = 0.
    x: [f64; 257],
    /// f(x[i]) = exp(-x[i]).
    f: [f64; 257],
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut x = [0.0; 257];
        let mut f = [0.0; 257];
        x[0] = V / libm::exp(-R);
        x[1] = R;
        for i in 1..255 {
            x[i + 1] = -libm::log(V / x[i] + libm::exp(-x[i]));
        }
        x[256] = 0.0;
        for i in 0..257 {
            f[i] = libm::exp(-x[i]);
        }
        Tables { x, f }
    })
}

/// One draw from the exponential distribution with mean 1.
pub fn exp1(rng: &mut SimRng) -> f64 {
    let t = tables();
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xff) as usize;
        let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let x = u * t.x[i];
        if x < t.x[i + 1] {
            return x;
        }
        if i == 0 {
            // The tail beyond R is itself exponential (memorylessness).
            return R - libm::log(rng.next_f64_open0());
        }
        if t.f[i + 1] + (t.f[i] - t.f[i + 1]) * rng.next_f64() < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layers_close_at_zero() {
        let t = tables();
        // The recursion must land just above 0 at the top layer; a wrong constant shows up here.
        assert!(t.x[255] > 0.0 && t.x[255] < 0.1, "x[255] = {}", t.x[255]);
        assert!(t.x.windows(2).skip(1).all(|w| w[0] > w[1]));
    }

    /// Kolmogorov-Smirnov against 1 - e^-x over 200,000 draws; the 0.1% critical value is
    /// 1.95 / sqrt(n).
    #[test]
    fn draws_follow_the_exponential_distribution() {
        let n = 200_000;
        let mut rng = SimRng::new(2024, 0);
        let mut xs: Vec<f64> = (0..n).map(|_| exp1(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        let mut d: f64 = 0.0;
        for (k, x) in xs.iter().enumerate() {
            let cdf = 1.0 - libm::exp(-x);
            d = d.max((cdf - k as f64 / n as f64).abs());
            d = d.max(((k + 1) as f64 / n as f64 - cdf).abs());
        }
        assert!(d < 1.95 / (n as f64).sqrt(), "KS distance {d}");
        // The tail is reached and is right: P(X > 8) = e^-8 ≈ 3.4e-4.
        let tail = xs.iter().filter(|&&x| x > 8.0).count() as f64 / n as f64;
        assert!((tail - libm::exp(-8.0)).abs() < 2e-4, "tail {tail}");
    }
}
