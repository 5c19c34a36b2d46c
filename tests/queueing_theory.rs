//! The worker pool against queueing theory: with exponential arrivals and service it is M/M/c
//! (policy block) or M/M/c/K (policy drop, K = workers + buffer). Each check runs 10 seeds and
//! requires the mean to lie within 3 standard errors of the closed form.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{check_queue, Pool};
use gmplab::theory::{erlang_b, mmc, mmck};

const SEEDS: std::ops::Range<u64> = 1..11;

/// M/M/c with unlimited waiting room: every producer blocks, the buffer plus sendq is the queue.
fn mmc_pool(rho: f64, c: u32) -> Pool {
    let mu = 1000.0; // 1 ms mean service
    Pool {
        lambda: rho * c as f64 * mu,
        mu,
        workers: c,
        buffer: 0,
        block: true,
        customers: 200_000.0,
    }
}

#[test]
fn mean_wait_matches_erlang_c_at_half_load() {
    for c in [1, 2, 4] {
        let p = mmc_pool(0.5, c);
        let th = mmc(p.lambda, p.mu, c).unwrap();
        check_queue("Wq", p, SEEDS, |s| s.wait_mean_s, th.wq, 0.01, 1e-6);
    }
}

#[test]
fn mean_wait_matches_erlang_c_at_eight_tenths_load() {
    for c in [1, 2, 4] {
        let p = mmc_pool(0.8, c);
        let th = mmc(p.lambda, p.mu, c).unwrap();
        check_queue("Wq", p, SEEDS, |s| s.wait_mean_s, th.wq, 0.01, 1e-6);
        check_queue("Lq", p, SEEDS, |s| s.queue_len_mean, th.lq, 0.01, 1e-3);
    }
}

#[test]
fn the_blocking_pool_drops_nothing_and_its_theory_is_mmc() {
    let p = mmc_pool(0.8, 2);
    let s = p.run(1);
    assert_eq!(s.dropped, 0);
    assert_eq!(s.theory.map(|t| t.model), Some("M/M/c"));
}

/// (c, buffer, lambda, mu): the two published M/M/c/K points, a bigger pool at ρ = 0.8, and K = c
/// (Erlang B: no buffer at all).
const MMCK_POINTS: [(u32, u64, f64, f64); 4] = [
    (3, 4, 40.0, 30.0), // M/M/3/7, Bolch et al.: p0 = 0.255037, W = 0.036517
    (2, 3, 3.0, 2.0),   // M/M/2/5: P_block = 0.085113, L = 2.00595
    (4, 10, 3200.0, 1000.0),
    (10, 0, 10.0, 1.0), // Erlang B, A = 10, c = 10: 0.214582
];

fn mmck_pool(c: u32, buffer: u64, lambda: f64, mu: f64) -> Pool {
    Pool {
        lambda,
        mu,
        workers: c,
        buffer,
        block: false,
        customers: 200_000.0,
    }
}

#[test]
fn drop_ratio_matches_mmck_blocking_probability() {
    for (c, b, lambda, mu) in MMCK_POINTS {
        let p = mmck_pool(c, b, lambda, mu);
        let th = mmck(lambda, mu, c, c + b as u32).unwrap();
        check_queue(
            "P_block",
            p,
            SEEDS,
            |s| s.drop_ratio,
            th.p_block,
            0.01,
            1e-4,
        );
    }
}

#[test]
fn mean_sojourn_matches_mmck_littles_law_value() {
    for (c, b, lambda, mu) in MMCK_POINTS {
        let p = mmck_pool(c, b, lambda, mu);
        let th = mmck(lambda, mu, c, c + b as u32).unwrap();
        check_queue("W", p, SEEDS, |s| s.sojourn_mean_s, th.w, 0.01, 1e-6);
    }
}

#[test]
fn the_published_points_are_the_ones_simulated() {
    // Guards the table above against a typo: these are the reference's own numbers.
    let r = mmck(40.0, 30.0, 3, 7).unwrap();
    assert!((r.w - 0.036517).abs() < 1e-6);
    let r = mmck(3.0, 2.0, 2, 5).unwrap();
    assert!((r.p_block - 0.085113).abs() < 1e-6);
    assert!((erlang_b(10, 10.0) - 0.214582).abs() < 1e-6);
}

#[test]
fn deterministic_service_waits_half_as_long_as_exponential() {
    // Pollaczek-Khinchine: M/D/1 queues half as long as M/M/1 at the same load.
    use gmplab::models::worker_pool::WorkerPool;
    use gmplab::sim::dist::Dist;
    use gmplab::sim::scenario::Stepping;
    let p = mmc_pool(0.8, 1);
    let xs: Vec<f64> = SEEDS
        .map(|seed| {
            let mut cfg = p.config();
            cfg.service = Dist::Constant {
                value: cfg.service.mean(),
            };
            let mut pool = WorkerPool::new(cfg, seed);
            while pool.step().is_some() {}
            pool.summary_stats().wait_mean_s
        })
        .collect();
    let (m, se) = common::mean_se(&xs);
    let md1 = 0.8 / (2.0 * 1000.0 * (1.0 - 0.8)); // rho / (2 mu (1 - rho))
    assert!(
        (m - md1).abs() <= 3.0 * se + 0.01 * md1,
        "M/D/1 Wq {m} ± {se}, theory {md1}"
    );
}

/// Lesson 4's pool (4 workers, a small buffer so drops are measurable) from light to heavy load:
/// mean wait against M/M/c/K's Wq, and the drop rate against its blocking probability.
#[test]
fn the_lesson_pool_matches_mmck_from_three_tenths_to_eight_tenths_load() {
    let mu = 250.0; // the lesson's 4 ms mean service
    for rho in [0.3, 0.5, 0.65, 0.8] {
        let lambda = rho * 4.0 * mu;
        let p = mmck_pool(4, 5, lambda, mu);
        let th = mmck(lambda, mu, 4, 9).unwrap();
        check_queue("Wq", p, SEEDS, |s| s.wait_mean_s, th.wq, 0.01, 1e-6);
        check_queue(
            "P_block",
            p,
            SEEDS,
            |s| s.drop_ratio,
            th.p_block,
            0.01,
            1e-4,
        );
    }
}
