//! The `gmplab` command as a user runs it: output, JSON shape, errors on stderr with exit status 2.

#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

fn gmplab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gmplab"))
        .args(args)
        .output()
        .expect("the gmplab binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn run_json_prints_one_object_with_the_documented_fields() {
    let o = gmplab(&[
        "run",
        "worker-pool",
        "--seed",
        "3",
        "--set",
        "workers=8",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["lesson"], "worker-pool");
    assert_eq!(v["model"], "worker_pool");
    assert_eq!(v["seed"], 3);
    assert_eq!(v["params"]["workers"], 8);
    assert_eq!(v["params"]["policy"], "drop");
    for key in [
        "arrivals",
        "completed",
        "dropped",
        "drop_ratio",
        "wait_mean_s",
        "sojourn_mean_s",
        "sojourn_p50_s",
        "sojourn_p99_s",
        "queue_len_mean",
        "throughput_per_s",
    ] {
        assert!(v["metrics"][key].is_number(), "metrics.{key} missing: {v}");
    }
    let m = &v["metrics"];
    assert_eq!(
        m["arrivals"].as_u64(),
        Some(m["completed"].as_u64().unwrap_or(0) + m["dropped"].as_u64().unwrap_or(0))
    );
}

#[test]
fn the_same_seed_prints_the_same_bytes() {
    let a = gmplab(&["run", "worker-pool", "--seed", "11", "--json"]);
    let b = gmplab(&["run", "worker-pool", "--seed", "11", "--json"]);
    let c = gmplab(&["run", "worker-pool", "--seed", "12", "--json"]);
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
}

#[test]
fn out_of_range_and_unknown_parameters_are_errors_that_say_what_is_allowed() {
    let o = gmplab(&["run", "worker-pool", "--set", "workers=1000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o).trim(),
        "gmplab: parameter `workers`: 1000 is outside the allowed range 1 to 64"
    );

    let o = gmplab(&["run", "worker-pool", "--set", "worker=4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("parameter `worker`: unknown parameter"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("workers"), "{}", stderr(&o));

    let o = gmplab(&["run", "worker-pool", "--set", "policy=maybe"]);
    assert!(
        stderr(&o).contains("`maybe` is not one of drop, block"),
        "{}",
        stderr(&o)
    );

    let o = gmplab(&["run", "worker-pool", "--set", "workers"]);
    assert!(
        stderr(&o).contains("--set expects NAME=VALUE"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_lessons_and_missing_files_are_named() {
    let o = gmplab(&["run", "no-such-lesson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no lesson `no-such-lesson`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("worker-pool"), "{}", stderr(&o));
    let o = gmplab(&["run", "nowhere/lesson.md"]);
    assert!(
        stderr(&o).contains("cannot read nowhere/lesson.md"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_lesson_file_path_runs_like_a_built_in_id() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/worker-pool.md");
    let a = gmplab(&["run", path, "--json"]);
    let b = gmplab(&["run", "worker-pool", "--json"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_memory_budget_stops_a_run_with_a_message() {
    let o = gmplab(&["run", "worker-pool", "--max-memory-mb", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("memory budget of 0.0 MiB"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-memory-mb"), "{}", stderr(&o));
}

#[test]
fn the_event_budget_stops_a_run_with_a_message() {
    let o = gmplab(&["run", "worker-pool", "--max-events", "1000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Stopped after 1,000 events, this run's event budget"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-events"), "{}", stderr(&o));
}

#[test]
fn csv_export_has_a_header_and_one_row_per_bucket() {
    let o = gmplab(&["run", "worker-pool", "--csv", "queue_depth"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("trace,t_start_s,t_end_s,min_tasks,mean_tasks,max_tasks")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 100 && rows.len() <= 240, "{} rows", rows.len());
    let o = gmplab(&["run", "worker-pool", "--csv", "nope"]);
    assert!(
        stderr(&o).contains("this lesson has queue_depth, latency"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_text_summary_is_readable_in_both_languages() {
    let o = gmplab(&["run", "worker-pool"]);
    let out = stdout(&o);
    assert!(out.contains("throughput_per_s"), "{out}");
    assert!(out.contains(" ms"), "{out}");
    let o = gmplab(&["run", "worker-pool", "--lang", "zh"]);
    assert!(stdout(&o).contains("有界队列"), "{}", stdout(&o));
    let l = gmplab(&["lessons"]);
    assert!(stdout(&l).contains("worker-pool"));
}

#[test]
fn check_passes_the_built_in_lessons_and_names_each_answer() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let o = gmplab(&["check", dir]);
    assert!(o.status.success(), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("worker-pool.md"), "{out}");
    assert!(out.contains("buffer-tail: \"1,000 slots\""), "{out}");
    assert!(out.trim_end().ends_with("lesson file(s) ok"), "{out}");
}

#[test]
fn check_fails_with_status_1_and_file_line_col_on_a_broken_lesson() {
    let f = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bad-lessons/question-tie.md"
    );
    let o = gmplab(&["check", f]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("question-tie.md:31:1: question `same`"),
        "{out}"
    );
    assert!(out.contains("1 problem(s) in 1 lesson file(s)"), "{out}");
}

#[test]
fn render_writes_every_chart_as_svg() {
    let dir = std::env::temp_dir().join(format!("gmplab-render-{}", std::process::id()));
    let out = dir.to_string_lossy().to_string();
    let o = gmplab(&[
        "render",
        "rate-limit-breaker",
        "--out",
        &out,
        "--lang",
        "zh",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for chart in ["requests", "breaker_state", "tokens"] {
        let path = dir.join(format!("rate-limit-breaker-{chart}.svg"));
        let svg = std::fs::read_to_string(&path).expect("written");
        assert!(svg.starts_with("<svg"), "{chart}");
        assert!(
            svg.contains("<polyline") || svg.contains("<path"),
            "{chart} draws lines"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
