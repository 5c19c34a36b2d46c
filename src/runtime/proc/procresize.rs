//! `procresize`, after proc.go: GOMAXPROCS changes with the world stopped. Ps beyond the new count
//! are destroyed (`(*p).destroy`: their goroutines go to the head of the global queue), new Ps start
//! idle, and the calling goroutine keeps running, on another P if its own was removed.

use super::{MState, PStatus, Processor};
use crate::runtime::g::{GStatus, GoId};
use crate::runtime::trace::{PId, TraceEvent};
use crate::runtime::world::{Ev, Runtime};

impl Runtime {
    /// `procresize`: `g`, running on `p`, sets GOMAXPROCS to `n`.
    pub(crate) fn procresize(&mut self, p: PId, g: GoId, n: u32) {
        let before = self.sched.gomaxprocs();
        let total = self.sched.allp.len() as u32;
        for id in total..n {
            // A new P starts dead and is revived below onto the idle list, as procresize's new Ps
            // end up there (`pidleput`).
            let mut pp = Processor::new(id);
            pp.status = PStatus::Dead;
            self.sched.allp.push(pp);
        }
        for id in 0..self.sched.allp.len() as u32 {
            let alive = id < n;
            let pp = &mut self.sched.allp[id as usize];
            if alive && pp.status == PStatus::Dead {
                pp.status = PStatus::Idle;
                self.sched.pidle.push(id);
            } else if !alive && pp.status != PStatus::Dead {
                self.destroy_p(id, p, g);
            }
        }
        self.emit(TraceEvent::ProcResize {
            from: before,
            to: n,
        });
        // The calling goroutine keeps running; if its own P was removed it moves to a live one.
        let cost = self.costs.sched_switch * 10;
        if p < n {
            let epoch = self.sched.allp[p as usize].epoch + 1;
            self.sched.allp[p as usize].epoch = epoch;
            self.push_live(self.now.saturating_add(cost), Ev::Run { p, epoch });
        } else {
            self.move_caller(p, g, cost);
        }
        self.wakep();
    }

    /// `(*p).destroy`: P `id` goes dead; its goroutine (unless it is the caller `g`), runnext and
    /// local queue move, in that order, to the head of the global queue, and its thread stops.
    fn destroy_p(&mut self, id: PId, p: PId, g: GoId) {
        let pp = &mut self.sched.allp[id as usize];
        let mut moved: Vec<GoId> = Vec::new();
        let curg = pp.curg.take();
        moved.extend(pp.runnext.take());
        moved.extend(pp.runq.drain(..));
        let pm = pp.m.take();
        if let Some(cg) = curg.filter(|&cg| cg != g) {
            // The world stops: a goroutine running on a removed P is preempted.
            let ran = self
                .now
                .saturating_sub(self.store.allgs[cg as usize].slice_start);
            self.save_compute_left(id, cg);
            self.emit(TraceEvent::GoPreempt { g: cg, p: id, ran });
            moved.insert(0, cg);
        }
        for x in moved.into_iter().rev() {
            self.store.allgs[x as usize].status = GStatus::Runnable;
            self.sched.runq.push_front(x);
        }
        // Its thread stops, unless it is the caller's: that one carries the caller to another P.
        if let Some(m) = pm.filter(|_| id != p) {
            self.sched.allm[m as usize].state = MState::Idle;
            self.sched.allm[m as usize].p = None;
        }
        let pp = &mut self.sched.allp[id as usize];
        pp.status = PStatus::Dead;
        pp.epoch += 1;
        self.sched.pidle.retain(|&q| q != id);
    }

    /// The caller's P `p` was removed: its thread (still holding `p`) takes an idle P, preempting
    /// whatever that P ran, and `g` continues there after `cost`.
    fn move_caller(&mut self, p: PId, g: GoId, cost: crate::sim::time::Nanos) {
        let m = self
            .sched
            .allm
            .iter()
            .position(|mm| mm.p == Some(p))
            .unwrap_or(0) as u32;
        let target = self.sched.pidle.pop().unwrap_or(0);
        if let Some(other) = self.sched.allp[target as usize].curg.take() {
            self.save_compute_left(target, other);
            self.store.allgs[other as usize].status = GStatus::Runnable;
            self.sched.runq.push_front(other);
            let ran = self
                .now
                .saturating_sub(self.store.allgs[other as usize].slice_start);
            self.emit(TraceEvent::GoPreempt {
                g: other,
                p: target,
                ran,
            });
        }
        // With no idle P the caller takes a running one: that P's thread stops.
        if let Some(om) = self.sched.allp[target as usize].m.filter(|&om| om != m) {
            self.sched.allm[om as usize].state = MState::Idle;
            self.sched.allm[om as usize].p = None;
        }
        let tp = &mut self.sched.allp[target as usize];
        tp.status = PStatus::Running;
        tp.m = Some(m);
        tp.curg = Some(g);
        tp.epoch += 1;
        let epoch = tp.epoch;
        self.sched.allm[m as usize].p = Some(target);
        self.sched.allm[m as usize].state = MState::Running;
        self.push_live(self.now.saturating_add(cost), Ev::Run { p: target, epoch });
    }
}
