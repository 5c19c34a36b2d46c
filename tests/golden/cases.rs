// Pinned end-to-end cases, one or more per model, shared by tests/golden.rs (native) and tests/wasm.rs (headless Chromium).
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
    Case {
        file: "rate-limit-breaker-seed3.json",
        lesson: "rate-limit-breaker",
        settings: &[("arrival_rate", "300")],
        seed: 3,
        json: include_str!("rate-limit-breaker-seed3.json"),
        state_hash: 0xa768_173e_5d51_0c48,
    },
    Case {
        file: "durable-task-queue-crash-seed5.json",
        lesson: "durable-task-queue",
        settings: &[("crash_at_s", "0.25"), ("delivery", "at_least_once")],
        seed: 5,
        json: include_str!("durable-task-queue-crash-seed5.json"),
        state_hash: 0x8f56_106f_795d_3f05,
    },
    Case {
        file: "shared-map-seed2.json",
        lesson: "shared-map",
        settings: &[],
        seed: 2,
        json: include_str!("shared-map-seed2.json"),
        state_hash: 0xe98a_4ab0_9b18_05d2,
    },
    Case {
        file: "flash-sale-v1-seed1.json",
        lesson: "flash-sale-v1",
        settings: &[],
        seed: 1,
        json: include_str!("flash-sale-v1-seed1.json"),
        state_hash: 0x3396_7c3f_c8f6_96d6,
    },
    Case {
        file: "flash-sale-v2-faults-seed4.json",
        lesson: "flash-sale-v2",
        settings: &[
            ("mq_lose_at_s", "3"),
            ("order_path", "mq"),
            ("verify", "true"),
        ],
        seed: 4,
        json: include_str!("flash-sale-v2-faults-seed4.json"),
        state_hash: 0xdfca_de7a_0338_62cf,
    },
    Case {
        file: "flash-sale-v3-zone-seed6.json",
        lesson: "flash-sale-v3",
        settings: &[
            ("peak_rps", "20000"),
            ("duration_s", "2"),
            ("stock", "20000"),
            ("edge_limit", "true"),
            ("local_stock", "true"),
            ("buckets", "4"),
            ("breaker", "true"),
            ("noncore_slow_at_s", "1"),
            ("zone_down_at_s", "0.5"),
        ],
        seed: 6,
        json: include_str!("flash-sale-v3-zone-seed6.json"),
        state_hash: 0x03c7_17f3_e69f_951b,
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
    let s = report::run_to_end(
        l,
        params,
        c.seed,
        gmplab::session::budget::Budget::events(u64::MAX),
    )
    .expect("run finishes");
    let json = serde_json::to_string_pretty(&report::to_json(&s)).expect("json") + "\n";
    (json, s.snapshot(gmplab::sim::text::Lang::En).state_hash)
}
