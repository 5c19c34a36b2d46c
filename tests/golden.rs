//! Pinned end-to-end results. A fixed lesson, parameters and seed give a fixed JSON report and a fixed
//! final state hash; the wasm build is checked against the same values in headless Chromium
//! (tests/wasm.rs), so native and browser runs are proven identical. After an intended behaviour
//! change, regenerate with `GMPLAB_BLESS=1 cargo test --test golden`, update the hashes it prints in
//! tests/golden/cases.rs, and review the diff.

#![cfg(not(target_arch = "wasm32"))]

#[path = "golden/cases.rs"]
mod cases;
#[path = "golden/runtime_cases.rs"]
mod runtime_cases;

#[test]
fn pinned_runtime_runs_are_unchanged() {
    let bless = std::env::var_os("GMPLAB_BLESS").is_some();
    for c in runtime_cases::RUNTIME_CASES {
        let (steps, hash, out) = runtime_cases::run_runtime_case(c);
        assert_eq!(out, c.stdout, "{}", c.name);
        if bless {
            println!("{}: steps: {steps}, state_hash: 0x{hash:016x}", c.name);
            continue;
        }
        assert_eq!(
            (steps, hash),
            (c.steps, c.state_hash),
            "{}: 0x{hash:016x}",
            c.name
        );
    }
}

#[test]
fn pinned_reports_and_state_hashes_are_unchanged() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("GMPLAB_BLESS").is_some();
    for c in cases::CASES {
        let (json, hash) = cases::run_case(c);
        if bless {
            std::fs::write(dir.join(c.file), &json).expect("write golden file");
            println!("{}: state_hash: 0x{hash:016x}", c.file);
            continue;
        }
        assert_eq!(
            json, c.json,
            "{} changed; if intended, re-bless and review the diff",
            c.file
        );
        assert_eq!(
            hash, c.state_hash,
            "{}: final state hash 0x{hash:016x}",
            c.file
        );
    }
}
