//! sysmon, proc.go's monitor thread: it retakes Ps from goroutines that ran too long and from threads
//! stuck in syscalls, sleeping between rounds.

use super::PStatus;
use crate::runtime::g::{GStatus, GoId};
use crate::runtime::trace::{PId, TraceEvent};
use crate::runtime::world::{Ev, Runtime};
use crate::sim::time::Nanos;

/// sysmon preempts a goroutine that has run this long (`forcePreemptNS`).
pub const FORCE_PREEMPT_NS: Nanos = 10_000_000;
/// sysmon's shortest and longest sleep.
pub const SYSMON_MIN_DELAY: Nanos = 20_000;
pub const SYSMON_MAX_DELAY: Nanos = 10_000_000;

impl Runtime {
    /// sysmon: retake Ps from goroutines that ran 10 ms and from threads stuck in syscalls, then sleep
    /// 20 µs, doubling after 50 idle rounds up to 10 ms. It stops while no P runs.
    pub(crate) fn sysmon(&mut self) {
        self.sched.sysmon_pending = false;
        let mut retook = false;
        for p in 0..self.sched.allp.len() as PId {
            retook |= self.retake(p);
        }
        if retook {
            self.sched.sysmon_idle = 0;
            self.sched.sysmon_delay = SYSMON_MIN_DELAY;
        } else {
            self.sched.sysmon_idle += 1;
            if self.sched.sysmon_idle > 50 {
                self.sched.sysmon_delay = (self.sched.sysmon_delay * 2).min(SYSMON_MAX_DELAY);
            }
        }
        let anything = self
            .sched
            .allp
            .iter()
            .any(|p| matches!(p.status, PStatus::Running | PStatus::Syscall));
        if anything {
            self.sched.sysmon_pending = true;
            let at = self.now.saturating_add(self.sched.sysmon_delay);
            self.events.push(at, Ev::Sysmon);
        }
    }

    /// Restarts sysmon's ticking when a P becomes busy.
    pub(crate) fn wake_sysmon(&mut self) {
        if !self.sched.sysmon_pending {
            self.sched.sysmon_pending = true;
            self.sched.sysmon_delay = SYSMON_MIN_DELAY;
            self.sched.sysmon_idle = 0;
            let at = self.now.saturating_add(SYSMON_MIN_DELAY);
            self.events.push(at, Ev::Sysmon);
        }
    }

    /// `retake`: preempt `p`'s goroutine if it ran a whole slice; hand `p` off if its thread has sat
    /// in a syscall for a tick and there is work for it or no spare thread.
    fn retake(&mut self, p: PId) -> bool {
        let now = self.now;
        let spare = self.sched.nmspinning() + self.sched.pidle.len() as u32 > 0;
        let pp = &mut self.sched.allp[p as usize];
        match pp.status {
            PStatus::Running => {
                let Some(g) = pp.curg else { return false };
                if pp.sysmon_tick.0 != pp.schedtick {
                    pp.sysmon_tick = (pp.schedtick, now);
                }
                // Runnext handoffs share a slice, so the slice started at the last schedtick change
                // or later.
                let ran = now - self.store.allgs[g as usize].slice_start;
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
                self.sched.allm[m as usize].p = None;
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
        let gg = &mut self.store.allgs[g as usize];
        gg.status = GStatus::Runnable;
        self.sched.runq.push_back(g);
        self.sched.allp[p as usize].curg = None;
        self.sched.allp[p as usize].epoch += 1;
        self.emit(TraceEvent::GoPreempt { g, p, ran });
        self.schedule(p);
    }
}
