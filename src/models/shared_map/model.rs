//! The shared-map model's state and what each event does to it: each goroutine performs its operations one after another; an
//! operation that needs a lock either gets it or waits in the lock's queue.

use std::collections::VecDeque;

use crate::runtime::cost::CostModel;
use crate::sim::figure::Figure;
use crate::sim::histogram::LatencyHistogram;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::MetricPair;
use crate::sim::rng::SimRng;
use crate::sim::series::Series;
use crate::sim::time::Nanos;
use crate::sim::StateHasher;

use super::event::{SharedMapEvent, Step};
use super::params::{Config, Mode};
use super::view::SharedMapView;

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
pub(super) struct Lock {
    pub readers: u32,
    pub writer: bool,
    /// (goroutine, wants to write), first come first served.
    pub waiting: VecDeque<(usize, bool)>,
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
pub enum Ev {
    Start(usize),
    Finish(usize),
}

/// A running shared map: the model on the kernel. `Clone` is its checkpoint.
pub type SharedMap = Kernel<Shared>;

/// The goroutines, the locks and sync.Map's two maps.
#[derive(Clone, Debug)]
pub struct Shared {
    pub(super) cfg: Config,
    costs: CostModel,
    rng: SimRng,
    pub(super) states: Vec<GState>,
    left: Vec<u64>,
    started: Vec<Nanos>,
    pending: Vec<(OpKind, u64)>,
    pub(super) locks: Vec<Lock>,
    keys: u64,
    /// sync.Map: whether each key is in the read-only map; the dirty map's size if there is one.
    in_read: Vec<bool>,
    dirty: Option<u64>,
    misses: u64,
    pub(super) done_ops: u64,
    pub(super) waits: u64,
    pub(super) lock_free: u64,
    pub(super) dirty_copies: u64,
    pub(super) copied: u64,
    pub(super) promotions: u64,
    pub(super) latency: LatencyHistogram,
    pub(super) done_s: Series,
    pub(super) waiting_s: Series,
    waiting_now: u64,
}

type K = Core<Ev>;

impl Shared {
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

    fn start(&mut self, sim: &mut K, g: usize) -> SharedMapEvent {
        self.started[g] = sim.now();
        let (op, k) = self.pick_op();
        let at = sim.now();
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
            sim.schedule(sim.now() + cost, Ev::Finish(g));
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
            sim.schedule(sim.now() + cost, Ev::Finish(g));
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
            self.waiting_s.set(sim.now(), self.waiting_now as f64);
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

    fn finish(&mut self, sim: &mut K, g: usize) -> SharedMapEvent {
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
            woke = self.wake(sim, l);
        }
        let latency = sim.now() + release - self.started[g];
        self.latency.record(latency);
        self.done_ops += 1;
        self.done_s.set(sim.now(), self.done_ops as f64);
        self.left[g] -= 1;
        if self.left[g] > 0 {
            self.states[g] = GState::Ready;
            sim.schedule(sim.now() + release, Ev::Start(g));
        } else {
            self.states[g] = GState::Done;
        }
        SharedMapEvent {
            at: sim.now(),
            g,
            what: Step::Finished { op, latency, woke },
        }
    }

    /// Lets waiters into lock `l` in order: a writer alone, or every reader up to the next writer.
    fn wake(&mut self, sim: &mut K, l: usize) -> usize {
        let mut woke = 0;
        while let Some(&(w, write)) = self.locks[l].waiting.front() {
            let free = !self.locks[l].writer && (!write || self.locks[l].readers == 0);
            if !free {
                break;
            }
            self.locks[l].waiting.pop_front();
            let (op, k) = self.pending[w];
            let cost = self.enter(w, l, op, k);
            sim.schedule(sim.now() + self.costs.sched_switch + cost, Ev::Finish(w));
            self.waiting_now -= 1;
            woke += 1;
            if write {
                break;
            }
        }
        if woke > 0 {
            self.waiting_s.set(sim.now(), self.waiting_now as f64);
        }
        woke
    }

}

impl Model for Shared {
    type Ev = Ev;
    type Event = SharedMapEvent;
    type View = SharedMapView;
    type Config = Config;
    const NAME: &'static str = "shared_map";

    fn new(cfg: Config, seed: u64, sim: &mut K) -> Self {
        let g = cfg.goroutines;
        // Series sized for a run of about ops × 200 ns.
        let span = (cfg.ops * 200).max(POINTS as u64);
        let width = span.div_ceil(POINTS as u64);
        let m = Shared {
            costs: CostModel::default(),
            rng: SimRng::new(seed, 1),
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
            sim.schedule(0, Ev::Start(i));
        }
        m
    }

    #[inline]
    fn handle(&mut self, sim: &mut K, ev: Ev) -> Option<SharedMapEvent> {
        Some(match ev {
            Ev::Start(g) => self.start(sim, g),
            Ev::Finish(g) => self.finish(sim, g),
        })
    }

    fn hash_state(&self, sim: &K, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Shared {
            cfg: _,   // fixed for the run
            costs: _, // fixed for the run
            rng,
            states,
            left,
            started,
            pending,
            locks,
            keys,
            in_read,
            dirty,
            misses,
            done_ops,
            waits,
            lock_free,
            dirty_copies,
            copied,
            promotions,
            latency,
            done_s,
            waiting_s,
            waiting_now,
        } = self;
        h.u64(rng.draws())
            .u64(sim.scheduled())
            .u64(*keys)
            .u64(*misses)
            .u64(dirty.unwrap_or(u64::MAX))
            .u64(*done_ops)
            .u64(*waits)
            .u64(*lock_free)
            .u64(*dirty_copies)
            .u64(*copied)
            .u64(*promotions)
            .u64(*waiting_now);
        sim.hash_events(h, |ev, h| {
            match *ev {
                Ev::Start(g) => h.u8(0).usize(g),
                Ev::Finish(g) => h.u8(1).usize(g),
            };
        });
        for (((state, left), started), (op, key)) in states.iter().zip(left).zip(started).zip(pending) {
            hash_gstate(*state, h);
            h.u64(*left).u64(*started);
            hash_op(*op, h);
            h.u64(*key);
        }
        for l in locks {
            h.u32(l.readers)
                .bool(l.writer)
                .u64(l.last_writer.map_or(u64::MAX, |g| g as u64))
                .usize(l.waiting.len());
            for (g, write) in &l.waiting {
                h.usize(*g).bool(*write);
            }
        }
        h.usize(in_read.len());
        for r in in_read {
            h.bool(*r);
        }
        latency.hash_into(h);
        done_s.hash_into(h);
        waiting_s.hash_into(h);
        sim.hash_halt(h);
    }

    fn approx_bytes(&self, _sim: &K) -> usize {
        self.in_read.len() + self.cfg.goroutines * 64 + self.locks.len() * 48 + 64 * 1024
    }

    fn view(&self, sim: &K) -> SharedMapView {
        self.map_view(sim.now())
    }

    fn summary(&self, sim: &K) -> Vec<MetricPair> {
        self.metric(sim.now())
    }

    fn figures(&self, sim: &K) -> Vec<Figure> {
        self.figures_at(sim.now())
    }

    fn horizon(&self) -> Nanos {
        (self.cfg.ops * 150).max(1)
    }
}

fn hash_op(op: OpKind, h: &mut StateHasher) {
    h.u8(match op {
        OpKind::Read => 0,
        OpKind::Update => 1,
        OpKind::Insert => 2,
    });
}

fn hash_gstate(s: GState, h: &mut StateHasher) {
    match s {
        GState::Ready => {
            h.u8(0);
        }
        GState::Working { op, lock } => {
            h.u8(1).u64(lock.map_or(u64::MAX, |l| l as u64));
            hash_op(op, h);
        }
        GState::Waiting { op, lock } => {
            h.u8(2).usize(lock);
            hash_op(op, h);
        }
        GState::Done => {
            h.u8(3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernel::{assert_hash_sees, mid_run};
    use crate::sim::params::ParamValue;

    #[test]
    fn the_state_hash_sees_every_field_and_every_event_payload() {
        // sync.Map, so the read-only and dirty maps are in play too.
        let base: SharedMap = mid_run::<Shared>(
            &[("mode", ParamValue::Choice("sync_map".into()))],
            2,
            2_000,
        );
        assert_hash_sees!(base,
            "rng" => |_c, m| m.rng.next_f64(),
            "states" => |_c, m| m.states[0] = GState::Done,
            "left" => |_c, m| m.left[0] += 1,
            "started" => |_c, m| m.started[0] += 1,
            "pending" => |_c, m| m.pending[0].1 += 1,
            "lock readers" => |_c, m| m.locks[0].readers += 1,
            "lock writer" => |_c, m| m.locks[0].writer = !m.locks[0].writer,
            "lock waiting" => |_c, m| m.locks[0].waiting.push_back((0, true)),
            "lock last_writer" => |_c, m| m.locks[0].last_writer = Some(usize::MAX - 1),
            "keys" => |_c, m| m.keys += 1,
            "in_read" => |_c, m| m.in_read[0] = !m.in_read[0],
            "dirty" => |_c, m| m.dirty = Some(m.dirty.map_or(0, |d| d + 1)),
            "misses" => |_c, m| m.misses += 1,
            "done_ops" => |_c, m| m.done_ops += 1,
            "waits" => |_c, m| m.waits += 1,
            "lock_free" => |_c, m| m.lock_free += 1,
            "dirty_copies" => |_c, m| m.dirty_copies += 1,
            "copied" => |_c, m| m.copied += 1,
            "promotions" => |_c, m| m.promotions += 1,
            "latency" => |_c, m| m.latency.record(12_345),
            "done_s" => |c, m| m.done_s.set(c.now(), 1e9),
            "waiting_s" => |c, m| m.waiting_s.set(c.now(), 1e9),
            "waiting_now" => |_c, m| m.waiting_now += 1,
            "event payload" => |c, _m| {
                if let Some(Ev::Start(g) | Ev::Finish(g)) = c.payloads_mut().next() {
                    *g += 1;
                }
            },
        );
    }
}
