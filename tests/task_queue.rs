//! The durable task queue under a crash at every possible step: with exactly-once delivery (acks
//! after fsync, an idempotent producer and idempotency keys) no task is lost or applied twice
//! wherever the crash lands; at-least-once never loses a task but does apply some twice; acking
//! before the fsync loses tasks.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::models::task_queue::{TaskQueue, SCHEMA};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Scenario, Stepping};

const TASKS: f64 = 1000.0;

fn run(delivery: &str, crash_at_step: u64, seed: u64) -> TaskQueue {
    let mut p = Params::defaults(SCHEMA);
    p.insert("tasks", ParamValue::Num(TASKS));
    p.insert("delivery", ParamValue::Choice(delivery.into()));
    p.insert("crash_at_step", ParamValue::Num(crash_at_step as f64));
    let mut q = TaskQueue::build(&p, seed).expect("valid");
    while q.step().is_some() {}
    q
}

/// Steps in a run without a crash: every crash point from 1 to this (and one past it) is tried.
fn steps(delivery: &str, seed: u64) -> u64 {
    let q = run(delivery, 0, seed);
    assert_eq!(q.lost(), 0);
    assert_eq!(q.duplicated(), 0);
    q.steps()
}

#[test]
fn exactly_once_loses_and_duplicates_nothing_for_a_crash_at_every_step() {
    let n = steps("exactly_once", 1);
    assert!(n > 2000, "a 1,000-task run has {n} steps");
    for k in 1..=n + 1 {
        let q = run("exactly_once", k, 1);
        assert_eq!((q.lost(), q.duplicated()), (0, 0), "crash before step {k}");
    }
}

#[test]
fn at_least_once_never_loses_but_duplicates_for_some_crash_points() {
    let n = steps("at_least_once", 1);
    let mut with_duplicates = 0;
    for k in 1..=n + 1 {
        let q = run("at_least_once", k, 1);
        assert_eq!(q.lost(), 0, "crash before step {k}");
        with_duplicates += u64::from(q.duplicated() > 0);
    }
    assert!(
        with_duplicates * 10 > n,
        "only {with_duplicates} of {n} crash points duplicated anything"
    );
}

#[test]
fn acking_before_the_fsync_loses_tasks_when_the_crash_comes_between() {
    let n = steps("ack_before_fsync", 1);
    let losing = (1..=n)
        .filter(|&k| run("ack_before_fsync", k, 1).lost() > 0)
        .count();
    assert!(
        losing as u64 * 10 > n,
        "only {losing} of {n} crash points lost a task"
    );
}

#[test]
fn a_run_is_the_same_from_its_seed() {
    let a = run("at_least_once", 1500, 7);
    let b = run("at_least_once", 1500, 7);
    assert_eq!(a.state_hash(), b.state_hash());
    assert_eq!(a.summary(), b.summary());
}
