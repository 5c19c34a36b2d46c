//! Bad programs never panic the runtime: an invalid program is a fatal error with a message, a
//! runaway loop stops at the event budget, a runaway spawner at the goroutine budget.

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use std::rc::Rc;

use gmplab::runtime::build::ProgramBuilder;
use gmplab::runtime::ir::{ChanId, Func, Op, Program, Value};
use gmplab::runtime::{Config, Runtime};
use gmplab::sim::scenario::{Halt, RunOutcome, Stepping};
use runtime_common::run;

fn invalid(ops: Vec<Op>, regs: u16) -> String {
    let n = ops.len();
    let program = Program {
        funcs: vec![Func {
            name: Rc::from("main"),
            regs,
            params: 0,
            ops,
            spans: vec![Default::default(); n],
            named_results: None,
        }],
        main: 0,
    };
    let mut rt = Runtime::new(Rc::new(program), Config::default());
    while rt.step().is_some() {}
    let exit = rt.exit().cloned().expect("the run ended");
    assert_eq!(exit.code, 2);
    exit.stderr
}

#[test]
fn an_unknown_channel_is_a_clear_fatal_error() {
    let e = invalid(
        vec![
            Op::Const {
                dst: 0,
                val: Value::Chan(ChanId(99)),
            },
            Op::Recv {
                ch: 0,
                dst: None,
                ok: None,
            },
        ],
        1,
    );
    assert!(
        e.starts_with("fatal error: invalid program: channel #99 does not exist"),
        "{e}"
    );
}

#[test]
fn registers_and_functions_out_of_range_are_errors() {
    let e = invalid(vec![Op::Move { dst: 0, src: 40 }], 1);
    assert!(e.contains("register r40 out of range"), "{e}");
    let e = invalid(
        vec![Op::Go {
            func: gmplab::runtime::ir::Callee::Static(7),
            args: vec![],
        }],
        0,
    );
    assert!(e.contains("unknown function 7"), "{e}");
    let e = invalid(
        vec![
            Op::Const {
                dst: 0,
                val: Value::Int(1),
            },
            Op::Lock { m: 0 },
        ],
        1,
    );
    assert!(e.contains("Lock of int"), "{e}");
    let missing_main = Program {
        funcs: vec![],
        main: 3,
    };
    let mut rt = Runtime::new(Rc::new(missing_main), Config::default());
    while rt.step().is_some() {}
    assert!(rt
        .exit()
        .map(|e| e.stderr.contains("no function #3"))
        .unwrap_or(false));
}

#[test]
fn negative_durations_take_no_time() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            f.compute_ns(-5);
            f.sleep_ns(-5);
            f.syscall_ns(-5, gmplab::runtime::ir::SyscallKind::Blocking);
            let s = f.str("ok");
            f.println(&[s]);
        })
    });
    assert_eq!(r.stdout(), "ok\n");
    assert!(r.rt.now() < 100_000);
}

/// `for {}` never ends; a bounded run stops at its budget with the clock advanced, and stepping
/// resumes where it stopped.
#[test]
fn a_runaway_loop_stops_at_the_event_budget() {
    let mut b = ProgramBuilder::new();
    let main = b.func("main", 0, |f| f.forever(|_| {}));
    let mut rt = Runtime::new(
        Rc::new(b.build(main)),
        Config {
            gomaxprocs: 1,
            ..Config::default()
        },
    );
    assert_eq!(rt.run_events(3), RunOutcome::Budget);
    assert!(rt.now() > 0);
    assert_eq!(
        rt.run_until(rt.now() + 5_000_000, 1_000_000),
        RunOutcome::ReachedTime
    );
    assert!(rt.exit().is_none());
}

/// A goroutine spawner with no bound stops at the goroutine budget with a message that says so.
#[test]
fn an_exponential_spawner_stops_at_the_goroutine_budget() {
    let mut b = ProgramBuilder::new();
    let spawn = b.declare("spawn");
    b.define(spawn, 0, |f| {
        f.go(spawn, &[]);
        f.go(spawn, &[]);
        let ch = f.make_chan(0);
        f.recv(ch);
    });
    let main = b.func("main", 0, |f| {
        f.go(spawn, &[]);
        let ch = f.make_chan(0);
        f.recv(ch);
    });
    let mut rt = Runtime::new(
        Rc::new(b.build(main)),
        Config {
            max_goroutines: 10_000,
            ..Config::default()
        },
    );
    while rt.step().is_some() {}
    match rt.halted() {
        Some(Halt::Limit(m)) => assert!(m.contains("more than 10000 goroutines"), "{m}"),
        other => panic!("{other:?}"),
    }
}
