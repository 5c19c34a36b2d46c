//! Property tests on random programs: whatever the mix of goroutines, channels, locks, syscalls,
//! sleeps and CPU hogs, no goroutine is lost or duplicated across the run queues, a mutex never has
//! two holders, every channel delivers each value exactly once and in order, and a run is a pure
//! function of its seed. The generator is checked to reach the interesting cases: blocking sends and
//! receives, steals, syscall handoffs, preemptions and starvation-mode entries all occur. After every
//! step the runtime's own invariant checker (`Runtime::check_invariants`: chan.go's queue rules,
//! run-queue membership, the idle P list, M/P pairing, lock ownership) must find nothing, also for
//! programs of selects on both directions of a channel, RWMutex readers and writers, and GOMAXPROCS
//! changes.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use gmplab::runtime::build::ProgramBuilder;
use gmplab::runtime::ir::{Op, Program, SelectCase, SyscallKind};
use gmplab::runtime::{Config, GStatus, OpEvent, PStatus, Runtime, Source, TraceEvent, WaitReason};
use gmplab::sim::scenario::Stepping;
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestRunner};

#[derive(Clone, Debug)]
struct Spec {
    procs: u32,
    /// Per channel: (buffer, values to send).
    chans: Vec<(i64, i64)>,
    /// Mutex workers: (iterations, hold ns).
    lockers: Vec<(i64, i64)>,
    /// Syscalls: (duration ns, blocking).
    syscalls: Vec<(i64, bool)>,
    /// CPU hogs, ns.
    hogs: Vec<i64>,
    sleepers: Vec<i64>,
    seed: u64,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        1u32..=4,
        prop::collection::vec((0i64..4, 1i64..12), 1..4),
        prop::collection::vec((1i64..12, prop_oneof![Just(1_000i64), Just(300_000)]), 0..5),
        prop::collection::vec(
            (prop_oneof![Just(5_000i64), Just(2_000_000)], any::<bool>()),
            0..3,
        ),
        prop::collection::vec(prop_oneof![Just(100_000i64), Just(25_000_000)], 0..3),
        prop::collection::vec(1_000i64..3_000_000, 0..3),
        any::<u64>(),
    )
        .prop_map(
            |(procs, chans, lockers, syscalls, hogs, sleepers, seed)| Spec {
                procs,
                chans,
                lockers,
                syscalls,
                hogs,
                sleepers,
                seed,
            },
        )
}

const VALUE_BASE: i64 = 1_000_000;

/// Channel c's sender sends c*BASE + 0..n; its receiver prints "c v" for each value.
fn program(s: &Spec) -> Program {
    let mut b = ProgramBuilder::new();
    let sender = b.func("sender", 4, |f| {
        let (ch, base, n, wg) = (f.param(0), f.param(1), f.param(2), f.param(3));
        f.for_n(n, |f, i| {
            let v = f.bin(gmplab::runtime::ir::BinOp::Add, base, i);
            f.send(ch, v);
        });
        f.wg_add(wg, -1);
    });
    let receiver = b.func("receiver", 4, |f| {
        let (ch, label, n, wg) = (f.param(0), f.param(1), f.param(2), f.param(3));
        f.for_n(n, |f, _| {
            let v = f.recv(ch);
            f.println(&[label, v]);
        });
        f.wg_add(wg, -1);
    });
    let locker = b.func("locker", 5, |f| {
        let (m, cell, n, hold, wg) = (f.param(0), f.param(1), f.param(2), f.param(3), f.param(4));
        f.for_n(n, |f, _| {
            f.lock(m);
            f.incr(cell);
            f.op(gmplab::runtime::ir::Op::Compute { dur: hold });
            f.unlock(m);
        });
        f.wg_add(wg, -1);
    });
    let fast = b.func("fast_syscall", 2, |f| {
        let (d, wg) = (f.param(0), f.param(1));
        f.op(gmplab::runtime::ir::Op::Syscall {
            dur: d,
            kind: SyscallKind::Fast,
        });
        f.wg_add(wg, -1);
    });
    let blocking = b.func("blocking_syscall", 2, |f| {
        let (d, wg) = (f.param(0), f.param(1));
        f.op(gmplab::runtime::ir::Op::Syscall {
            dur: d,
            kind: SyscallKind::Blocking,
        });
        f.wg_add(wg, -1);
    });
    let hog = b.func("hog", 2, |f| {
        let (d, wg) = (f.param(0), f.param(1));
        f.op(gmplab::runtime::ir::Op::Compute { dur: d });
        f.gosched();
        f.wg_add(wg, -1);
    });
    let sleeper = b.func("sleeper", 2, |f| {
        let (d, wg) = (f.param(0), f.param(1));
        f.op(gmplab::runtime::ir::Op::Sleep { dur: d });
        f.wg_add(wg, -1);
    });
    let spec = s.clone();
    let main = b.func("main", 0, move |f| {
        let wg = f.new_waitgroup();
        let total = 2 * spec.chans.len()
            + spec.lockers.len()
            + spec.syscalls.len()
            + spec.hogs.len()
            + spec.sleepers.len();
        f.wg_add(wg, total as i64);
        for (c, (cap, n)) in spec.chans.iter().enumerate() {
            let ch = f.make_chan(*cap);
            let base = f.int(c as i64 * VALUE_BASE);
            let label = f.int(c as i64);
            let n = f.int(*n);
            f.go(receiver, &[ch, label, n, wg]);
            f.go(sender, &[ch, base, n, wg]);
        }
        let m = f.new_mutex();
        let cell = f.new_cell(0);
        for (n, hold) in &spec.lockers {
            let (n, hold) = (f.int(*n), f.int(*hold));
            f.go(locker, &[m, cell, n, hold, wg]);
        }
        for (d, block) in &spec.syscalls {
            let d = f.int(*d);
            f.go(if *block { blocking } else { fast }, &[d, wg]);
        }
        for d in &spec.hogs {
            let d = f.int(*d);
            f.go(hog, &[d, wg]);
        }
        for d in &spec.sleepers {
            let d = f.int(*d);
            f.go(sleeper, &[d, wg]);
        }
        f.wg_wait(wg);
        let v = f.load(cell);
        f.println(&[v]);
    });
    b.build(main)
}

/// Every runnable goroutine is in exactly one run queue; running ones are exactly one P's curg;
/// waiting and syscall goroutines are in none.
fn check_queues(rt: &Runtime) -> Result<(), String> {
    let mut seen: BTreeMap<u32, u32> = BTreeMap::new();
    for p in rt.processors() {
        for g in p.runnext.iter().chain(p.runq.iter()) {
            *seen.entry(*g).or_default() += 1;
        }
        if p.status == PStatus::Dead && (p.runnext.is_some() || !p.runq.is_empty()) {
            return Err(format!("dead P{} holds goroutines", p.id));
        }
    }
    for g in rt.global_queue() {
        *seen.entry(*g).or_default() += 1;
    }
    let mut running: BTreeMap<u32, u32> = BTreeMap::new();
    for p in rt.processors() {
        if let Some(g) = p.curg {
            *running.entry(g).or_default() += 1;
        }
    }
    for g in rt.goroutines() {
        let queued = seen.get(&g.id).copied().unwrap_or(0);
        let on_p = running.get(&g.id).copied().unwrap_or(0);
        let ok = match g.status {
            GStatus::Runnable => queued == 1 && on_p == 0,
            GStatus::Running => queued == 0 && on_p == 1,
            GStatus::Waiting | GStatus::Syscall | GStatus::Dead => queued == 0 && on_p == 0,
        };
        if !ok {
            return Err(format!(
                "G{} is {:?} but queued {queued} times and current on {on_p} Ps",
                g.id, g.status
            ));
        }
    }
    Ok(())
}

#[derive(Default, Debug)]
struct Coverage {
    blocked_sends: u64,
    blocked_recvs: u64,
    steals: u64,
    handoffs: u64,
    preemptions: u64,
    starvation: u64,
}

fn run_checked(s: &Spec, cov: &mut Coverage) -> Result<(u64, u64, String), TestCaseError> {
    let program = Rc::new(program(s));
    let mut rt = Runtime::new(
        program,
        Config {
            gomaxprocs: s.procs,
            seed: s.seed,
            ..Config::default()
        },
    );
    let mut holder: Option<u32> = None;
    let mut steps = 0u64;
    while let Some(ev) = rt.step() {
        steps += 1;
        prop_assert!(steps < 2_000_000, "runaway");
        if let Err(e) = check_queues(&rt).and_then(|_| rt.check_invariants()) {
            return Err(TestCaseError::fail(format!("after {ev:?}: {e}")));
        }
        // The trace-driven goroutine counts agree with the goroutines themselves.
        let mut counts = [0i64; 4];
        for g in rt.goroutines() {
            match g.status {
                GStatus::Running => counts[0] += 1,
                GStatus::Runnable => counts[1] += 1,
                GStatus::Waiting => counts[2] += 1,
                GStatus::Syscall => counts[3] += 1,
                GStatus::Dead => {}
            }
        }
        if !rt.pending_events() {
            prop_assert_eq!(rt.metrics().counts(), counts, "after {:?}", ev);
        }
        match &ev {
            TraceEvent::Op {
                g,
                what: OpEvent::Lock { .. },
                ..
            } => {
                prop_assert_eq!(holder, None, "G{} locked a held mutex", g);
                holder = Some(*g);
            }
            TraceEvent::Op {
                g,
                what: OpEvent::Unlock { woke, handoff, .. },
                ..
            } => {
                prop_assert_eq!(holder, Some(*g), "G{} unlocked a mutex it did not hold", g);
                holder = if *handoff { *woke } else { None };
            }
            TraceEvent::Op {
                what: OpEvent::StarvationMode { .. },
                ..
            } => cov.starvation += 1,
            TraceEvent::GoPark {
                reason: WaitReason::ChanSend,
                ..
            } => cov.blocked_sends += 1,
            TraceEvent::GoPark {
                reason: WaitReason::ChanReceive,
                ..
            } => cov.blocked_recvs += 1,
            TraceEvent::GoStart {
                from: Source::Stolen { .. },
                ..
            } => cov.steals += 1,
            TraceEvent::SyscallEnter { blocking: true, .. } | TraceEvent::Retake { .. } => {
                cov.handoffs += 1
            }
            TraceEvent::GoPreempt { .. } => cov.preemptions += 1,
            _ => {}
        }
    }
    let exit = rt.exit().cloned();
    prop_assert_eq!(exit.as_ref().map(|e| e.code), Some(0), "{:?}", exit);
    // Each channel's values arrive exactly once and in order.
    let mut per_chan: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let lines: Vec<&str> = rt.stdout().lines().collect();
    let (last, values) = lines
        .split_last()
        .ok_or_else(|| TestCaseError::fail("no output"))?;
    let mut unique = HashSet::new();
    for l in values {
        let mut it = l.split(' ').map(|x| x.parse::<i64>().unwrap_or(-1));
        let (c, v) = (it.next().unwrap_or(-1), it.next().unwrap_or(-1));
        prop_assert!(unique.insert(v), "value {} received twice", v);
        per_chan.entry(c).or_default().push(v);
    }
    for (c, (_, n)) in s.chans.iter().enumerate() {
        let want: Vec<i64> = (0..*n).map(|i| c as i64 * VALUE_BASE + i).collect();
        prop_assert_eq!(per_chan.get(&(c as i64)).cloned().unwrap_or_default(), want);
    }
    // The mutex kept every increment.
    let incs: i64 = s.lockers.iter().map(|(n, _)| n).sum();
    prop_assert_eq!(last.parse::<i64>().ok(), Some(incs));
    Ok((steps, rt.state_hash(), rt.stdout().to_string()))
}

#[test]
fn random_programs_keep_the_runtimes_invariants_and_reach_the_interesting_cases() {
    let mut runner = TestRunner::new(PtConfig {
        cases: 256,
        ..PtConfig::default()
    });
    let cov = std::cell::RefCell::new(Coverage::default());
    runner
        .run(&spec(), |s| {
            let first = run_checked(&s, &mut cov.borrow_mut())?;
            let again = run_checked(&s, &mut Coverage::default())?;
            prop_assert_eq!(first, again, "the same seed gave a different run");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let c = cov.into_inner();
    eprintln!("coverage over 256 programs: {c:?}");
    assert!(c.blocked_sends > 0, "{c:?}");
    assert!(c.blocked_recvs > 0, "{c:?}");
    assert!(c.steals > 0, "{c:?}");
    assert!(c.handoffs > 0, "{c:?}");
    assert!(c.preemptions > 0, "{c:?}");
    assert!(c.starvation > 0, "{c:?}");
}

/// Seeking to step k, by restoring a checkpoint and replaying, gives exactly the state reached by
/// stepping k times from the start (compared by whole-state hash), for random programs and random
/// seek sequences, backwards and forwards.
#[test]
fn seeking_to_any_step_reproduces_the_state_exactly() {
    use gmplab::session::checkpoints::Checkpoints;
    let mut runner = TestRunner::new(PtConfig {
        cases: 64,
        ..PtConfig::default()
    });
    runner
        .run(
            &(spec(), prop::collection::vec(0u64..5_000, 1..6)),
            |(s, targets)| {
                let program = Rc::new(program(&s));
                let cfg = Config {
                    gomaxprocs: s.procs,
                    seed: s.seed,
                    ..Config::default()
                };
                let mut rt = Runtime::new(program.clone(), cfg.clone());
                // A small interval, so seeks restore real checkpoints and the list thins.
                // and a memory budget of about four states, so thinning by memory is exercised too.
                let budget = rt.approx_bytes() * 4;
                let mut cps = Checkpoints::with_interval(&rt, 8).with_max_bytes(budget);
                // Play forward a while, offering checkpoints as a session does.
                for _ in 0..5_000 {
                    if rt.step().is_none() {
                        break;
                    }
                    cps.offer(&rt);
                }
                for k in targets {
                    cps.seek(&mut rt, k);
                    let mut fresh = Runtime::new(program.clone(), cfg.clone());
                    while fresh.steps() < k && fresh.step().is_some() {}
                    prop_assert_eq!(rt.steps(), fresh.steps());
                    prop_assert_eq!(
                        rt.state_hash(),
                        fresh.state_hash(),
                        "state differs at step {}",
                        k
                    );
                }
                prop_assert!(cps.len() <= gmplab::session::checkpoints::MAX_CHECKPOINTS + 1);
                prop_assert!(
                    cps.total_bytes() <= budget.max(rt.approx_bytes()) * 2,
                    "{} > {}",
                    cps.total_bytes(),
                    budget
                );
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Programs for the invariants the first generator does not reach: pairs of goroutines selecting on
/// both directions of one channel (so one of them can park on its sendq and recvq at once, chan.go's
/// exception), RWMutex readers and writers, and goroutines changing GOMAXPROCS under load.
#[derive(Clone, Debug)]
struct Mix {
    procs: u32,
    /// Per channel: (buffer, selects per goroutine of the pair).
    selectors: Vec<(i64, i64)>,
    /// RWMutex readers and writers: iterations each.
    readers: Vec<i64>,
    writers: Vec<i64>,
    /// GOMAXPROCS values set, one goroutine each.
    resizes: Vec<i64>,
    seed: u64,
}

fn mix() -> impl Strategy<Value = Mix> {
    (
        1u32..=4,
        prop::collection::vec((0i64..3, 1i64..10), 0..3),
        prop::collection::vec(1i64..6, 0..4),
        prop::collection::vec(1i64..6, 0..3),
        prop::collection::vec(1i64..6, 0..3),
        any::<u64>(),
    )
        .prop_map(|(procs, selectors, readers, writers, resizes, seed)| Mix {
            procs,
            selectors,
            readers,
            writers,
            resizes,
            seed,
        })
}

fn mix_program(s: &Mix) -> Program {
    let mut b = ProgramBuilder::new();
    let selector = b.func("selector", 3, |f| {
        let (ch, n, wg) = (f.param(0), f.param(1), f.param(2));
        f.for_n(n, |f, i| {
            f.select(
                vec![
                    SelectCase::Send { ch, val: i },
                    SelectCase::Recv {
                        ch,
                        dst: None,
                        ok: None,
                    },
                ],
                false,
            );
        });
        f.wg_add(wg, -1);
    });
    let reader = b.func("reader", 3, |f| {
        let (m, n, wg) = (f.param(0), f.param(1), f.param(2));
        f.for_n(n, |f, _| {
            f.op(Op::RLock { m });
            f.compute_ns(20_000);
            f.op(Op::RUnlock { m });
        });
        f.wg_add(wg, -1);
    });
    let writer = b.func("writer", 3, |f| {
        let (m, n, wg) = (f.param(0), f.param(1), f.param(2));
        f.for_n(n, |f, _| {
            f.lock(m);
            f.compute_ns(50_000);
            f.unlock(m);
        });
        f.wg_add(wg, -1);
    });
    let resizers: Vec<_> = s
        .resizes
        .iter()
        .map(|&k| {
            b.func("resizer", 1, move |f| {
                let wg = f.param(0);
                f.compute_ns(30_000);
                f.gomaxprocs(k);
                f.gosched();
                f.wg_add(wg, -1);
            })
        })
        .collect();
    let spec = s.clone();
    let main = b.func("main", 0, move |f| {
        let wg = f.new_waitgroup();
        let total = 2 * spec.selectors.len() + spec.readers.len() + spec.writers.len();
        f.wg_add(wg, (total + resizers.len()) as i64);
        for (cap, n) in &spec.selectors {
            let ch = f.make_chan(*cap);
            let n = f.int(*n);
            f.go(selector, &[ch, n, wg]);
            f.go(selector, &[ch, n, wg]);
        }
        let m = f.new_rwmutex();
        for n in &spec.readers {
            let n = f.int(*n);
            f.go(reader, &[m, n, wg]);
        }
        for n in &spec.writers {
            let n = f.int(*n);
            f.go(writer, &[m, n, wg]);
        }
        for r in &resizers {
            f.go(*r, &[wg]);
        }
        f.wg_wait(wg);
    });
    b.build(main)
}

#[test]
fn selects_rwmutexes_and_gomaxprocs_changes_keep_the_invariants() {
    let mut runner = TestRunner::new(PtConfig {
        cases: 128,
        ..PtConfig::default()
    });
    let both_queues = std::cell::Cell::new(0u64);
    runner
        .run(&mix(), |s| {
            let mut rt = Runtime::new(
                Rc::new(mix_program(&s)),
                Config {
                    gomaxprocs: s.procs,
                    seed: s.seed,
                    ..Config::default()
                },
            );
            let mut steps = 0u64;
            while let Some(ev) = rt.step() {
                steps += 1;
                prop_assert!(steps < 2_000_000, "runaway");
                if rt.exit().is_some() {
                    break;
                }
                if let Err(e) = check_queues(&rt).and_then(|_| rt.check_invariants()) {
                    return Err(TestCaseError::fail(format!("after {ev:?}: {e}")));
                }
                if rt
                    .channels()
                    .iter()
                    .any(|c| !c.sendq().is_empty() && !c.recvq().is_empty())
                {
                    both_queues.set(both_queues.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        both_queues.get() > 0,
        "no run parked one select on both queues of a channel"
    );
}

/// A goroutine whose own P is removed by GOMAXPROCS goes on running on its own thread, which takes
/// an idle P, or a running one whose thread then stops. (Its thread used to be stopped and thread
/// M0 taken instead, away from the P M0 was running, so two Ps shared one thread.) The smallest
/// program the generator above found for it: a reader, GOMAXPROCS(2) and GOMAXPROCS(3) from
/// GOMAXPROCS 1.
#[test]
fn a_goroutine_that_removes_its_own_p_keeps_its_thread() {
    let s = Mix {
        procs: 1,
        selectors: vec![],
        readers: vec![2],
        writers: vec![],
        resizes: vec![2, 3],
        seed: 0,
    };
    let mut rt = Runtime::new(
        Rc::new(mix_program(&s)),
        Config {
            gomaxprocs: s.procs,
            seed: s.seed,
            ..Config::default()
        },
    );
    let mut shrunk = false;
    while let Some(ev) = rt.step() {
        shrunk |= matches!(ev, TraceEvent::ProcResize { from, to } if to < from);
        if let Err(e) = rt.check_invariants() {
            panic!("after {ev:?}: {e}");
        }
        let mut held: Vec<u32> = rt.machines().iter().filter_map(|m| m.p).collect();
        let n = held.len();
        held.sort_unstable();
        held.dedup();
        assert_eq!(held.len(), n, "two threads hold one P");
    }
    assert!(shrunk, "GOMAXPROCS went down");
    assert_eq!(rt.exit().map(|e| e.code), Some(0));
}
