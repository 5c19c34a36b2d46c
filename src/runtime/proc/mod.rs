//! The scheduler, after proc.go: Ps, Ms and `schedt` ([`Sched`]: allp, allm, the global run queue,
//! the idle P list, sysmon's pacing), kept apart from the object store (goroutines, channels, locks,
//! timers, heap) that the operations change. Function names follow proc.go, split along its own seams:
//!
//! - this file: P and M, `schedt`, and the queue functions that touch only the scheduler's state
//!   (`runqput`/`runqputslow`, `globrunqget`, `runqgrab`, `pidleput`);
//! - `schedule.rs`: `wakep`, `startm`, `mstart`, `schedule`, `execute`, `findRunnable`, `stealWork`;
//! - `park.rs`: `gopark`, `goready`/`ready`, `goschedImpl`, and a timer readying its goroutine;
//! - `syscall.rs`: `entersyscall`, `exitsyscall`, `handoffp`;
//! - `sysmon.rs`: `sysmon`, `retake`, preemption;
//! - `procresize.rs`: `procresize` (GOMAXPROCS changes) and `(*p).destroy`;
//! - `invariants.rs`: what proc.go asserts (run-queue membership, the idle P list, M/P pairing).

use std::collections::VecDeque;

use super::g::GoId;
use super::trace::{MId, PId, Placement, Source};
use crate::sim::time::Nanos;

/// Slots in a P's local run queue (`p.runq [256]guintptr`).
pub const LOCAL_RUNQ_SIZE: usize = 256;
/// Every this many schedules, the global queue is checked first (fairness).
pub const GLOBAL_CHECK_EVERY: u64 = 61;
/// Passes over all Ps when stealing (`stealTries`).
pub const STEAL_TRIES: u32 = 4;
/// At most this many threads (`sched.maxmcount`).
pub const MAX_THREADS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PStatus {
    /// `_Pidle`: on the idle list, no M.
    Idle,
    /// `_Prunning`: owned by an M, running `curg` or looking for work.
    Running,
    /// `_Psyscall`: its M is in a (fast) syscall; sysmon may retake it.
    Syscall,
    /// `_Pdead`: beyond GOMAXPROCS.
    Dead,
}

#[derive(Clone, Debug)]
pub struct Processor {
    pub id: PId,
    pub status: PStatus,
    pub m: Option<MId>,
    pub curg: Option<GoId>,
    pub runnext: Option<GoId>,
    pub runq: VecDeque<GoId>,
    /// Incremented on every schedule that does not inherit a time slice.
    pub schedtick: u64,
    pub syscalltick: u64,
    /// Cancels this P's pending Run event when its goroutine is preempted or the P changes hands.
    pub epoch: u64,
    /// sysmon's last observation of schedtick, and when it changed.
    pub sysmon_tick: (u64, Nanos),
    /// sysmon's last observation of syscalltick, and when it changed.
    pub sysmon_sys: (u64, Nanos),
    /// Time spent running goroutines, for the proc timeline.
    pub busy: Nanos,
}

impl Processor {
    pub(crate) fn new(id: PId) -> Self {
        Processor {
            id,
            status: PStatus::Idle,
            m: None,
            curg: None,
            runnext: None,
            runq: VecDeque::with_capacity(16),
            schedtick: 0,
            syscalltick: 0,
            epoch: 0,
            sysmon_tick: (0, 0),
            sysmon_sys: (u64::MAX, 0),
            busy: 0,
        }
    }

    pub fn has_local_work(&self) -> bool {
        self.runnext.is_some() || !self.runq.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MState {
    /// Parked in stopm, waiting to be handed a P.
    Idle,
    /// Being woken for `p` (takes `wake_thread` ns).
    Waking,
    /// Looking for work with a P, not yet running a goroutine.
    Spinning,
    Running,
    /// In a syscall with goroutine `g`.
    Syscall(GoId),
}

#[derive(Clone, Debug)]
pub struct Machine {
    pub id: MId,
    pub state: MState,
    pub p: Option<PId>,
    /// The P it had when it entered a syscall, to try to get back on exit.
    pub oldp: Option<PId>,
}

mod invariants;
mod park;
mod procresize;
mod schedule;
mod syscall;
mod sysmon;

pub(crate) use sysmon::SYSMON_MIN_DELAY;

/// `schedt` plus `allp` and `allm`: the scheduler's own state, apart from the objects goroutines use.
#[derive(Clone, Debug)]
pub(crate) struct Sched {
    /// `allp`: every P, dead ones (beyond GOMAXPROCS) included.
    pub(crate) allp: Vec<Processor>,
    /// `allm`: every thread ever started (they are never freed, as in Go).
    pub(crate) allm: Vec<Machine>,
    /// `sched.runq`: the global run queue.
    pub(crate) runq: VecDeque<GoId>,
    /// `sched.pidle`: idle Ps, a LIFO list.
    pub(crate) pidle: Vec<PId>,
    /// sysmon has a tick pending.
    pub(crate) sysmon_pending: bool,
    /// sysmon's current sleep, and how many rounds in a row it retook nothing.
    pub(crate) sysmon_delay: Nanos,
    pub(crate) sysmon_idle: u32,
    /// Cache for work stealing's random order: [n, strides coprime with n...].
    pub(crate) coprimes: Vec<u32>,
}

impl Sched {
    /// `n` Ps; P0 is taken by main's thread M0, the others are idle (`schedinit`'s `procresize`).
    pub(crate) fn new(n: u32) -> Self {
        let mut allp: Vec<Processor> = (0..n).map(Processor::new).collect();
        allp[0].status = PStatus::Running;
        allp[0].m = Some(0);
        Sched {
            allp,
            allm: vec![Machine {
                id: 0,
                state: MState::Running,
                p: Some(0),
                oldp: None,
            }],
            runq: VecDeque::new(),
            // Idle Ps form a LIFO list.
            pidle: (1..n).rev().collect(),
            sysmon_pending: false,
            sysmon_delay: SYSMON_MIN_DELAY,
            sysmon_idle: 0,
            coprimes: Vec::new(),
        }
    }

    /// Ps not beyond GOMAXPROCS.
    pub(crate) fn gomaxprocs(&self) -> u32 {
        self.allp
            .iter()
            .filter(|p| p.status != PStatus::Dead)
            .count() as u32
    }

    /// `sched.nmspinning`: threads looking for work (a waking thread will spin).
    pub(crate) fn nmspinning(&self) -> u32 {
        self.allm
            .iter()
            .filter(|m| matches!(m.state, MState::Spinning | MState::Waking))
            .count() as u32
    }

    /// Whether any run queue, local or global, holds a goroutine.
    pub(crate) fn runnable_anywhere(&self) -> bool {
        !self.runq.is_empty() || self.allp.iter().any(|p| p.has_local_work())
    }

    /// Goroutines waiting in any run queue.
    pub(crate) fn runnable_count(&self) -> usize {
        self.runq.len()
            + self
                .allp
                .iter()
                .map(|p| p.runq.len() + p.runnext.is_some() as usize)
                .sum::<usize>()
    }

    /// `runqput`: into runnext (kicking the old one to the tail) or onto the local tail; a full local
    /// queue sends half of itself plus the goroutine to the global queue (`runqputslow`).
    pub(crate) fn runqput(&mut self, p: PId, g: GoId, next: bool) -> Placement {
        let pp = &mut self.allp[p as usize];
        let (g, kicked) = if next {
            match pp.runnext.replace(g) {
                None => return Placement::Runnext { p, kicked: None },
                Some(old) => (old, Some(old)),
            }
        } else {
            (g, None)
        };
        if pp.runq.len() < LOCAL_RUNQ_SIZE {
            pp.runq.push_back(g);
            return match kicked {
                Some(k) => Placement::Runnext { p, kicked: Some(k) },
                None => Placement::LocalTail { p },
            };
        }
        let half: Vec<GoId> = pp.runq.drain(..LOCAL_RUNQ_SIZE / 2).collect();
        let moved = half.len() as u32 + 1;
        self.runq.extend(half);
        self.runq.push_back(g);
        Placement::GlobalOverflow { p, moved }
    }

    /// `pidleput`: `p` goes on the idle list with no M and no goroutine.
    pub(crate) fn pidleput(&mut self, p: PId) {
        let pp = &mut self.allp[p as usize];
        pp.status = PStatus::Idle;
        pp.m = None;
        pp.curg = None;
        pp.epoch += 1;
        self.pidle.push(p);
    }

    /// `globrunqget`: take min(128, n, n/GOMAXPROCS + 1) goroutines; the first runs, the rest go to the
    /// local queue.
    pub(crate) fn globrunqget(&mut self, p: PId) -> Option<(GoId, Source)> {
        let len = self.runq.len() as u32;
        if len == 0 {
            return None;
        }
        let n = len.min(128).min(len / self.gomaxprocs().max(1) + 1);
        let first = self.runq.pop_front()?;
        for _ in 1..n {
            match self.runq.pop_front() {
                Some(g) => self.allp[p as usize].runq.push_back(g),
                None => break,
            }
        }
        Some((first, Source::GlobalBatch { n }))
    }

    /// `runqgrab`: take n - n/2 of the victim's local queue (and its runnext on the last pass).
    pub(crate) fn runqsteal(
        &mut self,
        thief: PId,
        victim: PId,
        with_runnext: bool,
    ) -> Option<(GoId, Source)> {
        let vp = &mut self.allp[victim as usize];
        let n = vp.runq.len();
        let mut grabbed: Vec<GoId> = if n > 0 {
            vp.runq.drain(..n - n / 2).collect()
        } else if with_runnext {
            vp.runnext.take().into_iter().collect()
        } else {
            Vec::new()
        };
        if grabbed.is_empty() {
            return None;
        }
        let count = grabbed.len() as u32;
        // The last one grabbed runs; the others go onto the thief's queue.
        let run = grabbed.pop()?;
        self.allp[thief as usize].runq.extend(grabbed);
        Some((run, Source::Stolen { victim, n: count }))
    }
}
