//! Sleep, syscalls, GOMAXPROCS changes, timers and contexts.

use super::*;

impl Runtime {
    pub(super) fn exec_time(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::Sleep { dur } => self.sleep(p, g, *dur),
            Op::Syscall { dur, kind } => {
                let d = self.int(g, *dur)?.max(0) as Nanos;
                self.advance_pc(g)?;
                self.entersyscall(p, g, d + self.costs.syscall_overhead, *kind);
                Ok(Flow::Busy)
            }
            Op::SetMaxProcs { dst, n } => self.gomaxprocs_op(p, g, *dst, *n),
            Op::NewTimer {
                dst,
                ch,
                dur,
                ticker,
            } => self.new_timer_op(p, g, *dst, *ch, *dur, *ticker),
            Op::StopTimer { dst, timer } => self.stop_timer_op(g, *dst, *timer),
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
            } => self.ctx_derive_op(g, *dst, *parent, *timeout, *deadline),
            Op::CtxCancel { ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                self.ctx_cancel(id, crate::runtime::timers::CANCELED);
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::CtxDone { dst, ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                let v = match self.store.contexts[id as usize].done {
                    Some(ch) => Value::Chan(ch),
                    None => Value::Nil,
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::CtxErr { dst, ctx } => {
                let id = self.ctx_id(g, *ctx)?;
                let v = match self.store.contexts[id as usize].err {
                    Some(e) => Value::str(e),
                    None => Value::Nil,
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::CtxDeadline { dst, ctx } => self.ctx_deadline_op(g, *dst, *ctx),
            other => Err(format!("{other:?} reached the time operations")),
        }
    }

    /// time.Sleep: park until the timer fires (a non-positive duration returns at once).
    fn sleep(&mut self, p: PId, g: GoId, dur: Reg) -> R<Flow> {
        let d = self.int(g, dur)?;
        if d <= 0 {
            self.advance_pc(g)?;
            return Ok(Flow::Next(self.costs.local_op));
        }
        let until = self
            .now
            .saturating_add(d as Nanos)
            .saturating_add(self.costs.timer_slack);
        self.store.allgs[g as usize].resume = Resume::Done;
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

    /// runtime.GOMAXPROCS(n): the old value; a change stops the world for `procresize`.
    fn gomaxprocs_op(&mut self, p: PId, g: GoId, dst: Option<Reg>, n: Reg) -> R<Flow> {
        let n = self.int(g, n)?;
        let before = self.sched.gomaxprocs();
        if let Some(d) = dst {
            self.set(g, d, Value::Int(before as i64))?;
        }
        self.advance_pc(g)?;
        if n > 0 && n as u32 != before {
            self.procresize(p, g, n.min(1024) as u32);
            return Ok(Flow::Busy);
        }
        Ok(Flow::Next(self.costs.local_op))
    }

    /// time.NewTimer/NewTicker: the timer and its channel.
    fn new_timer_op(
        &mut self,
        p: PId,
        g: GoId,
        dst: Reg,
        ch: Reg,
        dur: Reg,
        ticker: bool,
    ) -> R<Flow> {
        let d = self.int(g, dur)?.max(0) as Nanos;
        let (t, tc) = self.new_timer(g, d, ticker);
        self.set(g, dst, Value::Timer(t))?;
        self.set(g, ch, Value::Chan(tc))?;
        self.advance_pc(g)?;
        let when = self.store.timers[t as usize].when;
        self.emit_timer_op(g, p, when);
        Ok(Flow::Next(self.costs.chan_op))
    }

    /// Timer.Stop: whether it was still active.
    fn stop_timer_op(&mut self, g: GoId, dst: Option<Reg>, timer: Reg) -> R<Flow> {
        let was = match self.get(g, timer)? {
            Value::Timer(t) => self.stop_timer(t),
            other => return Err(format!("Stop of {}", other.kind())),
        };
        if let Some(d) = dst {
            self.set(g, d, Value::Bool(was))?;
        }
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.atomic))
    }

    /// context.WithCancel/WithTimeout/WithDeadline.
    fn ctx_derive_op(
        &mut self,
        g: GoId,
        dst: Reg,
        parent: Reg,
        timeout: Option<Reg>,
        deadline: Option<Reg>,
    ) -> R<Flow> {
        let parent = self.ctx_id(g, parent)?;
        let at = match (timeout, deadline) {
            (Some(t), _) => Some(self.now.saturating_add_signed(self.int(g, t)?)),
            (None, Some(d)) => Some(self.int(g, d)?.max(0) as Nanos),
            (None, None) => None,
        };
        let id = self.ctx_derive(g, parent, at);
        self.set(g, dst, Value::Context(id))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.chan_op))
    }

    /// ctx.Deadline(): the earliest deadline on the way to the root.
    fn ctx_deadline_op(&mut self, g: GoId, dst: Reg, ctx: Reg) -> R<Flow> {
        let mut id = Some(self.ctx_id(g, ctx)?);
        let mut deadline: Option<Nanos> = None;
        while let Some(i) = id {
            let c = &self.store.contexts[i as usize];
            if let Some(d) = c.deadline {
                deadline = Some(deadline.map_or(d, |x| x.min(d)));
            }
            id = c.parent;
        }
        let v = Value::Tuple(std::rc::Rc::from(vec![
            Value::Int(deadline.unwrap_or(0) as i64),
            Value::Bool(deadline.is_some()),
        ]));
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    pub(super) fn ctx_id(&self, g: GoId, r: Reg) -> R<u32> {
        match self.get(g, r)? {
            Value::Context(c) if (c as usize) < self.store.contexts.len() => Ok(c),
            other => Err(format!(
                "r{r} holds {}, not a context.Context",
                other.kind()
            )),
        }
    }
}
