//! Sleep, syscalls, GOMAXPROCS changes, timers and contexts.

use super::*;

impl Runtime {
    pub(super) fn exec_time(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::Sleep { dur } => {
                let d = self.int(g, *dur)?;
                if d <= 0 {
                    self.advance_pc(g)?;
                    return Ok(Flow::Next(self.costs.local_op));
                }
                let until = self
                    .now
                    .saturating_add(d as Nanos)
                    .saturating_add(self.costs.timer_slack);
                self.gs[g as usize].resume = Resume::Done;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Sleep { until },
                });
                self.park(p, g, WaitReason::Sleep, None);
                self.pending_timers += 1;
                self.push_live(until, Ev::Timer { g, p });
                Ok(Flow::Switch(0))
            }
            Op::Syscall { dur, kind } => {
                let d = self.int(g, *dur)?.max(0) as Nanos;
                self.advance_pc(g)?;
                self.entersyscall(p, g, d + self.costs.syscall_overhead, *kind);
                Ok(Flow::Busy)
            }
            Op::SetMaxProcs { dst, n } => {
                let n = self.int(g, *n)?;
                let before = self.gomaxprocs();
                if let Some(d) = dst {
                    self.set(g, *d, Value::Int(before as i64))?;
                }
                self.advance_pc(g)?;
                if n > 0 && n as u32 != before {
                    self.procresize(p, g, n.min(1024) as u32);
                    return Ok(Flow::Busy);
                }
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::NewTimer {
                dst,
                ch,
                dur,
                ticker,
            } => {
                let d = self.int(g, *dur)?.max(0) as Nanos;
                let (t, tc) = self.new_timer(g, d, *ticker);
                self.set(g, *dst, Value::Timer(t))?;
                self.set(g, *ch, Value::Chan(tc))?;
                self.advance_pc(g)?;
                let when = self.timers[t as usize].when;
                self.emit_timer_op(g, p, when);
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::StopTimer { dst, timer } => {
                let was = match self.get(g, *timer)? {
                    Value::Timer(t) => self.stop_timer(t),
                    other => return Err(format!("Stop of {}", other.kind())),
                };
                if let Some(d) = dst {
                    self.set(g, *d, Value::Bool(was))?;
                }
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::CtxBackground { dst } => {
                self.set(g, *dst, Value::Context(0))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::CtxDerive {
                dst,
                parent,
                timeout,
                deadline,
            } => {
                let parent = self.ctx_id(g, *parent)?;
                let at = match (timeout, deadline) {
                    (Some(t), _) => Some(self.now.saturating_add_signed(self.int(g, *t)?)),
                    (None, Some(d)) => Some(self.int(g, *d)?.max(0) as Nanos),
                    (None, None) => None,
                };
                let id = self.ctx_derive(g, parent, at);
                self.set(g, *dst, Value::Context(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::CtxCancel { ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                self.ctx_cancel(id, crate::runtime::timers::CANCELED);
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::CtxDone { dst, ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                let v = match self.contexts[id as usize].done {
                    Some(ch) => Value::Chan(ch),
                    None => Value::Nil,
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::CtxErr { dst, ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                let v = match self.contexts[id as usize].err {
                    Some(e) => Value::str(e),
                    None => Value::Nil,
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::CtxDeadline { dst, ctx } => {
                let mut id = Some(self.ctx_id(g, *ctx)?);
                let mut deadline: Option<Nanos> = None;
                while let Some(i) = id {
                    let c = &self.contexts[i as usize];
                    if let Some(d) = c.deadline {
                        deadline = Some(deadline.map_or(d, |x| x.min(d)));
                    }
                    id = c.parent;
                }
                let v = Value::Tuple(std::rc::Rc::from(vec![
                    Value::Int(deadline.unwrap_or(0) as i64),
                    Value::Bool(deadline.is_some()),
                ]));
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            other => Err(format!("{other:?} reached the time operations")),
        }
    }

    pub(super) fn ctx_id(&self, g: GoId, r: Reg) -> R<u32> {
        match self.get(g, r)? {
            Value::Context(c) if (c as usize) < self.contexts.len() => Ok(c),
            other => Err(format!(
                "r{r} holds {}, not a context.Context",
                other.kind()
            )),
        }
    }

    /// `entersyscall`: the goroutine and its thread block; a blocking call hands the P off at once,
    /// a fast one leaves it in _Psyscall for sysmon to retake.
    pub(super) fn entersyscall(&mut self, p: PId, g: GoId, d: Nanos, kind: SyscallKind) {
        let m = self.ps[p as usize].m.unwrap_or(0);
        self.gs[g as usize].status = GStatus::Syscall;
        let mm = &mut self.ms[m as usize];
        mm.state = MState::Syscall(g);
        mm.oldp = Some(p);
        let pp = &mut self.ps[p as usize];
        pp.curg = None;
        pp.syscalltick += 1;
        pp.epoch += 1;
        let blocking = kind == SyscallKind::Blocking;
        self.emit(TraceEvent::SyscallEnter { g, p, m, blocking });
        self.push_live(self.now.saturating_add(d), Ev::SyscallDone { m, g });
        if blocking {
            self.ms[m as usize].p = None;
            self.handoffp(p);
        } else {
            self.ps[p as usize].status = crate::runtime::proc::PStatus::Syscall;
        }
    }

    /// `procresize`: GOMAXPROCS changes with the world stopped. Removed Ps put their runnext and local
    /// queue at the head of the global queue; new Ps start idle.
    pub(super) fn procresize(&mut self, p: PId, g: GoId, n: u32) {
        use crate::runtime::proc::PStatus;
        let before = self.gomaxprocs();
        let total = self.ps.len() as u32;
        if n > total {
            for id in total..n {
                // A new P starts dead and is revived below onto the idle list, as procresize's new
                // Ps end up there (`pidleput`).
                let mut pp = crate::runtime::proc::Processor::new_pub(id);
                pp.status = PStatus::Dead;
                self.ps.push(pp);
            }
        }
        for id in 0..self.ps.len() as u32 {
            let alive = id < n;
            let pp = &mut self.ps[id as usize];
            if alive && pp.status == PStatus::Dead {
                pp.status = PStatus::Idle;
                self.pidle.push(id);
            } else if !alive && pp.status != PStatus::Dead {
                let mut moved: Vec<GoId> = Vec::new();
                let curg = pp.curg.take();
                moved.extend(pp.runnext.take());
                moved.extend(pp.runq.drain(..));
                let pm = pp.m.take();
                if let Some(cg) = curg.filter(|&cg| cg != g) {
                    // The world stops: a goroutine running on a removed P is preempted.
                    let ran = self.now.saturating_sub(self.gs[cg as usize].slice_start);
                    self.save_compute_left(id, cg);
                    self.emit(TraceEvent::GoPreempt { g: cg, p: id, ran });
                    moved.insert(0, cg);
                }
                for x in moved.into_iter().rev() {
                    self.gs[x as usize].status = GStatus::Runnable;
                    self.global.push_front(x);
                }
                if let Some(m) = pm {
                    if m != self.ps[p as usize].m.unwrap_or(u32::MAX) || id != p {
                        self.ms[m as usize].state = MState::Idle;
                        self.ms[m as usize].p = None;
                    }
                }
                let pp = &mut self.ps[id as usize];
                pp.status = PStatus::Dead;
                pp.epoch += 1;
                self.pidle.retain(|&q| q != id);
            }
        }
        self.emit(TraceEvent::ProcResize {
            from: before,
            to: n,
        });
        // The calling goroutine keeps running; if its own P was removed it moves to a live one.
        let cost = self.costs.sched_switch * 10;
        if p < n {
            let epoch = self.ps[p as usize].epoch + 1;
            self.ps[p as usize].epoch = epoch;
            self.push_live(self.now.saturating_add(cost), Ev::Run { p, epoch });
        } else {
            let m = self.ms.iter().position(|mm| mm.p == Some(p)).unwrap_or(0) as u32;
            let target = self.pidle.pop().unwrap_or(0);
            if let Some(other) = self.ps[target as usize].curg.take() {
                self.gs[other as usize].status = GStatus::Runnable;
                self.global.push_front(other);
                let ran = self.now.saturating_sub(self.gs[other as usize].slice_start);
                self.emit(TraceEvent::GoPreempt {
                    g: other,
                    p: target,
                    ran,
                });
            }
            let tp = &mut self.ps[target as usize];
            tp.status = PStatus::Running;
            tp.m = Some(m);
            tp.curg = Some(g);
            tp.epoch += 1;
            let epoch = tp.epoch;
            self.ms[m as usize].p = Some(target);
            self.ms[m as usize].state = MState::Running;
            self.push_live(self.now.saturating_add(cost), Ev::Run { p: target, epoch });
        }
        self.wakep();
    }
}
