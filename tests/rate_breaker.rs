//! The token bucket and breaker model: the limiter never admits more than burst + rate·t in any
//! window, every request ends exactly one way, and the breaker keeps calls off a failing downstream.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::models::rate_breaker::{Outcome, RateBreaker, RateBreakerEvent};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Scenario, Stepping};
use proptest::prelude::*;

fn params(pairs: &[(&str, ParamValue)]) -> Params {
    let mut p = Params::defaults(gmplab::models::rate_breaker::SCHEMA);
    for (k, v) in pairs {
        p.insert(k, v.clone());
    }
    p
}

fn num(x: f64) -> ParamValue {
    ParamValue::Num(x)
}

/// The times at which the limiter let a request through, in order.
fn admissions(p: &Params, seed: u64) -> Vec<u64> {
    let mut m = RateBreaker::build(p, seed).expect("valid");
    let mut out = Vec::new();
    while let Some(ev) = m.step() {
        if let RateBreakerEvent::Arrived { at, outcome, .. } = ev {
            if outcome != Outcome::RateLimited {
                out.push(at);
            }
        }
    }
    out
}

/// The largest excess, over all windows [t_i, t_j], of admissions beyond burst + rate·(t_j - t_i):
/// with k = j - i + 1 admissions, k ≤ b + r·(t_j - t_i) ⟺ (j - r·t_j) - (i - r·t_i) + 1 ≤ b, so one
/// pass keeping the smallest i - r·t_i seen so far finds the worst window.
fn worst_excess(times: &[u64], rate: f64, burst: f64) -> f64 {
    let mut min_before = f64::INFINITY;
    let mut worst = f64::NEG_INFINITY;
    for (j, &t) in times.iter().enumerate() {
        let v = j as f64 - rate * t as f64 / 1e9;
        min_before = min_before.min(v);
        worst = worst.max(v - min_before + 1.0 - burst);
    }
    worst
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn admissions_never_exceed_burst_plus_rate_times_t_in_any_window(
        arrival in 5.0f64..3000.0,
        rate in 1.0f64..2000.0,
        burst in 1u32..200,
        seed in 1u64..1000,
    ) {
        let p = params(&[
            ("arrival_rate", num(arrival)),
            ("limit_rate", num(rate)),
            ("burst", num(burst as f64)),
            ("duration_s", num(3.0)),
            ("breaker", ParamValue::Bool(false)),
        ]);
        let times = admissions(&p, seed);
        let excess = worst_excess(&times, rate, burst as f64);
        // A hair of slack for nanosecond rounding of arrival times.
        prop_assert!(excess <= 1e-6, "excess {excess} with {} admissions", times.len());
    }
}

#[test]
fn under_overload_the_bound_is_reached_not_just_respected() {
    // 2,000 req/s against 100 tokens/s and a bucket of 50: the first instants admit the whole burst,
    // and the total over 5 s is close to 50 + 100 × 5.
    let p = params(&[
        ("arrival_rate", num(2000.0)),
        ("limit_rate", num(100.0)),
        ("burst", num(50.0)),
        ("duration_s", num(5.0)),
        ("breaker", ParamValue::Bool(false)),
    ]);
    for seed in 1..=5 {
        let times = admissions(&p, seed);
        assert!(
            (540..=550).contains(&times.len()),
            "seed {seed}: {}",
            times.len()
        );
        assert!(times[49] < 30_000_000, "the burst passes at once");
    }
}

#[test]
fn every_request_ends_exactly_one_way() {
    for seed in 1..=5 {
        let mut m = RateBreaker::build(&params(&[]), seed).expect("valid");
        while m.step().is_some() {}
        let s: std::collections::BTreeMap<String, f64> = m
            .summary()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.as_f64()))
            .collect();
        assert_eq!(
            s["offered"],
            s["rate_limited"] + s["breaker_rejected"] + s["succeeded"] + s["failed"],
            "seed {seed}: {s:?}"
        );
    }
}

#[test]
fn an_open_breaker_keeps_calls_off_the_failing_downstream() {
    for seed in 1..=5 {
        let run = |breaker: bool| {
            let mut m =
                RateBreaker::build(&params(&[("breaker", ParamValue::Bool(breaker))]), seed)
                    .expect("valid");
            while m.step().is_some() {}
            m.summary()
                .into_iter()
                .find(|(k, _)| k == "outage_calls")
                .map(|(_, v)| v.as_f64())
                .expect("metric")
        };
        let (with, without) = (run(true), run(false));
        assert!(
            with * 5.0 < without,
            "seed {seed}: {with} calls with the breaker, {without} without"
        );
    }
}
