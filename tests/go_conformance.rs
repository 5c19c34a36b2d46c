//! The differential conformance suite: every program in tests/go/programs runs on the simulated
//! runtime at GOMAXPROCS 1, 2 and 4 (and three seeds) and must give what real Go gives: the same
//! stdout, exit status, first line of stderr, and wait reasons in the goroutine headers.
//!
//! The expected results are derived from the real Go toolchain by tests/go/derive.py (the test
//! command runs it first); nothing here is written by hand. Set GMPLAB_GO_EXPECTED to their
//! folder (default: target/go-expected).

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use gmplab::golang::run::{run_source, RunOptions};
use serde_json::Value;

fn expected_dir() -> PathBuf {
    match std::env::var("GMPLAB_GO_EXPECTED") {
        Ok(d) => PathBuf::from(d),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/go-expected"),
    }
}

/// Wait reasons from the goroutine headers, sorted ("goroutine 7 [chan send]:" → "chan send").
fn waits(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("goroutine ")?;
            let (id, tail) = rest.split_once(" [")?;
            id.parse::<u64>().ok()?;
            tail.strip_suffix("]:").map(str::to_string)
        })
        .collect();
    out.sort();
    out
}

fn outcome_json(stdout: &str, code: i32, stderr: &str) -> Value {
    serde_json::json!({
        "stdout": stdout,
        "code": code,
        "stderr_first": stderr.lines().next().unwrap_or(""),
        "waits": waits(stderr),
    })
}

#[test]
fn every_program_matches_real_go() {
    let progs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go/programs");
    let expected = expected_dir();
    let mut names: Vec<String> = std::fs::read_dir(&progs)
        .expect("tests/go/programs exists")
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().to_string();
            n.strip_suffix(".go").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 80, "the suite has {} programs", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let src = std::fs::read_to_string(progs.join(format!("{name}.go"))).expect("readable");
        let exp_path = expected.join(format!("{name}.json"));
        let Ok(text) = std::fs::read_to_string(&exp_path) else {
            panic!(
                "no real-Go result for {name} in {}: run `python3 tests/go/derive.py GO {}` (scripts/test.sh does)",
                expected.display(),
                expected.display()
            );
        };
        let exp: Value = serde_json::from_str(&text).expect("derive.py writes JSON");
        let outcomes = exp["outcomes"].as_array().expect("outcomes");
        for procs in [1, 2, 4] {
            for seed in 1..=3 {
                let opts = RunOptions {
                    seed,
                    gomaxprocs: procs,
                    ..RunOptions::default()
                };
                let r = run_source(&format!("{name}.go"), &src, &opts);
                let got = outcome_json(&r.stdout, r.code, &r.stderr);
                if !outcomes.contains(&got) {
                    failures.push(format!(
                        "{name} (GOMAXPROCS={procs}, seed {seed}):\n  got  {got}\n  want {}{}",
                        if outcomes.len() == 1 { "" } else { "one of " },
                        Value::Array(outcomes.clone())
                    ));
                    break;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} programs differ from real Go:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}
