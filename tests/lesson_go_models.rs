//! Lessons that run a Go program: the lesson's parameters set the program's constants, the run's
//! metrics come from the simulated runtime, and lesson 8 reproduces the direction of the source
//! article's Mutex/RWMutex table from the runtime's default costs.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::golang::{compile_with, ConstOverride};
use gmplab::lesson::catalog;
use gmplab::session::budget::Budget;
use gmplab::session::report::run_to_end;

fn elapsed(lesson: &str, settings: &[(&str, &str)], seed: u64) -> f64 {
    let l = catalog::get(lesson).expect("built in");
    let p = l.resolve(settings.iter().copied()).expect("valid settings");
    let s = run_to_end(l, p, seed, Budget::events(50_000_000)).expect("runs");
    let summary = s.scenario().summary();
    summary
        .iter()
        .find(|(k, _)| k == "elapsed_s")
        .map(|(_, m)| m.as_f64())
        .expect("elapsed_s")
}

#[test]
fn rwmutex_takes_under_half_the_mutex_time_at_90_percent_reads() {
    for seed in 1..=3 {
        let m = elapsed(
            "mutex-vs-rwmutex",
            &[("mode", "mutex"), ("readPct", "90")],
            seed,
        );
        let rw = elapsed(
            "mutex-vs-rwmutex",
            &[("mode", "rwmutex"), ("readPct", "90")],
            seed,
        );
        assert!(rw < m / 2.0, "seed {seed}: RWMutex {rw} s vs Mutex {m} s");
    }
}

#[test]
fn rwmutex_is_slower_than_mutex_when_every_operation_writes() {
    for seed in 1..=3 {
        let m = elapsed(
            "mutex-vs-rwmutex",
            &[("mode", "mutex"), ("readPct", "0")],
            seed,
        );
        let rw = elapsed(
            "mutex-vs-rwmutex",
            &[("mode", "rwmutex"), ("readPct", "0")],
            seed,
        );
        assert!(rw > m, "seed {seed}: RWMutex {rw} s vs Mutex {m} s");
    }
}

#[test]
fn a_lesson_parameter_sets_the_programs_constant() {
    let l = catalog::get("mutex-vs-rwmutex").expect("built in");
    let p = l
        .resolve([("readPct", "100"), ("goroutines", "3")])
        .expect("valid");
    let s = run_to_end(l, p, 1, Budget::events(50_000_000)).expect("runs");
    let summary = s.scenario().summary();
    let get = |k: &str| {
        summary
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, m)| m.as_f64())
    };
    // 3 goroutines × 250 operations, all reads: the program's own lab.Count counters say so.
    assert_eq!(get("reads"), Some(750.0));
    assert_eq!(get("writes"), None);
}

const PROG: &str = "package main\n\nimport \"fmt\"\n\nconst (\n\tn    = 2\n\tname = \"a\"\n\tf    = 0.5\n\tdouble = n * 2\n)\n\nfunc main() {\n\tfmt.Println(n, name, f, double)\n}\n";

fn run(overrides: &[(&str, ConstOverride)]) -> Result<String, String> {
    let o: Vec<(String, ConstOverride)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let program = compile_with("main.go", PROG, &o).map_err(|e| e[0].to_string())?;
    let mut rt = gmplab::runtime::Runtime::new(
        std::rc::Rc::new(program),
        gmplab::runtime::Config::default(),
    );
    use gmplab::sim::scenario::Stepping;
    let _ = rt.run_until(u64::MAX, 100_000);
    Ok(rt.stdout().to_string())
}

#[test]
fn an_override_is_seen_by_constants_declared_after_it() {
    assert_eq!(run(&[]).expect("compiles"), "2 a 0.5 4\n");
    let out = run(&[
        ("n", ConstOverride::Int(5)),
        ("name", ConstOverride::Str("b".into())),
        ("f", ConstOverride::Float(0.25)),
    ])
    .expect("compiles");
    assert_eq!(out, "5 b 0.25 10\n");
}

#[test]
fn overriding_a_missing_constant_or_with_the_wrong_kind_is_an_error() {
    let e = run(&[("m", ConstOverride::Int(1))]).expect_err("no such constant");
    assert!(e.contains("no package-level constant m"), "{e}");
    let e = run(&[("name", ConstOverride::Int(1))]).expect_err("wrong kind");
    assert!(e.contains("constant name cannot be set"), "{e}");
}

fn metrics(
    lesson: &str,
    settings: &[(&str, &str)],
    seed: u64,
) -> std::collections::BTreeMap<String, f64> {
    let l = catalog::get(lesson).expect("built in");
    let p = l.resolve(settings.iter().copied()).expect("valid settings");
    let s = run_to_end(l, p, seed, Budget::events(50_000_000)).expect("runs");
    s.scenario()
        .summary()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_f64()))
        .collect()
}

#[test]
fn an_unclosed_body_exhausts_the_pool_after_max_open_requests() {
    for seed in 1..=3 {
        let m = metrics("connection-pool", &[("closeBody", "false")], seed);
        assert_eq!(
            (m["dials"], m["leaked"]),
            (20.0, 20.0),
            "seed {seed}: {m:?}"
        );
        assert_eq!(m["failed"], 380.0, "every later request waits and fails");
        let unlimited = metrics(
            "connection-pool",
            &[("closeBody", "false"), ("maxOpen", "0")],
            seed,
        );
        assert_eq!(
            (unlimited["failed"], unlimited["dials"]),
            (0.0, 400.0),
            "no limit: every request dials and leaks"
        );
    }
}

#[test]
fn more_idle_connections_mean_fewer_handshakes_and_nothing_is_lost() {
    for seed in 1..=3 {
        let few = metrics("connection-pool", &[("maxIdle", "2")], seed);
        let many = metrics("connection-pool", &[("maxIdle", "10")], seed);
        assert!(
            many["dials"] * 3.0 < few["dials"],
            "seed {seed}: {} vs {}",
            many["dials"],
            few["dials"]
        );
        for m in [&few, &many] {
            // Every request either reused or dialled a connection, and none failed.
            assert_eq!(m["dials"] + m["reused"], 400.0);
            assert_eq!(m["failed"], 0.0);
        }
    }
}
