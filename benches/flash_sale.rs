//! The flash-sale pipeline at full scale: 10 s of a 500,000 req/s crowd (5 million first attempts,
//! plus the retries of refused users) through the V3 architecture with every layer on. Reports
//! simulated requests per second (criterion's "elements" are offered requests, retries included).
//! Run: `cargo bench --bench flash_sale`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gmplab::models::flash_sale::FlashSale;
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Scenario, Stepping};
use std::hint::black_box;

/// The V3 lesson's fixed settings with its layers switched on.
fn v3_full(peak_rps: f64) -> Params {
    let mut p = Params::default();
    let num = |x: f64| ParamValue::Num(x);
    for (k, v) in [
        ("peak_rps", num(peak_rps)),
        ("ramp_s", num(0.0)),
        ("duration_s", num(10.0)),
        ("stock", num(50_000.0)),
        ("instances", num(20.0)),
        ("workers", num(200.0)),
        ("app_queue", num(10_000.0)),
        ("edge_rate", num(20_000.0)),
        ("edge_burst", num(2_000.0)),
        ("buckets", num(4.0)),
        ("local_factor", num(1.2)),
        ("noncore_slow_at_s", num(4.0)),
        ("verify_delay_s", num(2.0)),
        ("reconcile_at_s", num(12.0)),
    ] {
        p.insert(k, v);
    }
    for k in [
        "edge_limit",
        "local_stock",
        "breaker",
        "verify",
        "reconcile",
    ] {
        p.insert(k, ParamValue::Bool(true));
    }
    p.insert("order_path", ParamValue::Choice("mq".into()));
    p
}

fn offered(m: &FlashSale) -> u64 {
    m.summary()
        .into_iter()
        .find(|(k, _)| k == "offered")
        .map(|(_, v)| v.as_f64() as u64)
        .unwrap_or(0)
}

fn bench_flash_sale(c: &mut Criterion) {
    let mut g = c.benchmark_group("flash_sale");
    g.sample_size(10);
    let p = v3_full(500_000.0);
    let requests = {
        let mut m = FlashSale::build(&p, 1).expect("benchmark parameters are valid");
        while m.step().is_some() {}
        offered(&m)
    };
    g.throughput(Throughput::Elements(requests));
    g.bench_function("v3_500k_rps_10s", |b| {
        b.iter_batched(
            || FlashSale::build(&p, 1).expect("valid"),
            |mut m| {
                while m.step().is_some() {}
                black_box(m.steps())
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_flash_sale);
criterion_main!(benches);
