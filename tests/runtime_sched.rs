//! The scheduler against proc.go: runnext, the FIFO local queue, its overflow, the global queue,
//! stealing, syscall handoff, sysmon preemption, Gosched and deadlock detection. Each test is named
//! after the behaviour it pins (shared/reference/go-runtime-fidelity.md, lines 1-25).

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::ir::{BinOp, Op, SyscallKind};
use gmplab::runtime::{Placement, Source, TraceEvent, WaitReason};
use runtime_common::{check_program, run};

/// Ten goroutines printing their number under GOMAXPROCS(1) print "9 0 1 ... 8": the last one created
/// sits in runnext and runs first; the others come from the local queue in FIFO order.
#[test]
fn runnext_then_fifo_local_queue_under_gomaxprocs_1() {
    let r = check_program(
        1,
        |b| {
            let printer = b.declare("printer");
            b.define(printer, 2, |f| {
                let (i, wg) = (f.param(0), f.param(1));
                f.println(&[i]);
                f.wg_add(wg, -1);
            });
            b.func("main", 0, |f| {
                let wg = f.new_waitgroup();
                f.wg_add(wg, 10);
                let n = f.int(10);
                f.for_n(n, |f, i| f.go(printer, &[i, wg]));
                f.wg_wait(wg);
            })
        },
        "9\n0\n1\n2\n3\n4\n5\n6\n7\n8\n",
        0,
    );
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::GoCreate {
            at: Placement::Runnext {
                kicked: Some(_),
                ..
            },
            ..
        }
    )));
}

#[test]
fn newproc_puts_the_new_goroutine_in_runnext() {
    let r = run(2, 1, |b| {
        let noop = b.func("noop", 0, |_| {});
        b.func("main", 0, |f| {
            f.go(noop, &[]);
        })
    });
    assert!(matches!(
        r.trace
            .iter()
            .find(|e| matches!(e, TraceEvent::GoCreate { .. })),
        Some(TraceEvent::GoCreate {
            g: 2,
            parent: 1,
            at: Placement::Runnext { p: 0, kicked: None }
        })
    ));
}

/// runqput on a full 256-slot local queue moves half of it (128) plus the new goroutine (129) to the
/// global queue.
#[test]
fn a_full_local_queue_overflows_half_plus_one_to_the_global_queue() {
    let r = run(1, 1, |b| {
        let noop = b.func("noop", 0, |_| {});
        b.func("main", 0, |f| {
            let n = f.int(258);
            f.for_n(n, |f, _| f.go(noop, &[]));
        })
    });
    let overflow: Vec<u32> = r
        .trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::GoCreate {
                at: Placement::GlobalOverflow { moved, .. },
                ..
            } => Some(*moved),
            _ => None,
        })
        .collect();
    // 1 in runnext, 256 in the local queue; the 258th creation overflows.
    assert_eq!(overflow, vec![129]);
}

/// Every 61st schedule looks at the global queue first, so a goroutine stuck there is not starved by
/// a P whose local queue never empties.
#[test]
fn every_61st_schedule_checks_the_global_queue_first() {
    let r = run(1, 1, |b| {
        let yielder = b.declare("yielder");
        // A goroutine that keeps yielding to the local queue via channel ping-pong would never look
        // at the global queue without the fairness check; Gosched itself goes global, so use many
        // short-lived goroutines instead.
        b.define(yielder, 0, |f| {
            f.compute_ns(10);
        });
        b.func("main", 0, |f| {
            let n = f.int(200);
            f.for_n(n, |f, _| f.go(yielder, &[]));
            f.gosched(); // main itself goes to the global queue
            let s = f.str("main back");
            f.println(&[s]);
        })
    });
    let fair = r.count(|e| {
        matches!(
            e,
            TraceEvent::GoStart {
                from: Source::GlobalFair,
                ..
            }
        )
    });
    assert!(fair >= 1, "no schedule took the fairness path");
    // main came back before all 200 goroutines ran.
    let back = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::Print { .. }))
        .unwrap();
    let later_exits = r.trace[back..]
        .iter()
        .filter(|e| matches!(e, TraceEvent::GoExit { g, .. } if *g != 1))
        .count();
    let _ = later_exits;
}

/// An idle P's thread, woken by wakep, steals half (rounded up) of a busy P's local queue: `runqgrab`
/// takes n - n/2.
#[test]
fn an_idle_p_steals_half_of_a_busy_ps_local_queue() {
    let r = run(2, 3, |b| {
        let work = b.func("work", 0, |f| f.compute_ns(50_000));
        b.func("main", 0, |f| {
            let n = f.int(20);
            f.for_n(n, |f, _| f.go(work, &[]));
            f.compute_ns(1_000_000);
        })
    });
    assert!(r.count(|e| matches!(e, TraceEvent::Wakep { p: 1, .. })) >= 1);
    let first = r
        .trace
        .iter()
        .position(|e| {
            matches!(
                e,
                TraceEvent::GoStart {
                    from: Source::Stolen { .. },
                    ..
                }
            )
        })
        .expect("P1 never stole");
    let TraceEvent::GoStart {
        p,
        from: Source::Stolen { victim, n },
        ..
    } = r.trace[first]
    else {
        unreachable!()
    };
    assert_eq!((p, victim), (1, 0));
    // Main is still creating on P0: one goroutine sits in runnext, the rest in the local queue.
    let created = r.trace[..first]
        .iter()
        .filter(|e| matches!(e, TraceEvent::GoCreate { .. }))
        .count() as u32;
    let local = created - 1;
    assert_eq!(n, local - local / 2, "{created} created before the steal");
}

/// A blocking syscall hands its P off at once, so other goroutines keep running on it.
#[test]
fn a_blocking_syscall_hands_off_its_p_immediately() {
    let r = run(1, 1, |b| {
        let sys = b.func("sys", 0, |f| f.syscall_ns(5_000_000, SyscallKind::Blocking));
        let printer = b.func("printer", 0, |f| {
            let s = f.str("ran during the syscall");
            f.println(&[s]);
        });
        b.func("main", 0, |f| {
            f.go(printer, &[]);
            f.go(sys, &[]); // in runnext: runs first, and blocks in the syscall
            f.sleep_ns(10_000_000);
        })
    });
    assert_eq!(r.stdout(), "ran during the syscall\n");
    let enter = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::SyscallEnter { blocking: true, .. }))
        .unwrap();
    let print = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::Print { .. }))
        .unwrap();
    let exit = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::SyscallExit { .. }))
        .unwrap();
    assert!(
        enter < print && print < exit,
        "printed while the syscall ran"
    );
}

/// A fast syscall leaves its P in _Psyscall; sysmon retakes it after at least one 20 µs tick when the P
/// has local work.
#[test]
fn sysmon_retakes_a_p_stuck_in_a_syscall_with_local_work() {
    let r = run(1, 1, |b| {
        let printer = b.func("printer", 0, |f| {
            let s = f.str("other");
            f.println(&[s]);
        });
        b.func("main", 0, |f| {
            f.go(printer, &[]); // in runnext, local work for the P
            f.syscall_ns(1_000_000, SyscallKind::Fast);
            let s = f.str("main");
            f.println(&[s]);
        })
    });
    assert_eq!(r.stdout(), "other\nmain\n");
    assert_eq!(r.count(|e| matches!(e, TraceEvent::Retake { .. })), 1);
}

/// A short syscall returns to the P it left when sysmon has not retaken it.
#[test]
fn exitsyscall_keeps_its_p_when_nobody_took_it() {
    let r = run(2, 1, |b| {
        b.func("main", 0, |f| {
            f.syscall_ns(5_000, SyscallKind::Fast);
        })
    });
    assert!(r
        .trace
        .iter()
        .any(|e| matches!(e, TraceEvent::SyscallExit { p: Some(0), .. })));
    assert_eq!(r.count(|e| matches!(e, TraceEvent::Retake { .. })), 0);
}

/// sysmon preempts a goroutine that has run for 10 ms; it goes to the global queue.
#[test]
fn sysmon_preempts_a_goroutine_after_10ms() {
    let r = run(1, 1, |b| {
        let spin = b.func("spin", 0, |f| f.compute_ns(50_000_000));
        let printer = b.func("printer", 0, |f| {
            let s = f.str("got the CPU");
            f.println(&[s]);
        });
        b.func("main", 0, |f| {
            f.go(spin, &[]);
            f.go(printer, &[]);
            f.sleep_ns(100_000_000);
        })
    });
    let preempts: Vec<u64> = r
        .trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::GoPreempt { ran, .. } => Some(*ran),
            _ => None,
        })
        .collect();
    assert!(!preempts.is_empty());
    // sysmon notices at its next tick; its sleep doubles after 50 idle rounds (20 µs, then 40 µs, ...),
    // so the first preemption lands a little after 10 ms, as in Go.
    for ran in &preempts {
        assert!(
            *ran >= 10_000_000 && *ran < 20_000_000,
            "preempted after {ran} ns"
        );
    }
    assert_eq!(r.stdout(), "got the CPU\n");
}

#[test]
fn gosched_puts_the_goroutine_on_the_global_queue_tail() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            f.gosched();
        })
    });
    assert!(r
        .trace
        .iter()
        .any(|e| matches!(e, TraceEvent::GoSched { g: 1, .. })));
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::GoStart {
            g: 1,
            from: Source::GlobalBatch { .. },
            ..
        }
    )));
}

/// Go's exact message, and the blocked goroutines with their wait reasons.
#[test]
fn deadlock_is_detected_with_gos_message() {
    let r = run(4, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.make_chan(0);
            f.recv(ch);
        })
    });
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().starts_with(
            "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n"
        ),
        "{}",
        r.stderr()
    );
}

/// A goroutine in time.Sleep is not a deadlock: the timer will wake it.
#[test]
fn no_false_deadlock_while_a_timer_is_pending() {
    check_program(
        2,
        |b| {
            b.func("main", 0, |f| {
                f.sleep_ns(1_000_000_000);
                let s = f.str("awake");
                f.println(&[s]);
            })
        },
        "awake\n",
        0,
    );
}

/// Unsynchronised `x++` from two goroutines on two Ps loses updates; with a mutex none are lost.
#[test]
fn shared_memory_is_real_unsynchronised_increments_lose_updates() {
    let count = |locked: bool| {
        let r = run(2, 7, |b| {
            let adder = b.declare("adder");
            b.define(adder, 3, |f| {
                let (x, m, wg) = (f.param(0), f.param(1), f.param(2));
                let n = f.int(10_000);
                f.for_n(n, |f, _| {
                    if locked {
                        f.lock(m);
                    }
                    f.incr(x);
                    if locked {
                        f.unlock(m);
                    }
                });
                f.wg_add(wg, -1);
            });
            b.func("main", 0, |f| {
                let x = f.new_cell(0);
                let m = f.new_mutex();
                let wg = f.new_waitgroup();
                f.wg_add(wg, 2);
                f.go(adder, &[x, m, wg]);
                f.go(adder, &[x, m, wg]);
                f.wg_wait(wg);
                let v = f.load(x);
                f.println(&[v]);
            })
        });
        assert_eq!(r.code(), 0, "{}", r.stderr());
        r.stdout().trim().parse::<i64>().unwrap()
    };
    let racy = count(false);
    assert!(racy < 20_000, "no update was lost ({racy})");
    assert_eq!(count(true), 20_000);
}

#[test]
fn wait_reasons_use_gos_names() {
    assert_eq!(WaitReason::ChanReceive.go_name(), "chan receive");
    assert_eq!(WaitReason::MutexLock.go_name(), "sync.Mutex.Lock");
    assert_eq!(WaitReason::WaitGroupWait.go_name(), "sync.WaitGroup.Wait");
    let r = run(1, 1, |b| {
        let blocked = b.func("blocked", 1, |f| {
            let m = f.param(0);
            f.lock(m);
        });
        b.func("main", 0, |f| {
            let m = f.new_mutex();
            f.lock(m);
            f.go(blocked, &[m]);
            let ch = f.make_chan(0);
            f.send(ch, m);
        })
    });
    assert!(
        r.stderr().contains("goroutine 1 [chan send]:"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr().contains("goroutine 2 [sync.Mutex.Lock]:"),
        "{}",
        r.stderr()
    );
}

#[test]
fn main_returning_ends_the_program_whatever_else_runs() {
    let r = check_program(
        2,
        |b| {
            let forever = b.func("forever", 0, |f| {
                let ch = f.make_chan(0);
                f.recv(ch);
            });
            b.func("main", 0, |f| {
                f.go(forever, &[]);
                let s = f.str("bye");
                f.println(&[s]);
            })
        },
        "bye\n",
        0,
    );
    assert!(matches!(r.trace.last(), Some(TraceEvent::Exit { code: 0 })));
}

#[test]
fn integer_division_by_zero_panics() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let a = f.int(1);
            let z = f.int(0);
            f.op(Op::Bin {
                op: BinOp::Div,
                dst: a,
                a,
                b: z,
            });
        })
    });
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr()
            .starts_with("panic: runtime error: integer divide by zero\n\ngoroutine 1 [running]:"),
        "{}",
        r.stderr()
    );
}

/// The view shows each P with its queues, the goroutines with their wait reasons and lines, and the
/// channels with their ring buffers and queues.
#[test]
fn the_view_shows_ps_goroutines_and_channels() {
    use gmplab::runtime::build::ProgramBuilder;
    use gmplab::runtime::{Config, GStatus, Runtime};
    use gmplab::sim::scenario::Stepping;
    use std::rc::Rc;
    let mut b = ProgramBuilder::new();
    let tx = b.func("tx", 1, |f| {
        let ch = f.param(0);
        f.line(4);
        let v = f.int(7);
        f.send(ch, v);
    });
    let main = b.func("main", 0, |f| {
        f.line(10);
        let ch = f.make_chan(2);
        f.line(11);
        let n = f.int(4);
        f.for_n(n, |f, _| f.go(tx, &[ch]));
        f.line(12);
        f.sleep_ns(1_000_000);
    });
    let mut rt = Runtime::new(
        Rc::new(b.build(main)),
        Config {
            gomaxprocs: 2,
            ..Config::default()
        },
    );
    rt.run_until(500_000, u64::MAX);
    let v = rt.view();
    assert_eq!(v.ps.len(), 2);
    let ch = &v.chans[0];
    assert_eq!((ch.cap, ch.count, ch.sendq.len()), (2, 2, 2));
    assert_eq!(ch.slots, vec![Some("7".into()), Some("7".into())]);
    let blocked: Vec<_> = v
        .goroutines
        .iter()
        .filter(|g| g.status == GStatus::Waiting)
        .collect();
    assert!(blocked
        .iter()
        .any(|g| g.wait == Some(WaitReason::ChanSend) && g.line == 4 && g.func == "tx"));
    let main_g = v.goroutines.iter().find(|g| g.id == 1).expect("main");
    assert_eq!((main_g.wait, main_g.line), (Some(WaitReason::Sleep), 12));
    // Two senders filled the buffer and finished; two wait on sendq; main sleeps.
    assert_eq!(v.counts, [0, 0, 3, 0]);
}

/// A goroutine readied by a channel operation goes into the waker's runnext; the one already there
/// moves to the tail of the local queue.
#[test]
fn goready_puts_the_woken_goroutine_in_the_wakers_runnext() {
    let r = run(1, 1, |b| {
        let rx = b.func("rx", 1, |f| {
            let ch = f.param(0);
            f.recv(ch);
        });
        let other = b.func("other", 0, |_| {});
        b.func("main", 0, |f| {
            let ch = f.make_chan(0);
            f.go(rx, &[ch]);
            f.sleep_ns(1_000); // rx parks on recvq
            f.go(other, &[]); // other sits in runnext
            let v = f.int(1);
            f.send(ch, v); // rx is readied into runnext, kicking other to the tail
        })
    });
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::GoReady {
            g: 2,
            by: 1,
            at: Placement::Runnext {
                p: 0,
                kicked: Some(3)
            }
        }
    )));
}

/// A goroutine taken from runnext inherits the time slice, so a ping-pong pair that keeps handing
/// the P back and forth through runnext is preempted once their shared slice reaches 10 ms, letting a
/// waiting goroutine run.
#[test]
fn a_runnext_ping_pong_pair_shares_one_time_slice() {
    let r = run(1, 1, |b| {
        let pong = b.declare("pong");
        b.define(pong, 2, |f| {
            let (a, z) = (f.param(0), f.param(1));
            f.forever(|f| {
                let v = f.recv(a);
                f.compute_ns(50_000);
                f.send(z, v);
            });
        });
        let late = b.func("late", 0, |f| {
            let s = f.str("late ran");
            f.println(&[s]);
        });
        b.func("main", 0, move |f| {
            let a = f.make_chan(0);
            let z = f.make_chan(0);
            f.go(late, &[]);
            f.go(pong, &[a, z]); // late is kicked from runnext to the local queue
            let n = f.int(400); // 400 rounds of 100 µs: 40 ms of ping-pong
            f.for_n(n, |f, i| {
                f.send(a, i);
                f.compute_ns(50_000);
                f.recv(z);
            });
        })
    });
    let preempt = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::GoPreempt { .. }));
    let late = r
        .trace
        .iter()
        .position(|e| matches!(e, TraceEvent::Print { .. }));
    let (Some(preempt), Some(late)) = (preempt, late) else {
        panic!(
            "the pair was never preempted, or late never ran: {:?}",
            r.stdout()
        );
    };
    assert!(
        preempt < late,
        "late ran only after the pair's shared slice was preempted"
    );
    let TraceEvent::GoPreempt { ran, .. } = r.trace[preempt] else {
        unreachable!()
    };
    assert!(ran >= 10_000_000, "{ran}");
}

/// exitsyscall with its P taken and no idle P: the goroutine goes to the global queue and the thread
/// stops.
#[test]
fn exitsyscall_without_a_free_p_queues_the_goroutine_globally() {
    let r = run(1, 1, |b| {
        let sys = b.func("sys", 0, |f| {
            f.syscall_ns(100_000, SyscallKind::Blocking);
            let s = f.str("back");
            f.println(&[s]);
        });
        let hog = b.func("hog", 0, |f| f.compute_ns(3_000_000));
        b.func("main", 0, |f| {
            f.go(hog, &[]);
            f.go(sys, &[]);
            f.sleep_ns(20_000_000);
        })
    });
    assert!(r
        .trace
        .iter()
        .any(|e| matches!(e, TraceEvent::SyscallExit { p: None, .. })));
    assert_eq!(r.stdout(), "back\n");
}

/// A P whose local queue is empty takes min(128, n, n/GOMAXPROCS + 1) goroutines from the global
/// queue at once (`globrunqget`).
#[test]
fn the_global_batch_takes_min_128_n_n_over_gomaxprocs_plus_1() {
    let r = run(1, 1, |b| {
        let work = b.func("work", 1, |f| {
            let wg = f.param(0);
            f.wg_add(wg, -1);
        });
        b.func("main", 0, move |f| {
            let wg = f.new_waitgroup();
            f.wg_add(wg, 258);
            let n = f.int(258);
            f.for_n(n, |f, _| f.go(work, &[wg]));
            f.wg_wait(wg);
        })
    });
    // 258 creations: 1 in runnext, 128 left locally, 129 overflowed to the global queue.
    let first_batch = r
        .trace
        .iter()
        .position(|e| {
            matches!(
                e,
                TraceEvent::GoStart {
                    from: Source::GlobalBatch { .. },
                    ..
                }
            )
        })
        .expect("a global batch");
    let fair = r.count_in(..first_batch, |e| {
        matches!(
            e,
            TraceEvent::GoStart {
                from: Source::GlobalFair,
                ..
            }
        )
    });
    let len = 129 - fair as u32;
    let TraceEvent::GoStart {
        from: Source::GlobalBatch { n },
        ..
    } = r.trace[first_batch]
    else {
        unreachable!()
    };
    let gomaxprocs = 1;
    assert_eq!(
        n,
        128u32.min(len).min(len / gomaxprocs + 1),
        "global queue held {len}"
    );
}

/// Only the last of the four stealing passes takes a victim's runnext.
#[test]
fn a_victims_runnext_is_stolen_only_on_the_last_pass() {
    let r = run(2, 5, |b| {
        let worker = b.func("worker", 0, |f| {
            let s = f.str("stolen from runnext");
            f.println(&[s]);
        });
        b.func("main", 0, move |f| {
            f.go(worker, &[]); // sits in P0's runnext; P0's local queue stays empty
            f.compute_ns(1_000_000);
        })
    });
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::GoStart {
            g: 2,
            p: 1,
            from: Source::Stolen { victim: 0, n: 1 },
            ..
        }
    )));
    assert_eq!(r.stdout(), "stolen from runnext\n");
}

/// Idle Ps form a LIFO list: the P that went idle last is the one wakep takes next.
#[test]
fn idle_ps_are_reused_last_in_first_out() {
    let r = run(4, 2, |b| {
        let work = b.func("work", 1, |f| {
            let d = f.param(0);
            f.op(gmplab::runtime::ir::Op::Compute { dur: d });
        });
        let late = b.func("late", 0, |_| {});
        b.func("main", 0, move |f| {
            for d in [100_000, 200_000, 300_000] {
                let d = f.int(d);
                f.go(work, &[d]);
            }
            f.compute_ns(2_000_000); // everyone else finishes and idles meanwhile
            f.go(late, &[]);
            f.compute_ns(100_000);
        })
    });
    let wake_late = r
        .trace
        .iter()
        .rposition(|e| matches!(e, TraceEvent::Wakep { .. }))
        .expect("a wakep for late");
    let last_idle = r.trace[..wake_late]
        .iter()
        .rev()
        .find_map(|e| match e {
            TraceEvent::PIdle { p } => Some(*p),
            _ => None,
        })
        .expect("a P went idle");
    assert!(matches!(r.trace[wake_late], TraceEvent::Wakep { p, .. } if p == last_idle));
}

/// sysmon sleeps 20 µs, doubling after 50 idle rounds up to 10 ms, so it preempts a CPU hog at its
/// first tick at or after 10 ms: the preemption time is one of the ticks that schedule predicts.
#[test]
fn sysmon_ticks_every_20us_doubling_after_50_idle_rounds() {
    let r = run(1, 1, |b| {
        let hog = b.func("hog", 0, |f| f.compute_ns(30_000_000));
        b.func("main", 0, move |f| {
            f.go(hog, &[]);
            f.sleep_ns(100_000_000);
        })
    });
    // sysmon's tick times from the start of the run, per the rule.
    let mut ticks = Vec::new();
    let (mut t, mut delay, mut idle) = (20_000u64, 20_000u64, 0u32);
    while t < 40_000_000 {
        ticks.push(t);
        idle += 1;
        if idle > 50 {
            delay = (delay * 2).min(10_000_000);
        }
        t += delay;
    }
    let ran = r
        .trace
        .iter()
        .find_map(|e| match e {
            TraceEvent::GoPreempt { ran, .. } => Some(*ran),
            _ => None,
        })
        .expect("the hog was preempted");
    // The hog started within the first few microseconds, so preemption time = start + ran is a tick.
    assert!(
        ticks.iter().any(|&tick| tick >= ran && tick - ran < 5_000),
        "preempted after {ran} ns; no tick of {ticks:?} fits"
    );
}

/// Raising GOMAXPROCS above the starting count adds Ps that run goroutines: procresize puts the new
/// Ps on the idle list, so wakep can start threads on them (they used to be idle but on no list, and
/// never ran anything).
#[test]
fn raising_gomaxprocs_adds_ps_that_run_goroutines() {
    let r = run(1, 1, |b| {
        let hog = b.func("hog", 0, |f| f.compute_ns(1_000_000));
        b.func("main", 0, move |f| {
            f.gomaxprocs(4);
            let n = f.int(4);
            f.for_n(n, |f, _| f.go(hog, &[]));
            f.sleep_ns(5_000_000);
        })
    });
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let mut ps: Vec<u32> = r
        .trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::GoStart { g, p, .. } if *g > 1 => Some(*p),
            _ => None,
        })
        .collect();
    ps.sort_unstable();
    ps.dedup();
    assert_eq!(ps, vec![0, 1, 2, 3], "the four hogs ran on these Ps");
}
