//! Exact properties of the worker pool that need no statistics: conservation at every step, Little's
//! law on an emptied system, FIFO service, determinism, and limits that stop a runaway run.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::models::worker_pool::{ArrivalOutcome, Config, WorkerPool, WorkerPoolEvent};
use gmplab::sim::dist::{Dist, DistKind};
use gmplab::sim::params::{ParamValue, Params};
use gmplab::sim::scenario::{Halt, Stepping};
use proptest::prelude::*;

fn config(rate: f64, service_ms: f64, workers: u32, buffer: u64, block: bool, secs: f64) -> Config {
    let mut p = Params::default();
    p.insert("arrival_rate", ParamValue::Num(rate));
    p.insert("service_mean_ms", ParamValue::Num(service_ms));
    p.insert("workers", ParamValue::Num(workers as f64));
    p.insert("buffer", ParamValue::Num(buffer as f64));
    p.insert(
        "policy",
        ParamValue::Choice(if block { "block" } else { "drop" }.into()),
    );
    p.insert("duration_s", ParamValue::Num(secs));
    p.insert("warmup_s", ParamValue::Num(0.0));
    Config::from_params(&p).expect("valid parameters")
}

fn kinds() -> impl Strategy<Value = DistKind> {
    prop_oneof![
        Just(DistKind::Constant),
        Just(DistKind::Exponential),
        Just(DistKind::Uniform),
        Just(DistKind::LogNormal),
    ]
}

prop_compose! {
    fn any_config()(
        rate in 10.0..5000.0f64,
        service_ms in 0.05..20.0f64,
        workers in 1u32..8,
        buffer in 0u64..20,
        block in any::<bool>(),
        ak in kinds(),
        sk in kinds(),
    ) -> Config {
        let mut c = config(rate, service_ms, workers, buffer, block, 0.5);
        c.interarrival = Dist::with_mean(ak, c.interarrival.mean());
        c.service = Dist::with_mean(sk, c.service.mean());
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// arrivals = completed + in system + dropped, after every single event.
    #[test]
    fn every_task_is_accounted_for_at_every_step(cfg in any_config(), seed in any::<u64>()) {
        let mut pool = WorkerPool::new(cfg, seed);
        while pool.step().is_some() {
            let m = pool.metrics();
            prop_assert_eq!(m.total_arrivals, m.total_completed + pool.in_system() + m.total_dropped);
            prop_assert!(pool.busy_workers() <= pool.config().workers as u64);
        }
        prop_assert_eq!(pool.halted(), Some(&Halt::Finished));
        prop_assert_eq!(pool.in_system(), 0);
    }

    /// On a system that is empty at the start and at the end, the area under N(t) equals the sum of
    /// the sojourn times, to the nanosecond.
    #[test]
    fn littles_law_holds_exactly_on_an_emptied_system(cfg in any_config(), seed in any::<u64>()) {
        let mut pool = WorkerPool::new(cfg, seed);
        while pool.step().is_some() {}
        let mut m = pool.metrics().clone();
        m.close(pool.now());
        prop_assert_eq!(m.area_in_system, m.sum_sojourn);
    }

    /// Tasks start service in the order they arrived (the channel is FIFO), and a task never waits
    /// while a worker is idle.
    #[test]
    fn service_order_is_arrival_order(cfg in any_config(), seed in any::<u64>()) {
        let mut pool = WorkerPool::new(cfg, seed);
        let mut next_to_start = 0u64;
        let mut dropped = std::collections::BTreeSet::new();
        let skip_dropped = |n: &mut u64, d: &std::collections::BTreeSet<u64>| {
            while d.contains(n) { *n += 1; }
        };
        while let Some(ev) = pool.step() {
            match ev {
                WorkerPoolEvent::Arrived { task, outcome: ArrivalOutcome::ToWorker { .. }, .. } => {
                    skip_dropped(&mut next_to_start, &dropped);
                    prop_assert_eq!(task, next_to_start);
                    next_to_start += 1;
                }
                WorkerPoolEvent::Arrived { task, outcome: ArrivalOutcome::Dropped, .. } => {
                    dropped.insert(task);
                }
                WorkerPoolEvent::Completed { next: Some(n), .. } => {
                    skip_dropped(&mut next_to_start, &dropped);
                    prop_assert_eq!(n, next_to_start);
                    next_to_start += 1;
                }
                _ => {}
            }
        }
    }

    /// The same configuration and seed give the same events and the same final state.
    #[test]
    fn a_run_is_a_pure_function_of_its_seed(cfg in any_config(), seed in any::<u64>()) {
        let run = |cfg: Config| {
            let mut p = WorkerPool::new(cfg, seed);
            let mut evs = Vec::new();
            while let Some(e) = p.step() { evs.push(e); }
            (evs, p.state_hash())
        };
        prop_assert_eq!(run(cfg.clone()), run(cfg));
    }
}

#[test]
fn drop_policy_never_holds_more_than_workers_plus_buffer() {
    let mut pool = WorkerPool::new(config(5000.0, 5.0, 2, 3, false, 1.0), 3);
    let mut saw_drop = false;
    while let Some(ev) = pool.step() {
        assert!(pool.in_system() <= 5);
        saw_drop |= matches!(
            ev,
            WorkerPoolEvent::Arrived {
                outcome: ArrivalOutcome::Dropped,
                ..
            }
        );
    }
    assert!(saw_drop, "an overloaded pool with a small buffer must drop");
}

#[test]
fn an_overloaded_blocking_pool_stops_at_its_memory_limit_and_says_why() {
    // 100x overload: the queue would grow by ~1M tasks a second.
    let mut pool = WorkerPool::new(config(1_000_000.0, 1.0, 10, 0, true, 60.0), 1);
    while pool.step().is_some() {}
    match pool.halted() {
        Some(Halt::Limit(msg)) => {
            assert!(msg.contains("tasks were waiting"), "{msg}");
            assert!(msg.contains("lower arrival_rate"), "{msg}");
        }
        other => panic!("expected a limit, got {other:?}"),
    }
}

#[test]
fn changing_only_the_service_time_keeps_the_arrival_sequence() {
    let arrivals = |service_ms: f64| -> Vec<u64> {
        let mut p = WorkerPool::new(config(800.0, service_ms, 4, 100, false, 0.5), 9);
        let mut v = Vec::new();
        while let Some(e) = p.step() {
            if let WorkerPoolEvent::Arrived { at, .. } = e {
                v.push(at);
            }
        }
        v
    };
    assert_eq!(arrivals(2.0), arrivals(8.0));
}
