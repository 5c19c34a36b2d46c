//! Executing goroutine operations on a P.
//!
//! A P runs its goroutine's next operation at the current virtual time and is busy for the operation's
//! cost. Operations that only touch the goroutine's own registers are batched into one event (nothing
//! else can observe them); an operation that touches shared state runs in its own event at exactly its
//! time, so operations of goroutines on different Ps interleave as they would in parallel.

use std::rc::Rc;

use super::chan::{Channel, RecvResult, SendResult, Waiter, Wake};
use super::g::{Frame, GStatus, GoId, Resume, WaitReason};
use super::ir::{
    BinOp, Callee, ChanId, FuncId, MutexId, Op, Reg, RwMutexId, SelectCase, SyscallKind, Value,
    WaitGroupId,
};
use super::proc::MState;
use super::sync::{LockResult, RwResult, UnlockResult};
use super::trace::{OpEvent, PId, Placement, TraceEvent};
use super::world::{Ev, Runtime};
use crate::sim::time::Nanos;

/// Local operations executed in one event at most (a `for {}` loop still yields events).
const LOCAL_BATCH: u32 = 256;

/// How an operation left its goroutine.
enum Flow {
    /// Done; the goroutine continues after `cost`.
    Next(Nanos),
    /// The goroutine parked (or left the P) after `cost`; the P schedules another.
    Switch(Nanos),
    /// The goroutine is busy (Compute) until the P's next event; nothing to schedule.
    Busy,
    /// The run ended.
    Stop,
}

type R<T> = Result<T, String>;

impl Runtime {
    /// The P's goroutine runs its next operation(s).
    pub(crate) fn run(&mut self, p: PId) {
        let Some(g) = self.ps[p as usize].curg else {
            return;
        };
        // Leftover CPU work from a preempted Compute comes first.
        let left = self.gs[g as usize].compute_left;
        if left > 0 {
            self.gs[g as usize].compute_left = 0;
            self.busy(p, g, left);
            return;
        }
        let mut cost: Nanos = 0;
        let mut first = true;
        for _ in 0..LOCAL_BATCH {
            if !first && !self.next_is_local(g) {
                break;
            }
            first = false;
            match self.exec(p, g) {
                Ok(Flow::Next(c)) => {
                    cost += c;
                    if !self.last_was_local {
                        break;
                    }
                }
                Ok(Flow::Switch(c)) => {
                    self.ps[p as usize].busy += cost + c;
                    self.switch_after(p, cost + c);
                    return;
                }
                Ok(Flow::Busy) => return,
                Ok(Flow::Stop) => return,
                Err(e) => {
                    self.fatal(&format!("invalid program: {e}"));
                    return;
                }
            }
        }
        self.ps[p as usize].busy += cost;
        let epoch = self.ps[p as usize].epoch;
        self.push_live(self.now + cost.max(1), Ev::Run { p, epoch });
    }

    /// The P finishes the current operation after `cost` and then schedules.
    fn switch_after(&mut self, p: PId, cost: Nanos) {
        let pp = &mut self.ps[p as usize];
        pp.curg = None;
        pp.epoch += 1;
        let epoch = pp.epoch;
        if cost == 0 {
            self.schedule(p);
        } else {
            self.push_live(self.now + cost, Ev::Run { p, epoch });
        }
    }

    /// The goroutine computes for `d`; sysmon may preempt it midway.
    fn busy(&mut self, p: PId, g: GoId, d: Nanos) {
        self.gs[g as usize].busy_until = self.now + d;
        self.ps[p as usize].busy += d;
        let epoch = self.ps[p as usize].epoch;
        self.push_live(self.now + d.max(1), Ev::Run { p, epoch });
    }

    /// A preempted goroutine keeps the rest of its Compute for when it runs again.
    pub(crate) fn save_compute_left(&mut self, p: PId, g: GoId) {
        let gg = &mut self.gs[g as usize];
        if gg.busy_until > self.now {
            let left = gg.busy_until - self.now;
            gg.compute_left = left;
            self.ps[p as usize].busy = self.ps[p as usize].busy.saturating_sub(left);
        }
        gg.busy_until = 0;
    }

    fn next_is_local(&self, g: GoId) -> bool {
        let Some(f) = self.gs[g as usize].top() else {
            return false;
        };
        if self.gs[g as usize].resume != Resume::Nothing {
            return false;
        }
        match self
            .program
            .func(f.func)
            .and_then(|fu| fu.ops.get(f.pc as usize))
        {
            Some(op) => is_local(op),
            None => false,
        }
    }

    fn frame(&mut self, g: GoId) -> R<&mut Frame> {
        self.gs[g as usize]
            .frames
            .last_mut()
            .ok_or_else(|| format!("goroutine {g} has no frame"))
    }

    fn get(&self, g: GoId, r: Reg) -> R<Value> {
        let f = self.gs[g as usize]
            .frames
            .last()
            .ok_or_else(|| format!("goroutine {g} has no frame"))?;
        f.regs
            .get(r as usize)
            .cloned()
            .ok_or_else(|| format!("register r{r} out of range in {}", self.fname(f.func)))
    }

    fn set(&mut self, g: GoId, r: Reg, v: Value) -> R<()> {
        let f = self.frame(g)?;
        let func = f.func;
        match f.regs.get_mut(r as usize) {
            Some(slot) => {
                *slot = v;
                Ok(())
            }
            None => Err(format!("register r{r} out of range in function {func}")),
        }
    }

    fn int(&self, g: GoId, r: Reg) -> R<i64> {
        match self.get(g, r)? {
            Value::Int(i) => Ok(i),
            other => Err(format!("r{r} holds {}, not an int", other.kind())),
        }
    }

    fn fname(&self, f: FuncId) -> String {
        self.program
            .func(f)
            .map(|f| f.name.to_string())
            .unwrap_or_else(|| format!("func#{f}"))
    }

    fn advance_pc(&mut self, g: GoId) -> R<()> {
        self.frame(g)?.pc += 1;
        Ok(())
    }

    /// Parks `g` for `reason`.
    fn park(&mut self, p: PId, g: GoId, reason: WaitReason, chan: Option<ChanId>) {
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Waiting;
        gg.wait = Some(reason);
        self.emit(TraceEvent::GoPark { g, p, reason, chan });
    }

    /// Readies `target` (woken by `g` on `p`) with what it will find when it runs.
    fn wake(&mut self, p: PId, by: GoId, target: GoId, resume: Resume) {
        self.gs[target as usize].resume = resume;
        self.ready(target, by, p);
    }

    /// Applies a channel wake-up: a parked select is withdrawn from its other channels first.
    fn apply_wake(&mut self, p: PId, by: GoId, w: Wake) {
        let (target, resume) = match w {
            Wake::Receiver {
                g,
                case: None,
                val,
                ok,
            } => (g, Resume::Received(val, ok)),
            Wake::Receiver {
                g,
                case: Some(i),
                val,
                ok,
            } => (g, Resume::Selected(i, val, ok)),
            Wake::Sender { g, case: None } => (g, Resume::Done),
            Wake::Sender { g, case: Some(i) } => (g, Resume::Selected(i, Value::Nil, true)),
            Wake::SenderPanics { g } => (g, Resume::SendOnClosed),
        };
        if matches!(resume, Resume::Selected(..)) {
            self.withdraw_select(target);
        }
        self.wake(p, by, target, resume);
    }

    pub(crate) fn withdraw_select_pub(&mut self, g: GoId) {
        self.withdraw_select(g)
    }

    /// Removes a parked select's waiters from every channel it was parked on.
    fn withdraw_select(&mut self, g: GoId) {
        let chans: Vec<ChanId> = self.select_chans(g);
        for c in chans {
            if let Some(ch) = self.chans.get_mut(c.0 as usize) {
                ch.forget(g);
            }
        }
    }

    fn select_chans(&self, g: GoId) -> Vec<ChanId> {
        let Some(f) = self.gs[g as usize].top() else {
            return vec![];
        };
        let Some(Op::Select { cases, .. }) = self
            .program
            .func(f.func)
            .and_then(|fu| fu.ops.get(f.pc as usize))
        else {
            return vec![];
        };
        cases
            .iter()
            .filter_map(|c| {
                let r = match c {
                    SelectCase::Send { ch, .. } | SelectCase::Recv { ch, .. } => *ch,
                };
                match f.regs.get(r as usize) {
                    Some(Value::Chan(c)) => Some(*c),
                    _ => None,
                }
            })
            .collect()
    }

    fn chan_id(&self, g: GoId, r: Reg) -> R<Option<ChanId>> {
        match self.get(g, r)? {
            Value::Chan(c) if (c.0 as usize) < self.chans.len() => Ok(Some(c)),
            Value::Chan(c) => Err(format!("channel #{} does not exist", c.0)),
            Value::Nil => Ok(None),
            other => Err(format!("r{r} holds {}, not a channel", other.kind())),
        }
    }

    /// Applies what a parked operation produced, now that its goroutine runs again.
    fn resume(&mut self, p: PId, g: GoId, op: &Op) -> R<Option<Flow>> {
        let resume = std::mem::take(&mut self.gs[g as usize].resume);
        match (resume, op) {
            (Resume::Nothing, _) => Ok(None),
            (Resume::RetryLock(since), Op::Lock { .. }) => {
                self.gs[g as usize].resume = Resume::RetryLock(since);
                Ok(None)
            }
            (Resume::SendOnClosed, _) => {
                // The send never completes: advance past it so a recovered goroutine does not retry.
                self.advance_pc(g)?;
                self.begin_panic(p, g, Value::str("send on closed channel"))
                    .map(Some)
            }
            (Resume::Received(v, ok), Op::Recv { dst, ok: okr, .. }) => {
                if let Some(d) = dst {
                    self.set(g, *d, v)?;
                }
                if let Some(o) = okr {
                    self.set(g, *o, Value::Bool(ok))?;
                }
                self.advance_pc(g)?;
                Ok(Some(Flow::Next(0)))
            }
            (Resume::Selected(i, v, ok), Op::Select { cases, dst, .. }) => {
                self.set(g, *dst, Value::Int(i as i64))?;
                if let Some(SelectCase::Recv { dst: d, ok: o, .. }) = cases.get(i as usize) {
                    if let Some(d) = d {
                        self.set(g, *d, v)?;
                    }
                    if let Some(o) = o {
                        self.set(g, *o, Value::Bool(ok))?;
                    }
                }
                self.advance_pc(g)?;
                Ok(Some(Flow::Next(0)))
            }
            (_, _) => {
                self.advance_pc(g)?;
                Ok(Some(Flow::Next(0)))
            }
        }
    }

    /// Executes the goroutine's current operation.
    fn exec(&mut self, p: PId, g: GoId) -> R<Flow> {
        let (func, pc) = {
            let f = self.gs[g as usize]
                .top()
                .ok_or_else(|| format!("goroutine {g} has no frame"))?;
            (f.func, f.pc)
        };
        // A frame on its way out (running deferred calls) continues leaving.
        let (returning, unwinding) = {
            let f = self.frame(g)?;
            (f.take_returning(), std::mem::take(&mut f.unwinding))
        };
        if unwinding {
            self.last_was_local = false;
            if self.gs[g as usize].panicking.is_some() {
                return self.unwind(p, g);
            }
            // Recovered: the function that deferred returns normally (its other defers still run).
            return self.ret(p, g, None);
        }
        if let Some(v) = returning {
            self.last_was_local = true;
            return self.ret(p, g, v);
        }
        let program = Rc::clone(&self.program);
        let Some(fun) = program.func(func) else {
            return Err(format!("no function #{func}"));
        };
        let Some(op) = fun.ops.get(pc as usize) else {
            // Falling off the end of a function is a return.
            self.last_was_local = true;
            return self.ret(p, g, None);
        };
        if let Some(flow) = self.resume(p, g, op)? {
            self.last_was_local = false;
            return Ok(flow);
        }
        self.last_was_local = is_local(op);
        match op {
            Op::Const { dst, val } => {
                self.set(g, *dst, val.clone())?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Move { dst, src } => {
                let v = self.get(g, *src)?;
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Bin { op, dst, a, b } => {
                let (a, b) = (self.get(g, *a)?, self.get(g, *b)?);
                match binop(*op, &a, &b) {
                    Ok(v) => {
                        self.set(g, *dst, v)?;
                        self.advance_pc(g)?;
                        Ok(Flow::Next(self.costs.local_op))
                    }
                    Err(BinError::DivideByZero) => {
                        self.begin_panic(p, g, Value::str("runtime error: integer divide by zero"))
                    }
                    Err(BinError::Types) => Err(format!(
                        "{op:?} of {} and {} in {}",
                        a.kind(),
                        b.kind(),
                        self.fname(func)
                    )),
                }
            }
            Op::Not { dst, src } => {
                let v = !self.get(g, *src)?.truthy();
                self.set(g, *dst, Value::Bool(v))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Jump { to } => {
                self.frame(g)?.pc = *to;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::JumpIf { cond, to } | Op::JumpIfNot { cond, to } => {
                let t = self.get(g, *cond)?.truthy();
                let jump = if matches!(op, Op::JumpIf { .. }) {
                    t
                } else {
                    !t
                };
                if jump {
                    self.frame(g)?.pc = *to;
                } else {
                    self.advance_pc(g)?;
                }
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Call {
                func: callee,
                args,
                dst,
            } => {
                let (fid, mut regs) = self.callee(g, callee)?;
                for a in args {
                    regs.push(self.get(g, *a)?);
                }
                self.push_frame(g, fid, regs, *dst)?;
                Ok(Flow::Next(self.costs.call))
            }
            Op::Return { val } => {
                let v = match val {
                    Some(r) => Some(self.get(g, *r)?),
                    None => None,
                };
                self.ret(p, g, v)
            }
            Op::MakeClosure {
                dst,
                func: fid,
                cells,
            } => {
                let mut ids = Vec::with_capacity(cells.len());
                for r in cells {
                    match self.get(g, *r)? {
                        Value::Ptr(cid) => ids.push(cid),
                        other => {
                            return Err(format!("closure captures {}, not a cell", other.kind()))
                        }
                    }
                }
                self.set(g, *dst, Value::Func(*fid, Rc::from(ids)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::NewCell { dst, init } => {
                let v = self.get(g, *init)?;
                let id = self.cells.len() as u32;
                self.cells.push(v);
                self.set(g, *dst, Value::Ptr(super::ir::CellId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Load { dst, ptr } => {
                let cell = self.cell_id(g, *ptr)?;
                let v = self.cells[cell].clone();
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Store { ptr, val } => {
                let cell = self.cell_id(g, *ptr)?;
                self.cells[cell] = self.get(g, *val)?;
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Store { cell: cell as u32 },
                });
                Ok(Flow::Next(self.costs.mem))
            }
            Op::AtomicAdd { dst, ptr, delta } => {
                let cell = self.cell_id(g, *ptr)?;
                let d = self.int(g, *delta)?;
                let new = match &self.cells[cell] {
                    Value::Int(x) => x.wrapping_add(d),
                    other => return Err(format!("atomic add on {}", other.kind())),
                };
                self.cells[cell] = Value::Int(new);
                if let Some(d) = dst {
                    self.set(g, *d, Value::Int(new))?;
                }
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Atomic { cell: cell as u32 },
                });
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::AtomicLoad { dst, ptr } => {
                let cell = self.cell_id(g, *ptr)?;
                let v = self.cells[cell].clone();
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::AtomicStore { ptr, val } => {
                let cell = self.cell_id(g, *ptr)?;
                self.cells[cell] = self.get(g, *val)?;
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Atomic { cell: cell as u32 },
                });
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::AtomicCas { dst, ptr, old, new } => {
                let cell = self.cell_id(g, *ptr)?;
                let (old, new) = (self.get(g, *old)?, self.get(g, *new)?);
                let swapped = self.cells[cell] == old;
                if swapped {
                    self.cells[cell] = new;
                }
                self.set(g, *dst, Value::Bool(swapped))?;
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Atomic { cell: cell as u32 },
                });
                Ok(Flow::Next(self.costs.atomic))
            }
            Op::Compute { dur } => {
                let d = self.int(g, *dur)?.max(0) as Nanos;
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Compute { dur: d },
                });
                self.busy(p, g, d);
                Ok(Flow::Busy)
            }
            Op::Go { func: callee, args } => {
                if self.live_gs >= self.config.max_goroutines {
                    let msg = format!(
                        "stopped: more than {} goroutines are alive (the goroutine budget); a program that spawns without bound never ends",
                        self.config.max_goroutines
                    );
                    self.halt = Some(crate::sim::scenario::Halt::Limit(msg));
                    return Ok(Flow::Stop);
                }
                let (fid, mut regs) = self.callee(g, callee)?;
                for a in args {
                    regs.push(self.get(g, *a)?);
                }
                let ng = self.newg(fid, regs, g);
                self.advance_pc(g)?;
                let at = self.runqput(p, ng, true);
                self.emit(TraceEvent::GoCreate {
                    g: ng,
                    parent: g,
                    at,
                });
                self.wakep();
                Ok(Flow::Next(self.costs.go_create))
            }
            Op::Gosched => {
                self.advance_pc(g)?;
                self.gs[g as usize].status = GStatus::Runnable;
                self.global.push_back(g);
                self.emit(TraceEvent::GoSched { g, p });
                Ok(Flow::Switch(self.costs.sched_switch))
            }
            Op::Sleep { dur } => {
                let d = self.int(g, *dur)?;
                if d <= 0 {
                    self.advance_pc(g)?;
                    return Ok(Flow::Next(self.costs.local_op));
                }
                let until = self.now + d as Nanos + self.costs.timer_slack;
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
            Op::NumGoroutine { dst } => {
                self.set(g, *dst, Value::Int(self.live_gs as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Now { dst } => {
                self.set(g, *dst, Value::Int(self.now as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::MakeChan { dst, cap, zero } => {
                let cap = self.int(g, *cap)?;
                if !(0..=(1 << 30)).contains(&cap) {
                    return self.begin_panic(p, g, Value::str("makechan: size out of range"));
                }
                let id = ChanId(self.chans.len() as u32);
                self.chans.push(Channel::new(cap as usize, zero.clone(), g));
                self.set(g, *dst, Value::Chan(id))?;
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::MakeChan {
                        ch: id,
                        cap: cap as usize,
                    },
                });
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::Send { ch, val } => {
                let v = self.get(g, *val)?;
                let Some(id) = self.chan_id(g, *ch)? else {
                    self.park(p, g, WaitReason::ChanSendNilChan, None);
                    return Ok(Flow::Switch(0));
                };
                match self.chans[id.0 as usize].send(v.clone()) {
                    SendResult::Handoff(w) => {
                        let to = match &w {
                            Wake::Receiver { g, .. } => Some(*g),
                            _ => None,
                        };
                        self.advance_pc(g)?;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::Send { ch: id, to },
                        });
                        self.apply_wake(p, g, w);
                        Ok(Flow::Next(self.costs.chan_handoff))
                    }
                    SendResult::Buffered => {
                        self.advance_pc(g)?;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::Send { ch: id, to: None },
                        });
                        Ok(Flow::Next(self.costs.chan_op))
                    }
                    SendResult::MustPark => {
                        self.chans[id.0 as usize].sendq.push_back(Waiter {
                            g,
                            val: v,
                            case: None,
                        });
                        self.park(p, g, WaitReason::ChanSend, Some(id));
                        Ok(Flow::Switch(self.costs.chan_op))
                    }
                    SendResult::Closed => {
                        self.begin_panic(p, g, Value::str("send on closed channel"))
                    }
                }
            }
            Op::Recv { ch, dst, ok } => {
                let Some(id) = self.chan_id(g, *ch)? else {
                    self.park(p, g, WaitReason::ChanReceiveNilChan, None);
                    return Ok(Flow::Switch(0));
                };
                match self.chans[id.0 as usize].recv() {
                    RecvResult::Got { val, ok: okv, woke } => {
                        if let Some(d) = dst {
                            self.set(g, *d, val)?;
                        }
                        if let Some(o) = ok {
                            self.set(g, *o, Value::Bool(okv))?;
                        }
                        self.advance_pc(g)?;
                        let from = match &woke {
                            Some(Wake::Sender { g, .. }) => Some(*g),
                            _ => None,
                        };
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::Recv {
                                ch: id,
                                from,
                                ok: okv,
                            },
                        });
                        let cost = if woke.is_some() {
                            self.costs.chan_handoff
                        } else {
                            self.costs.chan_op
                        };
                        if let Some(w) = woke {
                            self.apply_wake(p, g, w);
                        }
                        Ok(Flow::Next(cost))
                    }
                    RecvResult::MustPark => {
                        self.chans[id.0 as usize].recvq.push_back(Waiter {
                            g,
                            val: Value::Nil,
                            case: None,
                        });
                        self.park(p, g, WaitReason::ChanReceive, Some(id));
                        Ok(Flow::Switch(self.costs.chan_op))
                    }
                }
            }
            Op::Close { ch } => {
                let Some(id) = self.chan_id(g, *ch)? else {
                    return self.begin_panic(p, g, Value::str("close of nil channel"));
                };
                match self.chans[id.0 as usize].close() {
                    Err(_) => self.begin_panic(p, g, Value::str("close of closed channel")),
                    Ok(wakes) => {
                        self.advance_pc(g)?;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::Close {
                                ch: id,
                                woke: wakes.len() as u32,
                            },
                        });
                        for w in wakes {
                            self.apply_wake(p, g, w);
                        }
                        Ok(Flow::Next(self.costs.chan_op))
                    }
                }
            }
            Op::Len { dst, ch } | Op::Cap { dst, ch } => {
                let n = match self.chan_id(g, *ch)? {
                    None => 0,
                    Some(id) => {
                        let chan = &self.chans[id.0 as usize];
                        if matches!(op, Op::Len { .. }) {
                            chan.count
                        } else {
                            chan.cap()
                        }
                    }
                };
                self.set(g, *dst, Value::Int(n as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::Select {
                cases,
                default,
                dst,
            } => self.select(p, g, cases, *default, *dst),
            Op::NewMutex { dst } => {
                let id = self.mutexes.len() as u32;
                self.mutexes.push(Default::default());
                self.set(g, *dst, Value::Mutex(MutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::NewRwMutex { dst } => {
                let id = self.rwmutexes.len() as u32;
                self.rwmutexes.push(Default::default());
                self.set(g, *dst, Value::RwMutex(RwMutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Lock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.mutexes.len() => {
                    let since = match self.gs[g as usize].resume {
                        Resume::RetryLock(s) => {
                            self.gs[g as usize].resume = Resume::Nothing;
                            Some(s)
                        }
                        _ => None,
                    };
                    let entries = self.mutexes[id as usize].starvation_entries;
                    match self.mutexes[id as usize].lock(g, self.now, since) {
                        LockResult::Acquired => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Lock { m: id },
                            });
                            Ok(Flow::Next(self.costs.mutex_lock))
                        }
                        LockResult::MustPark { .. } => {
                            if self.mutexes[id as usize].starvation_entries > entries {
                                self.emit(TraceEvent::Op {
                                    g,
                                    p,
                                    what: OpEvent::StarvationMode { m: id },
                                });
                            }
                            self.park(p, g, WaitReason::MutexLock, None);
                            Ok(Flow::Switch(self.costs.mutex_lock))
                        }
                    }
                }
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                    match self.rwmutexes[id as usize].lock(g) {
                        RwResult::Acquired => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Lock { m: id },
                            });
                            Ok(Flow::Next(self.costs.mutex_lock))
                        }
                        _ => {
                            self.gs[g as usize].resume = Resume::Nothing;
                            self.park(p, g, WaitReason::RWMutexLock, None);
                            self.gs[g as usize].resume = Resume::Nothing;
                            Ok(Flow::Switch(self.costs.mutex_lock))
                        }
                    }
                }
                other => Err(format!("Lock of {}", other.kind())),
            },
            Op::Unlock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.mutexes.len() => {
                    match self.mutexes[id as usize].unlock(self.now) {
                        UnlockResult::NotLocked => {
                            self.fatal("sync: unlock of unlocked mutex");
                            Ok(Flow::Stop)
                        }
                        UnlockResult::Released => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: None,
                                    handoff: false,
                                },
                            });
                            Ok(Flow::Next(self.costs.mutex_unlock))
                        }
                        UnlockResult::Woke(w, since) => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: Some(w),
                                    handoff: false,
                                },
                            });
                            self.wake(p, g, w, Resume::RetryLock(since));
                            Ok(Flow::Next(self.costs.mutex_unlock))
                        }
                        UnlockResult::HandedOff(w) => {
                            // semrelease with handoff: the waiter owns the lock; the unlocker yields
                            // its P to it (goyield puts the unlocker on the local queue).
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: Some(w),
                                    handoff: true,
                                },
                            });
                            self.wake(p, g, w, Resume::Done);
                            self.gs[g as usize].status = GStatus::Runnable;
                            let at = self.runqput(p, g, false);
                            self.emit(TraceEvent::GoYield { g, p, to: w, at });
                            Ok(Flow::Switch(self.costs.mutex_unlock))
                        }
                    }
                }
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                    match self.rwmutexes[id as usize].unlock() {
                        RwResult::NotLocked => {
                            self.fatal("sync: Unlock of unlocked RWMutex");
                            Ok(Flow::Stop)
                        }
                        RwResult::Woke(ws) => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: ws.first().copied(),
                                    handoff: false,
                                },
                            });
                            for w in ws {
                                self.wake(p, g, w, Resume::Done);
                            }
                            Ok(Flow::Next(self.costs.mutex_unlock))
                        }
                        _ => Ok(Flow::Next(self.costs.mutex_unlock)),
                    }
                }
                other => Err(format!("Unlock of {}", other.kind())),
            },
            Op::RLock { m } => {
                let id = self.rw_id(g, *m)?;
                match self.rwmutexes[id].rlock(g) {
                    RwResult::Acquired => {
                        self.advance_pc(g)?;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::RLock { m: id as u32 },
                        });
                        Ok(Flow::Next(self.costs.atomic))
                    }
                    _ => {
                        self.park(p, g, WaitReason::RWMutexRLock, None);
                        Ok(Flow::Switch(self.costs.atomic))
                    }
                }
            }
            Op::RUnlock { m } => {
                let id = self.rw_id(g, *m)?;
                match self.rwmutexes[id].runlock() {
                    RwResult::NotLocked => {
                        self.fatal("sync: RUnlock of unlocked RWMutex");
                        Ok(Flow::Stop)
                    }
                    RwResult::Woke(ws) => {
                        self.advance_pc(g)?;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::RUnlock { m: id as u32 },
                        });
                        for w in ws {
                            self.wake(p, g, w, Resume::Done);
                        }
                        Ok(Flow::Next(self.costs.atomic))
                    }
                    _ => Ok(Flow::Next(self.costs.atomic)),
                }
            }
            Op::NewWaitGroup { dst } => {
                let id = self.wgs.len() as u32;
                self.wgs.push(Default::default());
                self.set(g, *dst, Value::WaitGroup(WaitGroupId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::WgAdd { wg, delta } => {
                let id = self.wg_id(g, *wg)?;
                let d = self.int(g, *delta)?;
                match self.wgs[id].add(d) {
                    Err(_) => {
                        self.begin_panic(p, g, Value::str("sync: negative WaitGroup counter"))
                    }
                    Ok(released) => {
                        self.advance_pc(g)?;
                        let counter = self.wgs[id].counter;
                        self.emit(TraceEvent::Op {
                            g,
                            p,
                            what: OpEvent::WgAdd {
                                wg: id as u32,
                                counter,
                            },
                        });
                        for w in released {
                            self.wake(p, g, w, Resume::Done);
                        }
                        Ok(Flow::Next(self.costs.atomic))
                    }
                }
            }
            Op::WgWait { wg } => {
                let id = self.wg_id(g, *wg)?;
                if self.wgs[id].counter == 0 {
                    self.advance_pc(g)?;
                    self.emit(TraceEvent::Op {
                        g,
                        p,
                        what: OpEvent::WgWait { wg: id as u32 },
                    });
                    return Ok(Flow::Next(self.costs.atomic));
                }
                self.wgs[id].waiters.push(g);
                self.park(p, g, WaitReason::WaitGroupWait, None);
                Ok(Flow::Switch(self.costs.atomic))
            }
            Op::Println { args } => {
                let mut parts = Vec::with_capacity(args.len());
                for a in args {
                    let v = self.get(g, *a)?;
                    parts.push(self.format(&v));
                }
                let text = parts.join(" ");
                self.out.push_str(&text);
                self.out.push('\n');
                self.advance_pc(g)?;
                self.emit(TraceEvent::Print { g, text });
                Ok(Flow::Next(self.costs.print))
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
                self.ctx_cancel(id, super::timers::CANCELED);
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
            Op::NewOnce { dst } => {
                let id = self.onces.len() as u32;
                self.onces.push(super::timers::Once {
                    state: super::timers::OnceState::NotRun,
                    waiters: Vec::new(),
                });
                self.set(g, *dst, Value::Once(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::OnceDo { once, func: callee } => {
                let id = match self.get(g, *once)? {
                    Value::Once(o) if (o as usize) < self.onces.len() => o as usize,
                    other => return Err(format!("Do on {}", other.kind())),
                };
                match self.once_enter(id, g) {
                    Some(true) => {
                        let (fid, regs) = self.callee(g, callee)?;
                        self.advance_pc(g)?;
                        self.push_frame(g, fid, regs, None)?;
                        if let Some(f) = self.gs[g as usize].frames.last_mut() {
                            f.extra_mut().once = Some(id as u32);
                        }
                        Ok(Flow::Next(self.costs.call))
                    }
                    Some(false) => {
                        self.advance_pc(g)?;
                        Ok(Flow::Next(self.costs.atomic))
                    }
                    None => {
                        self.park(p, g, WaitReason::MutexLock, None);
                        Ok(Flow::Switch(self.costs.mutex_lock))
                    }
                }
            }
            Op::Panic { val } => {
                let v = self.get(g, *val)?;
                self.begin_panic(p, g, v)
            }
            Op::MakeSlice {
                dst,
                len,
                cap,
                zero,
            } => {
                let (len, cap) = (self.int(g, *len)?, self.int(g, *cap)?);
                if len < 0 || cap < len || cap > 1 << 26 {
                    let msg = if len < 0 {
                        "runtime error: makeslice: len out of range"
                    } else {
                        "runtime error: makeslice: cap out of range"
                    };
                    return self.begin_panic(p, g, Value::str(msg));
                }
                let s = self.heap.make_slice(len as u32, cap as u32, zero.clone());
                self.set(g, *dst, Value::Slice(s))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.go_create / 4 + cap as Nanos / 4))
            }
            Op::Index { dst, base, idx } => {
                let b = self.get(g, *base)?;
                let v = match b {
                    Value::Slice(s) => {
                        let i = self.int(g, *idx)?;
                        if i < 0 || i >= s.len as i64 {
                            return self.begin_panic(
                                p,
                                g,
                                Value::str(&format!(
                                    "runtime error: index out of range [{i}] with length {}",
                                    s.len
                                )),
                            );
                        }
                        self.heap.elems(s)[i as usize].clone()
                    }
                    Value::Str(st) => {
                        let i = self.int(g, *idx)?;
                        match st.as_bytes().get(i.max(0) as usize).filter(|_| i >= 0) {
                            Some(b) => Value::Int(*b as i64),
                            None => {
                                return self.begin_panic(
                                    p,
                                    g,
                                    Value::str(&format!(
                                        "runtime error: index out of range [{i}] with length {}",
                                        st.len()
                                    )),
                                )
                            }
                        }
                    }
                    Value::Map(m) => {
                        let k = self.get(g, *idx)?;
                        self.map_get(m, &k)?.0
                    }
                    Value::Nil => {
                        // A nil map reads as empty; a nil slice has length 0.
                        let i = self.get(g, *idx)?;
                        match i {
                            Value::Int(i) => {
                                return self.begin_panic(
                                    p,
                                    g,
                                    Value::str(&format!(
                                        "runtime error: index out of range [{i}] with length 0"
                                    )),
                                )
                            }
                            _ => Value::Nil,
                        }
                    }
                    other => return Err(format!("index of {}", other.kind())),
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::SetIndex { base, idx, val } => {
                let v = self.get(g, *val)?;
                match self.get(g, *base)? {
                    Value::Slice(s) => {
                        let i = self.int(g, *idx)?;
                        if i < 0 || i >= s.len as i64 {
                            return self.begin_panic(
                                p,
                                g,
                                Value::str(&format!(
                                    "runtime error: index out of range [{i}] with length {}",
                                    s.len
                                )),
                            );
                        }
                        if let Some(a) = self.heap.array_mut(s.arr) {
                            a[(s.off as i64 + i) as usize] = v;
                        }
                    }
                    Value::Map(m) => {
                        let k = self.get(g, *idx)?;
                        let key = super::heap::MapKey::of(&k)
                            .ok_or_else(|| format!("{} is not a valid map key", k.kind()))?;
                        if let Some(super::heap::Obj::Map { entries, .. }) =
                            self.heap.objs.get_mut(m as usize)
                        {
                            entries.insert(key, v);
                        }
                    }
                    Value::Nil => {
                        return self.begin_panic(p, g, Value::str("assignment to entry in nil map"))
                    }
                    other => return Err(format!("index assignment to {}", other.kind())),
                }
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Store { cell: u32::MAX },
                });
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Append { dst, slice, vals } => {
                let s = match self.get(g, *slice)? {
                    Value::Slice(s) => Some(s),
                    Value::Nil => None,
                    other => return Err(format!("append to {}", other.kind())),
                };
                let mut vs = Vec::with_capacity(vals.len());
                for r in vals {
                    vs.push(self.get(g, *r)?);
                }
                let out = self.heap.append(s, &vs);
                self.set(g, *dst, Value::Slice(out))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem * (1 + vs.len() as Nanos)))
            }
            Op::SliceOf { dst, base, lo, hi } => {
                let lo = self.int(g, *lo)?;
                let b = self.get(g, *base)?;
                let v = match b {
                    Value::Slice(s) => {
                        let hi = match hi {
                            Some(h) => self.int(g, *h)?,
                            None => s.len as i64,
                        };
                        if lo < 0 || hi < lo || hi > s.cap as i64 {
                            return self.begin_panic(p, g, Value::str(&format!("runtime error: slice bounds out of range [{lo}:{hi}] with capacity {}", s.cap)));
                        }
                        Value::Slice(super::ir::SliceRef {
                            arr: s.arr,
                            off: s.off + lo as u32,
                            len: (hi - lo) as u32,
                            cap: s.cap - lo as u32,
                        })
                    }
                    Value::Str(st) => {
                        let hi = match hi {
                            Some(h) => self.int(g, *h)?,
                            None => st.len() as i64,
                        };
                        match st.get(lo.max(0) as usize..hi.max(0) as usize).filter(|_| lo >= 0 && hi >= lo) {
                            Some(sub) => Value::str(sub),
                            None => return self.begin_panic(p, g, Value::str(&format!("runtime error: slice bounds out of range [{lo}:{hi}] with length {}", st.len()))),
                        }
                    }
                    other => return Err(format!("slicing {}", other.kind())),
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::CopySlice { n, to, from } => {
                let (Value::Slice(d), Value::Slice(s)) = (self.get(g, *to)?, self.get(g, *from)?)
                else {
                    return Err("copy needs two slices".into());
                };
                let k = d.len.min(s.len) as usize;
                let src: Vec<Value> = self.heap.elems(s)[..k].to_vec();
                if let Some(a) = self.heap.array_mut(d.arr) {
                    for (i, v) in src.into_iter().enumerate() {
                        a[d.off as usize + i] = v;
                    }
                }
                if let Some(n) = n {
                    self.set(g, *n, Value::Int(k as i64))?;
                }
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem * (1 + k as Nanos)))
            }
            Op::LenOf { dst, v } | Op::CapOf { dst, v } => {
                let cap = matches!(op, Op::CapOf { .. });
                let n = match self.get(g, *v)? {
                    Value::Slice(s) => (if cap { s.cap } else { s.len }) as i64,
                    Value::Str(s) => s.len() as i64,
                    Value::Map(m) => match self.heap.objs.get(m as usize) {
                        Some(super::heap::Obj::Map { entries, .. }) => entries.len() as i64,
                        _ => 0,
                    },
                    Value::Chan(c) => self
                        .chans
                        .get(c.0 as usize)
                        .map(|ch| if cap { ch.cap() } else { ch.count })
                        .unwrap_or(0) as i64,
                    Value::Nil => 0,
                    other => return Err(format!("len of {}", other.kind())),
                };
                self.set(g, *dst, Value::Int(n))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::MakeMap { dst, zero } => {
                let id = self.heap.alloc(super::heap::Obj::Map {
                    entries: Default::default(),
                    zero: zero.clone(),
                });
                self.set(g, *dst, Value::Map(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::MapLookup { dst, ok, m, key } => {
                let k = self.get(g, *key)?;
                let (v, found) = match self.get(g, *m)? {
                    Value::Map(m) => self.map_get(m, &k)?,
                    Value::Nil => (Value::Nil, false),
                    other => return Err(format!("lookup in {}", other.kind())),
                };
                self.set(g, *dst, v)?;
                self.set(g, *ok, Value::Bool(found))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::MapDelete { m, key } => {
                let k = self.get(g, *key)?;
                if let (Value::Map(m), Some(key)) = (self.get(g, *m)?, super::heap::MapKey::of(&k))
                {
                    if let Some(super::heap::Obj::Map { entries, .. }) =
                        self.heap.objs.get_mut(m as usize)
                    {
                        entries.remove(&key);
                    }
                }
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::MapKeys { dst, m } => {
                let mut keys: Vec<Value> = match self.get(g, *m)? {
                    Value::Map(m) => match self.heap.objs.get(m as usize) {
                        Some(super::heap::Obj::Map { entries, .. }) => {
                            entries.keys().map(|k| k.value()).collect()
                        }
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                // Go randomises map iteration order: shuffle with the run's RNG.
                for i in (1..keys.len()).rev() {
                    let j = self.rng.below(i as u64 + 1) as usize;
                    keys.swap(i, j);
                }
                let n = keys.len() as u32;
                let s = self.heap.make_slice(0, n, Value::Nil);
                let s = self.heap.append(Some(s), &keys);
                self.set(g, *dst, Value::Slice(s))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem * (1 + n as Nanos)))
            }
            Op::NewStruct { dst, fields } => {
                let mut vals = Vec::with_capacity(fields.len());
                for r in fields {
                    vals.push(self.get(g, *r)?);
                }
                let id = self.heap.alloc(super::heap::Obj::Struct(vals));
                self.set(g, *dst, Value::Struct(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Field { dst, obj, index } => {
                let v =
                    match self.get(g, *obj)? {
                        Value::Struct(o) => match self.heap.objs.get(o as usize) {
                            Some(super::heap::Obj::Struct(f)) => f
                                .get(*index as usize)
                                .cloned()
                                .ok_or_else(|| format!("no field {index}"))?,
                            _ => return Err(format!("struct #{o} does not exist")),
                        },
                        Value::Nil => return self.begin_panic(
                            p,
                            g,
                            Value::str(
                                "runtime error: invalid memory address or nil pointer dereference",
                            ),
                        ),
                        other => return Err(format!("field of {}", other.kind())),
                    };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::SetField { obj, index, val } => {
                let v = self.get(g, *val)?;
                match self.get(g, *obj)? {
                    Value::Struct(o) => match self.heap.objs.get_mut(o as usize) {
                        Some(super::heap::Obj::Struct(f)) if (*index as usize) < f.len() => {
                            f[*index as usize] = v
                        }
                        _ => return Err(format!("no field {index} in struct #{o}")),
                    },
                    Value::Nil => {
                        return self.begin_panic(
                            p,
                            g,
                            Value::str(
                                "runtime error: invalid memory address or nil pointer dereference",
                            ),
                        )
                    }
                    other => return Err(format!("field of {}", other.kind())),
                }
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Store { cell: u32::MAX },
                });
                Ok(Flow::Next(self.costs.mem))
            }
            Op::CloneObj { dst, src } => {
                let v = match self.get(g, *src)? {
                    Value::Struct(o) => match self.heap.objs.get(o as usize).cloned() {
                        Some(obj) => Value::Struct(self.heap.alloc(obj)),
                        None => return Err(format!("struct #{o} does not exist")),
                    },
                    other => other,
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Defer { func: callee, args } => {
                let (fid, mut regs) = self.callee(g, callee)?;
                for a in args {
                    regs.push(self.get(g, *a)?);
                }
                self.frame(g)?.extra_mut().defers.push((fid, regs));
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.call))
            }
            Op::Recover { dst } => {
                let frames = &self.gs[g as usize].frames;
                let direct = frames.len() >= 2
                    && frames[frames.len() - 1].deferred
                    && frames[frames.len() - 2].unwinding_or_returning_from_panic();
                let v = if direct {
                    self.gs[g as usize]
                        .panicking
                        .take()
                        .map(|b| *b)
                        .unwrap_or(Value::Nil)
                } else {
                    Value::Nil
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.call))
            }
        }
    }

    fn ctx_id(&self, g: GoId, r: Reg) -> R<u32> {
        match self.get(g, r)? {
            Value::Context(c) if (c as usize) < self.contexts.len() => Ok(c),
            other => Err(format!(
                "r{r} holds {}, not a context.Context",
                other.kind()
            )),
        }
    }

    /// Starts a panic: deferred calls run frame by frame; a recover stops it; if none does, the
    /// program crashes with Go's "panic: " message.
    fn begin_panic(&mut self, p: PId, g: GoId, v: Value) -> R<Flow> {
        self.gs[g as usize].panicking = Some(Box::new(v));
        self.unwind(p, g)
    }

    fn unwind(&mut self, p: PId, g: GoId) -> R<Flow> {
        loop {
            let Some(top) = self.gs[g as usize].frames.last_mut() else {
                let v = self.gs[g as usize]
                    .panicking
                    .take()
                    .map(|b| *b)
                    .unwrap_or(Value::Nil);
                // The crashing goroutine is the one that was running.
                self.gs[g as usize]
                    .frames
                    .push(Frame::new(self.program.main, Vec::new(), None));
                self.panic(g, &panic_text(&v));
                return Ok(Flow::Stop);
            };
            if let Some((func, regs)) = top.pop_defer() {
                top.unwinding = true;
                self.push_frame(g, func, regs, None)?;
                if let Some(f) = self.gs[g as usize].frames.last_mut() {
                    f.deferred = true;
                }
                return Ok(Flow::Next(self.costs.call));
            }
            let popped = self.gs[g as usize].frames.pop();
            if self.gs[g as usize].frames.is_empty() {
                // Keep the panicking frame for the goroutine dump.
                if let Some(f) = popped {
                    self.gs[g as usize].frames.push(f);
                }
                let v = self.gs[g as usize]
                    .panicking
                    .take()
                    .map(|b| *b)
                    .unwrap_or(Value::Nil);
                self.panic(g, &panic_text(&v));
                return Ok(Flow::Stop);
            }
            let _ = p;
        }
    }

    /// A map's value for `k` (its zero value if missing) and whether it was there.
    fn map_get(&self, m: u32, k: &Value) -> R<(Value, bool)> {
        let key = super::heap::MapKey::of(k)
            .ok_or_else(|| format!("{} is not a valid map key", k.kind()))?;
        match self.heap.objs.get(m as usize) {
            Some(super::heap::Obj::Map { entries, zero }) => Ok(match entries.get(&key) {
                Some(v) => (v.clone(), true),
                None => (zero.clone(), false),
            }),
            _ => Err(format!("map #{m} does not exist")),
        }
    }

    fn rw_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                Ok(id as usize)
            }
            other => Err(format!("r{r} holds {}, not a *sync.RWMutex", other.kind())),
        }
    }

    fn wg_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::WaitGroup(WaitGroupId(id)) if (id as usize) < self.wgs.len() => Ok(id as usize),
            other => Err(format!(
                "r{r} holds {}, not a *sync.WaitGroup",
                other.kind()
            )),
        }
    }

    fn cell_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::Ptr(c) if (c.0 as usize) < self.cells.len() => Ok(c.0 as usize),
            Value::Nil => Err("nil pointer dereference".into()),
            other => Err(format!("r{r} holds {}, not a pointer", other.kind())),
        }
    }

    /// The function a call or go statement runs and its leading registers (a closure's cells).
    fn callee(&self, g: GoId, c: &Callee) -> R<(FuncId, Vec<Value>)> {
        match c {
            Callee::Static(f) => {
                if self.program.func(*f).is_none() {
                    return Err(format!("call of unknown function {f}"));
                }
                Ok((*f, Vec::new()))
            }
            Callee::Dynamic(r) => match self.get(g, *r)? {
                Value::Func(f, cells) if self.program.func(f).is_some() => {
                    Ok((f, cells.iter().map(|c| Value::Ptr(*c)).collect()))
                }
                other => Err(format!("call of {}", other.kind())),
            },
        }
    }

    fn push_frame(
        &mut self,
        g: GoId,
        func: FuncId,
        mut regs: Vec<Value>,
        ret_to: Option<Reg>,
    ) -> R<()> {
        if self.gs[g as usize].frames.len() >= 10_000 {
            return Err("stack overflow: more than 10000 nested calls".into());
        }
        let n = self
            .program
            .func(func)
            .map(|f| f.regs as usize)
            .unwrap_or(0);
        regs.resize(n.max(regs.len()), Value::Nil);
        self.gs[g as usize]
            .frames
            .push(Frame::new(func, regs, ret_to));
        Ok(())
    }

    /// Returns from the current function; the goroutine ends when its first frame returns, and the
    /// program ends when main's does.
    fn ret(&mut self, p: PId, g: GoId, v: Option<Value>) -> R<Flow> {
        // Deferred calls run first, last in first out.
        let next_defer = self.frame(g)?.pop_defer();
        if let Some((func, regs)) = next_defer {
            self.frame(g)?.extra_mut().returning = Some(v);
            self.push_frame(g, func, regs, None)?;
            if let Some(f) = self.gs[g as usize].frames.last_mut() {
                f.deferred = true;
            }
            return Ok(Flow::Next(self.costs.call));
        }
        let frame = self.gs[g as usize].frames.pop();
        if self.gs[g as usize].frames.is_empty() {
            self.gs[g as usize].status = GStatus::Dead;
            self.live_gs -= 1;
            if g == 1 {
                self.ps[p as usize].curg = None;
                self.emit(TraceEvent::GoExit { g, p });
                self.finish(0, String::new());
                return Ok(Flow::Stop);
            }
            self.emit(TraceEvent::GoExit { g, p });
            return Ok(Flow::Switch(self.costs.sched_switch));
        }
        if let Some(f) = &frame {
            if f.deferred {
                // Back to the frame that deferred it, which goes on returning or unwinding.
                return Ok(Flow::Next(self.costs.call));
            }
            if let Some(once) = f.once() {
                // once.Do's f returned; the caller's pc is already past the Do.
                self.once_done(p, g, once as usize);
                return Ok(Flow::Next(self.costs.call));
            }
        }
        if let (Some(f), Some(v)) = (frame, v) {
            if let Some(dst) = f.ret_to {
                self.set(g, dst, v)?;
            }
        }
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.call))
    }

    /// `entersyscall`: the goroutine and its thread block; a blocking call hands the P off at once,
    /// a fast one leaves it in _Psyscall for sysmon to retake.
    fn entersyscall(&mut self, p: PId, g: GoId, d: Nanos, kind: SyscallKind) {
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
        self.push_live(self.now + d, Ev::SyscallDone { m, g });
        if blocking {
            self.ms[m as usize].p = None;
            self.handoffp(p);
        } else {
            self.ps[p as usize].status = super::proc::PStatus::Syscall;
        }
    }

    /// `procresize`: GOMAXPROCS changes with the world stopped. Removed Ps put their runnext and local
    /// queue at the head of the global queue; new Ps start idle.
    fn procresize(&mut self, p: PId, g: GoId, n: u32) {
        use super::proc::PStatus;
        let before = self.gomaxprocs();
        let total = self.ps.len() as u32;
        if n > total {
            for id in total..n {
                self.ps.push(super::proc::Processor::new_pub(id));
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
            self.push_live(self.now + cost, Ev::Run { p, epoch });
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
            self.push_live(self.now + cost, Ev::Run { p: target, epoch });
        }
        self.wakep();
    }

    /// `selectgo`: poll the cases in a uniformly random order and take the first ready one; else take
    /// default; else park on every channel until one fires.
    fn select(
        &mut self,
        p: PId,
        g: GoId,
        cases: &[SelectCase],
        default: bool,
        dst: Reg,
    ) -> R<Flow> {
        // Resolve channels; nil channels' cases never proceed.
        let mut live: Vec<(usize, ChanId)> = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let r = match case {
                SelectCase::Send { ch, .. } | SelectCase::Recv { ch, .. } => *ch,
            };
            if let Some(id) = self.chan_id(g, r)? {
                live.push((i, id));
            }
        }
        // Poll order: a Fisher-Yates shuffle (Go's cheaprandn per position).
        for i in (1..live.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            live.swap(i, j);
        }
        for &(i, id) in &live {
            match &cases[i] {
                SelectCase::Send { val, .. } => {
                    if !self.chans[id.0 as usize].can_send() {
                        continue;
                    }
                    let v = self.get(g, *val)?;
                    match self.chans[id.0 as usize].send(v) {
                        SendResult::Closed => {
                            return self.begin_panic(p, g, Value::str("send on closed channel"));
                        }
                        SendResult::Handoff(w) => {
                            self.select_done(p, g, dst, i)?;
                            self.apply_wake(p, g, w);
                            return Ok(Flow::Next(self.costs.chan_handoff));
                        }
                        SendResult::Buffered => {
                            self.select_done(p, g, dst, i)?;
                            return Ok(Flow::Next(self.costs.chan_op));
                        }
                        SendResult::MustPark => continue,
                    }
                }
                SelectCase::Recv { dst: d, ok, .. } => {
                    if !self.chans[id.0 as usize].can_recv() {
                        continue;
                    }
                    if let RecvResult::Got { val, ok: okv, woke } = self.chans[id.0 as usize].recv()
                    {
                        if let Some(d) = d {
                            self.set(g, *d, val)?;
                        }
                        if let Some(o) = ok {
                            self.set(g, *o, Value::Bool(okv))?;
                        }
                        self.select_done(p, g, dst, i)?;
                        let cost = if woke.is_some() {
                            self.costs.chan_handoff
                        } else {
                            self.costs.chan_op
                        };
                        if let Some(w) = woke {
                            self.apply_wake(p, g, w);
                        }
                        return Ok(Flow::Next(cost));
                    }
                }
            }
        }
        if default {
            self.set(g, dst, Value::Int(cases.len() as i64))?;
            self.advance_pc(g)?;
            self.emit(TraceEvent::Op {
                g,
                p,
                what: OpEvent::Select { case: None },
            });
            return Ok(Flow::Next(self.costs.chan_op));
        }
        if live.is_empty() {
            self.park(p, g, WaitReason::SelectNoCases, None);
            return Ok(Flow::Switch(0));
        }
        // Park on every channel, in case order.
        live.sort_by_key(|(i, _)| *i);
        for &(i, id) in &live {
            match &cases[i] {
                SelectCase::Send { val, .. } => {
                    let v = self.get(g, *val)?;
                    self.chans[id.0 as usize].sendq.push_back(Waiter {
                        g,
                        val: v,
                        case: Some(i as u32),
                    });
                }
                SelectCase::Recv { .. } => {
                    self.chans[id.0 as usize].recvq.push_back(Waiter {
                        g,
                        val: Value::Nil,
                        case: Some(i as u32),
                    });
                }
            }
        }
        self.park(p, g, WaitReason::Select, None);
        Ok(Flow::Switch(self.costs.chan_op))
    }

    fn select_done(&mut self, p: PId, g: GoId, dst: Reg, i: usize) -> R<()> {
        self.set(g, dst, Value::Int(i as i64))?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Select { case: Some(i) },
        });
        Ok(())
    }
}

/// Operations nothing outside the goroutine can observe: batched without their own event.
fn is_local(op: &Op) -> bool {
    matches!(
        op,
        Op::Const { .. }
            | Op::Move { .. }
            | Op::Bin { .. }
            | Op::Not { .. }
            | Op::Jump { .. }
            | Op::JumpIf { .. }
            | Op::JumpIfNot { .. }
            | Op::Call { .. }
            | Op::Return { .. }
            | Op::MakeClosure { .. }
            | Op::NumGoroutine { .. }
            | Op::Now { .. }
    )
}

/// What Go prints after "panic: ": strings and errors as their text, other values as fmt would.
fn panic_text(v: &Value) -> String {
    v.to_string()
}

impl Frame {
    /// This frame ran a deferred call because of a panic (recover is allowed in that call).
    fn unwinding_or_returning_from_panic(&self) -> bool {
        self.unwinding
    }
}

enum BinError {
    DivideByZero,
    Types,
}

fn binop(op: BinOp, a: &Value, b: &Value) -> Result<Value, BinError> {
    use BinOp::*;
    use Value::*;
    Ok(match (op, a, b) {
        (Eq, a, b) => Bool(a == b),
        (Ne, a, b) => Bool(a != b),
        (Add, Int(x), Int(y)) => Int(x.wrapping_add(*y)),
        (Sub, Int(x), Int(y)) => Int(x.wrapping_sub(*y)),
        (Mul, Int(x), Int(y)) => Int(x.wrapping_mul(*y)),
        (Div | Rem, Int(_), Int(0)) => return Err(BinError::DivideByZero),
        (Div, Int(x), Int(y)) => Int(x.wrapping_div(*y)),
        (Rem, Int(x), Int(y)) => Int(x.wrapping_rem(*y)),
        (Add, Float(x), Float(y)) => Float(x + y),
        (Sub, Float(x), Float(y)) => Float(x - y),
        (Mul, Float(x), Float(y)) => Float(x * y),
        (Div, Float(x), Float(y)) => Float(x / y),
        (Add, Str(x), Str(y)) => Str(Rc::from(format!("{x}{y}"))),
        (Lt, Int(x), Int(y)) => Bool(x < y),
        (Le, Int(x), Int(y)) => Bool(x <= y),
        (Gt, Int(x), Int(y)) => Bool(x > y),
        (Ge, Int(x), Int(y)) => Bool(x >= y),
        (Lt, Float(x), Float(y)) => Bool(x < y),
        (Le, Float(x), Float(y)) => Bool(x <= y),
        (Gt, Float(x), Float(y)) => Bool(x > y),
        (Ge, Float(x), Float(y)) => Bool(x >= y),
        (Lt, Str(x), Str(y)) => Bool(x < y),
        (Gt, Str(x), Str(y)) => Bool(x > y),
        (And, Bool(x), Bool(y)) => Bool(*x && *y),
        (Or, Bool(x), Bool(y)) => Bool(*x || *y),
        _ => return Err(BinError::Types),
    })
}

/// The placement type is re-exported for narration of handoffs.
#[allow(dead_code)]
fn _placement(_: Placement) {}
