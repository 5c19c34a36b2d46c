//! time.Timer and time.Ticker, context cancellation trees with deadlines, and sync.Once.
//!
//! Timers deliver on a one-slot channel and drop a tick if the slot is full (as a Ticker drops ticks
//! for a slow receiver). Contexts keep Go's rules: cancelling a parent cancels every descendant, a
//! child of a cancelled parent is cancelled at once, a deadline later than the parent's changes
//! nothing, and an expired one cancels immediately; Err says "context canceled" or "context deadline
//! exceeded".

use super::chan::{Channel, SendResult};
use super::g::{GoId, Resume};
use super::ir::{ChanId, Value};
use super::trace::{OpEvent, PId, TraceEvent};
use super::world::{Ev, Runtime};
use crate::sim::time::Nanos;

pub const CANCELED: &str = "context canceled";
pub const DEADLINE_EXCEEDED: &str = "context deadline exceeded";

#[derive(Clone, Debug, PartialEq)]
pub struct Timer {
    pub ch: ChanId,
    pub when: Nanos,
    /// 0 for a one-shot timer; the period of a ticker.
    pub period: Nanos,
    pub active: bool,
    /// Bumped by Stop, so a fire event already queued is recognised as stale.
    pub gen: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Context {
    pub parent: Option<u32>,
    pub children: Vec<u32>,
    /// The Done channel (None for Background, whose Done is nil).
    pub done: Option<ChanId>,
    pub err: Option<&'static str>,
    pub deadline: Option<Nanos>,
}

impl Context {
    pub fn background() -> Self {
        Context {
            parent: None,
            children: Vec::new(),
            done: None,
            err: None,
            deadline: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnceState {
    NotRun,
    Running,
    Done,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Once {
    pub state: OnceState,
    pub waiters: Vec<GoId>,
}

impl Runtime {
    /// time.NewTimer / NewTicker: a timer delivering on a fresh one-slot channel.
    pub(crate) fn new_timer(&mut self, g: GoId, dur: Nanos, ticker: bool) -> (u32, ChanId) {
        let ch = ChanId(self.store.chans.len() as u32);
        self.store.chans.push(Channel::new(1, Value::Int(0), g));
        let id = self.store.timers.len() as u32;
        let when = self
            .now
            .saturating_add(dur.max(1))
            .saturating_add(self.costs.timer_slack);
        self.store.timers.push(Timer {
            ch,
            when,
            period: if ticker { dur.max(1) } else { 0 },
            active: true,
            gen: 0,
        });
        self.push_live(when, Ev::TimerFire { timer: id, gen: 0 });
        (id, ch)
    }

    /// t.Stop(): true if the timer had not fired (or, for a ticker, was running).
    pub(crate) fn stop_timer(&mut self, id: u32) -> bool {
        let Some(t) = self.store.timers.get_mut(id as usize) else {
            return false;
        };
        let was = t.active;
        t.active = false;
        t.gen += 1;
        was
    }

    pub(crate) fn timer_fire(&mut self, id: u32, gen: u64) {
        let Some(t) = self.store.timers.get(id as usize).cloned() else {
            return;
        };
        if !t.active || t.gen != gen {
            return;
        }
        // The current time as the value, like the time.Time a timer sends.
        let val = Value::Int(self.now as i64);
        let p = self.any_running_p();
        match self.store.chans[t.ch.0 as usize].send(val) {
            SendResult::Handoff(w) => self.wake_from_runtime(p, w),
            SendResult::Buffered | SendResult::MustPark | SendResult::Closed => {}
        }
        let tt = &mut self.store.timers[id as usize];
        if tt.period > 0 {
            tt.when = self.now.saturating_add(tt.period);
            let when = tt.when;
            self.push_live(when, Ev::TimerFire { timer: id, gen });
        } else {
            tt.active = false;
        }
    }

    /// The P that runtime-originated wake-ups (timers, deadlines) are charged to.
    fn any_running_p(&self) -> Option<PId> {
        self.sched
            .allp
            .iter()
            .find(|p| p.status == super::proc::PStatus::Running && p.m.is_some())
            .map(|p| p.id)
    }

    /// Readies a goroutine woken by a timer or a deadline, not by another goroutine.
    fn wake_from_runtime(&mut self, p: Option<PId>, w: super::chan::Wake) {
        let (g, resume) = w.into_resume();
        if matches!(resume, Resume::Selected(..)) {
            self.withdraw_select_pub(g);
        }
        self.store.allgs[g as usize].resume = resume;
        match p {
            Some(p) => self.ready(g, 0, p),
            None => self.ready_idle(g),
        }
    }

    /// Readies `g` when no P is running: it goes to the global queue and a thread wakes for it.
    fn ready_idle(&mut self, g: GoId) {
        let gg = &mut self.store.allgs[g as usize];
        gg.status = super::g::GStatus::Runnable;
        gg.wait = None;
        self.sched.runq.push_back(g);
        self.emit(TraceEvent::GoReady {
            g,
            by: 0,
            at: super::trace::Placement::GlobalTail,
        });
        self.wakep();
    }

    /// context.WithCancel/WithTimeout/WithDeadline(parent).
    pub(crate) fn ctx_derive(&mut self, g: GoId, parent: u32, deadline: Option<Nanos>) -> u32 {
        let id = self.store.contexts.len() as u32;
        let done = ChanId(self.store.chans.len() as u32);
        self.store.chans.push(Channel::new(0, Value::Nil, g));
        let parent_deadline = self
            .store
            .contexts
            .get(parent as usize)
            .and_then(|c| c.deadline);
        // A deadline later than the parent's changes nothing: the parent's governs.
        let own = match (deadline, parent_deadline) {
            (Some(d), Some(pd)) if d >= pd => None,
            (d, _) => d,
        };
        self.store.contexts.push(Context {
            parent: Some(parent),
            children: Vec::new(),
            done: Some(done),
            err: None,
            deadline: own.or(parent_deadline),
        });
        if let Some(pc) = self.store.contexts.get_mut(parent as usize) {
            pc.children.push(id);
        }
        let parent_err = self.store.contexts.get(parent as usize).and_then(|c| c.err);
        if let Some(err) = parent_err {
            // A child of a cancelled parent is cancelled at once, with the parent's reason.
            self.ctx_cancel(id, err);
        } else if let Some(d) = own {
            if d <= self.now {
                self.ctx_cancel(id, DEADLINE_EXCEEDED);
            } else {
                self.push_live(d, Ev::CtxDeadline { ctx: id });
            }
        }
        id
    }

    /// Cancels a context and all its descendants: each Done channel closes, waking every waiter.
    pub(crate) fn ctx_cancel(&mut self, id: u32, err: &'static str) {
        let mut stack = vec![id];
        let p = self.any_running_p();
        while let Some(c) = stack.pop() {
            let Some(ctx) = self.store.contexts.get_mut(c as usize) else {
                continue;
            };
            if ctx.err.is_some() || ctx.parent.is_none() {
                continue;
            }
            ctx.err = Some(err);
            stack.extend(ctx.children.iter().copied());
            if let Some(done) = ctx.done {
                if let Ok(wakes) = self.store.chans[done.0 as usize].close() {
                    for w in wakes {
                        self.wake_from_runtime(p, w);
                    }
                }
            }
        }
    }

    /// once.Do by `g`: Some(true) to run f, Some(false) if already done, None to wait.
    pub(crate) fn once_enter(&mut self, id: usize, g: GoId) -> Option<bool> {
        let o = &mut self.store.onces[id];
        match o.state {
            OnceState::NotRun => {
                o.state = OnceState::Running;
                Some(true)
            }
            OnceState::Done => Some(false),
            OnceState::Running => {
                o.waiters.push(g);
                None
            }
        }
    }

    /// f returned: the Once is done and everyone waiting goes on.
    pub(crate) fn once_done(&mut self, p: PId, by: GoId, id: usize) {
        let o = &mut self.store.onces[id];
        o.state = OnceState::Done;
        let waiters = std::mem::take(&mut o.waiters);
        for w in waiters {
            self.store.allgs[w as usize].resume = Resume::Done;
            self.ready(w, by, p);
        }
    }

    pub(crate) fn emit_timer_op(&mut self, g: GoId, p: PId, until: Nanos) {
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Sleep { until },
        });
    }
}
