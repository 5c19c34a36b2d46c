//! Timers, tickers, context cancellation and deadlines, and sync.Once on the runtime
//! (shared/reference/go-runtime-fidelity.md, lines 42 and 44-46).

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::build::FuncBuilder;
use gmplab::runtime::ir::{BinOp, Callee, Op, Reg, SelectCase};
use runtime_common::{check_program, run};

fn timer(f: &mut FuncBuilder, ns: i64, ticker: bool) -> (Reg, Reg) {
    let dur = f.int(ns);
    let (dst, ch) = (f.reg(), f.reg());
    f.op(Op::NewTimer {
        dst,
        ch,
        dur,
        ticker,
    });
    (dst, ch)
}

fn derive(f: &mut FuncBuilder, parent: Reg, timeout: Option<i64>) -> Reg {
    let dst = f.reg();
    let timeout = timeout.map(|t| f.int(t));
    f.op(Op::CtxDerive {
        dst,
        parent,
        timeout,
        deadline: None,
    });
    dst
}

fn err(f: &mut FuncBuilder, ctx: Reg) -> Reg {
    let dst = f.reg();
    f.op(Op::CtxErr { dst, ctx });
    dst
}

fn done(f: &mut FuncBuilder, ctx: Reg) -> Reg {
    let dst = f.reg();
    f.op(Op::CtxDone { dst, ctx });
    dst
}

/// (now >= at, now < at + 10 µs): woken at the deadline, give or take a thread wake-up.
fn within(f: &mut FuncBuilder, at: i64) -> (Reg, Reg) {
    let now = f.reg();
    f.op(Op::Now { dst: now });
    let lo = f.int(at);
    let hi = f.int(at + 10_000);
    (f.bin(BinOp::Ge, now, lo), f.bin(BinOp::Lt, now, hi))
}

fn background(f: &mut FuncBuilder) -> Reg {
    let dst = f.reg();
    f.op(Op::CtxBackground { dst });
    dst
}

/// A timeout with select: time.After fires when nothing else is ready.
#[test]
fn select_with_time_after_times_out() {
    check_program(
        2,
        |b| {
            b.func("main", 0, |f| {
                let never = f.make_chan(0);
                let (_, after) = timer(f, 5_000_000, false);
                let k = f.select(
                    vec![
                        SelectCase::Recv {
                            ch: never,
                            dst: None,
                            ok: None,
                        },
                        SelectCase::Recv {
                            ch: after,
                            dst: None,
                            ok: None,
                        },
                    ],
                    false,
                );
                let (on_time, prompt) = within(f, 5_000_000);
                f.println(&[k, on_time, prompt]);
            })
        },
        "1 true true\n",
        0,
    );
}

#[test]
fn a_stopped_timer_never_fires_and_stop_reports_it() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let (t, ch) = timer(f, 1_000_000, false);
            let stopped = f.reg();
            f.op(Op::StopTimer {
                dst: Some(stopped),
                timer: t,
            });
            let again = f.reg();
            f.op(Op::StopTimer {
                dst: Some(again),
                timer: t,
            });
            f.println(&[stopped, again]);
            f.recv(ch);
        })
    });
    assert_eq!(r.stdout(), "true false\n");
    assert!(
        r.stderr()
            .starts_with("fatal error: all goroutines are asleep - deadlock!"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_ticker_ticks_every_period() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let (t, ch) = timer(f, 2_000_000, true);
                let prev = f.recv(ch);
                let n = f.int(3);
                f.for_n(n, |f, _| {
                    let at = f.recv(ch);
                    let gap = f.bin(BinOp::Sub, at, prev);
                    f.println(&[gap]);
                    f.op(Op::Move { dst: prev, src: at });
                });
                f.op(Op::StopTimer {
                    dst: None,
                    timer: t,
                });
            })
        },
        "2000000\n2000000\n2000000\n",
        0,
    );
}

/// Cancelling a parent closes its Done channel and every descendant's; Err says "context canceled".
#[test]
fn cancel_closes_done_and_cancels_every_child() {
    check_program(
        2,
        |b| {
            let watcher = b.func("watcher", 2, |f| {
                let (ctx, wg) = (f.param(0), f.param(1));
                let d = done(f, ctx);
                f.recv(d);
                let e = err(f, ctx);
                f.println(&[e]);
                f.wg_add(wg, -1);
            });
            b.func("main", 0, |f| {
                let bg = background(f);
                let parent = derive(f, bg, None);
                let child = derive(f, parent, None);
                let grandchild = derive(f, child, None);
                let wg = f.new_waitgroup();
                f.wg_add(wg, 2);
                f.go(watcher, &[child, wg]);
                f.go(watcher, &[grandchild, wg]);
                f.sleep_ns(1_000);
                let before = err(f, grandchild);
                f.println(&[before]);
                f.op(Op::CtxCancel { ctx: parent });
                f.wg_wait(wg);
                // A child made from a cancelled parent is cancelled at once.
                let late = derive(f, parent, None);
                let e = err(f, late);
                f.println(&[e]);
            })
        },
        "<nil>\ncontext canceled\ncontext canceled\ncontext canceled\n",
        0,
    );
}

/// WithTimeout: Done closes at the deadline with "context deadline exceeded"; a child's later deadline
/// is ignored (the parent's governs), an expired one cancels at once.
#[test]
fn deadlines_propagate_and_report_deadline_exceeded() {
    check_program(
        2,
        |b| {
            b.func("main", 0, |f| {
                let bg = background(f);
                let parent = derive(f, bg, Some(3_000_000));
                let child = derive(f, parent, Some(10_000_000));
                let d = done(f, child);
                f.recv(d);
                let (on_time, prompt) = within(f, 3_000_000);
                let e = err(f, child);
                f.println(&[on_time, prompt, e]);
                let expired = derive(f, bg, Some(-1));
                let e = err(f, expired);
                f.println(&[e]);
            })
        },
        "true true context deadline exceeded\ncontext deadline exceeded\n",
        0,
    );
}

/// Background's Done is nil: waiting on it blocks forever.
#[test]
fn background_is_never_done() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let bg = background(f);
            let d = done(f, bg);
            f.recv(d);
        })
    });
    assert!(
        r.stderr().contains("[chan receive (nil chan)]"),
        "{}",
        r.stderr()
    );
}

/// once.Do runs f once; concurrent callers wait until it returns.
#[test]
fn once_runs_f_once_and_callers_wait_for_it() {
    check_program(
        4,
        |b| {
            let init = b.declare("init");
            b.define(init, 1, |f| {
                let cell = f.param(0);
                f.compute_ns(1_000_000);
                f.incr(cell);
                let s = f.str("init ran");
                f.println(&[s]);
            });
            let user = b.declare("user");
            b.define(user, 4, |f| {
                let (once, cell, wg, initf) = (f.param(0), f.param(1), f.param(2), f.param(3));
                f.op(Op::OnceDo {
                    once,
                    func: Callee::Dynamic(initf),
                });
                let v = f.load(cell);
                f.println(&[v]);
                f.wg_add(wg, -1);
            });
            b.func("main", 0, move |f| {
                let once = f.reg();
                f.op(Op::NewOnce { dst: once });
                let cell = f.new_cell(0);
                let initf = f.reg();
                f.op(Op::MakeClosure {
                    dst: initf,
                    func: init,
                    cells: vec![cell],
                });
                let wg = f.new_waitgroup();
                f.wg_add(wg, 3);
                let n = f.int(3);
                f.for_n(n, |f, _| f.go(user, &[once, cell, wg, initf]));
                f.wg_wait(wg);
            })
        },
        "init ran\n1\n1\n1\n",
        0,
    );
}
