// Pinned end-to-end cases, shared by tests/golden.rs (native) and tests/wasm.rs (headless Chromium).
// Each: (golden file, lesson, settings, seed, the golden file's contents, the final state hash).
// Regenerate after an intended change: GMPLAB_BLESS=1 cargo test --test golden (it prints the hashes).

/// Parameter settings as `name=value` pairs.
type Settings = &'static [(&'static str, &'static str)];

pub struct Case {
    pub file: &'static str,
    pub lesson: &'static str,
    pub settings: Settings,
    pub seed: u64,
    pub json: &'static str,
    pub state_hash: u64,
}

pub const CASES: &[Case] = &[
    Case {
        file: "worker-pool-default-seed1.json",
        lesson: "worker-pool",
        settings: &[],
        seed: 1,
        json: include_str!("worker-pool-default-seed1.json"),
        state_hash: 0xdf7f_e80b_1321_1b08,
    },
    Case {
        file: "worker-pool-overload-seed7.json",
        lesson: "worker-pool",
        settings: &[
            ("arrival_rate", "1500"),
            ("buffer", "20"),
            ("service_dist", "lognormal"),
        ],
        seed: 7,
        json: include_str!("worker-pool-overload-seed7.json"),
        state_hash: 0x1577_410b_a569_d301,
    },
    Case {
        file: "worker-pool-block-seed42.json",
        lesson: "worker-pool",
        settings: &[
            ("policy", "block"),
            ("workers", "2"),
            ("arrival_rate", "450"),
            ("arrival_dist", "lognormal"),
        ],
        seed: 42,
        json: include_str!("worker-pool-block-seed42.json"),
        state_hash: 0x837d_a273_e0de_8ce6,
    },
];

/// Runs a case to the end: its pretty JSON report and final state hash.
pub fn run_case(c: &Case) -> (String, u64) {
    use gmplab::lesson::catalog;
    use gmplab::session::report;
    let l = catalog::get(c.lesson).expect("built-in lesson");
    let params = l
        .resolve(c.settings.iter().copied())
        .expect("valid settings");
    let s = report::run_to_end(l, params, c.seed, u64::MAX).expect("run finishes");
    let json = serde_json::to_string_pretty(&report::to_json(&s)).expect("json") + "\n";
    (json, s.snapshot(gmplab::sim::text::Lang::En).state_hash)
}
