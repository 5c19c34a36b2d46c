//! Goroutines and builtins: `go` (newproc), CPU work, println, %T's type name and the lab's latency
//! observations.

use super::*;

impl Runtime {
    /// `go f(args)` (`newproc`): the new goroutine goes into runnext, then wakep.
    pub(super) fn newproc(&mut self, p: PId, g: GoId, callee: &Callee, args: &[Reg]) -> R<Flow> {
        if self.store.live_gs >= self.config.max_goroutines {
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
        let at = self.sched.runqput(p, ng, true);
        self.emit(TraceEvent::GoCreate {
            g: ng,
            parent: g,
            at,
        });
        self.wakep();
        Ok(Flow::Next(self.costs.go_create))
    }

    /// CPU work for `dur` ns: the goroutine keeps its P busy (sysmon may preempt it).
    pub(super) fn compute(&mut self, p: PId, g: GoId, dur: Reg) -> R<Flow> {
        let d = self.int(g, dur)?.max(0) as Nanos;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Compute { dur: d },
        });
        self.busy(p, g, d);
        Ok(Flow::Busy)
    }

    /// println / fmt.Println of plain values: a line on stdout.
    pub(super) fn println(&mut self, g: GoId, args: &[Reg]) -> R<Flow> {
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

    /// The dynamic type's name (%T, type switches).
    pub(super) fn typename(&mut self, g: GoId, dst: Reg, v: Reg) -> R<Flow> {
        let v = self.get(g, v)?;
        let name = self.type_name(&v);
        self.set(g, dst, Value::str(&name))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.local_op))
    }

    /// Records a latency observation in the run's measurements.
    pub(super) fn observe_latency(&mut self, g: GoId, dur: Reg) -> R<Flow> {
        let d = self.int(g, dur)?.max(0) as Nanos;
        self.metrics.record_latency(self.now, d);
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.atomic))
    }
}
