//! The shared-map model: sync.Map's lock-free reads win when keys are stable and reads dominate; its
//! dirty-map copies lose when new keys keep arriving; sharding cuts lock waits roughly by the number
//! of shards; and every operation completes exactly once.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::models::shared_map::{SharedMap, SCHEMA};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Scenario, Stepping};

fn run(pairs: &[(&str, ParamValue)], seed: u64) -> std::collections::BTreeMap<String, f64> {
    let mut p = Params::defaults(SCHEMA);
    for (k, v) in pairs {
        p.insert(k, v.clone());
    }
    let mut m = SharedMap::build(&p, seed).expect("valid");
    while m.step().is_some() {}
    m.summary()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_f64()))
        .collect()
}

fn mode(m: &str) -> (&'static str, ParamValue) {
    ("mode", ParamValue::Choice(m.into()))
}

fn num(k: &'static str, x: f64) -> (&'static str, ParamValue) {
    (k, ParamValue::Num(x))
}

#[test]
fn every_operation_completes_exactly_once() {
    for m in ["rwmutex", "sharded", "sync_map"] {
        for seed in 1..=3 {
            let s = run(
                &[mode(m), num("new_key_pct", 30.0), num("read_pct", 70.0)],
                seed,
            );
            assert_eq!(s["ops"], 8.0 * 2000.0, "{m} seed {seed}");
        }
    }
}

#[test]
fn sync_map_is_fastest_for_stable_keys_and_mostly_reads() {
    for seed in 1..=3 {
        let t = |m| run(&[mode(m), num("read_pct", 99.0)], seed)["elapsed_s"];
        let (rw, sharded, sync) = (t("rwmutex"), t("sharded"), t("sync_map"));
        assert!(
            sync < sharded && sync < rw,
            "seed {seed}: rwmutex {rw}, sharded {sharded}, sync.Map {sync}"
        );
    }
}

#[test]
fn sync_map_is_slowest_when_new_keys_keep_arriving() {
    for seed in 1..=3 {
        let t = |m| {
            run(
                &[mode(m), num("read_pct", 50.0), num("new_key_pct", 50.0)],
                seed,
            )["elapsed_s"]
        };
        let (rw, sharded, sync) = (t("rwmutex"), t("sharded"), t("sync_map"));
        assert!(
            sync > rw && sync > sharded,
            "seed {seed}: rwmutex {rw}, sharded {sharded}, sync.Map {sync}"
        );
    }
}

#[test]
fn sharding_cuts_lock_waits() {
    let w = |shards| {
        run(
            &[
                mode("sharded"),
                num("read_pct", 50.0),
                num("shards", shards),
            ],
            1,
        )["waits"]
    };
    let (one, many) = (w(1.0), w(64.0));
    assert!(many * 4.0 < one, "1 shard: {one} waits, 64 shards: {many}");
}
