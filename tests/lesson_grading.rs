//! Questions and challenges are answered by running the simulation: every built-in lesson passes
//! `gmplab check`, answers come from the runs, and a challenge is graded on its own seeds with only
//! its free parameters taken from the learner.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::lesson::catalog;
use gmplab::session::grade::{answer_question, check_lesson, grade_challenge};
use gmplab::sim::params::ParamValue;

#[test]
fn every_built_in_lesson_passes_check() {
    for l in catalog::lessons() {
        if let Err(e) = check_lesson(&l) {
            panic!("{e}");
        }
    }
}

#[test]
fn a_bigger_buffer_has_the_worst_tail_under_overload_because_the_runs_say_so() {
    let l = catalog::get("worker-pool").expect("built in");
    let q = l
        .questions
        .iter()
        .find(|q| q.id == "buffer-tail")
        .expect("question");
    let a = answer_question(&l, q).expect("answerable");
    assert_eq!(q.choices[a.correct].label.en, "1,000 slots");
    // The means are the runs' own: p99 grows with the buffer.
    assert!(
        a.means[0] < a.means[1] && a.means[1] < a.means[2],
        "{:?}",
        a.means
    );
}

#[test]
fn a_challenge_fails_at_the_defaults_and_passes_with_its_answer() {
    let l = catalog::get("worker-pool").expect("built in");
    let ch = &l.challenges[0];
    let defaults = l.default_params();
    let g = grade_challenge(&l, ch, &defaults).expect("gradable");
    assert!(!g.passed);
    assert_eq!(g.results.len(), ch.seeds.len() * ch.targets.len());
    let mut p = defaults.clone();
    for (k, v) in &ch.answer {
        p.insert(k, v.clone());
    }
    assert!(grade_challenge(&l, ch, &p).expect("gradable").passed);
}

#[test]
fn parameters_outside_free_cannot_make_a_challenge_easier() {
    let l = catalog::get("worker-pool").expect("built in");
    let ch = &l.challenges[0];
    let mut p = l.default_params();
    for (k, v) in &ch.answer {
        p.insert(k, v.clone());
    }
    let honest = grade_challenge(&l, ch, &p).expect("gradable");
    // Turning the traffic down is not one of the challenge's free parameters: it is ignored.
    p.insert("arrival_rate", ParamValue::Num(10.0));
    let cheat = grade_challenge(&l, ch, &p).expect("gradable");
    assert_eq!(honest, cheat);
}

#[test]
fn challenges_are_graded_on_their_own_seeds() {
    let l = catalog::get("worker-pool").expect("built in");
    for ch in &l.challenges {
        assert!(ch.seeds.len() >= 3, "{} grades over {:?}", ch.id, ch.seeds);
    }
}
