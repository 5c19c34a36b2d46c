//! sync, timers and GOMAXPROCS on the whole runtime (shared/reference/go-runtime-fidelity.md, lines
//! 12-13, 22, 37-46).

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::ir::Op;
use gmplab::runtime::{OpEvent, Source, TraceEvent};
use runtime_common::{check_program, run};

/// Goroutines that hold a mutex for 300 µs while three others queue: some waiter waits over 1 ms,
/// loses to a barging newcomer, and switches the mutex into starvation mode; Unlock then hands the
/// lock over directly.
#[test]
fn a_waiter_starved_over_1ms_switches_the_mutex_to_starvation_mode() {
    let r = run(4, 2, |b| {
        let worker = b.declare("worker");
        b.define(worker, 2, |f| {
            let (m, wg) = (f.param(0), f.param(1));
            let n = f.int(20);
            f.for_n(n, |f, _| {
                f.lock(m);
                f.compute_ns(300_000);
                f.unlock(m);
            });
            f.wg_add(wg, -1);
        });
        b.func("main", 0, |f| {
            let m = f.new_mutex();
            let wg = f.new_waitgroup();
            f.wg_add(wg, 4);
            let n = f.int(4);
            f.for_n(n, |f, _| f.go(worker, &[m, wg]));
            f.wg_wait(wg);
        })
    });
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(
        r.count(|e| matches!(
            e,
            TraceEvent::Op {
                what: OpEvent::StarvationMode { .. },
                ..
            }
        )) >= 1
    );
    assert!(
        r.count(|e| matches!(
            e,
            TraceEvent::Op {
                what: OpEvent::Unlock { handoff: true, .. },
                ..
            }
        )) >= 1
    );
    // The unlocker yields its P to the new owner (goyield), going to the local queue, not global.
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::GoYield {
            at: gmplab::runtime::Placement::LocalTail { .. },
            ..
        }
    )));
    assert!(
        r.count(|e| matches!(
            e,
            TraceEvent::Op {
                what: OpEvent::Unlock {
                    handoff: false,
                    woke: Some(_),
                    ..
                },
                ..
            }
        )) >= 1
    );
}

#[test]
fn unlocking_an_unlocked_mutex_is_fatal() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let m = f.new_mutex();
            f.unlock(m);
        })
    });
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr()
            .starts_with("fatal error: sync: unlock of unlocked mutex\n"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_negative_waitgroup_counter_panics() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let wg = f.new_waitgroup();
            f.wg_add(wg, -1);
        })
    });
    assert!(
        r.stderr()
            .starts_with("panic: sync: negative WaitGroup counter\n"),
        "{}",
        r.stderr()
    );
}

#[test]
fn waitgroup_zero_releases_every_waiter() {
    check_program(
        2,
        |b| {
            let waiter = b.func("waiter", 2, |f| {
                let (wg, done) = (f.param(0), f.param(1));
                f.wg_wait(wg);
                let s = f.str("released");
                f.println(&[s]);
                f.wg_add(done, -1);
            });
            b.func("main", 0, |f| {
                let wg = f.new_waitgroup();
                let done = f.new_waitgroup();
                f.wg_add(wg, 1);
                f.wg_add(done, 2);
                f.go(waiter, &[wg, done]);
                f.go(waiter, &[wg, done]);
                f.sleep_ns(10_000);
                f.wg_add(wg, -1);
                f.wg_wait(done);
            })
        },
        "released\nreleased\n",
        0,
    );
}

/// A writer waiting for a reader blocks later readers (writer preference).
#[test]
fn rwmutex_pending_writer_blocks_new_readers() {
    check_program(
        2,
        |b| {
            let reader = b.func("reader", 3, |f| {
                let (rw, label, hold) = (f.param(0), f.param(1), f.param(2));
                f.op(Op::RLock { m: rw });
                f.println(&[label]);
                f.op(Op::Compute { dur: hold });
                f.op(Op::RUnlock { m: rw });
            });
            let writer = b.func("writer", 1, |f| {
                let rw = f.param(0);
                f.lock(rw);
                let s = f.str("writer");
                f.println(&[s]);
                f.unlock(rw);
            });
            b.func("main", 0, |f| {
                let rw = f.new_rwmutex();
                let r1 = f.str("reader 1");
                let r2 = f.str("reader 2");
                let long = f.int(1_000_000);
                let short = f.int(1_000);
                f.go(reader, &[rw, r1, long]);
                f.sleep_ns(10_000);
                f.go(writer, &[rw]);
                f.sleep_ns(10_000);
                f.go(reader, &[rw, r2, short]);
                f.sleep_ns(10_000_000);
            })
        },
        "reader 1\nwriter\nreader 2\n",
        0,
    );
}

/// Timers fire in deadline order, whatever order they were started in.
#[test]
fn timers_fire_in_deadline_order() {
    check_program(
        4,
        |b| {
            let sleeper = b.func("sleeper", 2, |f| {
                let (d, wg) = (f.param(0), f.param(1));
                f.op(Op::Sleep { dur: d });
                f.println(&[d]);
                f.wg_add(wg, -1);
            });
            b.func("main", 0, |f| {
                let wg = f.new_waitgroup();
                f.wg_add(wg, 5);
                for d in [5_000_000, 1_000_000, 4_000_000, 2_000_000, 3_000_000] {
                    let d = f.int(d);
                    f.go(sleeper, &[d, wg]);
                }
                f.wg_wait(wg);
            })
        },
        "1000000\n2000000\n3000000\n4000000\n5000000\n",
        0,
    );
}

/// wakep starts a thread only when none is spinning: three goroutines created back to back wake one
/// thread, which on finding work wakes the next.
#[test]
fn wakep_starts_one_spinning_thread_at_a_time() {
    let r = run(4, 1, |b| {
        let work = b.func("work", 0, |f| f.compute_ns(100_000));
        b.func("main", 0, |f| {
            f.go(work, &[]);
            f.go(work, &[]);
            f.go(work, &[]);
            f.compute_ns(200_000);
        })
    });
    // The first `go` wakes M1; while M1 is still waking (spinning), the next two `go`s wake nobody.
    let first_start = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::GoStart { p, .. } if *p != 0))
        .expect("another P ran a goroutine");
    let last_create = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::GoCreate { g: 4, .. }))
        .expect("created");
    assert!(last_create < first_start);
    assert_eq!(
        r.count_in(..last_create + 1, |e| matches!(e, TraceEvent::Wakep { .. })),
        1
    );
    // When M1 finds work it stops spinning and wakes the next thread (resetspinning), and so on:
    // every goroutine ends up on its own P.
    assert_eq!(r.count(|e| matches!(e, TraceEvent::Wakep { .. })), 3);
    assert_eq!(
        r.count(|e| matches!(
            e,
            TraceEvent::GoStart {
                from: Source::Stolen { .. },
                ..
            }
        )),
        3
    );
}

/// GOMAXPROCS can change while running; a removed P's goroutines go to the global queue's head.
#[test]
fn gomaxprocs_changes_while_running_and_removed_ps_queues_go_global() {
    let r = run(4, 1, |b| {
        let work = b.func("work", 0, |f| f.compute_ns(1_000_000));
        b.func("main", 0, |f| {
            let n = f.int(16);
            f.for_n(n, |f, _| f.go(work, &[]));
            f.sleep_ns(100_000);
            f.gomaxprocs(1);
            f.sleep_ns(50_000_000);
            let k = f.reg();
            let zero = f.int(0);
            f.op(Op::SetMaxProcs {
                dst: Some(k),
                n: zero,
            });
            f.println(&[k]);
        })
    });
    assert_eq!(r.stdout(), "1\n");
    assert!(r
        .trace
        .iter()
        .any(|e| matches!(e, TraceEvent::ProcResize { from: 4, to: 1 })));
    let after = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::ProcResize { .. }))
        .unwrap();
    assert!(
        r.trace[after..]
            .iter()
            .all(|e| !matches!(e, TraceEvent::GoStart { p, .. } if *p != 0)),
        "a removed P ran a goroutine after the resize"
    );
    assert!(r.trace[after..].iter().any(|e| matches!(
        e,
        TraceEvent::GoStart {
            from: Source::GlobalBatch { .. } | Source::GlobalFair,
            ..
        }
    )));
}

/// atomic.AddInt64 from goroutines on different Ps never loses an update (unlike a plain x++), and
/// CompareAndSwap swaps only when the old value matches.
#[test]
fn atomics_never_lose_updates_and_cas_compares() {
    let r = check_program(
        2,
        |b| {
            let adder = b.func("adder", 2, |f| {
                let (x, wg) = (f.param(0), f.param(1));
                let n = f.int(10_000);
                f.for_n(n, |f, _| f.atomic_add(x, 1));
                f.wg_add(wg, -1);
            });
            b.func("main", 0, move |f| {
                let x = f.new_cell(0);
                let wg = f.new_waitgroup();
                f.wg_add(wg, 2);
                f.go(adder, &[x, wg]);
                f.go(adder, &[x, wg]);
                f.wg_wait(wg);
                let v = f.reg();
                f.op(Op::AtomicLoad { dst: v, ptr: x });
                let (old, new, wrong) = (f.int(20_000), f.int(7), f.int(3));
                let (ok1, ok2) = (f.reg(), f.reg());
                f.op(Op::AtomicCas {
                    dst: ok1,
                    ptr: x,
                    old: wrong,
                    new,
                });
                f.op(Op::AtomicCas {
                    dst: ok2,
                    ptr: x,
                    old,
                    new,
                });
                let after = f.load(x);
                f.println(&[v, ok1, ok2, after]);
            })
        },
        "20000 false true 7\n",
        0,
    );
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::Op {
            what: OpEvent::Atomic { .. },
            ..
        }
    )));
}
