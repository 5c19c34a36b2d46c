//! Pinned end-to-end results. A fixed lesson, parameters and seed give a fixed JSON report; the wasm
//! build is checked against the same file in headless Chromium (tests/wasm.rs), so native and browser
//! runs are proven identical. After an intended behaviour change, regenerate with
//! `GMPLAB_BLESS=1 cargo test --test golden` and review the diff.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::lesson::catalog;
use gmplab::session::report;

/// Parameter settings as `name=value` pairs.
type Settings = &'static [(&'static str, &'static str)];

/// (file, lesson, settings, seed)
pub const CASES: &[(&str, &str, Settings, u64)] = &[
    ("worker-pool-default-seed1.json", "worker-pool", &[], 1),
    (
        "worker-pool-overload-seed7.json",
        "worker-pool",
        &[
            ("arrival_rate", "1500"),
            ("buffer", "20"),
            ("service_dist", "lognormal"),
        ],
        7,
    ),
    (
        "worker-pool-block-seed42.json",
        "worker-pool",
        &[
            ("policy", "block"),
            ("workers", "2"),
            ("arrival_rate", "450"),
            ("arrival_dist", "lognormal"),
        ],
        42,
    ),
];

fn render(lesson: &str, settings: &[(&str, &str)], seed: u64) -> String {
    let l = catalog::get(lesson).expect("built-in lesson");
    let params = l.resolve(settings.iter().copied()).expect("valid settings");
    let s = report::run_to_end(l, params, seed, u64::MAX).expect("run finishes");
    serde_json::to_string_pretty(&report::to_json(&s)).expect("json") + "\n"
}

#[test]
fn pinned_reports_are_unchanged() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("GMPLAB_BLESS").is_some();
    for (file, lesson, settings, seed) in CASES {
        let got = render(lesson, settings, *seed);
        let path = dir.join(file);
        if bless {
            std::fs::write(&path, &got).expect("write golden file");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with GMPLAB_BLESS=1 to create it)",
                path.display()
            )
        });
        assert_eq!(
            got, want,
            "{file} changed; if intended, re-bless and review the diff"
        );
    }
}
