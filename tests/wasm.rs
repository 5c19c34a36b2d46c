//! The wasm build in headless Chromium gives exactly the native results: the same RNG stream, the same
//! JSON report and the same final state hash for every pinned case. Run by
//! `wasm-pack test --headless --chrome` (scripts/test.sh does).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "golden/cases.rs"]
mod cases;
#[path = "golden/runtime_cases.rs"]
mod runtime_cases;

#[wasm_bindgen_test]
fn runtime_runs_match_native_step_for_step() {
    for c in runtime_cases::RUNTIME_CASES {
        let (steps, hash, out) = runtime_cases::run_runtime_case(c);
        assert_eq!(out, c.stdout, "{}", c.name);
        assert_eq!(
            (steps, hash),
            (c.steps, c.state_hash),
            "{}: wasm differs from native",
            c.name
        );
    }
}

#[wasm_bindgen_test]
fn the_rng_stream_matches_the_native_one() {
    let mut r = gmplab::sim::SimRng::new(1, 0);
    let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
    assert_eq!(
        got,
        [
            3870537839603238443,
            17148826331110639515,
            4548462581186598073,
            3594275726998975493
        ]
    );
}

#[wasm_bindgen_test]
fn pinned_runs_match_native_byte_for_byte() {
    for c in cases::CASES {
        let (json, hash) = cases::run_case(c);
        assert_eq!(json, c.json, "{}: wasm JSON differs from native", c.file);
        assert_eq!(hash, c.state_hash, "{}: wasm state hash differs", c.file);
    }
}

#[wasm_bindgen_test]
fn the_exported_runner_prints_the_cli_json() {
    let c = &cases::CASES[1];
    let q: Vec<String> = c.settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let compact = gmplab::web::run_lesson_json(c.lesson, &q.join("&"), c.seed).expect("runs");
    // Compared as parsed values: the browser's JSON parser is the fast one (exact float parsing is
    // native-only), and the same digits parse to the same numbers either way.
    let pretty: serde_json::Value = serde_json::from_str(c.json).expect("golden JSON");
    let got: serde_json::Value = serde_json::from_str(&compact).expect("runner JSON");
    assert_eq!(got, pretty);
    assert!(
        !compact.contains('\n'),
        "the runner prints one line, as `gmplab run --json` does"
    );
}
