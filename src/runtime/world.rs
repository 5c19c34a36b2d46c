//! The runtime as a whole: its objects, its event loop, how a run ends, and the `Stepping` interface
//! the session drives.

use std::collections::VecDeque;
use std::rc::Rc;

use super::chan::Channel;
use super::cost::CostModel;
use super::g::{Frame, GStatus, GoId, Goroutine, Resume, WaitReason};
use super::ir::{FuncId, Program, Value};
use super::proc::{MState, Machine, PStatus, Processor};
use super::sync::{Mutex, RwMutex, WaitGroup};
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
    pub(crate) gs: Vec<Goroutine>,
    pub(crate) live_gs: usize,
    pub(crate) ps: Vec<Processor>,
    pub(crate) ms: Vec<Machine>,
    pub(crate) global: VecDeque<GoId>,
    pub(crate) pidle: Vec<PId>,
    pub(crate) chans: Vec<Channel>,
    pub(crate) mutexes: Vec<Mutex>,
    pub(crate) rwmutexes: Vec<RwMutex>,
    pub(crate) wgs: Vec<WaitGroup>,
    pub(crate) cells: Vec<Value>,
    pub(crate) heap: super::heap::Heap,
    pub(crate) timers: Vec<super::timers::Timer>,
    pub(crate) contexts: Vec<super::timers::Context>,
    pub(crate) onces: Vec<super::timers::Once>,
    pub(crate) pending_timers: u64,
    pub(crate) sysmon_pending: bool,
    pub(crate) sysmon_delay: Nanos,
    pub(crate) sysmon_idle: u32,
    pub(crate) out: String,
    /// What print and println wrote (standard error, before any panic's or fatal error's text).
    pub(crate) err_out: String,
    pub(crate) exit: Option<Exit>,
    pub(crate) halt: Option<Halt>,
    /// Trace events produced but not yet returned by `step`.
    pub(crate) pending: VecDeque<TraceEvent>,
    /// Whether the last executed operation was local (batched without its own event).
    pub(crate) last_was_local: bool,
    /// Cache for work stealing's random order: [n, strides coprime with n...].
    pub(crate) coprimes: Vec<u32>,
    pub(crate) metrics: super::metrics::RuntimeMetrics,
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
            gs: Vec::new(),
            live_gs: 0,
            ps: Vec::new(),
            ms: Vec::new(),
            global: VecDeque::new(),
            pidle: Vec::new(),
            chans: Vec::new(),
            mutexes: Vec::new(),
            rwmutexes: Vec::new(),
            wgs: Vec::new(),
            cells: Vec::new(),
            heap: Default::default(),
            timers: Vec::new(),
            contexts: vec![super::timers::Context::background()],
            onces: Vec::new(),
            pending_timers: 0,
            sysmon_pending: false,
            sysmon_delay: super::proc::SYSMON_MIN_DELAY,
            sysmon_idle: 0,
            out: String::new(),
            err_out: String::new(),
            exit: None,
            halt: None,
            pending: VecDeque::new(),
            last_was_local: false,
            coprimes: Vec::new(),
            metrics: super::metrics::RuntimeMetrics::new(
                super::metrics::DEFAULT_SPAN,
                nprocs as usize,
            ),
        };
        rt.init_procs(nprocs);
        // Goroutine 0 is a placeholder so ids match Go's (main is goroutine 1).
        rt.gs.push(Goroutine {
            id: 0,
            status: GStatus::Dead,
            wait: None,
            frames: Default::default(),
            resume: Resume::Nothing,
            compute_left: 0,
            busy_until: 0,
            parent: 0,
            created_at: (0, 0),
            slice_start: 0,
            panicking: None,
        });
        let main_fn = rt.program.main;
        let g = rt.newg(main_fn, Vec::new(), 0);
        rt.ps[0].curg = Some(g);
        rt.gs[g as usize].status = GStatus::Running;
        rt.ps[0].schedtick = 1;
        rt.ps[0].epoch = 1;
        rt.push_live(0, Ev::Run { p: 0, epoch: 1 });
        rt.wake_sysmon();
        rt
    }

    /// A new goroutine running `func(args)`, not yet queued.
    pub(crate) fn newg(&mut self, func: FuncId, args: Vec<Value>, parent: GoId) -> GoId {
        let id = self.gs.len() as GoId;
        let regs = self
            .program
            .func(func)
            .map(|f| f.regs.max(f.params) as usize)
            .unwrap_or(0);
        let mut r = args;
        r.resize(regs.max(r.len()), Value::Nil);
        let created_at = self
            .gs
            .get(parent as usize)
            .and_then(|g| g.top())
            .map(|f| (f.func, f.pc))
            .unwrap_or((func, 0));
        self.gs.push(Goroutine {
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
        self.live_gs += 1;
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
                        .heap
                        .elems(*s)
                        .iter()
                        .map(|e| self.format_depth(e, depth + 1))
                )
            ),
            Value::Map(m) => match self.heap.objs.get(*m as usize) {
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
            Value::Struct(o) => match self.heap.objs.get(*o as usize) {
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
            Value::Slice(s) => match self.heap.elems(*s).first() {
                Some(e) => format!("[]{}", self.type_name(e)),
                None => "[]interface {}".into(),
            },
            Value::Map(_) => "map".into(),
            Value::Struct(o) => match self.heap.objs.get(*o as usize) {
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
        &self.gs[1..]
    }

    pub fn goroutine(&self, g: GoId) -> Option<&Goroutine> {
        self.gs.get(g as usize).filter(|_| g > 0)
    }

    pub fn processors(&self) -> &[Processor] {
        &self.ps
    }

    pub fn machines(&self) -> &[Machine] {
        &self.ms
    }

    pub fn global_queue(&self) -> &VecDeque<GoId> {
        &self.global
    }

    pub fn idle_ps(&self) -> &[PId] {
        &self.pidle
    }

    pub fn channels(&self) -> &[Channel] {
        &self.chans
    }

    pub fn mutexes(&self) -> &[Mutex] {
        &self.mutexes
    }

    pub fn cell(&self, i: u32) -> Option<&Value> {
        self.cells.get(i as usize)
    }

    pub fn num_goroutine(&self) -> usize {
        self.live_gs
    }

    /// Goroutines waiting to run (in any run queue).
    pub fn runnable_count(&self) -> usize {
        self.global.len()
            + self
                .ps
                .iter()
                .map(|p| p.runq.len() + p.runnext.is_some() as usize)
                .sum::<usize>()
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
            let g = &self.gs[id as usize];
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
                let pp = &self.ps[p as usize];
                if pp.epoch == epoch && pp.status == PStatus::Running {
                    match pp.curg {
                        Some(_) => self.run(p),
                        None => self.schedule(p),
                    }
                }
            }
            Ev::MStart { m, p } => {
                if self.ms[m as usize].p == Some(p) {
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
    }

    /// A sleeping goroutine's timer fired: it is readied on the P that owns the timer, or on any
    /// running P if that one is idle.
    fn timer_fired(&mut self, g: GoId, p: PId) {
        if self.gs[g as usize].status != GStatus::Waiting {
            return;
        }
        if self.ps[p as usize].status == PStatus::Running {
            self.ready(g, 0, p);
        } else if let Some(i) = self.pidle.iter().position(|&q| q == p) {
            // The owner is idle: it wakes to run its timer.
            self.pidle.remove(i);
            self.gs[g as usize].status = GStatus::Runnable;
            self.gs[g as usize].wait = None;
            let at = self.runqput(p, g, true);
            self.emit(TraceEvent::GoReady { g, by: 0, at });
            self.startm(p, false);
        } else {
            self.gs[g as usize].status = GStatus::Runnable;
            self.gs[g as usize].wait = None;
            self.global.push_back(g);
            self.emit(TraceEvent::GoReady {
                g,
                by: 0,
                at: super::trace::Placement::GlobalTail,
            });
            self.wakep();
        }
    }

    /// `exitsyscall`: keep the P if sysmon did not take it, else take an idle P, else queue the
    /// goroutine globally and stop the thread.
    fn exitsyscall(&mut self, m: MId, g: GoId) {
        let oldp = self.ms[m as usize].oldp.take();
        self.ms[m as usize].state = MState::Running;
        if let Some(p) = oldp {
            let pp = &mut self.ps[p as usize];
            if pp.status == PStatus::Syscall && pp.m == Some(m) {
                pp.status = PStatus::Running;
                pp.syscalltick += 1;
                self.ms[m as usize].p = Some(p);
                self.emit(TraceEvent::SyscallExit { g, m, p: Some(p) });
                self.resume_after_syscall(p, m, g);
                return;
            }
        }
        if let Some(p) = self.pidle.pop() {
            let pp = &mut self.ps[p as usize];
            pp.status = PStatus::Running;
            pp.m = Some(m);
            self.ms[m as usize].p = Some(p);
            self.emit(TraceEvent::SyscallExit { g, m, p: Some(p) });
            self.resume_after_syscall(p, m, g);
            self.wake_sysmon();
            return;
        }
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Runnable;
        self.global.push_back(g);
        let mm = &mut self.ms[m as usize];
        mm.state = MState::Idle;
        mm.p = None;
        self.emit(TraceEvent::SyscallExit { g, m, p: None });
        self.wakep();
    }

    fn resume_after_syscall(&mut self, p: PId, m: MId, g: GoId) {
        let gg = &mut self.gs[g as usize];
        gg.status = GStatus::Running;
        let pp = &mut self.ps[p as usize];
        pp.curg = Some(g);
        pp.epoch += 1;
        let epoch = pp.epoch;
        self.ms[m as usize].state = MState::Running;
        self.push_live(self.now, Ev::Run { p, epoch });
    }

    /// Feeds one trace event to the measurements.
    fn observe(&mut self, ev: &TraceEvent) {
        let local: usize = self
            .ps
            .iter()
            .map(|p| p.runq.len() + p.runnext.is_some() as usize)
            .sum();
        let chan = super::metrics::touched_chan(ev)
            .and_then(|c| self.chans.get(c as usize).map(|ch| (c, ch.count)));
        self.metrics
            .observe(self.now, ev, (self.global.len(), local), chan);
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
        self.ps.get(p as usize).and_then(|p| p.curg)
    }

    /// A goroutine blocked with `reason` (the view of a parked goroutine).
    pub fn wait_reason(&self, g: GoId) -> Option<WaitReason> {
        self.gs.get(g as usize).and_then(|g| g.wait)
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
            + self.gs.len() * 250
            + self.cells.len() * 24
            + self.chans.iter().map(|c| 64 + c.cap() * 24).sum::<usize>()
            + self
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
