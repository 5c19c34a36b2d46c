//! Closed-form queueing results, to check the simulator against and to draw theory curves beside it.
//!
//! Rates are per unit time in whatever unit the caller uses (per second, say); results come back in
//! the same unit. Formulas as in Bolch et al., Queueing Networks and Markov Chains, 6.5-6.6.

/// Erlang B: the probability that all `c` servers are busy in an M/M/c/c loss system offered `a`
/// erlangs. Computed by the stable recursion B_0 = 1, B_k = a·B_{k-1} / (k + a·B_{k-1}).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: the probability an arrival must wait in an M/M/c queue (requires a < c).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / c as f64;
    let b = erlang_b(c, a);
    b / (1.0 - rho * (1.0 - b))
}

/// Steady-state results of an M/M/c queue with unlimited waiting room.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mmc {
    /// Server utilisation λ/(cμ).
    pub rho: f64,
    /// Probability of waiting (Erlang C).
    pub p_wait: f64,
    /// Mean time in queue.
    pub wq: f64,
    /// Mean time in system.
    pub w: f64,
    /// Mean number waiting.
    pub lq: f64,
    /// Mean number in system.
    pub l: f64,
}

/// M/M/c with arrival rate `lambda` and per-server service rate `mu`; None if unstable (ρ ≥ 1).
pub fn mmc(lambda: f64, mu: f64, c: u32) -> Option<Mmc> {
    let a = lambda / mu;
    let rho = a / c as f64;
    if rho.is_nan() || rho >= 1.0 || c == 0 || lambda <= 0.0 || mu <= 0.0 {
        return None;
    }
    let p_wait = erlang_c(c, a);
    let wq = p_wait / (c as f64 * mu - lambda);
    let w = wq + 1.0 / mu;
    Some(Mmc {
        rho,
        p_wait,
        wq,
        w,
        lq: lambda * wq,
        l: lambda * w,
    })
}

/// Steady-state results of an M/M/c/K queue: c servers, at most K in the system, arrivals that find
/// K present are lost.
#[derive(Clone, Debug, PartialEq)]
pub struct Mmck {
    /// Stationary probabilities of n = 0..=K in the system.
    pub p: Vec<f64>,
    /// Blocking (drop) probability π_K.
    pub p_block: f64,
    /// Accepted arrival rate λ(1 - π_K).
    pub lambda_eff: f64,
    pub l: f64,
    pub lq: f64,
    /// Mean time in system of an accepted arrival (Little's law).
    pub w: f64,
    pub wq: f64,
}

/// M/M/c/K; valid for any load (the system is finite). Requires K ≥ c ≥ 1.
pub fn mmck(lambda: f64, mu: f64, c: u32, k: u32) -> Option<Mmck> {
    if c == 0 || k < c || lambda <= 0.0 || mu <= 0.0 {
        return None;
    }
    let a = lambda / mu;
    let rho = a / c as f64;
    // Unnormalised weights, built incrementally to avoid factorial overflow.
    let mut w = Vec::with_capacity(k as usize + 1);
    let mut term = 1.0;
    w.push(term);
    for n in 1..=k {
        term *= if n <= c { a / n as f64 } else { rho };
        w.push(term);
    }
    let total: f64 = w.iter().sum();
    let p: Vec<f64> = w.iter().map(|x| x / total).collect();
    let p_block = p[k as usize];
    let l: f64 = p.iter().enumerate().map(|(n, pn)| n as f64 * pn).sum();
    let lq: f64 = p
        .iter()
        .enumerate()
        .map(|(n, pn)| (n as f64 - c as f64).max(0.0) * pn)
        .sum();
    let lambda_eff = lambda * (1.0 - p_block);
    Some(Mmck {
        p,
        p_block,
        lambda_eff,
        l,
        lq,
        w: l / lambda_eff,
        wq: lq / lambda_eff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, tol: f64) {
        assert!((got - want).abs() <= tol, "got {got}, want {want} (±{tol})");
    }

    #[test]
    fn mm1_waits_one_then_four_service_times_at_half_and_eight_tenths_load() {
        let r = mmc(0.5, 1.0, 1).unwrap();
        close(r.wq, 1.0, 1e-12); // rho/(mu-lambda) = 0.5/0.5
        close(r.lq, 0.5, 1e-12);
        let r = mmc(0.8, 1.0, 1).unwrap();
        close(r.wq, 4.0, 1e-12); // 0.8 / 0.2
        close(r.lq, 0.64 / 0.2, 1e-12);
        close(r.w, 1.0 / 0.2, 1e-12);
    }

    #[test]
    fn published_mm2_and_mm4_values() {
        let r = mmc(9.0, 5.0, 2).unwrap();
        close(r.lq, 7.674, 5e-4);
        close(r.w, 1.053, 5e-4);
        let r = mmc(9.0, 5.0, 4).unwrap();
        close(r.lq, 0.105, 5e-4);
        close(r.w, 0.212, 5e-4);
    }

    #[test]
    fn published_mmck_values() {
        let r = mmck(40.0, 30.0, 3, 7).unwrap();
        close(r.p[0], 0.255037, 1e-6);
        close(r.w, 0.036517, 1e-6);
        let r = mmck(3.0, 2.0, 2, 5).unwrap();
        close(r.p_block, 0.085113, 1e-6);
        close(r.l, 2.00595, 1e-5);
    }

    #[test]
    fn published_erlang_b() {
        close(erlang_b(10, 10.0), 0.214582, 1e-6);
    }

    #[test]
    fn mmck_with_k_equal_c_is_erlang_b() {
        let r = mmck(10.0, 1.0, 10, 10).unwrap();
        close(r.p_block, erlang_b(10, 10.0), 1e-12);
    }

    #[test]
    fn unstable_or_degenerate_inputs_give_none() {
        assert!(mmc(2.0, 1.0, 2).is_none());
        assert!(mmc(1.0, 1.0, 0).is_none());
        assert!(mmck(1.0, 1.0, 3, 2).is_none());
    }
}
