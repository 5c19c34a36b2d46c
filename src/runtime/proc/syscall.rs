//! Syscalls, after proc.go: `entersyscall` leaves the P in `_Psyscall` (a fast call) or hands it off
//! at once (`entersyscallblock`); `exitsyscall` takes the old P back if sysmon left it, else an idle
//! P, else queues the goroutine globally; `handoffp` gives a P whose thread is blocked to a new
//! thread when there is work.

use super::{MState, PStatus};
use crate::runtime::g::{GStatus, GoId};
use crate::runtime::ir::SyscallKind;
use crate::runtime::trace::{MId, PId, TraceEvent};
use crate::runtime::world::{Ev, Runtime};
use crate::sim::time::Nanos;

impl Runtime {
    /// `entersyscall`: the goroutine and its thread block for `d`; a blocking call hands the P off at
    /// once, a fast one leaves it in _Psyscall for sysmon to retake.
    pub(crate) fn entersyscall(&mut self, p: PId, g: GoId, d: Nanos, kind: SyscallKind) {
        let m = self.sched.allp[p as usize].m.unwrap_or(0);
        self.store.allgs[g as usize].status = GStatus::Syscall;
        let mm = &mut self.sched.allm[m as usize];
        mm.state = MState::Syscall(g);
        mm.oldp = Some(p);
        let pp = &mut self.sched.allp[p as usize];
        pp.curg = None;
        pp.syscalltick += 1;
        pp.epoch += 1;
        let blocking = kind == SyscallKind::Blocking;
        self.emit(TraceEvent::SyscallEnter { g, p, m, blocking });
        self.push_live(self.now.saturating_add(d), Ev::SyscallDone { m, g });
        if blocking {
            self.sched.allm[m as usize].p = None;
            self.handoffp(p);
        } else {
            self.sched.allp[p as usize].status = PStatus::Syscall;
        }
    }

    /// `exitsyscall`: keep the P if sysmon did not take it, else take an idle P, else queue the
    /// goroutine globally and stop the thread.
    pub(crate) fn exitsyscall(&mut self, m: MId, g: GoId) {
        let oldp = self.sched.allm[m as usize].oldp.take();
        self.sched.allm[m as usize].state = MState::Running;
        if let Some(p) = oldp {
            let pp = &mut self.sched.allp[p as usize];
            if pp.status == PStatus::Syscall && pp.m == Some(m) {
                pp.status = PStatus::Running;
                pp.syscalltick += 1;
                self.sched.allm[m as usize].p = Some(p);
                self.emit(TraceEvent::SyscallExit { g, m, p: Some(p) });
                self.resume_after_syscall(p, m, g);
                return;
            }
        }
        if let Some(p) = self.sched.pidle.pop() {
            let pp = &mut self.sched.allp[p as usize];
            pp.status = PStatus::Running;
            pp.m = Some(m);
            self.sched.allm[m as usize].p = Some(p);
            self.emit(TraceEvent::SyscallExit { g, m, p: Some(p) });
            self.resume_after_syscall(p, m, g);
            self.wake_sysmon();
            return;
        }
        // exitsyscall0: no P; the goroutine waits in the global queue and the thread stops.
        self.store.allgs[g as usize].status = GStatus::Runnable;
        self.sched.runq.push_back(g);
        let mm = &mut self.sched.allm[m as usize];
        mm.state = MState::Idle;
        mm.p = None;
        self.emit(TraceEvent::SyscallExit { g, m, p: None });
        self.wakep();
    }

    /// The goroutine back from its syscall runs on `p` again.
    fn resume_after_syscall(&mut self, p: PId, m: MId, g: GoId) {
        self.store.allgs[g as usize].status = GStatus::Running;
        let pp = &mut self.sched.allp[p as usize];
        pp.curg = Some(g);
        pp.epoch += 1;
        let epoch = pp.epoch;
        self.sched.allm[m as usize].state = MState::Running;
        self.push_live(self.now, Ev::Run { p, epoch });
    }

    /// `handoffp`: a P whose thread is blocked in a syscall gets a new thread if there is work for it;
    /// otherwise it goes idle.
    pub(crate) fn handoffp(&mut self, p: PId) {
        let pp = &mut self.sched.allp[p as usize];
        pp.m = None;
        pp.curg = None;
        pp.epoch += 1;
        if pp.has_local_work() || !self.sched.runq.is_empty() {
            self.startm(p, false);
        } else if self.sched.nmspinning() == 0 && self.sched.runnable_anywhere() {
            self.startm(p, true);
        } else {
            self.sched.pidleput(p);
        }
    }
}
