//! defer, panic and recover: deferred calls run last-in first-out with arguments evaluated at the
//! defer, a panic runs every frame's deferred calls on the way up, recover stops it only when called
//! directly by a deferred function, and runtime errors are panics like any other.

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::build::FuncBuilder;
use gmplab::runtime::ir::{Callee, FuncId, Op, Reg, Value};
use runtime_common::{check_program, run};

fn defer(f: &mut FuncBuilder, func: FuncId, args: &[Reg]) {
    f.op(Op::Defer {
        func: Callee::Static(func),
        args: args.to_vec(),
    });
}

fn recover(f: &mut FuncBuilder) -> Reg {
    let dst = f.reg();
    f.op(Op::Recover { dst });
    dst
}

#[test]
fn deferred_calls_run_last_in_first_out_with_arguments_from_the_defer() {
    check_program(
        1,
        |b| {
            let show = b.func("show", 1, |f| {
                let v = f.param(0);
                f.println(&[v]);
            });
            b.func("main", 0, move |f| {
                let i = f.int(1);
                defer(f, show, &[i]);
                f.add_const(i, 1);
                defer(f, show, &[i]);
                f.add_const(i, 1);
                defer(f, show, &[i]);
                f.add_const(i, 100);
                let s = f.str("body");
                f.println(&[s]);
            })
        },
        "body\n3\n2\n1\n",
        0,
    );
}

#[test]
fn recover_in_a_deferred_call_stops_a_panic_and_the_function_returns_normally() {
    check_program(
        1,
        |b| {
            let handler = b.func("handler", 0, |f| {
                let r = recover(f);
                let s = f.str("recovered:");
                f.println(&[s, r]);
            });
            let risky = b.func("risky", 0, move |f| {
                defer(f, handler, &[]);
                let v = f.str("boom");
                f.op(Op::Panic { val: v });
                let never = f.str("not reached");
                f.println(&[never]);
            });
            b.func("main", 0, move |f| {
                f.call(risky, &[]);
                let s = f.str("after");
                f.println(&[s]);
            })
        },
        "recovered: boom\nafter\n",
        0,
    );
}

#[test]
fn runtime_errors_are_recoverable_panics() {
    check_program(
        1,
        |b| {
            let handler = b.func("handler", 0, |f| {
                let r = recover(f);
                f.println(&[r]);
            });
            b.func("main", 0, move |f| {
                defer(f, handler, &[]);
                let ch = f.make_chan(1);
                f.close(ch);
                f.close(ch);
            })
        },
        "close of closed channel\n",
        0,
    );
}

#[test]
fn recover_outside_a_panic_returns_nil() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let r = recover(f);
                f.println(&[r]);
            })
        },
        "<nil>\n",
        0,
    );
}

/// A panic runs the deferred calls of every frame on the way up; unrecovered, the program crashes
/// with Go's message and exit status 2, even from another goroutine.
#[test]
fn an_unrecovered_panic_runs_every_frames_defers_then_crashes() {
    let r = run(2, 1, |b| {
        let say = b.func("say", 1, |f| {
            let v = f.param(0);
            f.println(&[v]);
        });
        let inner = b.func("inner", 0, move |f| {
            let s = f.str("inner deferred");
            defer(f, say, &[s]);
            let v = f.str("boom");
            f.op(Op::Panic { val: v });
        });
        let outer = b.func("outer", 0, move |f| {
            let s = f.str("outer deferred");
            defer(f, say, &[s]);
            f.call(inner, &[]);
        });
        b.func("main", 0, move |f| {
            f.go(outer, &[]);
            f.sleep_ns(1_000_000);
        })
    });
    assert_eq!(r.stdout(), "inner deferred\nouter deferred\n");
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr()
            .starts_with("panic: boom\n\ngoroutine 2 [running]:\n"),
        "{}",
        r.stderr()
    );
}

/// recover works only when called directly by the deferred function, not from a helper it calls.
#[test]
fn recover_called_indirectly_does_not_stop_the_panic() {
    let r = run(1, 1, |b| {
        let helper = b.func("helper", 0, |f| {
            let r = recover(f);
            f.println(&[r]);
        });
        let handler = b.func("handler", 0, move |f| {
            f.call(helper, &[]);
        });
        b.func("main", 0, move |f| {
            defer(f, handler, &[]);
            let v = f.value(Value::Int(42));
            f.op(Op::Panic { val: v });
        })
    });
    assert_eq!(r.stdout(), "<nil>\n");
    assert!(r.stderr().starts_with("panic: 42\n"), "{}", r.stderr());
}
