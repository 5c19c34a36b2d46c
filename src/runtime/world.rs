//! The runtime as a whole: its objects, its event loop, how a run ends, and the `Stepping` interface
//! the session drives.

use std::collections::VecDeque;
use std::rc::Rc;

use super::chan::Channel;
use super::cost::CostModel;
use super::g::{Frame, GStatus, GoId, Goroutine, Resume, WaitReason};
use super::ir::{FuncId, Program, Value};
use super::proc::{Machine, PStatus, Processor, Sched};
use super::store::Store;
use super::sync::Mutex;
use super::trace::{MId, PId, TraceEvent};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, RunOutcome, Stepping};
use crate::sim::time::Nanos;

/// How a run is set up.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub gomaxprocs: u32,
    pub seed: u64,
    pub costs: CostModel,
    /// More live goroutines than this stops the run (a runaway spawner).
    pub max_goroutines: usize,
    /// Internal events one `step` may process before it gives up on finding a visible one.
    pub max_silent_events: u64,
    /// Operations the program may execute in all (a busy loop ends here).
    pub max_ops: u64,
    /// Values the program's slices, maps and structs may hold in all (a runaway append ends here).
    pub max_heap_values: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            gomaxprocs: 4,
            seed: 1,
            costs: CostModel::default(),
            max_goroutines: 2_000_000,
            max_silent_events: 50_000_000,
            max_ops: u64::MAX,
            max_heap_values: 16 << 20,
        }
    }
}

/// What [`Runtime::step_within`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum StepWithin {
    Event(TraceEvent),
    /// The operation budget ran out before anything visible happened.
    Paused,
    Halted,
}

/// How the program ended, as a Go process would report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// 0 when main returned; 2 for a panic or fatal error, as Go exits.
    pub code: i32,
    /// What Go would print on stderr (empty for a normal exit).
    pub stderr: String,
}

/// Internal events. `Run` is a P finishing its current operation; stale ones (from before a preemption
/// or a change of hands) are recognised by their epoch and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ev {
    Run {
        p: PId,
        epoch: u64,
    },
    MStart {
        m: MId,
        p: PId,
    },
    Timer {
        g: GoId,
        p: PId,
    },
    /// A time.Timer or Ticker fires (ignored unless `gen` is still the timer's).
    TimerFire {
        timer: u32,
        gen: u64,
    },
    /// A context's deadline passes.
    CtxDeadline {
        ctx: u32,
    },
    SyscallDone {
        m: MId,
        g: GoId,
    },
    Sysmon,
}

/// The runtime: the scheduler's state ([`Sched`]: Ps, Ms, run queues, sysmon), the object store
/// ([`Store`]: goroutines, channels, locks, timers, heap), and the event loop that drives them in
/// virtual time.
#[derive(Clone, Debug)]
pub struct Runtime {
    pub(crate) program: Rc<Program>,
    pub(crate) costs: CostModel,
    pub(crate) config: Config,
    pub(crate) now: Nanos,
    pub(crate) steps: u64,
    /// Operations executed so far (for the budget and for measuring IR speed).
    pub(crate) ops: u64,
    pub(crate) events: EventQueue<Ev>,
    /// Pending events that can still make something happen (all but sysmon's ticks).
    pub(crate) live_events: u64,
    pub(crate) rng: SimRng,
    /// `schedt`, `allp`, `allm`.
    pub(crate) sched: Sched,
    /// Goroutines and the objects they share.
    pub(crate) store: Store,
    /// Sleeping goroutines' timer events pending.
    pub(crate) pending_timers: u64,
    pub(crate) out: String,
    /// What print and println wrote (standard error, before any panic's or fatal error's text).
    pub(crate) err_out: String,
    pub(crate) exit: Option<Exit>,
    pub(crate) halt: Option<Halt>,
    /// Trace events produced but not yet returned by `step`.
    pub(crate) pending: VecDeque<TraceEvent>,
    /// Whether the last executed operation was local (batched without its own event).
    pub(crate) last_was_local: bool,
    pub(crate) metrics: super::metrics::RuntimeMetrics,
    /// Events processed since the invariants were last checked (debug builds only).
    #[cfg(debug_assertions)]
    pub(crate) unchecked: u64,
}

impl Runtime {
    /// A runtime about to run `program`'s main on goroutine 1.
    pub fn new(program: Rc<Program>, config: Config) -> Self {
        let nprocs = config.gomaxprocs.clamp(1, 1024);
        let mut rt = Runtime {
            costs: config.costs.clone(),
            rng: SimRng::new(config.seed, 0x6d70),
            program,
            config,
            now: 0,
            steps: 0,
            ops: 0,
            events: EventQueue::new(),
            live_events: 0,
            sched: Sched::new(nprocs),
            store: Store::new(),
            pending_timers: 0,
            out: String::new(),
            err_out: String::new(),
            exit: None,
            halt: None,
            pending: VecDeque::new(),
            last_was_local: false,
            metrics: super::metrics::RuntimeMetrics::new(
                super::metrics::DEFAULT_SPAN,
                nprocs as usize,
            ),
            #[cfg(debug_assertions)]
            unchecked: 0,
        };
        let main_fn = rt.program.main;
        let g = rt.newg(main_fn, Vec::new(), 0);
        rt.sched.allp[0].curg = Some(g);
        rt.store.allgs[g as usize].status = GStatus::Running;
        rt.sched.allp[0].schedtick = 1;
        rt.sched.allp[0].epoch = 1;
        rt.push_live(0, Ev::Run { p: 0, epoch: 1 });
        rt.wake_sysmon();
        rt
    }

    /// A new goroutine running `func(args)`, not yet queued.
    pub(crate) fn newg(&mut self, func: FuncId, args: Vec<Value>, parent: GoId) -> GoId {
        let id = self.store.allgs.len() as GoId;
        let regs = self
            .program
            .func(func)
            .map(|f| f.regs.max(f.params) as usize)
            .unwrap_or(0);
        let mut r = args;
        r.resize(regs.max(r.len()), Value::Nil);
        let created_at = self
            .store
            .allgs
            .get(parent as usize)
            .and_then(|g| g.top())
            .map(|f| (f.func, f.pc))
            .unwrap_or((func, 0));
        self.store.allgs.push(Goroutine {
            id,
            status: GStatus::Runnable,
            wait: None,
            frames: smallvec::smallvec![Frame::new(func, r, None)],
            resume: Resume::Nothing,
            compute_left: 0,
            busy_until: 0,
            parent,
            created_at,
            slice_start: self.now,
            panicking: None,
        });
        self.store.live_gs += 1;
        id
    }

    pub(crate) fn push_live(&mut self, at: Nanos, ev: Ev) {
        self.live_events += 1;
        self.events.push(at, ev);
    }

    pub(crate) fn emit(&mut self, ev: TraceEvent) {
        self.pending.push_back(ev);
    }

    /// A value as fmt.Print shows it: slices as [a b], maps as map[k:v] with sorted keys, structs
    /// as {a b}.
    pub fn format(&self, v: &Value) -> String {
        self.format_depth(v, 0)
    }

    fn format_depth(&self, v: &Value, depth: u32) -> String {
        use super::heap::Obj;
        if depth > 8 {
            return "...".into();
        }
        let join = |vals: &mut dyn Iterator<Item = String>| vals.collect::<Vec<_>>().join(" ");
        match v {
            Value::Slice(s) => format!(
                "[{}]",
                join(
                    &mut self
                        .store
                        .heap
                        .elems(*s)
                        .iter()
                        .map(|e| self.format_depth(e, depth + 1))
                )
            ),
            Value::Map(m) => match self.store.heap.objs.get(*m as usize) {
                Some(Obj::Map { entries, .. }) => format!(
                    "map[{}]",
                    join(&mut entries.iter().map(|(k, v)| format!(
                        "{}:{}",
                        self.format_depth(&k.value(), depth + 1),
                        self.format_depth(v, depth + 1)
                    )))
                ),
                _ => "map[]".into(),
            },
            Value::Struct(o) => match self.store.heap.objs.get(*o as usize) {
                Some(Obj::Struct(_, fields)) => format!(
                    "{{{}}}",
                    join(&mut fields.iter().map(|e| self.format_depth(e, depth + 1)))
                ),
                _ => "{}".into(),
            },
            other => other.to_string(),
        }
    }

    /// The dynamic type of a value, as Go's %T prints it.
    pub fn type_name(&self, v: &Value) -> String {
        use super::heap::Obj;
        match v {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::Slice(s) => match self.store.heap.elems(*s).first() {
                Some(e) => format!("[]{}", self.type_name(e)),
                None => "[]interface {}".into(),
            },
            Value::Map(_) => "map".into(),
            Value::Struct(o) => match self.store.heap.objs.get(*o as usize) {
                Some(Obj::Struct(name, _)) => name.to_string(),
                _ => "struct {}".into(),
            },
            other => other.kind().to_string(),
        }
    }

    /// Operations executed so far.
    pub fn ops_executed(&self) -> u64 {
        self.ops
    }

    /// One step, giving up after about `max_ops` operations if nothing visible has happened yet
    /// (a goroutine computing in a tight loop); calling it again continues where it paused. For
    /// front ends that must keep the page responsive: a paused runtime is between two steps, so
    /// checkpoints are only taken after whole steps.
    pub fn step_within(&mut self, max_ops: u64) -> StepWithin {
        let start = self.ops;
        loop {
            if let Some(ev) = self.pending.pop_front() {
                self.steps += 1;
                self.observe(&ev);
                return StepWithin::Event(ev);
            }
            if self.halt.is_some() {
                return StepWithin::Halted;
            }
            if self.ops - start >= max_ops {
                return StepWithin::Paused;
            }
            self.advance();
        }
    }

    /// Everything printed so far.
    pub fn stdout(&self) -> &str {
        &self.out
    }

    /// What the builtins print and println have written to standard error so far.
    pub fn stderr_prints(&self) -> &str {
        &self.err_out
    }

    pub fn exit(&self) -> Option<&Exit> {
        self.exit.as_ref()
    }

    pub fn goroutines(&self) -> &[Goroutine] {
        &self.store.allgs[1..]
    }

    pub fn goroutine(&self, g: GoId) -> Option<&Goroutine> {
        self.store.allgs.get(g as usize).filter(|_| g > 0)
    }

    pub fn processors(&self) -> &[Processor] {
        &self.sched.allp
    }

    pub fn machines(&self) -> &[Machine] {
        &self.sched.allm
    }

    pub fn global_queue(&self) -> &VecDeque<GoId> {
        &self.sched.runq
    }

    pub fn idle_ps(&self) -> &[PId] {
        &self.sched.pidle
    }

    pub fn channels(&self) -> &[Channel] {
        &self.store.chans
    }

    pub fn mutexes(&self) -> &[Mutex] {
        &self.store.mutexes
    }

    pub fn cell(&self, i: u32) -> Option<&Value> {
        self.store.cells.get(i as usize)
    }

    pub fn num_goroutine(&self) -> usize {
        self.store.live_gs
    }

    /// Goroutines waiting to run (in any run queue).
    pub fn runnable_count(&self) -> usize {
        self.sched.runnable_count()
    }

    /// Ends the run as Go does for a fatal error: "fatal error: ..." and every goroutine's header.
    pub(crate) fn fatal(&mut self, msg: &str) {
        if self.exit.is_some() {
            return;
        }
        let mut err = format!("fatal error: {msg}\n");
        err.push_str(&self.goroutine_dump(None));
        self.finish(2, err);
    }

    /// Ends the run for an unrecovered panic in `g`.
    pub(crate) fn panic(&mut self, g: GoId, msg: &str) {
        if self.exit.is_some() {
            return;
        }
        // Go's default traceback (GOTRACEBACK=single) shows only the panicking goroutine.
        let mut err = format!("panic: {msg}\n");
        err.push_str(&self.goroutine_dump_of(&[g]));
        self.finish(2, err);
    }

    pub(crate) fn finish(&mut self, code: i32, stderr: String) {
        self.exit = Some(Exit { code, stderr });
        self.halt = Some(Halt::Finished);
        self.emit(TraceEvent::Exit { code });
    }

    /// "goroutine N [reason]:" and the function it is in, for every live goroutine (the panicking
    /// one first, as Go prints it).
    pub fn goroutine_dump(&self, first: Option<GoId>) -> String {
        let mut order: Vec<GoId> = Vec::new();
        if let Some(g) = first {
            order.push(g);
        }
        order.extend(
            self.goroutines()
                .iter()
                .filter(|g| g.status != GStatus::Dead && Some(g.id) != first)
                .map(|g| g.id),
        );
        self.goroutine_dump_of(&order)
    }

    /// The header and current function of each goroutine in `order`.
    pub fn goroutine_dump_of(&self, order: &[GoId]) -> String {
        let mut s = String::new();
        for &id in order {
            let g = &self.store.allgs[id as usize];
            let state = match (g.status, g.wait) {
                (_, Some(w)) => w.go_name().to_string(),
                (GStatus::Running, _) => "running".into(),
                (GStatus::Runnable, _) => "runnable".into(),
                (GStatus::Syscall, _) => "syscall".into(),
                _ => "dead".into(),
            };
            s.push_str(&format!("\ngoroutine {id} [{state}]:\n"));
            if let Some(f) = g.top() {
                let func = self.program.func(f.func);
                let name = func.map(|f| f.name.to_string()).unwrap_or_default();
                let line = func
                    .and_then(|fu| fu.spans.get(f.pc as usize))
                    .map(|sp| sp.line)
                    .unwrap_or(0);
                s.push_str(&format!("main.{name}()\n\tmain.go:{line}\n"));
            }
        }
        s
    }

    /// `checkdead`: nothing runs, nothing is runnable, no thread is in a syscall or waking and no
    /// timer will wake anyone: every goroutine is asleep.
    fn check_dead(&mut self) {
        if self.exit.is_some() || self.halt.is_some() || self.live_events > 0 {
            return;
        }
        self.fatal("all goroutines are asleep - deadlock!");
    }

    /// Processes one internal event.
    fn advance(&mut self) {
        let Some((at, ev)) = self.events.pop() else {
            self.check_dead();
            return;
        };
        self.now = at;
        if !matches!(ev, Ev::Sysmon) {
            self.live_events -= 1;
        }
        match ev {
            Ev::Run { p, epoch } => {
                let pp = &self.sched.allp[p as usize];
                if pp.epoch == epoch && pp.status == PStatus::Running {
                    match pp.curg {
                        Some(_) => self.run(p),
                        None => self.schedule(p),
                    }
                }
            }
            Ev::MStart { m, p } => {
                if self.sched.allm[m as usize].p == Some(p) {
                    self.mstart(m, p)
                }
            }
            Ev::Timer { g, p } => {
                self.pending_timers -= 1;
                self.timer_fired(g, p);
            }
            Ev::SyscallDone { m, g } => self.exitsyscall(m, g),
            Ev::TimerFire { timer, gen } => self.timer_fire(timer, gen),
            Ev::CtxDeadline { ctx } => self.ctx_cancel(ctx, super::timers::DEADLINE_EXCEEDED),
            Ev::Sysmon => self.sysmon(),
        }
        self.check_dead();
        #[cfg(debug_assertions)]
        self.debug_check_invariants();
    }

    /// Feeds one trace event to the measurements.
    fn observe(&mut self, ev: &TraceEvent) {
        let local: usize = self
            .sched
            .allp
            .iter()
            .map(|p| p.runq.len() + p.runnext.is_some() as usize)
            .sum();
        let chan = super::metrics::touched_chan(ev)
            .and_then(|c| self.store.chans.get(c as usize).map(|ch| (c, ch.count())));
        self.metrics
            .observe(self.now, ev, (self.sched.runq.len(), local), chan);
    }

    /// Whether trace events are produced but not yet returned by `step` (the measurements then lag
    /// the state until they are).
    pub fn pending_events(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn metrics(&self) -> &super::metrics::RuntimeMetrics {
        &self.metrics
    }

    /// The goroutine a P runs, if any.
    pub fn curg(&self, p: PId) -> Option<GoId> {
        self.sched.allp.get(p as usize).and_then(|p| p.curg)
    }

    /// A goroutine blocked with `reason` (the view of a parked goroutine).
    pub fn wait_reason(&self, g: GoId) -> Option<WaitReason> {
        self.store.allgs.get(g as usize).and_then(|g| g.wait)
    }
}

impl Stepping for Runtime {
    type Event = TraceEvent;

    fn now(&self) -> Nanos {
        self.now
    }

    fn steps(&self) -> u64 {
        self.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if !self.pending.is_empty() {
            return Some(self.now);
        }
        if self.halt.is_some() {
            return None;
        }
        self.events.peek_time()
    }

    fn step(&mut self) -> Option<TraceEvent> {
        let mut silent = 0u64;
        loop {
            if let Some(ev) = self.pending.pop_front() {
                self.steps += 1;
                self.observe(&ev);
                return Some(ev);
            }
            if self.halt.is_some() {
                return None;
            }
            if silent >= self.config.max_silent_events {
                self.halt = Some(Halt::Limit(format!(
                    "stopped: {silent} internal events passed without anything visible happening"
                )));
                return None;
            }
            self.advance();
            silent += 1;
        }
    }

    fn halted(&self) -> Option<&Halt> {
        if self.pending.is_empty() {
            self.halt.as_ref()
        } else {
            None
        }
    }

    fn run_until(&mut self, t: Nanos, max_events: u64) -> RunOutcome {
        let mut n = 0;
        loop {
            if self.halted().is_some() {
                return RunOutcome::Halted;
            }
            if n == max_events {
                return RunOutcome::Budget;
            }
            if let Some(ev) = self.pending.pop_front() {
                self.steps += 1;
                self.observe(&ev);
                n += 1;
                continue;
            }
            match self.events.peek_time() {
                Some(at) if at <= t => self.advance(),
                _ => {
                    self.advance_clock(t);
                    return RunOutcome::ReachedTime;
                }
            }
        }
    }

    fn advance_clock(&mut self, t: Nanos) {
        if t > self.now && self.pending.is_empty() {
            self.now = t;
        }
    }

    fn approx_bytes(&self) -> usize {
        // A goroutine with one small frame, its registers and any waiter entry: ~250 bytes.
        std::mem::size_of::<Self>()
            + self.store.allgs.len() * 250
            + self.store.cells.len() * 24
            + self
                .store
                .chans
                .iter()
                .map(|c| 64 + c.cap() * 24)
                .sum::<usize>()
            + self
                .store
                .heap
                .objs
                .iter()
                .map(|o| match o {
                    super::heap::Obj::Array(a) | super::heap::Obj::Struct(_, a) => {
                        32 + a.len() * 24
                    }
                    super::heap::Obj::Map { entries, .. } => 48 + entries.len() * 64,
                })
                .sum::<usize>()
            + self.metrics.approx_bytes()
    }

    fn state_hash(&self) -> u64 {
        self.hash_state()
    }
}
