//! The runtime's state hash: every goroutine, P, M, queue, channel, lock, object and measurement,
//! over a fixed little-endian encoding, so equal hashes mean equal states on every target.

use super::g::Resume;
use super::ir::Value;
use super::proc::MState;
use super::world::{Ev, Runtime};
use crate::sim::StateHasher;

impl Runtime {
    /// A hash of everything that determines what happens next, over a fixed byte encoding.
    pub(crate) fn hash_state(&self) -> u64 {
        let mut h = StateHasher::new();
        h.str("runtime")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.rng.draws())
            .u64(self.events.scheduled())
            .u64(self.live_events)
            .usize(self.store.live_gs)
            .u64(self.pending_timers)
            .usize(self.pending.len());
        self.hash_events(&mut h);
        self.hash_goroutines(&mut h);
        self.hash_sched(&mut h);
        self.hash_objects(&mut h);
        self.metrics.hash_into(&mut h);
        self.hash_heap(&mut h);
        h.str(&self.out);
        if !self.err_out.is_empty() {
            h.str(&self.err_out);
        }
        h.finish()
    }

    /// Pending internal events in firing order.
    fn hash_events(&self, h: &mut StateHasher) {
        for (at, seq, ev) in self.events.sorted() {
            h.u64(at).u64(seq);
            match ev {
                Ev::Run { p, epoch } => h.u8(0).u32(*p).u64(*epoch),
                Ev::MStart { m, p } => h.u8(1).u32(*m).u32(*p),
                Ev::Timer { g, p } => h.u8(2).u32(*g).u32(*p),
                Ev::SyscallDone { m, g } => h.u8(3).u32(*m).u32(*g),
                Ev::Sysmon => h.u8(4),
                Ev::TimerFire { timer, gen } => h.u8(5).u32(*timer).u64(*gen),
                Ev::CtxDeadline { ctx } => h.u8(6).u32(*ctx),
            };
        }
    }

    /// Every goroutine: state, frames, registers, defers.
    fn hash_goroutines(&self, h: &mut StateHasher) {
        for g in &self.store.allgs {
            h.u32(g.id)
                .u8(g.status as u8)
                .u64(g.compute_left)
                .u64(g.slice_start);
            h.u8(g.wait.map(|w| w as u8 + 1).unwrap_or(0));
            h.u64(g.busy_until);
            match g.panicking.as_deref() {
                Some(v) => hash_value(h.u8(1), v),
                None => {
                    h.u8(0);
                }
            }
            hash_resume(h, &g.resume);
            h.usize(g.frames.len());
            for f in &g.frames {
                h.u32(f.func).u32(f.pc);
                h.u32(f.ret_to.map(|r| r as u32 + 1).unwrap_or(0));
                h.u32(f.once().map(|o| o + 1).unwrap_or(0));
                h.bool(f.unwinding).bool(f.deferred);
                let returning = f.extra.as_ref().and_then(|e| e.returning.as_ref());
                match returning {
                    None => h.u8(0),
                    Some(None) => h.u8(1),
                    Some(Some(v)) => {
                        hash_value(h.u8(2), v);
                        &mut *h
                    }
                };
                for r in &f.regs {
                    hash_value(h, r);
                }
                let defers = f.extra.as_ref().map(|e| e.defers.as_slice()).unwrap_or(&[]);
                h.usize(defers.len());
                for (func, args) in defers {
                    h.u32(*func).usize(args.len());
                    for a in args {
                        hash_value(h, a);
                    }
                }
            }
        }
    }

    /// Ps, Ms, the global queue and the idle list.
    fn hash_sched(&self, h: &mut StateHasher) {
        for p in &self.sched.allp {
            h.u32(p.id)
                .u8(p.status as u8)
                .u32(p.m.map(|m| m + 1).unwrap_or(0))
                .u32(p.curg.unwrap_or(0))
                .u32(p.runnext.unwrap_or(0))
                .u64(p.schedtick)
                .u64(p.epoch);
            h.usize(p.runq.len());
            for g in &p.runq {
                h.u32(*g);
            }
        }
        for m in &self.sched.allm {
            h.u32(m.id).u32(m.p.map(|p| p + 1).unwrap_or(0));
            h.u8(match m.state {
                MState::Idle => 0,
                MState::Waking => 1,
                MState::Spinning => 2,
                MState::Running => 3,
                MState::Syscall(_) => 4,
            });
        }
        h.usize(self.sched.runq.len());
        for g in &self.sched.runq {
            h.u32(*g);
        }
        for p in &self.sched.pidle {
            h.u32(*p);
        }
    }

    /// Channels, mutexes, wait groups, cells, timers, contexts and onces.
    fn hash_objects(&self, h: &mut StateHasher) {
        for c in &self.store.chans {
            h.usize(c.count())
                .usize(c.sendx())
                .usize(c.recvx())
                .bool(c.is_closed());
            for v in c.slots() {
                hash_value(h, v);
            }
            for w in c.sendq().iter().chain(c.recvq().iter()) {
                h.u32(w.g);
                hash_value(h, &w.val);
            }
        }
        for m in &self.store.mutexes {
            h.u32(m.holder().unwrap_or(0))
                .bool(m.is_starving())
                .usize(m.waiters().len());
            for w in m.waiters() {
                h.u32(w.g).u64(w.since);
            }
        }
        for wg in &self.store.wgs {
            h.u64(wg.counter() as u64).usize(wg.waiters().len());
        }
        for c in &self.store.cells {
            hash_value(h, c);
        }
        for t in &self.store.timers {
            h.u32(t.ch.0)
                .u64(t.when)
                .u64(t.period)
                .u64(t.gen)
                .bool(t.active);
        }
        for c in &self.store.contexts {
            h.u32(c.parent.unwrap_or(u32::MAX))
                .u32(c.done.map(|d| d.0 + 1).unwrap_or(0));
            h.str(c.err.unwrap_or("")).u64(c.deadline.unwrap_or(0));
        }
        for o in &self.store.onces {
            h.u8(o.state as u8).usize(o.waiters.len());
        }
    }

    /// Slices' arrays, maps and structs.
    fn hash_heap(&self, h: &mut StateHasher) {
        h.usize(self.store.heap.objs.len());
        for o in &self.store.heap.objs {
            match o {
                super::heap::Obj::Array(a) => {
                    h.u8(0).usize(a.len());
                    for v in a {
                        hash_value(h, v);
                    }
                }
                super::heap::Obj::Struct(name, a) => {
                    h.u8(2).str(name).usize(a.len());
                    for v in a {
                        hash_value(h, v);
                    }
                }
                super::heap::Obj::Map { entries, zero } => {
                    h.u8(1).usize(entries.len());
                    hash_value(h, zero);
                    for (k, v) in entries {
                        hash_value(h, &k.value());
                        hash_value(h, v);
                    }
                }
            }
        }
    }
}

fn hash_resume(h: &mut StateHasher, r: &Resume) {
    match r {
        Resume::Nothing => {
            h.u8(0);
        }
        Resume::Done => {
            h.u8(1);
        }
        Resume::Received(v, ok) => {
            hash_value(h.u8(2).bool(*ok), v);
        }
        Resume::Selected(i, v, ok) => {
            hash_value(h.u8(3).u32(*i).bool(*ok), v);
        }
        Resume::SendOnClosed => {
            h.u8(4);
        }
        Resume::RetryLock(since) => {
            h.u8(5).u64(*since);
        }
    }
}

fn hash_value(h: &mut StateHasher, v: &Value) {
    match v {
        Value::Nil => h.u8(0),
        Value::Bool(b) => h.u8(1).bool(*b),
        Value::Int(i) => h.u8(2).u64(*i as u64),
        Value::Float(x) => h.u8(3).f64(*x),
        Value::Str(s) => h.u8(4).str(s),
        Value::Chan(c) => h.u8(5).u32(c.0),
        Value::Mutex(m) => h.u8(6).u32(m.0),
        Value::RwMutex(m) => h.u8(10).u32(m.0),
        Value::WaitGroup(w) => h.u8(7).u32(w.0),
        Value::Ptr(c) => h.u8(8).u32(c.0),
        Value::Timer(t) => h.u8(11).u32(*t),
        Value::Context(c) => h.u8(12).u32(*c),
        Value::Once(o) => h.u8(13).u32(*o),
        Value::Slice(s) => h.u8(14).u32(s.arr).u32(s.off).u32(s.len).u32(s.cap),
        Value::Map(m) => h.u8(15).u32(*m),
        Value::Struct(o) => h.u8(16).u32(*o),
        Value::Iface(b) => {
            h.u8(17).str(&b.ty.to_string());
            hash_value(h, &b.val);
            h
        }
        Value::Tuple(vals) => {
            h.u8(18).usize(vals.len());
            for v in vals.iter() {
                hash_value(h, v);
            }
            h
        }
        Value::Func(f, cells) => {
            h.u8(9).u32(*f).usize(cells.len());
            for c in cells.iter() {
                h.u32(c.0);
            }
            h
        }
    };
}
