//! Ps, Ms and the scheduler: runqput with runnext, the 256-slot local queue and its overflow to the
//! global queue, findRunnable's order, work stealing, spinning threads and wakep, handoffp, and sysmon's
//! retake of long-running goroutines and Ps stuck in syscalls. Function names follow proc.go.

use std::collections::VecDeque;

use super::g::{GStatus, GoId};
use super::trace::{MId, PId, Placement, Source, TraceEvent};
use super::world::{Ev, Runtime};
use crate::sim::time::Nanos;

/// Slots in a P's local run queue (`p.runq [256]guintptr`).
pub const LOCAL_RUNQ_SIZE: usize = 256;
/// Every this many schedules, the global queue is checked first (fairness).
pub const GLOBAL_CHECK_EVERY: u64 = 61;
/// Passes over all Ps when stealing (`stealTries`).
pub const STEAL_TRIES: u32 = 4;
/// sysmon preempts a goroutine that has run this long (`forcePreemptNS`).
pub const FORCE_PREEMPT_NS: Nanos = 10_000_000;
/// sysmon's shortest and longest sleep.
pub const SYSMON_MIN_DELAY: Nanos = 20_000;
pub const SYSMON_MAX_DELAY: Nanos = 10_000_000;
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
    pub(crate) fn new_pub(id: PId) -> Self {
        Self::new(id)
    }

    fn new(id: PId) -> Self {
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

impl Runtime {
    pub(crate) fn init_procs(&mut self, n: u32) {
        self.ps = (0..n).map(Processor::new).collect();
        // Idle Ps form a LIFO list; P0 is taken by main's thread.
        self.pidle = (1..n).rev().collect();
        self.ms.push(Machine {
            id: 0,
            state: MState::Running,
            p: Some(0),
            oldp: None,
        });
        self.ps[0].status = PStatus::Running;
        self.ps[0].m = Some(0);
    }

    pub(crate) fn gomaxprocs(&self) -> u32 {
        self.ps.iter().filter(|p| p.status != PStatus::Dead).count() as u32
    }

    pub(crate) fn nmspinning(&self) -> u32 {
        self.ms
            .iter()
            .filter(|m| matches!(m.state, MState::Spinning | MState::Waking))
            .count() as u32
    }

    /// `runqput`: into runnext (kicking the old one to the tail) or onto the local tail; a full local
    /// queue sends half of itself plus the goroutine to the global queue (`runqputslow`).
    pub(crate) fn runqput(&mut self, p: PId, g: GoId, next: bool) -> Placement {
        let pp = &mut self.ps[p as usize];
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
        self.global.extend(half);
        self.global.push_back(g);
        Placement::GlobalOverflow { p, moved }
    }

    /// Makes `g` runnable on `p` (`goready` → `ready`): into runnext, then wakep.
    pub(crate) fn ready(&mut self, g: GoId, by: GoId, p: PId) {
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Runnable;
        gg.wait = None;
        let at = self.runqput(p, g, true);
        self.emit(TraceEvent::GoReady { g, by, at });
        self.wakep();
    }

    /// `wakep`: if no thread is spinning and a P is idle, start a thread spinning on it.
    pub(crate) fn wakep(&mut self) {
        if self.nmspinning() > 0 {
            return;
        }
        let Some(p) = self.pidle.pop() else { return };
        self.startm(p, true);
    }

    /// `startm`: wake an idle M (or create one) for `p`; it runs after `wake_thread` ns.
    pub(crate) fn startm(&mut self, p: PId, spinning: bool) {
        let m = match self.ms.iter().position(|m| m.state == MState::Idle) {
            Some(i) => i as MId,
            None => {
                if self.ms.len() >= MAX_THREADS {
                    self.fatal("thread exhaustion");
                    return;
                }
                self.ms.push(Machine {
                    id: self.ms.len() as MId,
                    state: MState::Idle,
                    p: None,
                    oldp: None,
                });
                (self.ms.len() - 1) as MId
            }
        };
        let mm = &mut self.ms[m as usize];
        mm.state = if spinning {
            MState::Waking
        } else {
            MState::Running
        };
        mm.p = Some(p);
        let pp = &mut self.ps[p as usize];
        pp.status = PStatus::Running;
        pp.m = Some(m);
        pp.curg = None;
        pp.epoch += 1;
        let at = self.now.saturating_add(self.costs.wake_thread);
        self.push_live(at, Ev::MStart { m, p });
        if spinning {
            self.emit(TraceEvent::Wakep { p, m });
        }
        self.wake_sysmon();
    }

    /// The thread for `p` has woken: look for work.
    pub(crate) fn mstart(&mut self, m: MId, p: PId) {
        if self.ms[m as usize].state == MState::Waking {
            self.ms[m as usize].state = MState::Spinning;
        }
        self.schedule(p);
    }

    /// `handoffp`: a P whose thread is blocked in a syscall gets a new thread if there is work for it;
    /// otherwise it goes idle.
    pub(crate) fn handoffp(&mut self, p: PId) {
        let pp = &mut self.ps[p as usize];
        pp.m = None;
        pp.curg = None;
        pp.epoch += 1;
        if pp.has_local_work() || !self.global.is_empty() {
            self.startm(p, false);
        } else if self.nmspinning() == 0 && self.runnable_anywhere() {
            self.startm(p, true);
        } else {
            self.pidleput(p);
        }
    }

    fn runnable_anywhere(&self) -> bool {
        !self.global.is_empty() || self.ps.iter().any(|p| p.has_local_work())
    }

    fn pidleput(&mut self, p: PId) {
        let pp = &mut self.ps[p as usize];
        pp.status = PStatus::Idle;
        pp.m = None;
        pp.curg = None;
        pp.epoch += 1;
        self.pidle.push(p);
    }

    /// `schedule`: find a goroutine for `p` and run it, or let `p` go idle.
    pub(crate) fn schedule(&mut self, p: PId) {
        if self.exit.is_some() {
            return;
        }
        let m = match self.ps[p as usize].m {
            Some(m) => m,
            None => return,
        };
        let spinning = self.ms[m as usize].state == MState::Spinning;
        match self.find_runnable(p, spinning) {
            Some((g, from)) => {
                if self.ms[m as usize].state == MState::Spinning {
                    // resetspinning: this thread found work; maybe there is more for another.
                    self.ms[m as usize].state = MState::Running;
                    if self.runnable_anywhere() {
                        self.wakep();
                    }
                }
                self.ms[m as usize].state = MState::Running;
                self.execute(p, m, g, from);
            }
            None => {
                self.ms[m as usize].state = MState::Idle;
                self.ms[m as usize].p = None;
                self.pidleput(p);
                self.emit(TraceEvent::PIdle { p });
            }
        }
    }

    /// `execute`: `g` runs on `p`; taking it from runnext inherits the time slice.
    fn execute(&mut self, p: PId, m: MId, g: GoId, from: Source) {
        let inherit = from == Source::Runnext;
        let pp = &mut self.ps[p as usize];
        if !inherit {
            pp.schedtick += 1;
        }
        pp.curg = Some(g);
        pp.epoch += 1;
        let epoch = pp.epoch;
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Running;
        gg.wait = None;
        if !inherit {
            gg.slice_start = self.now;
        }
        let at = self.now.saturating_add(self.costs.sched_switch);
        self.push_live(at, Ev::Run { p, epoch });
        self.emit(TraceEvent::GoStart { g, p, m, from });
    }

    /// `findRunnable`'s order: the global queue every 61st tick, runnext, the local queue, a batch
    /// from the global queue, then stealing from other Ps.
    fn find_runnable(&mut self, p: PId, spinning: bool) -> Option<(GoId, Source)> {
        let tick = self.ps[p as usize].schedtick;
        if tick % GLOBAL_CHECK_EVERY == 0 && tick > 0 {
            if let Some(g) = self.global.pop_front() {
                return Some((g, Source::GlobalFair));
            }
        }
        let pp = &mut self.ps[p as usize];
        if let Some(g) = pp.runnext.take() {
            return Some((g, Source::Runnext));
        }
        if let Some(g) = pp.runq.pop_front() {
            return Some((g, Source::LocalQueue));
        }
        if let Some(r) = self.globrunqget(p) {
            return Some(r);
        }
        // Spin and steal only if this thread is already spinning or few others are
        // (2*nmspinning < GOMAXPROCS - npidle).
        let nprocs = self.gomaxprocs();
        let npidle = self.pidle.len() as u32;
        if spinning || 2 * self.nmspinning() < nprocs.saturating_sub(npidle) {
            if let Some(r) = self.steal_work(p) {
                return Some(r);
            }
        }
        None
    }

    /// `globrunqget`: take min(128, n, n/GOMAXPROCS + 1) goroutines; the first runs, the rest go to the
    /// local queue.
    fn globrunqget(&mut self, p: PId) -> Option<(GoId, Source)> {
        let len = self.global.len() as u32;
        if len == 0 {
            return None;
        }
        let n = len.min(128).min(len / self.gomaxprocs().max(1) + 1);
        let first = self.global.pop_front()?;
        for _ in 1..n {
            match self.global.pop_front() {
                Some(g) => {
                    self.ps[p as usize].runq.push_back(g);
                }
                None => break,
            }
        }
        Some((first, Source::GlobalBatch { n }))
    }

    /// `stealWork`: four passes over the Ps in a random order (start at a random P, stride coprime with
    /// GOMAXPROCS), skipping idle ones; steal half a victim's local queue; only the last pass also takes
    /// a victim's runnext.
    fn steal_work(&mut self, thief: PId) -> Option<(GoId, Source)> {
        let n = self.ps.len() as u32;
        if n <= 1 {
            return None;
        }
        if self.coprimes.first() != Some(&n) {
            // randomOrder's strides: the numbers coprime with n (cached; n is stored first).
            self.coprimes = std::iter::once(n)
                .chain((1..=n).filter(|c| gcd(*c, n) == 1))
                .collect();
        }
        for pass in 0..STEAL_TRIES {
            let last = pass == STEAL_TRIES - 1;
            let start = self.rng.below(n as u64) as u32;
            let k = self.rng.below(self.coprimes.len() as u64 - 1) as usize;
            let stride = self.coprimes[1 + k];
            for victim in random_order(n, start, stride) {
                if victim != thief && self.ps[victim as usize].status == PStatus::Running {
                    if let Some(r) = self.runqsteal(thief, victim, last) {
                        return Some(r);
                    }
                }
            }
        }
        None
    }

    /// `runqgrab`: take n - n/2 of the victim's local queue (and its runnext on the last pass).
    fn runqsteal(&mut self, thief: PId, victim: PId, with_runnext: bool) -> Option<(GoId, Source)> {
        let vp = &mut self.ps[victim as usize];
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
        self.ps[thief as usize].runq.extend(grabbed);
        Some((run, Source::Stolen { victim, n: count }))
    }

    /// sysmon: retake Ps from goroutines that ran 10 ms and from threads stuck in syscalls, then sleep
    /// 20 µs, doubling after 50 idle rounds up to 10 ms. It stops while no P runs.
    pub(crate) fn sysmon(&mut self) {
        self.sysmon_pending = false;
        let mut retook = false;
        for p in 0..self.ps.len() as PId {
            retook |= self.retake(p);
        }
        if retook {
            self.sysmon_idle = 0;
            self.sysmon_delay = SYSMON_MIN_DELAY;
        } else {
            self.sysmon_idle += 1;
            if self.sysmon_idle > 50 {
                self.sysmon_delay = (self.sysmon_delay * 2).min(SYSMON_MAX_DELAY);
            }
        }
        let anything = self
            .ps
            .iter()
            .any(|p| matches!(p.status, PStatus::Running | PStatus::Syscall));
        if anything {
            self.sysmon_pending = true;
            let at = self.now.saturating_add(self.sysmon_delay);
            self.events.push(at, Ev::Sysmon);
        }
    }

    /// Restarts sysmon's ticking when a P becomes busy.
    pub(crate) fn wake_sysmon(&mut self) {
        if !self.sysmon_pending {
            self.sysmon_pending = true;
            self.sysmon_delay = SYSMON_MIN_DELAY;
            self.sysmon_idle = 0;
            let at = self.now.saturating_add(SYSMON_MIN_DELAY);
            self.events.push(at, Ev::Sysmon);
        }
    }

    fn retake(&mut self, p: PId) -> bool {
        let now = self.now;
        let spare = self.nmspinning() + self.pidle.len() as u32 > 0;
        let pp = &mut self.ps[p as usize];
        match pp.status {
            PStatus::Running => {
                let Some(g) = pp.curg else { return false };
                if pp.sysmon_tick.0 != pp.schedtick {
                    pp.sysmon_tick = (pp.schedtick, now);
                }
                // Runnext handoffs share a slice, so the slice started at the last schedtick change
                // or later.
                let ran = now - self.gs[g as usize].slice_start;
                if ran >= FORCE_PREEMPT_NS {
                    self.preempt(p, g, ran);
                    return true;
                }
                false
            }
            PStatus::Syscall => {
                // Retake only after sysmon has seen the same syscall for at least one tick (20 µs).
                if pp.sysmon_sys.0 != pp.syscalltick {
                    pp.sysmon_sys = (pp.syscalltick, now);
                    return false;
                }
                let local = pp.has_local_work();
                let in_syscall = now - pp.sysmon_sys.1;
                if !local && spare && in_syscall < FORCE_PREEMPT_NS {
                    return false;
                }
                let m = pp.m.unwrap_or(0);
                self.ms[m as usize].p = None;
                self.emit(TraceEvent::Retake { p, m });
                self.handoffp(p);
                true
            }
            _ => false,
        }
    }

    /// Preempts `g` on `p`: like Gosched, it goes to the global queue's tail.
    fn preempt(&mut self, p: PId, g: GoId, ran: Nanos) {
        self.save_compute_left(p, g);
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Runnable;
        self.global.push_back(g);
        self.ps[p as usize].curg = None;
        self.ps[p as usize].epoch += 1;
        self.emit(TraceEvent::GoPreempt { g, p, ran });
        self.schedule(p);
    }
}

/// `randomOrder`: start, start+stride, ... mod n. With a stride coprime with n it visits every P
/// exactly once (and takes no division per step).
fn random_order(n: u32, start: u32, stride: u32) -> impl Iterator<Item = u32> {
    let mut victim = start;
    (0..n).map(move |_| {
        let v = victim;
        victim += stride;
        if victim >= n {
            victim -= n;
        }
        v
    })
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every coprime stride from every start visits each P exactly once, as stealWork's random order
    /// must.
    #[test]
    fn random_order_with_a_coprime_stride_visits_every_p_once() {
        for n in 1..=12u32 {
            for stride in (1..=n).filter(|s| gcd(*s, n) == 1) {
                for start in 0..n {
                    let mut seen: Vec<u32> = random_order(n, start, stride).collect();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "n={n} stride={stride}");
                }
            }
        }
    }
}
