//! Executing goroutine operations on a P.
//!
//! A P runs its goroutine's next operation at the current virtual time and is busy for the operation's
//! cost. Operations that only touch the goroutine's own registers are batched into one event (nothing
//! else can observe them); an operation that touches shared state runs in its own event at exactly its
//! time, so operations of goroutines on different Ps interleave as they would in parallel.

mod builtin;
mod calls;
mod cells;
mod chan;
mod heap;
mod sync;
mod time;
mod typed;

use std::rc::Rc;

use super::chan::{Channel, RecvResult, SendResult, Waiter, Wake};
use super::g::{Frame, GStatus, GoId, Resume, WaitReason};
use super::ir::{
    BinOp, Callee, ChanId, FuncId, MutexId, Op, Reg, RwMutexId, SelectCase, Value, WaitGroupId,
};
use super::sync::{LockResult, RwResult, UnlockResult};
use super::trace::{OpEvent, PId, TraceEvent};
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
        let Some(g) = self.sched.allp[p as usize].curg else {
            return;
        };
        // Leftover CPU work from a preempted Compute comes first.
        let left = self.store.allgs[g as usize].compute_left;
        if left > 0 {
            self.store.allgs[g as usize].compute_left = 0;
            self.busy(p, g, left);
            return;
        }
        let mut cost: Nanos = 0;
        let mut first = true;
        if self.ops >= self.config.max_ops {
            self.halt = Some(crate::sim::scenario::Halt::Limit(format!(
                "stopped: the program executed {} operations (the operation budget) without finishing",
                self.ops
            )));
            return;
        }
        if self.store.heap.values > self.config.max_heap_values {
            self.halt = Some(crate::sim::scenario::Halt::Limit(format!(
                "stopped: the program's slices, maps and structs hold more than {} values (the memory budget)",
                self.config.max_heap_values
            )));
            return;
        }
        for _ in 0..LOCAL_BATCH {
            self.ops += 1;
            if !first && !self.next_is_local(g) {
                break;
            }
            first = false;
            match self.exec(p, g) {
                Ok(Flow::Next(c)) => {
                    cost = cost.saturating_add(c);
                    if !self.last_was_local {
                        break;
                    }
                }
                Ok(Flow::Switch(c)) => {
                    self.sched.allp[p as usize].busy = self.sched.allp[p as usize]
                        .busy
                        .saturating_add(cost.saturating_add(c));
                    self.switch_after(p, cost.saturating_add(c));
                    return;
                }
                Ok(Flow::Busy) => return,
                Ok(Flow::Stop) => return,
                Err(e) if e == calls::STACK_OVERFLOW => {
                    // Go prints the limit, then the fatal error (its goroutine header carries
                    // addresses, so none is shown here).
                    self.finish(
                        2,
                        format!(
                            "runtime: goroutine stack exceeds {}-byte limit\nfatal error: stack overflow\n",
                            calls::MAX_STACK_BYTES
                        ),
                    );
                    return;
                }
                Err(e) => {
                    self.fatal(&format!("invalid program: {e}"));
                    return;
                }
            }
        }
        self.sched.allp[p as usize].busy = self.sched.allp[p as usize].busy.saturating_add(cost);
        let epoch = self.sched.allp[p as usize].epoch;
        self.push_live(self.now.saturating_add(cost.max(1)), Ev::Run { p, epoch });
    }

    /// The P finishes the current operation after `cost` and then schedules.
    fn switch_after(&mut self, p: PId, cost: Nanos) {
        let pp = &mut self.sched.allp[p as usize];
        pp.curg = None;
        pp.epoch += 1;
        let epoch = pp.epoch;
        if cost == 0 {
            self.schedule(p);
        } else {
            self.push_live(self.now.saturating_add(cost), Ev::Run { p, epoch });
        }
    }

    /// The goroutine computes for `d`; sysmon may preempt it midway.
    fn busy(&mut self, p: PId, g: GoId, d: Nanos) {
        self.store.allgs[g as usize].busy_until = self.now.saturating_add(d);
        self.sched.allp[p as usize].busy = self.sched.allp[p as usize].busy.saturating_add(d);
        let epoch = self.sched.allp[p as usize].epoch;
        self.push_live(self.now.saturating_add(d.max(1)), Ev::Run { p, epoch });
    }

    /// A preempted goroutine keeps the rest of its Compute for when it runs again.
    pub(crate) fn save_compute_left(&mut self, p: PId, g: GoId) {
        let gg = &mut self.store.allgs[g as usize];
        if gg.busy_until > self.now {
            let left = gg.busy_until - self.now;
            gg.compute_left = left;
            self.sched.allp[p as usize].busy =
                self.sched.allp[p as usize].busy.saturating_sub(left);
        }
        gg.busy_until = 0;
    }

    fn next_is_local(&self, g: GoId) -> bool {
        let Some(f) = self.store.allgs[g as usize].top() else {
            return false;
        };
        if self.store.allgs[g as usize].resume != Resume::Nothing {
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
        self.store.allgs[g as usize]
            .frames
            .last_mut()
            .ok_or_else(|| format!("goroutine {g} has no frame"))
    }

    fn get(&self, g: GoId, r: Reg) -> R<Value> {
        let f = self.store.allgs[g as usize]
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

    /// Writes a completed receive into its destination registers (`v, ok := <-ch`; either optional).
    fn deliver(
        &mut self,
        g: GoId,
        dst: Option<Reg>,
        ok: Option<Reg>,
        v: Value,
        okv: bool,
    ) -> R<()> {
        if let Some(d) = dst {
            self.set(g, d, v)?;
        }
        if let Some(o) = ok {
            self.set(g, o, Value::Bool(okv))?;
        }
        Ok(())
    }

    fn advance_pc(&mut self, g: GoId) -> R<()> {
        self.frame(g)?.pc += 1;
        Ok(())
    }

    /// Applies what a parked operation produced, now that its goroutine runs again.
    fn resume(&mut self, p: PId, g: GoId, op: &Op) -> R<Option<Flow>> {
        let resume = std::mem::take(&mut self.store.allgs[g as usize].resume);
        match (resume, op) {
            (Resume::Nothing, _) => Ok(None),
            (Resume::RetryLock(since), Op::Lock { .. }) => {
                self.store.allgs[g as usize].resume = Resume::RetryLock(since);
                Ok(None)
            }
            (Resume::SendOnClosed, _) => {
                // The send never completes: advance past it so a recovered goroutine does not retry.
                self.advance_pc(g)?;
                self.begin_panic(p, g, Value::str("send on closed channel"))
                    .map(Some)
            }
            (Resume::Received(v, ok), Op::Recv { dst, ok: okr, .. }) => {
                self.deliver(g, *dst, *okr, v, ok)?;
                self.advance_pc(g)?;
                Ok(Some(Flow::Next(0)))
            }
            (Resume::Selected(i, v, ok), Op::Select { cases, dst, .. }) => {
                self.set(g, *dst, Value::Int(i as i64))?;
                if let Some(SelectCase::Recv { dst: d, ok: o, .. }) = cases.get(i as usize) {
                    self.deliver(g, *d, *o, v, ok)?;
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
            let f = self.store.allgs[g as usize]
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
            if self.store.allgs[g as usize].panicking.is_some() {
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
        self.dispatch(p, g, op)
    }

    /// The operation table: each family of operations to its executor (channels, sync, heap, time,
    /// typed values and the library in their own files); the local operations a loop is made of run
    /// here, without a second dispatch.
    #[inline]
    fn dispatch(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::MakeChan { .. }
            | Op::Send { .. }
            | Op::Recv { .. }
            | Op::Close { .. }
            | Op::Len { .. }
            | Op::Cap { .. }
            | Op::Select { .. } => self.exec_chan(p, g, op),
            Op::NewMutex { .. }
            | Op::NewRwMutex { .. }
            | Op::Lock { .. }
            | Op::Unlock { .. }
            | Op::RLock { .. }
            | Op::RUnlock { .. }
            | Op::NewWaitGroup { .. }
            | Op::WgAdd { .. }
            | Op::WgWait { .. }
            | Op::NewOnce { .. }
            | Op::OnceDo { .. } => self.exec_sync(p, g, op),
            Op::MakeSlice { .. }
            | Op::Index { .. }
            | Op::SetIndex { .. }
            | Op::Append { .. }
            | Op::SliceOf { .. }
            | Op::CopySlice { .. }
            | Op::LenOf { .. }
            | Op::CapOf { .. }
            | Op::MakeMap { .. }
            | Op::MapLookup { .. }
            | Op::MapDelete { .. }
            | Op::MapKeys { .. }
            | Op::NewStruct { .. }
            | Op::Field { .. }
            | Op::SetField { .. }
            | Op::CloneObj { .. } => self.exec_heap(p, g, op),
            Op::Sleep { .. }
            | Op::Syscall { .. }
            | Op::SetMaxProcs { .. }
            | Op::NewTimer { .. }
            | Op::StopTimer { .. }
            | Op::CtxBackground { .. }
            | Op::CtxDerive { .. }
            | Op::CtxCancel { .. }
            | Op::CtxDone { .. }
            | Op::CtxErr { .. }
            | Op::CtxDeadline { .. } => self.exec_time(p, g, op),
            Op::Format { .. }
            | Op::Write { .. }
            | Op::WriteErr { .. }
            | Op::Box { .. }
            | Op::Unbox { .. }
            | Op::Tuple { .. }
            | Op::TupleGet { .. }
            | Op::Convert { .. }
            | Op::Equal { .. }
            | Op::KeyOf { .. }
            | Op::FromKey { .. }
            | Op::Lib { .. } => self.exec_typed(p, g, op),
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
            Op::Bin { op, dst, a, b } => self.binary(p, g, *op, *dst, (*a, *b)),
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
            } => self.call(g, callee, args, *dst),
            Op::Return { val } => self.return_op(p, g, *val),
            Op::MakeClosure {
                dst,
                func: fid,
                cells,
            } => self.make_closure(g, *dst, *fid, cells),
            Op::NewCell { dst, init } => self.new_cell(g, *dst, *init),
            Op::Load { dst, ptr } => self.load_cell(g, *dst, *ptr),
            Op::Store { ptr, val } => self.store_cell(p, g, *ptr, *val),
            Op::AtomicAdd { dst, ptr, delta } => self.atomic_add(p, g, *dst, *ptr, *delta),
            Op::AtomicLoad { dst, ptr } => self.atomic_load(g, *dst, *ptr),
            Op::AtomicStore { ptr, val } => self.atomic_store(p, g, *ptr, *val),
            Op::AtomicCas { dst, ptr, old, new } => self.atomic_cas(p, g, *dst, *ptr, *old, *new),
            Op::Compute { dur } => self.compute(p, g, *dur),
            Op::Go { func: callee, args } => self.newproc(p, g, callee, args),
            Op::Gosched => {
                self.advance_pc(g)?;
                self.gosched(p, g);
                Ok(Flow::Switch(self.costs.sched_switch))
            }
            Op::NumGoroutine { dst } => {
                self.set(g, *dst, Value::Int(self.store.live_gs as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Now { dst } => {
                self.set(g, *dst, Value::Int(self.now as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Println { args } => self.println(g, args),
            Op::Panic { val } => self.gopanic(p, g, *val),
            Op::TypeName { dst, v } => self.typename(g, *dst, *v),
            Op::Observe { dur } => self.observe_latency(g, *dur),
            Op::Defer { func: callee, args } => self.deferproc(g, callee, args),
            Op::Recover { dst } => self.gorecover(g, *dst),
        }
    }

    /// A binary operator; integer division by zero and negative shifts panic as in Go.
    fn binary(&mut self, p: PId, g: GoId, op: BinOp, dst: Reg, (a, b): (Reg, Reg)) -> R<Flow> {
        let (a, b) = (self.get(g, a)?, self.get(g, b)?);
        match binop(op, &a, &b) {
            Ok(v) => {
                self.set(g, dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Err(BinError::DivideByZero) => {
                self.begin_panic(p, g, Value::str("runtime error: integer divide by zero"))
            }
            Err(BinError::NegativeShift) => {
                self.begin_panic(p, g, Value::str("runtime error: negative shift amount"))
            }
            Err(BinError::Types) => {
                let func = self.store.allgs[g as usize].top().map_or(0, |f| f.func);
                Err(format!(
                    "{op:?} of {} and {} in {}",
                    a.kind(),
                    b.kind(),
                    self.fname(func)
                ))
            }
        }
    }

    fn cell_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::Ptr(c) if (c.0 as usize) < self.store.cells.len() => Ok(c.0 as usize),
            Value::Nil => Err("nil pointer dereference".into()),
            other => Err(format!("r{r} holds {}, not a pointer", other.kind())),
        }
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
            | Op::Format { .. }
            | Op::Box { .. }
            | Op::Unbox { .. }
            | Op::Tuple { .. }
            | Op::TupleGet { .. }
            | Op::Convert { .. }
            | Op::Equal { .. }
            | Op::KeyOf { .. }
            | Op::FromKey { .. }
            | Op::Lib { .. }
    )
}

enum BinError {
    DivideByZero,
    NegativeShift,
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
        (Le, Str(x), Str(y)) => Bool(x <= y),
        (Gt, Str(x), Str(y)) => Bool(x > y),
        (Ge, Str(x), Str(y)) => Bool(x >= y),
        (BitAnd, Int(x), Int(y)) => Int(x & y),
        (BitOr, Int(x), Int(y)) => Int(x | y),
        (BitXor, Int(x), Int(y)) => Int(x ^ y),
        (AndNot, Int(x), Int(y)) => Int(x & !y),
        (Shl, Int(x), Int(y)) if *y >= 0 => Int(if *y >= 64 { 0 } else { x << y }),
        (Shr, Int(x), Int(y)) if *y >= 0 => Int(x >> (*y).min(63)),
        (Shl | Shr, Int(_), Int(_)) => return Err(BinError::NegativeShift),
        (Rem, Float(x), Float(y)) => Float(x % y),
        (And, Bool(x), Bool(y)) => Bool(*x && *y),
        (Or, Bool(x), Bool(y)) => Bool(*x || *y),
        _ => return Err(BinError::Types),
    })
}
