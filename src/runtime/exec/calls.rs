//! Calls, returns, defers and panics: pushing a frame (with Go's named results and a closure's
//! cells), running deferred calls last in first out on return, and unwinding a panic frame by frame
//! until a deferred recover stops it or the program crashes with Go's message.

use std::rc::Rc;

use super::{Flow, R};
use crate::runtime::g::{Frame, GStatus, GoId};
use crate::runtime::ir::{Callee, FuncId, Reg, Value};
use crate::runtime::trace::{PId, TraceEvent};
use crate::runtime::world::Runtime;

impl Runtime {
    /// Starts a panic: deferred calls run frame by frame; a recover stops it; if none does, the
    /// program crashes with Go's "panic: " message.
    pub(super) fn begin_panic(&mut self, p: PId, g: GoId, v: Value) -> R<Flow> {
        self.store.allgs[g as usize].panicking = Some(Box::new(v));
        self.unwind(p, g)
    }

    pub(super) fn unwind(&mut self, p: PId, g: GoId) -> R<Flow> {
        loop {
            let Some(top) = self.store.allgs[g as usize].frames.last_mut() else {
                let v = self.store.allgs[g as usize]
                    .panicking
                    .take()
                    .map(|b| *b)
                    .unwrap_or(Value::Nil);
                // The crashing goroutine is the one that was running.
                self.store.allgs[g as usize].frames.push(Frame::new(
                    self.program.main,
                    Vec::new(),
                    None,
                ));
                let text = self.panic_text(&v);
                self.panic(g, &text);
                return Ok(Flow::Stop);
            };
            if let Some((func, regs)) = top.pop_defer() {
                top.unwinding = true;
                self.push_frame(g, func, regs, None)?;
                if let Some(f) = self.store.allgs[g as usize].frames.last_mut() {
                    f.deferred = true;
                }
                return Ok(Flow::Next(self.costs.call));
            }
            let popped = self.store.allgs[g as usize].frames.pop();
            if self.store.allgs[g as usize].frames.is_empty() {
                // Keep the panicking frame for the goroutine dump.
                if let Some(f) = popped {
                    self.store.allgs[g as usize].frames.push(f);
                }
                let v = self.store.allgs[g as usize]
                    .panicking
                    .take()
                    .map(|b| *b)
                    .unwrap_or(Value::Nil);
                let text = self.panic_text(&v);
                self.panic(g, &text);
                return Ok(Flow::Stop);
            }
            let _ = p;
        }
    }

    /// The function a call or go statement runs and its leading registers (a closure's cells).
    pub(super) fn callee(&self, g: GoId, c: &Callee) -> R<(FuncId, Vec<Value>)> {
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

    pub(super) fn push_frame(
        &mut self,
        g: GoId,
        func: FuncId,
        mut regs: Vec<Value>,
        ret_to: Option<Reg>,
    ) -> R<()> {
        let n = self
            .program
            .func(func)
            .map(|f| f.regs as usize)
            .unwrap_or(0);
        let below = self.store.allgs[g as usize]
            .frames
            .last()
            .map_or(0, |f| f.stack_bytes);
        let bytes = below + frame_bytes(n);
        if bytes > MAX_STACK_BYTES {
            return Err(STACK_OVERFLOW.into());
        }
        regs.resize(n.max(regs.len()), Value::Nil);
        let mut frame = Frame::new(func, regs, ret_to);
        frame.stack_bytes = bytes;
        self.store.allgs[g as usize].frames.push(frame);
        Ok(())
    }

    /// Returns from the current function; the goroutine ends when its first frame returns, and the
    /// program ends when main's does.
    pub(super) fn ret(&mut self, p: PId, g: GoId, v: Option<Value>) -> R<Flow> {
        // Deferred calls run first, last in first out.
        let next_defer = self.frame(g)?.pop_defer();
        if let Some((func, regs)) = next_defer {
            self.frame(g)?.extra_mut().returning = Some(v);
            self.push_frame(g, func, regs, None)?;
            if let Some(f) = self.store.allgs[g as usize].frames.last_mut() {
                f.deferred = true;
            }
            return Ok(Flow::Next(self.costs.call));
        }
        let v = self.named_results(g).unwrap_or(v);
        let frame = self.store.allgs[g as usize].frames.pop();
        if self.store.allgs[g as usize].frames.is_empty() {
            self.store.allgs[g as usize].status = GStatus::Dead;
            self.store.live_gs -= 1;
            if g == 1 {
                self.sched.allp[p as usize].curg = None;
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
}

impl Runtime {
    /// The current values of the returning function's named results, if it has any.
    fn named_results(&self, g: GoId) -> Option<Option<Value>> {
        let f = self.store.allgs[g as usize].frames.last()?;
        let named = self.program.func(f.func)?.named_results.as_ref()?;
        let mut vals = Vec::with_capacity(named.len());
        for &(r, cell) in named.iter() {
            let v = f.regs.get(r as usize).cloned().unwrap_or_default();
            vals.push(match (cell, v) {
                (true, Value::Ptr(c)) => self
                    .store
                    .cells
                    .get(c.0 as usize)
                    .cloned()
                    .unwrap_or_default(),
                (_, v) => v,
            });
        }
        Some(match vals.len() {
            0 => None,
            1 => vals.pop(),
            _ => Some(Value::Tuple(Rc::from(vals))),
        })
    }
}

impl Frame {
    /// This frame ran a deferred call because of a panic (recover is allowed in that call).
    pub(super) fn unwinding_or_returning_from_panic(&self) -> bool {
        self.unwinding
    }
}

impl Runtime {
    /// A call: a new frame with the arguments (a closure's cells first).
    pub(super) fn call(
        &mut self,
        g: GoId,
        callee: &Callee,
        args: &[Reg],
        dst: Option<Reg>,
    ) -> R<Flow> {
        let (fid, mut regs) = self.callee(g, callee)?;
        for a in args {
            regs.push(self.get(g, *a)?);
        }
        self.push_frame(g, fid, regs, dst)?;
        Ok(Flow::Next(self.costs.call))
    }

    /// `return`: the frame's deferred calls run first, then the value goes to the caller.
    pub(super) fn return_op(&mut self, p: PId, g: GoId, val: Option<Reg>) -> R<Flow> {
        let v = match val {
            Some(r) => Some(self.get(g, r)?),
            None => None,
        };
        self.ret(p, g, v)
    }

    /// A function value over the captured heap cells.
    pub(super) fn make_closure(
        &mut self,
        g: GoId,
        dst: Reg,
        fid: FuncId,
        cells: &[Reg],
    ) -> R<Flow> {
        let mut ids = Vec::with_capacity(cells.len());
        for r in cells {
            match self.get(g, *r)? {
                Value::Ptr(cid) => ids.push(cid),
                other => return Err(format!("closure captures {}, not a cell", other.kind())),
            }
        }
        self.set(g, dst, Value::Func(fid, Rc::from(ids)))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.local_op))
    }

    /// `defer f(args)` (`deferproc`): pushed on the frame's defer list.
    pub(super) fn deferproc(&mut self, g: GoId, callee: &Callee, args: &[Reg]) -> R<Flow> {
        let (fid, mut regs) = self.callee(g, callee)?;
        for a in args {
            regs.push(self.get(g, *a)?);
        }
        self.frame(g)?.extra_mut().defers.push((fid, regs));
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.call))
    }

    /// `panic(v)` (`gopanic`).
    pub(super) fn gopanic(&mut self, p: PId, g: GoId, val: Reg) -> R<Flow> {
        let v = self.get(g, val)?;
        self.begin_panic(p, g, v)
    }

    /// `recover()` (`gorecover`): the panic value, only when called directly by a deferred call while panicking.
    pub(super) fn gorecover(&mut self, g: GoId, dst: Reg) -> R<Flow> {
        let frames = &self.store.allgs[g as usize].frames;
        let direct = frames.len() >= 2
            && frames[frames.len() - 1].deferred
            && frames[frames.len() - 2].unwinding_or_returning_from_panic();
        let v = if direct {
            self.store.allgs[g as usize]
                .panicking
                .take()
                .map(|b| *b)
                .unwrap_or(Value::Nil)
        } else {
            Value::Nil
        };
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.call))
    }
}

/// Go's limit on a goroutine's stack on 64-bit systems (runtime.maxstacksize).
pub(crate) const MAX_STACK_BYTES: u64 = 1_000_000_000;

/// The error push_frame gives past the limit; the run ends with Go's "fatal error: stack overflow".
pub(crate) const STACK_OVERFLOW: &str = "goroutine stack exceeds the limit";

/// The stack bytes a frame of `regs` registers counts for: its registers and a fixed part for the
/// call's bookkeeping. Larger than most of Go's frames (so a runaway recursion stops after some
/// 500,000 calls, before the simulation's own frames use much memory), small enough that
/// recursion 100,000 deep runs as in Go.
fn frame_bytes(regs: usize) -> u64 {
    1024 + 128 * regs as u64
}
