//! The flash-sale pipeline: naive GET-then-DECR oversells and more so with a wider race window; the
//! atomic decrement never does, sharded or not; stock and requests are conserved exactly; the edge
//! limit keeps to nginx's bound; and sharding the stock raises the stock stage's ceiling in
//! proportion to the buckets until another stage limits it.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::models::flash_sale::{EdgePass, FlashSale, Kind};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Scenario, Stepping};
use gmplab::sim::Metric;

fn params(pairs: &[(&str, ParamValue)]) -> Params {
    let mut p = Params::defaults(gmplab::models::flash_sale::SCHEMA);
    for (k, v) in pairs {
        p.insert(k, v.clone());
    }
    p
}

fn num(x: f64) -> ParamValue {
    ParamValue::Num(x)
}

fn on(b: bool) -> ParamValue {
    ParamValue::Bool(b)
}

fn pick(s: &str) -> ParamValue {
    ParamValue::Choice(s.into())
}

fn run(p: &Params, seed: u64) -> FlashSale {
    let mut m = FlashSale::build(p, seed).expect("valid parameters");
    m.run_events(u64::MAX);
    assert!(
        matches!(m.halted(), Some(gmplab::sim::scenario::Halt::Finished)),
        "{:?}",
        m.halted()
    );
    m
}

fn metric(m: &FlashSale, name: &str) -> f64 {
    m.summary()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_f64())
        .unwrap_or_else(|| panic!("no metric {name}"))
}

fn count(m: &FlashSale, name: &str) -> u64 {
    match m.summary().into_iter().find(|(k, _)| k == name) {
        Some((_, Metric::Count(n))) => n,
        other => panic!("{name}: {other:?}"),
    }
}

/// 100 items, a sharp crowd of 20,000 buy attempts per second, no edge limit.
fn crowd(op: &str, race_us: f64, buckets: f64) -> Params {
    params(&[
        ("stock_op", pick(op)),
        ("race_us", num(race_us)),
        ("buckets", num(buckets)),
        ("peak_rps", num(20_000.0)),
        ("ramp_s", num(0.0)),
        ("duration_s", num(1.0)),
        ("hot_fraction", num(1.0)),
        ("noncore_ms", num(0.0)),
    ])
}

/// Every request ended exactly one way, and every item is sold, still in stock, or leaked (taken
/// with no order); failovers may add back items the replica never saw taken.
fn assert_conserved(m: &FlashSale) {
    assert_eq!(m.in_flight(), 0);
    assert_eq!(
        count(m, "offered"),
        count(m, "served") + count(m, "rejected") + count(m, "timed_out"),
        "every request ends served, rejected or timed out"
    );
    let o = m.orders();
    assert_eq!(
        m.stock_left() + o.sold() as i64 + o.missing as i64,
        (m.config().stock + o.repl_lost) as i64,
        "sold + left + leaked = initial stock (+ replication losses): {o:?}"
    );
}

#[test]
fn naive_get_then_decr_oversells_and_a_wider_race_window_oversells_more() {
    let mean = |race: f64| -> f64 {
        (1..=5)
            .map(|seed| {
                let m = run(&crowd("naive", race, 1.0), seed);
                assert_conserved(&m);
                m.oversold() as f64
            })
            .sum::<f64>()
            / 5.0
    };
    let narrow = mean(100.0);
    let mid = mean(1_000.0);
    let wide = mean(10_000.0);
    assert!(
        narrow > 0.0,
        "even 0.1 ms between GET and DECR oversells at this load"
    );
    assert!(
        narrow < mid && mid < wide,
        "oversold {narrow} < {mid} < {wide}"
    );
}

#[test]
fn the_atomic_decrement_never_oversells_sharded_or_not_over_twenty_seeds() {
    for buckets in [1.0, 8.0] {
        for seed in 1..=20 {
            let m = run(&crowd("atomic", 1_000.0, buckets), seed);
            assert_eq!(m.oversold(), 0, "buckets {buckets}, seed {seed}");
            assert_eq!(
                m.orders().sold(),
                100,
                "every item sells: buckets {buckets}, seed {seed}"
            );
            assert_eq!(m.stock_left(), 0);
            assert_conserved(&m);
        }
    }
}

#[test]
fn the_distributed_lock_never_oversells_but_caps_throughput() {
    for seed in 1..=5 {
        let m = run(&crowd("lock", 1_000.0, 1.0), seed);
        assert_eq!(m.oversold(), 0);
        assert_conserved(&m);
    }
}

#[test]
fn conservation_holds_exactly_through_faults_compensation_and_reconciliation() {
    let faults = [
        ("mq_lose_at_s", num(0.05)),
        ("order_path", pick("mq")),
        ("db_slow_at_s", num(0.2)),
        ("zone_down_at_s", num(0.3)),
        ("redis_down_at_s", num(0.4)),
        ("failover_s", num(0.5)),
        ("repl_lag_ms", num(50.0)),
        ("buckets", num(4.0)),
        ("stock", num(5_000.0)),
        ("peak_rps", num(30_000.0)),
        ("duration_s", num(2.0)),
    ];
    for (verify, reconcile, tcc) in [
        (false, false, false),
        (true, false, false),
        (false, true, true),
    ] {
        for seed in 1..=4 {
            let mut p = params(&faults);
            p.insert("verify", on(verify));
            p.insert("verify_delay_s", num(0.5));
            p.insert("reconcile", on(reconcile));
            p.insert("reconcile_at_s", num(5.0));
            p.insert("tcc", on(tcc));
            let m = run(&p, seed);
            assert_conserved(&m);
            let o = m.orders();
            if verify {
                assert_eq!(o.missing, 0, "every lost order is compensated");
                assert!(o.compensated > 0);
            }
            if reconcile {
                assert_eq!(o.missing, 0, "reconciliation leaves nothing leaked");
            }
            if !verify && !reconcile {
                assert!(
                    o.missing > 0,
                    "lost messages leak stock when nothing checks: {o:?}"
                );
            }
        }
    }
}

/// Times at which requests passed the edge: at arrival (nodelay) or after limit_req's delay.
fn edge_passes(p: &Params, seed: u64) -> Vec<u64> {
    let mut m = FlashSale::build(p, seed).expect("valid");
    let mut out = Vec::new();
    while let Some(ev) = m.step() {
        match ev.kind {
            Kind::Arrived {
                edge: EdgePass::Passed,
                ..
            }
            | Kind::Forwarded { .. } => out.push(ev.at),
            _ => {}
        }
    }
    out
}

/// The largest excess, over all windows [t_i, t_j], of passes beyond allowed + rate·(t_j - t_i).
fn worst_excess(times: &[u64], rate: f64, allowed: f64) -> f64 {
    let mut min_before = f64::INFINITY;
    let mut worst = f64::NEG_INFINITY;
    for (j, &t) in times.iter().enumerate() {
        let v = j as f64 - rate * t as f64 / 1e9;
        min_before = min_before.min(v);
        worst = worst.max(v - min_before + 1.0 - allowed);
    }
    worst
}

#[test]
fn the_edge_limit_never_passes_more_than_burst_plus_rate_times_t_in_any_window() {
    // nginx counts the request the rate allows plus `burst` more: burst + 1 + rate·t.
    for (nodelay, rate, burst, seed) in [
        (true, 2000.0, 200.0, 1),
        (false, 2000.0, 200.0, 2),
        (true, 500.0, 0.0, 3),
        (false, 10_000.0, 50.0, 4),
    ] {
        let p = params(&[
            ("edge_limit", on(true)),
            ("edge_nodelay", on(nodelay)),
            ("edge_rate", num(rate)),
            ("edge_burst", num(burst)),
            ("peak_rps", num(50_000.0)),
            ("duration_s", num(1.0)),
            ("retry_p", num(0.9)),
            ("backoff_ms", num(20.0)),
        ]);
        let passes = edge_passes(&p, seed);
        assert!(
            passes.len() as f64 > rate * 0.9,
            "the limit is reached: {}",
            passes.len()
        );
        let excess = worst_excess(&passes, rate, burst + 1.0);
        assert!(
            excess <= 1e-6,
            "nodelay {nodelay} rate {rate} burst {burst}: {excess} too many"
        );
    }
}

/// Enough app capacity that only Redis limits up to about 330,000 buy attempts per second; stock
/// never runs out; orders go through the queue so the database is off the request path.
fn ceiling_run(buckets: f64, seed: u64) -> FlashSale {
    let p = params(&[
        ("buckets", num(buckets)),
        ("stock", num(100_000_000.0)),
        ("peak_rps", num(600_000.0)),
        ("ramp_s", num(0.0)),
        ("duration_s", num(0.5)),
        ("hot_fraction", num(1.0)),
        ("retry_p", num(0.0)),
        ("noncore_ms", num(0.0)),
        ("instances", num(10.0)),
        ("workers", num(100.0)),
        ("redis_pool", num(100.0)),
        ("app_queue", num(100.0)),
        ("cpu_us", num(2_500.0)),
        ("order_path", pick("mq")),
        ("mq_publish_us", num(0.0)),
        ("db_pool", num(1000.0)),
        ("db_ms", num(0.01)),
    ]);
    run(&p, seed)
}

#[test]
fn bucket_sharding_raises_the_stock_ceiling_in_proportion_until_the_app_limits() {
    let mut measured = Vec::new();
    for buckets in [1.0, 2.0, 4.0, 8.0] {
        let m = ceiling_run(buckets, 11);
        let rate = metric(&m, "orders_per_s");
        measured.push((buckets, rate, m.limiting_stage()));
    }
    let per_bucket = 1e6 / 10.0; // one 10 µs command per attempt
    for &(b, rate, stage) in &measured[..2] {
        let want = b * per_bucket;
        assert!(
            (rate - want).abs() < 0.05 * want,
            "{b} buckets: {rate:.0}/s, want ≈{want:.0}"
        );
        assert_eq!(stage, "redis");
    }
    // From 4 buckets (400,000/s) the app's 1,000 workers holding each request ≈3 ms limit instead.
    let app = 1000.0 / 3.01e-3;
    for &(b, rate, stage) in &measured[2..] {
        assert!(
            (rate - app).abs() < 0.08 * app,
            "{b} buckets: {rate:.0}/s, want ≈{app:.0}"
        );
        assert_eq!(stage, "app");
    }
}

#[test]
fn a_checkpoint_taken_mid_run_replays_to_the_same_end() {
    let p = params(&[
        ("edge_limit", on(true)),
        ("local_stock", on(true)),
        ("buckets", num(4.0)),
        ("breaker", on(true)),
        ("noncore_slow_at_s", num(0.5)),
        ("zone_down_at_s", num(0.3)),
        ("order_path", pick("mq")),
        ("verify", on(true)),
        ("stock", num(3000.0)),
        ("peak_rps", num(50_000.0)),
        ("duration_s", num(1.0)),
    ]);
    let mut a = FlashSale::build(&p, 9).expect("valid");
    a.run_events(40_000);
    let mut b = a.clone();
    a.run_events(u64::MAX);
    b.run_events(u64::MAX);
    assert_eq!(a.state_hash(), b.state_hash());
    assert_eq!(a.summary(), b.summary());
    let again = run(&p, 9);
    assert_eq!(
        again.state_hash(),
        a.state_hash(),
        "the same seed gives the same run"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

    /// Whatever the architecture and faults, the atomic decrement never sells an item twice unless
    /// a failover lost replicated decrements, and every request and item is accounted for.
    #[test]
    fn any_configuration_conserves_requests_and_stock_and_atomic_never_oversells(
        peak in 500.0f64..40_000.0,
        stock in 1.0f64..2_000.0,
        buckets in 1.0f64..8.0,
        instances in 1.0f64..6.0,
        workers in 1.0f64..300.0,
        edge in proptest::bool::ANY,
        local in proptest::bool::ANY,
        mq in proptest::bool::ANY,
        tcc in proptest::bool::ANY,
        verify in proptest::bool::ANY,
        zone in proptest::bool::ANY,
        db_slow in proptest::bool::ANY,
        seed in 1u64..10_000,
    ) {
        let mut p = params(&[
            ("peak_rps", num(peak)),
            ("stock", num(stock.floor())),
            ("buckets", num(buckets.floor())),
            ("instances", num(instances.floor())),
            ("workers", num(workers.floor())),
            ("duration_s", num(0.3)),
            ("edge_limit", on(edge)),
            ("local_stock", on(local)),
            ("order_path", pick(if mq { "mq" } else { "sync" })),
            ("tcc", on(tcc)),
            ("verify", on(verify)),
            ("verify_delay_s", num(0.2)),
            ("mq_lose_at_s", num(0.1)),
            ("failover_s", num(0.1)),
        ]);
        if zone {
            p.insert("zone_down_at_s", num(0.15));
            p.insert("zone_down_s", num(0.1));
        }
        if db_slow {
            p.insert("db_slow_at_s", num(0.05));
        }
        let m = run(&p, seed);
        assert_conserved(&m);
        proptest::prop_assert!(
            m.oversold() <= m.orders().repl_lost,
            "oversold {} with {} decrements lost in failovers",
            m.oversold(),
            m.orders().repl_lost
        );
    }
}

#[test]
fn an_absurd_configuration_stops_at_the_memory_budget_with_a_message() {
    // A million requests a second into queues that never drain: the in-flight table would grow
    // without bound, so the run stops and says which budget it hit and what to lower.
    let p = params(&[
        ("peak_rps", num(1_000_000.0)),
        ("duration_s", num(10.0)),
        ("instances", num(1000.0)),
        ("workers", num(1.0)),
        ("app_queue", num(1_000_000.0)),
        ("cpu_us", num(1_000_000.0)),
        ("timeout_ms", num(600_000.0)),
    ]);
    let mut m = FlashSale::build(&p, 1).expect("valid");
    m.run_events(u64::MAX);
    match m.halted() {
        Some(gmplab::sim::scenario::Halt::Limit(msg)) => {
            assert!(
                msg.contains("memory budget") && msg.contains("peak_rps"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(m.in_flight() <= gmplab::models::flash_sale::MAX_IN_FLIGHT + 1);
}
