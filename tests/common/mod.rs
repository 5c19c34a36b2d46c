//! Helpers shared by the integration tests: build a worker pool from a few numbers, run it, and check
//! a statistic over several seeds against theory.

#![allow(dead_code)]

use gmplab::models::worker_pool::{Config, Summary, WorkerPool};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::Stepping;

/// A worker pool with exponential arrivals and service.
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    /// Arrivals per second.
    pub lambda: f64,
    /// Services per second per worker.
    pub mu: f64,
    pub workers: u32,
    pub buffer: u64,
    pub block: bool,
    /// Tasks to simulate per seed (sets the duration).
    pub customers: f64,
}

impl Pool {
    pub fn config(&self) -> Config {
        let duration = self.customers / self.lambda;
        let mut p = Params::default();
        p.insert("arrival_rate", ParamValue::Num(self.lambda));
        p.insert("service_mean_ms", ParamValue::Num(1000.0 / self.mu));
        p.insert("workers", ParamValue::Num(self.workers as f64));
        p.insert("buffer", ParamValue::Num(self.buffer as f64));
        p.insert(
            "policy",
            ParamValue::Choice(if self.block { "block" } else { "drop" }.into()),
        );
        p.insert("duration_s", ParamValue::Num(duration));
        p.insert("warmup_s", ParamValue::Num(duration * 0.05));
        Config::from_params(&p).expect("test parameters are valid")
    }

    pub fn run(&self, seed: u64) -> Summary {
        let mut pool = WorkerPool::new(self.config(), seed);
        while pool.step().is_some() {}
        pool.summary_stats()
    }
}

/// Mean and standard error of the mean.
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// Asserts that `stat` over `seeds` lies within 3 standard errors of `theory`, plus a small slack
/// (relative `rel` and absolute `abs`) for the bias a finite run has.
pub fn check_queue(
    what: &str,
    pool: Pool,
    seeds: std::ops::Range<u64>,
    stat: impl Fn(&Summary) -> f64,
    theory: f64,
    rel: f64,
    abs: f64,
) {
    let xs: Vec<f64> = seeds.map(|s| stat(&pool.run(s))).collect();
    let (m, se) = mean_se(&xs);
    let tol = 3.0 * se + rel * theory.abs() + abs;
    assert!(
        (m - theory).abs() <= tol,
        "{what} for {pool:?}: simulated {m:.6} ± {se:.6} (SE), theory {theory:.6}, allowed ±{tol:.6}"
    );
}
