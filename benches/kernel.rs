//! Throughput of the simulation kernel on the worker pool, metrics included.
//!
//! Reports simulated events per second (criterion's "elements"); each task is two events (arrival
//! and completion), so customers per second are half that. Run: `cargo bench --bench kernel`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gmplab::models::worker_pool::{Config, WorkerPool};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::Stepping;
use std::hint::black_box;

fn pool(workers: f64, buffer: f64, policy: &str, duration_s: f64) -> Config {
    let mut p = Params::default();
    p.insert("arrival_rate", ParamValue::Num(800.0 * workers / 4.0));
    p.insert("service_mean_ms", ParamValue::Num(4.0));
    p.insert("workers", ParamValue::Num(workers));
    p.insert("buffer", ParamValue::Num(buffer));
    p.insert("policy", ParamValue::Choice(policy.into()));
    p.insert("duration_s", ParamValue::Num(duration_s));
    p.insert("warmup_s", ParamValue::Num(0.0));
    Config::from_params(&p).expect("benchmark parameters are valid")
}

fn bench_worker_pool(c: &mut Criterion) {
    let mut g = c.benchmark_group("worker_pool");
    for (name, cfg) in [
        ("mm4_drop_rho0.8", pool(4.0, 100.0, "drop", 1000.0)),
        ("mm1_block_rho0.8", pool(1.0, 0.0, "block", 4000.0)),
        ("mm64_drop_rho0.8", pool(64.0, 1000.0, "drop", 60.0)),
    ] {
        let events = {
            let mut p = WorkerPool::new(cfg.clone(), 1);
            while p.step().is_some() {}
            p.steps()
        };
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter_batched(
                || WorkerPool::new(cfg.clone(), 1),
                |mut p| {
                    while p.step().is_some() {}
                    black_box(p.steps())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_worker_pool
}
criterion_main!(benches);
