//! Channels and select against chan.go and select.go (shared/reference/go-runtime-fidelity.md, lines
//! 26-36), run on the whole runtime.

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::ir::{Op, SelectCase, Value};
use gmplab::runtime::{OpEvent, TraceEvent};
use runtime_common::{check_program, run};

#[test]
fn unbuffered_ping_pong_alternates() {
    check_program(
        2,
        |b| {
            let pong = b.declare("pong");
            b.define(pong, 2, |f| {
                let (ping, pong) = (f.param(0), f.param(1));
                let n = f.int(3);
                f.for_n(n, |f, _| {
                    let v = f.recv(ping);
                    f.add_const(v, 100);
                    f.send(pong, v);
                });
            });
            b.func("main", 0, |f| {
                let ping = f.make_chan(0);
                let back = f.make_chan(0);
                f.go(pong, &[ping, back]);
                let n = f.int(3);
                f.for_n(n, |f, i| {
                    f.send(ping, i);
                    let v = f.recv(back);
                    f.println(&[v]);
                });
            })
        },
        "100\n101\n102\n",
        0,
    );
}

/// A send to a channel with a parked receiver hands the value over directly; the buffer stays empty.
#[test]
fn a_send_hands_off_directly_to_a_waiting_receiver() {
    let r = run(1, 1, |b| {
        let rx = b.func("rx", 1, |f| {
            let ch = f.param(0);
            let v = f.recv(ch);
            f.println(&[v]);
        });
        b.func("main", 0, |f| {
            let ch = f.make_chan(4);
            f.go(rx, &[ch]);
            f.sleep_ns(1_000); // rx parks on recvq
            let v = f.int(7);
            f.send(ch, v);
            f.sleep_ns(1_000);
        })
    });
    assert_eq!(r.stdout(), "7\n");
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::Op {
            what: OpEvent::Send { to: Some(2), .. },
            ..
        }
    )));
}

/// Parked senders are served in FIFO order, and a receive from a full buffer pulls the first parked
/// sender's value into the freed slot, so values arrive in send order.
#[test]
fn sendq_is_fifo_and_a_full_buffer_keeps_order() {
    check_program(
        1,
        |b| {
            let tx = b.func("tx", 2, |f| {
                let (ch, v) = (f.param(0), f.param(1));
                f.send(ch, v);
            });
            b.func("main", 0, |f| {
                let ch = f.make_chan(2);
                let n = f.int(5);
                // Senders 0..5 run in creation order via a yield between creations.
                f.for_n(n, |f, i| {
                    f.go(tx, &[ch, i]);
                    f.sleep_ns(100);
                });
                f.for_n(n, |f, _| {
                    let v = f.recv(ch);
                    f.println(&[v]);
                });
            })
        },
        "0\n1\n2\n3\n4\n",
        0,
    );
}

#[test]
fn a_closed_channel_drains_then_gives_zero_and_false() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let ch = f.make_chan(2);
                let one = f.int(1);
                f.send(ch, one);
                f.close(ch);
                let (v, ok) = f.recv_ok(ch);
                f.println(&[v, ok]);
                let (v, ok) = f.recv_ok(ch);
                f.println(&[v, ok]);
            })
        },
        "1 true\n0 false\n",
        0,
    );
}

#[test]
fn close_wakes_every_waiting_receiver() {
    let r = check_program(
        2,
        |b| {
            let rx = b.func("rx", 2, |f| {
                let (ch, wg) = (f.param(0), f.param(1));
                let (_, ok) = f.recv_ok(ch);
                f.println(&[ok]);
                f.wg_add(wg, -1);
            });
            b.func("main", 0, |f| {
                let ch = f.make_chan(0);
                let wg = f.new_waitgroup();
                f.wg_add(wg, 3);
                let n = f.int(3);
                f.for_n(n, |f, _| f.go(rx, &[ch, wg]));
                f.sleep_ns(10_000);
                f.close(ch);
                f.wg_wait(wg);
            })
        },
        "false\nfalse\nfalse\n",
        0,
    );
    assert!(r.trace.iter().any(|e| matches!(
        e,
        TraceEvent::Op {
            what: OpEvent::Close { woke: 3, .. },
            ..
        }
    )));
}

#[test]
fn the_three_channel_panics_use_gos_words() {
    let send_closed = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.make_chan(1);
            f.close(ch);
            let v = f.int(1);
            f.send(ch, v);
        })
    });
    assert!(
        send_closed
            .stderr()
            .starts_with("panic: send on closed channel\n"),
        "{}",
        send_closed.stderr()
    );
    let close_closed = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.make_chan(1);
            f.close(ch);
            f.close(ch);
        })
    });
    assert!(close_closed
        .stderr()
        .starts_with("panic: close of closed channel\n"));
    let close_nil = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.value(Value::Nil);
            f.close(ch);
        })
    });
    assert!(close_nil
        .stderr()
        .starts_with("panic: close of nil channel\n"));
    for r in [send_closed, close_closed, close_nil] {
        assert_eq!(r.code(), 2);
    }
}

/// A sender parked on a channel that gets closed panics when it wakes.
#[test]
fn closing_under_a_parked_sender_makes_it_panic() {
    let r = run(2, 1, |b| {
        let tx = b.func("tx", 1, |f| {
            let ch = f.param(0);
            let v = f.int(1);
            f.send(ch, v);
        });
        b.func("main", 0, |f| {
            let ch = f.make_chan(0);
            f.go(tx, &[ch]);
            f.sleep_ns(10_000);
            f.close(ch);
            f.sleep_ns(10_000);
        })
    });
    assert!(
        r.stderr()
            .starts_with("panic: send on closed channel\n\ngoroutine 2 [running]:"),
        "{}",
        r.stderr()
    );
}

#[test]
fn nil_channels_block_forever() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.value(Value::Nil);
            f.recv(ch);
        })
    });
    assert!(
        r.stderr()
            .contains("goroutine 1 [chan receive (nil chan)]:"),
        "{}",
        r.stderr()
    );
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let ch = f.value(Value::Nil);
            let v = f.int(1);
            f.send(ch, v);
        })
    });
    assert!(
        r.stderr().contains("goroutine 1 [chan send (nil chan)]:"),
        "{}",
        r.stderr()
    );
}

#[test]
fn len_and_cap_report_buffered_count_and_size() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let ch = f.make_chan(3);
                let v = f.int(9);
                f.send(ch, v);
                f.send(ch, v);
                let l = f.reg();
                f.op(Op::Len { dst: l, ch });
                let c = f.reg();
                f.op(Op::Cap { dst: c, ch });
                f.println(&[l, c]);
            })
        },
        "2 3\n",
        0,
    );
}

#[test]
fn select_takes_default_when_nothing_is_ready() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let ch = f.make_chan(0);
                let d = f.reg();
                let k = f.select(
                    vec![SelectCase::Recv {
                        ch,
                        dst: Some(d),
                        ok: None,
                    }],
                    true,
                );
                f.println(&[k]);
            })
        },
        "1\n",
        0,
    );
}

#[test]
fn select_ignores_nil_cases_and_empty_select_blocks_forever() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let nil = f.value(Value::Nil);
            let ch = f.make_chan(1);
            let v = f.int(5);
            f.send(ch, v);
            let d = f.reg();
            let k = f.select(
                vec![
                    SelectCase::Recv {
                        ch: nil,
                        dst: None,
                        ok: None,
                    },
                    SelectCase::Recv {
                        ch,
                        dst: Some(d),
                        ok: None,
                    },
                ],
                false,
            );
            f.println(&[k, d]);
            f.select(vec![], false);
        })
    });
    assert_eq!(r.stdout(), "1 5\n");
    assert!(
        r.stderr().contains("goroutine 1 [select (no cases)]:"),
        "{}",
        r.stderr()
    );
}

/// A select parked on several channels is woken by the first to fire and withdrawn from the others.
#[test]
fn a_parked_select_wakes_on_the_first_channel_and_leaves_the_others() {
    let r = run(2, 1, |b| {
        let tx = b.func("tx", 1, |f| {
            let ch = f.param(0);
            f.sleep_ns(5_000);
            let v = f.int(42);
            f.send(ch, v);
        });
        b.func("main", 0, |f| {
            let a = f.make_chan(0);
            let c = f.make_chan(0);
            f.go(tx, &[c]);
            let d = f.reg();
            let k = f.select(
                vec![
                    SelectCase::Recv {
                        ch: a,
                        dst: Some(d),
                        ok: None,
                    },
                    SelectCase::Recv {
                        ch: c,
                        dst: Some(d),
                        ok: None,
                    },
                ],
                false,
            );
            f.println(&[k, d]);
        })
    });
    assert_eq!(r.stdout(), "1 42\n");
    assert!(
        r.rt.channels()[0].recvq().is_empty(),
        "still queued on the other channel"
    );
}

/// Among ready cases each is chosen with equal probability: a chi-square test over 100,000
/// selections for 2, 3 and 4 ready cases, at p >= 0.001.
#[test]
fn select_chooses_uniformly_among_ready_cases() {
    // Critical values of chi-square at p = 0.001 for 1, 2 and 3 degrees of freedom.
    for (k, critical) in [(2usize, 10.828), (3, 13.816), (4, 16.266)] {
        let trials = 100_000i64;
        let r = run(1, 11 + k as u64, |b| {
            b.func("main", 0, move |f| {
                let chans: Vec<_> = (0..k).map(|_| f.make_chan(1)).collect();
                let counts: Vec<_> = (0..k).map(|_| f.new_cell(0)).collect();
                let n = f.int(trials);
                let one = f.int(1);
                f.for_n(n, |f, _| {
                    for ch in &chans {
                        f.send(*ch, one);
                    }
                    let cases = chans
                        .iter()
                        .map(|&ch| SelectCase::Recv {
                            ch,
                            dst: None,
                            ok: None,
                        })
                        .collect();
                    let chosen = f.select(cases, false);
                    // count[chosen]++, then drain the others
                    for (i, cell) in counts.iter().enumerate() {
                        let want = f.int(i as i64);
                        let is = f.bin(gmplab::runtime::ir::BinOp::Eq, chosen, want);
                        let skip = f.op(Op::JumpIfNot { cond: is, to: 0 });
                        f.incr(*cell);
                        let end = f.here();
                        f.patch(skip, end);
                    }
                    for ch in &chans {
                        let d = f.reg();
                        f.select(
                            vec![SelectCase::Recv {
                                ch: *ch,
                                dst: Some(d),
                                ok: None,
                            }],
                            true,
                        );
                    }
                });
                let vals: Vec<_> = counts.iter().map(|c| f.load(*c)).collect();
                f.println(&vals);
            })
        });
        let counts: Vec<f64> = r
            .stdout()
            .split_whitespace()
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(counts.iter().sum::<f64>(), trials as f64);
        let expect = trials as f64 / k as f64;
        let chi2: f64 = counts
            .iter()
            .map(|c| (c - expect) * (c - expect) / expect)
            .sum();
        assert!(
            chi2 < critical,
            "{k} cases: counts {counts:?}, chi-square {chi2:.2}"
        );
    }
}
