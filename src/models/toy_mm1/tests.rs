//! The toy model runs through a lesson and a `Session` like any registered model.

use crate::lesson;
use crate::session::{Command, Session};
use crate::sim::scenario::Stepping;
use crate::sim::text::Lang;

const LESSON: &str = r#"+++
format = 1
id = "toy-mm1"
chapter = 1
level = "beginner"
minutes = 5
model = "toy_mm1"
title = { en = "M/M/1", zh = "M/M/1" }
summary = { en = "One server, Poisson arrivals.", zh = "一个服务台,泊松到达。" }

[fixed]
customers = 200000

[[params]]
name = "arrival_rate"
type = "float"
label = { en = "Arrival rate", zh = "到达速率" }
min = 1
max = 9
default = 8
+++
<!-- lang: en -->
A queue.
<!-- lang: zh -->
一个队列。
"#;

fn session(seed: u64) -> Session {
    let l = lesson::parse(LESSON, "toy-mm1.md").expect("the toy lesson parses");
    let p = l.default_params();
    Session::new(l, p, seed).expect("defaults build")
}

#[test]
fn a_toy_model_runs_to_the_end_through_a_session_and_matches_mm1_theory() {
    let mut s = session(3);
    s.apply(Command::RunSlice { max_events: u64::MAX })
        .expect("runs");
    assert!(s.is_done());
    let snap = s.snapshot(Lang::En);
    assert!(snap.finished, "the run ends when every customer has left");
    let metric = |name: &str| {
        snap.summary
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_f64())
            .unwrap_or_else(|| panic!("no metric {name}"))
    };
    assert_eq!(metric("served"), 200_000.0);
    // W = 1 / (μ − λ) = 1 / (10 − 8) = 0.5 s.
    let w = metric("mean_sojourn_s");
    assert!((w - 0.5).abs() < 0.05, "mean time in system {w}, theory 0.5");
    // 200,000 arrivals and as many departures.
    assert_eq!(s.step(), 400_000);
}

#[test]
fn a_toy_model_steps_back_and_replays_to_the_same_state() {
    let mut s = session(5);
    s.apply(Command::RunSlice { max_events: 5_000 }).expect("runs");
    let at_5000 = s.scenario().state_hash();
    s.apply(Command::RunSlice { max_events: 3_000 }).expect("runs");
    assert_ne!(s.scenario().state_hash(), at_5000);
    s.apply(Command::Seek(5_000)).expect("seeks");
    assert_eq!(s.step(), 5_000);
    assert_eq!(s.scenario().state_hash(), at_5000);
    s.apply(Command::StepBack(1)).expect("steps back");
    s.apply(Command::Step).expect("steps");
    assert_eq!(s.scenario().state_hash(), at_5000);
    let said = s.snapshot(Lang::En).narration.expect("a step is narrated");
    assert!(said.contains("customer"), "{said}");
}
