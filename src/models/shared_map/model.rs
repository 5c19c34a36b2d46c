//! The shared-map model's event loop: each goroutine performs its operations one after another; an
//! operation that needs a lock either gets it or waits in the lock's queue.

use std::collections::VecDeque;

use crate::runtime::cost::CostModel;
use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::histogram::LatencyHistogram;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::series::{Series, SeriesPoint};
use crate::sim::text::{Lang, Text};
use crate::sim::time::{to_secs, Nanos};
use crate::sim::StateHasher;

use super::params::{Config, Mode, SCHEMA};

/// A Go map lookup of a small key.
pub const LOOKUP_NS: Nanos = 20;
/// A Go map assignment.
pub const ASSIGN_NS: Nanos = 30;
/// Copying one entry into a new map.
pub const COPY_NS: Nanos = 10;
/// A cache line moving to another core.
pub const LINE_TRANSFER_NS: Nanos = 40;

const POINTS: usize = 240;

/// A reader/writer lock with Go's writer preference: a waiting writer holds back new readers.
#[derive(Clone, Debug, Default, PartialEq)]
struct Lock {
    readers: u32,
    writer: bool,
    /// (goroutine, wants to write), first come first served.
    waiting: VecDeque<(usize, bool)>,
    /// The goroutine that last wrote the lock's word.
    last_writer: Option<usize>,
}

impl Lock {
    fn can_enter(&self, write: bool) -> bool {
        if write {
            !self.writer && self.readers == 0 && self.waiting.is_empty()
        } else {
            !self.writer && !self.waiting.iter().any(|(_, w)| *w)
        }
    }

    /// An atomic write to the lock's word by `g`: `base`, plus a cache-line transfer if another
    /// goroutine wrote it last.
    fn touch(&mut self, g: usize, base: Nanos) -> Nanos {
        let moved = self.last_writer.is_some_and(|w| w != g);
        self.last_writer = Some(g);
        base + if moved { LINE_TRANSFER_NS } else { 0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Read,
    Update,
    Insert,
}

/// What a goroutine is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GState {
    Ready,
    /// Working on an operation, holding lock `lock` (None: sync.Map's lock-free path).
    Working {
        op: OpKind,
        lock: Option<usize>,
    },
    Waiting {
        op: OpKind,
        lock: usize,
    },
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Start(usize),
    Finish(usize),
}

/// One step: what goroutine `g` did at `at`.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedMapEvent {
    pub at: Nanos,
    pub g: usize,
    pub what: Step,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Began {
        op: OpKind,
        lock_free: bool,
    },
    Queued {
        op: OpKind,
        lock: usize,
    },
    Finished {
        op: OpKind,
        latency: Nanos,
        woke: usize,
    },
}

impl SharedMapEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let t = to_secs(self.at) * 1e6;
        let zh = lang == Lang::Zh;
        let op = |o: OpKind| match (o, zh) {
            (OpKind::Read, false) => "a read",
            (OpKind::Update, false) => "an update",
            (OpKind::Insert, false) => "an insert of a new key",
            (OpKind::Read, true) => "一次读",
            (OpKind::Update, true) => "一次更新",
            (OpKind::Insert, true) => "一次插入新键",
        };
        let g = self.g;
        match (&self.what, zh) {
            (
                Step::Began {
                    op: o,
                    lock_free: true,
                },
                false,
            ) => {
                format!("{t:.2} µs: G{g} did {} without taking a lock.", op(*o))
            }
            (Step::Began { op: o, .. }, false) => {
                format!("{t:.2} µs: G{g} took the lock for {}.", op(*o))
            }
            (Step::Queued { op: o, lock }, false) => {
                format!("{t:.2} µs: G{g} waits for lock {lock} to do {}.", op(*o))
            }
            (
                Step::Finished {
                    op: o,
                    latency,
                    woke,
                },
                false,
            ) => format!(
                "{t:.2} µs: G{g} finished {} in {latency} ns{}.",
                op(*o),
                if *woke > 0 {
                    format!(" and woke {woke} waiting")
                } else {
                    String::new()
                }
            ),
            (
                Step::Began {
                    op: o,
                    lock_free: true,
                },
                true,
            ) => format!("{t:.2} µs:G{g} 不加锁完成了{}。", op(*o)),
            (Step::Began { op: o, .. }, true) => format!("{t:.2} µs:G{g} 拿到锁,开始{}。", op(*o)),
            (Step::Queued { op: o, lock }, true) => {
                format!("{t:.2} µs:G{g} 为了{}等待锁 {lock}。", op(*o))
            }
            (
                Step::Finished {
                    op: o,
                    latency,
                    woke,
                },
                true,
            ) => format!(
                "{t:.2} µs:G{g} 用 {latency} ns 完成了{}{}。",
                op(*o),
                if *woke > 0 {
                    format!(",并唤醒了 {woke} 个等待者")
                } else {
                    String::new()
                }
            ),
        }
    }
}

/// What the view draws.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedMapView {
    pub now: Nanos,
    pub mode: Mode,
    pub states: Vec<GState>,
    /// Per lock (at most 64 listed): readers inside, a writer inside, goroutines waiting.
    pub locks: Vec<(u32, bool, usize)>,
    pub done_ops: u64,
    pub total_ops: u64,
}

#[derive(Clone, Debug)]
pub struct SharedMap {
    cfg: Config,
    costs: CostModel,
    rng: SimRng,
    now: Nanos,
    steps: u64,
    events: EventQueue<Ev>,
    halted: Option<Halt>,
    states: Vec<GState>,
    left: Vec<u64>,
    started: Vec<Nanos>,
    pending: Vec<(OpKind, u64)>,
    locks: Vec<Lock>,
    keys: u64,
    /// sync.Map: whether each key is in the read-only map; the dirty map's size if there is one.
    in_read: Vec<bool>,
    dirty: Option<u64>,
    misses: u64,
    done_ops: u64,
    waits: u64,
    lock_free: u64,
    dirty_copies: u64,
    copied: u64,
    promotions: u64,
    latency: LatencyHistogram,
    done_s: Series,
    waiting_s: Series,
    waiting_now: u64,
}

impl SharedMap {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let g = cfg.goroutines;
        // Series sized for a run of about ops × 200 ns.
        let span = (cfg.ops * 200).max(POINTS as u64);
        let width = span.div_ceil(POINTS as u64);
        let mut m = SharedMap {
            costs: CostModel::default(),
            rng: SimRng::new(seed, 1),
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            halted: None,
            states: vec![GState::Ready; g],
            left: vec![cfg.ops; g],
            started: vec![0; g],
            pending: vec![(OpKind::Read, 0); g],
            locks: vec![Lock::default(); cfg.shards.max(1)],
            keys: cfg.keys,
            in_read: vec![true; cfg.keys as usize],
            dirty: None,
            misses: 0,
            done_ops: 0,
            waits: 0,
            lock_free: 0,
            dirty_copies: 0,
            copied: 0,
            promotions: 0,
            latency: LatencyHistogram::new(),
            done_s: Series::level(POINTS, width, 0.0),
            waiting_s: Series::level(POINTS, width, 0.0),
            waiting_now: 0,
            cfg,
        };
        for i in 0..g {
            m.events.push(0, Ev::Start(i));
        }
        m
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    fn pick_op(&mut self) -> (OpKind, u64) {
        if self.rng.below(100) < self.cfg.read_pct {
            return (OpKind::Read, self.rng.below(self.keys));
        }
        if self.rng.below(100) < self.cfg.new_key_pct && self.keys < 50_000_000 {
            let k = self.keys;
            self.keys += 1;
            if self.cfg.mode == Mode::SyncMap {
                self.in_read.push(false);
            }
            (OpKind::Insert, k)
        } else {
            (OpKind::Update, self.rng.below(self.keys))
        }
    }

    fn read_hit(&self, k: u64) -> bool {
        self.in_read.get(k as usize).copied().unwrap_or(false)
    }

    fn lock_of(&self, k: u64) -> usize {
        match self.cfg.mode {
            Mode::Sharded => (k % self.locks.len() as u64) as usize,
            _ => 0,
        }
    }

    fn needs_write(&self, op: OpKind) -> bool {
        op != OpKind::Read || self.cfg.mode == Mode::SyncMap
    }

    /// Enters lock `l` for `op` on key `k` and returns the time until the operation is done
    /// (acquiring, the work inside, and sync.Map's slow-path bookkeeping).
    fn enter(&mut self, g: usize, l: usize, op: OpKind, k: u64) -> Nanos {
        let write = self.needs_write(op);
        let c = self.costs.clone();
        let acquire = match (self.cfg.mode, write) {
            (Mode::SyncMap, _) => self.locks[l].touch(g, c.mutex_lock),
            (_, true) => self.locks[l].touch(g, c.mutex_lock + c.atomic),
            (_, false) => self.locks[l].touch(g, c.atomic),
        };
        if write {
            self.locks[l].writer = true;
        } else {
            self.locks[l].readers += 1;
        }
        let work = if self.cfg.mode != Mode::SyncMap {
            if op == OpKind::Read {
                LOOKUP_NS
            } else {
                ASSIGN_NS
            }
        } else {
            self.sync_map_slow_path(op, k)
        };
        self.states[g] = GState::Working { op, lock: Some(l) };
        acquire + work
    }

    /// sync.Map under its mutex: a read that missed the read-only map, or a store of a key it lacks.
    fn sync_map_slow_path(&mut self, op: OpKind, k: u64) -> Nanos {
        if op == OpKind::Read || self.read_hit(k) {
            // A miss: look in the dirty map; promote it once the misses add up to its size.
            self.misses += 1;
            if let Some(d) = self.dirty {
                if self.misses >= d {
                    self.in_read.iter_mut().for_each(|r| *r = true);
                    self.dirty = None;
                    self.misses = 0;
                    self.promotions += 1;
                }
            }
            return LOOKUP_NS * 2;
        }
        let mut work = ASSIGN_NS + LOOKUP_NS;
        if self.dirty.is_none() {
            let n = self.in_read.iter().filter(|r| **r).count() as u64;
            self.dirty = Some(n);
            self.dirty_copies += 1;
            self.copied += n;
            work += n * COPY_NS;
        }
        if op == OpKind::Insert {
            self.dirty = self.dirty.map(|d| d + 1);
        }
        work
    }

    fn start(&mut self, g: usize) -> SharedMapEvent {
        self.started[g] = self.now;
        let (op, k) = self.pick_op();
        let at = self.now;
        if self.cfg.mode == Mode::SyncMap && op != OpKind::Insert && self.read_hit(k) {
            // The lock-free paths: an atomic load of the read-only map (the line stays shared), and
            // for an update a compare-and-swap on the entry's own pointer.
            let cost = self.costs.atomic
                + LOOKUP_NS
                + if op == OpKind::Update {
                    self.costs.atomic
                } else {
                    0
                };
            self.lock_free += 1;
            self.states[g] = GState::Working { op, lock: None };
            self.events.push(self.now + cost, Ev::Finish(g));
            return SharedMapEvent {
                at,
                g,
                what: Step::Began {
                    op,
                    lock_free: true,
                },
            };
        }
        let l = self.lock_of(k);
        let write = self.needs_write(op);
        if self.locks[l].can_enter(write) {
            let cost = self.enter(g, l, op, k);
            self.events.push(self.now + cost, Ev::Finish(g));
            SharedMapEvent {
                at,
                g,
                what: Step::Began {
                    op,
                    lock_free: false,
                },
            }
        } else {
            self.waits += 1;
            self.waiting_now += 1;
            self.waiting_s.set(self.now, self.waiting_now as f64);
            self.locks[l].waiting.push_back((g, write));
            self.pending[g] = (op, k);
            self.states[g] = GState::Waiting { op, lock: l };
            SharedMapEvent {
                at,
                g,
                what: Step::Queued { op, lock: l },
            }
        }
    }

    fn finish(&mut self, g: usize) -> SharedMapEvent {
        let GState::Working { op, lock } = self.states[g] else {
            unreachable!("a Finish event is only scheduled for a working goroutine")
        };
        let c = self.costs.clone();
        let mut release = 0;
        let mut woke = 0;
        if let Some(l) = lock {
            let write = self.needs_write(op);
            release = match (self.cfg.mode, write) {
                (Mode::SyncMap, _) => self.locks[l].touch(g, c.mutex_unlock),
                (_, true) => self.locks[l].touch(g, c.atomic + c.mutex_unlock),
                (_, false) => self.locks[l].touch(g, c.atomic),
            };
            if write {
                self.locks[l].writer = false;
            } else {
                self.locks[l].readers -= 1;
            }
            woke = self.wake(l);
        }
        let latency = self.now + release - self.started[g];
        self.latency.record(latency);
        self.done_ops += 1;
        self.done_s.set(self.now, self.done_ops as f64);
        self.left[g] -= 1;
        if self.left[g] > 0 {
            self.states[g] = GState::Ready;
            self.events.push(self.now + release, Ev::Start(g));
        } else {
            self.states[g] = GState::Done;
        }
        SharedMapEvent {
            at: self.now,
            g,
            what: Step::Finished { op, latency, woke },
        }
    }

    /// Lets waiters into lock `l` in order: a writer alone, or every reader up to the next writer.
    fn wake(&mut self, l: usize) -> usize {
        let mut woke = 0;
        while let Some(&(w, write)) = self.locks[l].waiting.front() {
            let free = !self.locks[l].writer && (!write || self.locks[l].readers == 0);
            if !free {
                break;
            }
            self.locks[l].waiting.pop_front();
            let (op, k) = self.pending[w];
            let cost = self.enter(w, l, op, k);
            self.events
                .push(self.now + self.costs.sched_switch + cost, Ev::Finish(w));
            self.waiting_now -= 1;
            woke += 1;
            if write {
                break;
            }
        }
        if woke > 0 {
            self.waiting_s.set(self.now, self.waiting_now as f64);
        }
        woke
    }

    fn metric(&self) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let secs = to_secs(self.now).max(1e-12);
        vec![
            ("elapsed_s".into(), Real(to_secs(self.now))),
            ("ops".into(), Count(self.done_ops)),
            ("ops_per_s".into(), Real(self.done_ops as f64 / secs)),
            ("waits".into(), Count(self.waits)),
            ("lock_free_ops".into(), Count(self.lock_free)),
            ("dirty_copies".into(), Count(self.dirty_copies)),
            ("copied_entries".into(), Count(self.copied)),
            ("promotions".into(), Count(self.promotions)),
            (
                "latency_p50_s".into(),
                Real(self.latency.quantile(0.5) / 1e9),
            ),
            (
                "latency_p99_s".into(),
                Real(self.latency.quantile(0.99) / 1e9),
            ),
        ]
    }
}

impl Scenario for SharedMap {
    type View = SharedMapView;

    fn schema() -> &'static [ParamSpec] {
        SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(Config::from_params(params)?, seed))
    }

    fn view(&self) -> SharedMapView {
        SharedMapView {
            now: self.now,
            mode: self.cfg.mode,
            states: self.states.clone(),
            locks: self
                .locks
                .iter()
                .take(64)
                .map(|l| (l.readers, l.writer, l.waiting.len()))
                .collect(),
            done_ops: self.done_ops,
            total_ops: self.cfg.ops * self.cfg.goroutines as u64,
        }
    }

    fn summary(&self) -> Vec<MetricPair> {
        self.metric()
    }

    fn figures(&self) -> Vec<Figure> {
        let now = self.now;
        let rate: Vec<SeriesPoint> = self
            .done_s
            .points(now)
            .into_iter()
            .map(|p| {
                let r = (p.max - p.min).max(0.0) / to_secs(p.t1 - p.t0).max(1e-12) / 1e6;
                SeriesPoint {
                    min: r,
                    max: r,
                    mean: r,
                    ..p
                }
            })
            .collect();
        vec![
            Figure {
                id: "throughput",
                title: Text::new("Operations completed", "完成的操作"),
                y_label: Text::new("Million operations per second", "每秒百万次操作"),
                y_unit: Text::new("M ops/s", "百万次/秒"),
                y_div: 1.0,
                x_end: now.max(self.horizon()),
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    id: "ops",
                    label: Text::new("operations", "操作"),
                    style: TraceStyle::Line,
                    color: 2,
                    points: rate,
                }],
            },
            Figure {
                id: "waiting",
                title: Text::new("Goroutines waiting for a lock", "等待锁的 goroutine"),
                y_label: Text::new("Goroutines", "goroutine 数"),
                y_unit: Text::new("goroutines", "个"),
                y_div: 1.0,
                x_end: now.max(self.horizon()),
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    id: "waiting",
                    label: Text::new("waiting", "等待中"),
                    style: TraceStyle::Band,
                    color: 5,
                    points: self.waiting_s.points(now),
                }],
            },
        ]
    }

    fn horizon(&self) -> Nanos {
        (self.cfg.ops * 150).max(1)
    }
}

impl Stepping for SharedMap {
    type Event = SharedMapEvent;

    fn now(&self) -> Nanos {
        self.now
    }

    fn steps(&self) -> u64 {
        self.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if self.halted.is_some() {
            None
        } else {
            self.events.peek_time()
        }
    }

    fn step(&mut self) -> Option<SharedMapEvent> {
        if self.halted.is_some() {
            return None;
        }
        let (at, ev) = self.events.pop()?;
        self.now = at;
        self.steps += 1;
        let out = match ev {
            Ev::Start(g) => self.start(g),
            Ev::Finish(g) => self.finish(g),
        };
        if self.events.is_empty() {
            self.halted = Some(Halt::Finished);
        }
        Some(out)
    }

    fn halted(&self) -> Option<&Halt> {
        self.halted.as_ref()
    }

    fn advance_clock(&mut self, t: Nanos) {
        if t > self.now {
            self.now = t;
        }
    }

    fn state_hash(&self) -> u64 {
        let mut h = StateHasher::new();
        h.str("shared_map")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.rng.draws())
            .u64(self.events.scheduled())
            .u64(self.keys)
            .u64(self.misses)
            .u64(self.dirty.unwrap_or(u64::MAX))
            .u64(self.done_ops)
            .u64(self.waits);
        for (at, seq, _) in self.events.sorted() {
            h.u64(at).u64(seq);
        }
        for l in &self.locks {
            h.u32(l.readers).bool(l.writer).usize(l.waiting.len());
        }
        for r in &self.in_read {
            h.bool(*r);
        }
        self.latency.hash_into(&mut h);
        h.bool(self.halted.is_some());
        h.finish()
    }

    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.in_read.len()
            + self.cfg.goroutines * 64
            + self.locks.len() * 48
            + 64 * 1024
    }
}
