//! Parking and readying goroutines, after proc.go: `gopark` takes a goroutine off its P to wait,
//! `goready` puts it back in a run queue (runnext, so it runs next on the waker's P), and
//! `goschedImpl` sends a running goroutine to the global queue.

use super::PStatus;
use crate::runtime::g::{GStatus, GoId, Resume, WaitReason};
use crate::runtime::ir::ChanId;
use crate::runtime::trace::{PId, Placement, TraceEvent};
use crate::runtime::world::Runtime;

impl Runtime {
    /// `gopark`: `g` waits for `reason` (on `chan`, for the views). The P schedules another goroutine
    /// once the operation's cost has passed.
    pub(crate) fn park(&mut self, p: PId, g: GoId, reason: WaitReason, chan: Option<ChanId>) {
        let gg = &mut self.store.allgs[g as usize];
        gg.status = GStatus::Waiting;
        gg.wait = Some(reason);
        self.emit(TraceEvent::GoPark { g, p, reason, chan });
    }

    /// `goready` → `ready`: `g` (readied by `by`) goes into `p`'s runnext, then wakep.
    pub(crate) fn ready(&mut self, g: GoId, by: GoId, p: PId) {
        let gg = &mut self.store.allgs[g as usize];
        gg.status = GStatus::Runnable;
        gg.wait = None;
        let at = self.sched.runqput(p, g, true);
        self.emit(TraceEvent::GoReady { g, by, at });
        self.wakep();
    }

    /// Readies `target` (woken by `by` on `p`) with what it will find when it runs.
    pub(crate) fn wake(&mut self, p: PId, by: GoId, target: GoId, resume: Resume) {
        self.store.allgs[target as usize].resume = resume;
        self.ready(target, by, p);
    }

    /// `goschedImpl`: the running `g` gives up its P and waits at the global queue's tail.
    pub(crate) fn gosched(&mut self, p: PId, g: GoId) {
        self.store.allgs[g as usize].status = GStatus::Runnable;
        self.sched.runq.push_back(g);
        self.emit(TraceEvent::GoSched { g, p });
    }

    /// A sleeping goroutine's timer fired: it is readied on the P that owns the timer, or, if that P
    /// is idle, the P wakes to run it; a P that is neither sends it to the global queue.
    pub(crate) fn timer_fired(&mut self, g: GoId, p: PId) {
        if self.store.allgs[g as usize].status != GStatus::Waiting {
            return;
        }
        if self.sched.allp[p as usize].status == PStatus::Running {
            self.ready(g, 0, p);
        } else if let Some(i) = self.sched.pidle.iter().position(|&q| q == p) {
            // The owner is idle: it wakes to run its timer.
            self.sched.pidle.remove(i);
            self.make_runnable(g);
            let at = self.sched.runqput(p, g, true);
            self.emit(TraceEvent::GoReady { g, by: 0, at });
            self.startm(p, false);
        } else {
            self.make_runnable(g);
            self.sched.runq.push_back(g);
            self.emit(TraceEvent::GoReady {
                g,
                by: 0,
                at: Placement::GlobalTail,
            });
            self.wakep();
        }
    }

    fn make_runnable(&mut self, g: GoId) {
        let gg = &mut self.store.allgs[g as usize];
        gg.status = GStatus::Runnable;
        gg.wait = None;
    }
}
