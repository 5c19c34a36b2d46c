//! The durable task queue's event loop: a producer, a broker with an in-memory queue and a
//! write-ahead log synced every `fsync` interval, consumers that apply each task's effect to an
//! external store, and a crash that loses whatever the WAL had not yet synced.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::metric::MetricPair;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::time::{from_f64_nanos, Nanos};
use crate::sim::StateHasher;

use super::event::TaskQueueEvent;
use super::metrics::Metrics;
use super::params::{Config, Delivery, SCHEMA};

const STREAM_SUBMIT: u64 = 1;
const STREAM_PROCESS: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    /// The producer sends task `id` (first send when `first`, otherwise a resend).
    Submit {
        id: u64,
        first: bool,
    },
    /// The producer's wait for task `id`'s ack runs out.
    AckTimeout {
        id: u64,
    },
    /// The broker syncs its WAL (ignored if the broker crashed since it was scheduled).
    Fsync {
        epoch: u64,
    },
    /// Consumer `c` finishes task `id`, which it received in broker epoch `epoch`.
    Done {
        c: u32,
        id: u64,
        epoch: u64,
    },
    Crash,
    Recover,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Record {
    Enqueue(u64),
    Done(u64),
}

/// A running durable task queue. `Clone` is its checkpoint.
#[derive(Clone, Debug)]
pub struct TaskQueue {
    cfg: Config,
    submit_rng: SimRng,
    process_rng: SimRng,
    now: Nanos,
    steps: u64,
    events: EventQueue<Ev>,
    halted: Option<Halt>,
    // Producer.
    next_new: u64,
    acked: Vec<bool>,
    first_sent: Vec<Nanos>,
    // Broker.
    up: bool,
    epoch: u64,
    crashed: bool,
    wal: Vec<Record>,
    durable: usize,
    /// Where each task's Enqueue record is in the WAL, if it has one.
    logged_at: Vec<Option<usize>>,
    queue: VecDeque<u64>,
    /// Acks waiting for the fsync that covers their WAL record: (record index, task).
    pending_acks: Vec<(usize, u64)>,
    fsync_pending: bool,
    // Consumers and the store their effects land in.
    busy: Vec<Option<u64>>,
    idle: VecDeque<u32>,
    effects: Vec<u32>,
    metrics: Metrics,
}

impl TaskQueue {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let n = cfg.tasks as usize;
        let mut m = TaskQueue {
            submit_rng: SimRng::new(seed, STREAM_SUBMIT),
            process_rng: SimRng::new(seed, STREAM_PROCESS),
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            halted: None,
            next_new: 0,
            acked: vec![false; n],
            first_sent: vec![0; n],
            up: true,
            epoch: 0,
            crashed: false,
            wal: Vec::new(),
            durable: 0,
            logged_at: vec![None; n],
            queue: VecDeque::new(),
            pending_acks: Vec::new(),
            fsync_pending: false,
            busy: vec![None; cfg.consumers],
            idle: (0..cfg.consumers as u32).collect(),
            effects: vec![0; n],
            metrics: Metrics::new(),
            cfg,
        };
        m.schedule_new_submit();
        if m.cfg.crash_at > 0 {
            m.events.push(m.cfg.crash_at, Ev::Crash);
        }
        m.check_finished();
        m
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Tasks never applied to the store (so far).
    pub fn lost(&self) -> u64 {
        self.effects.iter().filter(|&&e| e == 0).count() as u64
    }

    /// Applications beyond the first, over all tasks.
    pub fn duplicated(&self) -> u64 {
        self.effects
            .iter()
            .map(|&e| e.saturating_sub(1) as u64)
            .sum()
    }

    fn schedule_new_submit(&mut self) {
        if self.next_new >= self.cfg.tasks {
            return;
        }
        let gap = -self.submit_rng.next_f64_open0().ln() / self.cfg.submit_rate * 1e9;
        let at = self.now.saturating_add(from_f64_nanos(gap).max(1));
        let id = self.next_new;
        self.next_new += 1;
        self.events.push(at, Ev::Submit { id, first: true });
    }

    fn submit(&mut self, id: u64, first: bool) -> TaskQueueEvent {
        if first {
            self.first_sent[id as usize] = self.now;
            self.schedule_new_submit();
        } else {
            self.metrics.resends += 1;
        }
        self.events.push(
            self.now.saturating_add(self.cfg.ack_timeout),
            Ev::AckTimeout { id },
        );
        if !self.up {
            return TaskQueueEvent::SendFailed { at: self.now, id };
        }
        if self.cfg.delivery == Delivery::ExactlyOnce {
            if let Some(i) = self.logged_at[id as usize] {
                // The idempotent producer's sequence number is already in the log: drop the copy,
                // acknowledge it once the original is durable.
                self.ack_when_durable(i, id);
                return TaskQueueEvent::Deduplicated { at: self.now, id };
            }
        }
        let i = self.wal.len();
        self.wal.push(Record::Enqueue(id));
        self.logged_at[id as usize] = Some(i);
        self.queue.push_back(id);
        self.need_fsync();
        if self.cfg.delivery == Delivery::AckBeforeFsync {
            self.mark_acked(id);
        } else {
            self.pending_acks.push((i, id));
        }
        self.dispatch();
        self.metrics.queue(self.now, self.queue.len());
        TaskQueueEvent::Enqueued {
            at: self.now,
            id,
            resend: !first,
            acked: self.acked[id as usize],
        }
    }

    /// The producer gets task `id`'s ack (the first one counts for the ack latency).
    fn mark_acked(&mut self, id: u64) -> bool {
        let first = !self.acked[id as usize];
        if first {
            self.acked[id as usize] = true;
            self.metrics
                .ack_latency
                .record(self.now - self.first_sent[id as usize]);
        }
        first
    }

    fn ack_when_durable(&mut self, record: usize, id: u64) {
        if record < self.durable {
            self.mark_acked(id);
        } else {
            self.pending_acks.push((record, id));
        }
    }

    fn need_fsync(&mut self) {
        if !self.fsync_pending && self.wal.len() > self.durable {
            self.fsync_pending = true;
            let next = (self.now / self.cfg.fsync + 1).saturating_mul(self.cfg.fsync);
            self.events.push(next, Ev::Fsync { epoch: self.epoch });
        }
    }

    fn fsync(&mut self, epoch: u64) -> Option<TaskQueueEvent> {
        if epoch != self.epoch || !self.up {
            return None;
        }
        self.fsync_pending = false;
        let synced = self.wal.len() - self.durable;
        self.durable = self.wal.len();
        let durable = self.durable;
        let mut acked = 0;
        let acks = std::mem::take(&mut self.pending_acks);
        for (i, id) in acks {
            if i < durable {
                acked += u64::from(self.mark_acked(id));
            } else {
                self.pending_acks.push((i, id));
            }
        }
        self.metrics.fsyncs += 1;
        Some(TaskQueueEvent::Fsynced {
            at: self.now,
            records: synced,
            acked,
        })
    }

    fn dispatch(&mut self) {
        while !self.queue.is_empty() && self.up {
            let Some(c) = self.idle.pop_front() else {
                break;
            };
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            self.busy[c as usize] = Some(id);
            let d = from_f64_nanos(-self.process_rng.next_f64_open0().ln() * self.cfg.process_mean);
            self.events.push(
                self.now.saturating_add(d.max(1)),
                Ev::Done {
                    c,
                    id,
                    epoch: self.epoch,
                },
            );
        }
    }

    fn done(&mut self, c: u32, id: u64, epoch: u64) -> TaskQueueEvent {
        self.busy[c as usize] = None;
        self.idle.push_back(c);
        // The effect lands in the external store whatever happened to the broker meanwhile.
        let applied = if self.cfg.delivery == Delivery::ExactlyOnce && self.effects[id as usize] > 0
        {
            false // the idempotency key is already in the store
        } else {
            self.effects[id as usize] += 1;
            if self.effects[id as usize] == 1 {
                self.metrics
                    .latency
                    .record(self.now - self.first_sent[id as usize]);
            }
            true
        };
        let reported = self.up && epoch == self.epoch;
        if reported {
            self.wal.push(Record::Done(id));
            self.need_fsync();
        }
        self.dispatch();
        self.metrics.queue(self.now, self.queue.len());
        TaskQueueEvent::Processed {
            at: self.now,
            id,
            consumer: c,
            applied,
            reported,
        }
    }

    fn crash(&mut self) -> TaskQueueEvent {
        self.crashed = true;
        self.up = false;
        self.epoch += 1;
        let lost_records = self.wal.len() - self.durable;
        self.wal.truncate(self.durable);
        self.queue.clear();
        self.pending_acks.clear();
        self.fsync_pending = false;
        self.metrics.crashes += 1;
        self.metrics.queue(self.now, 0);
        self.events
            .push(self.now.saturating_add(self.cfg.recovery), Ev::Recover);
        TaskQueueEvent::Crashed {
            at: self.now,
            lost_records,
        }
    }

    fn recover(&mut self) -> TaskQueueEvent {
        self.up = true;
        self.logged_at.iter_mut().for_each(|l| *l = None);
        let mut done = vec![false; self.cfg.tasks as usize];
        for (i, r) in self.wal.iter().enumerate() {
            match *r {
                Record::Enqueue(id) => self.logged_at[id as usize] = Some(i),
                Record::Done(id) => done[id as usize] = true,
            }
        }
        for r in &self.wal {
            if let Record::Enqueue(id) = *r {
                if !done[id as usize] {
                    self.queue.push_back(id);
                }
            }
        }
        let requeued = self.queue.len() as u64;
        self.dispatch();
        self.metrics.queue(self.now, self.queue.len());
        TaskQueueEvent::Recovered {
            at: self.now,
            requeued,
        }
    }

    fn ack_timeout(&mut self, id: u64) -> Option<TaskQueueEvent> {
        if self.acked[id as usize] {
            return None;
        }
        Some(self.submit(id, false))
    }

    fn check_finished(&mut self) {
        if self.halted.is_none() && self.events.is_empty() {
            self.halted = Some(Halt::Finished);
        }
    }
}

impl Scenario for TaskQueue {
    type View = super::TaskQueueView;

    fn schema() -> &'static [ParamSpec] {
        SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(Config::from_params(params)?, seed))
    }

    fn view(&self) -> super::TaskQueueView {
        super::TaskQueueView {
            now: self.now,
            up: self.up,
            queued: self.queue.len() as u64,
            consumers: self.busy.clone(),
            wal_len: self.wal.len() as u64,
            durable: self.durable as u64,
            acked: self.acked.iter().filter(|&&a| a).count() as u64,
            applied: self.effects.iter().filter(|&&e| e > 0).count() as u64,
            duplicated: self.duplicated(),
        }
    }

    fn summary(&self) -> Vec<MetricPair> {
        let finished = matches!(self.halted, Some(Halt::Finished));
        self.metrics
            .summary(self.cfg.tasks, self.lost(), self.duplicated(), finished)
    }

    fn figures(&self) -> Vec<Figure> {
        self.metrics.figures(self.now, self.horizon())
    }

    fn horizon(&self) -> Nanos {
        from_f64_nanos(self.cfg.tasks as f64 / self.cfg.submit_rate * 1e9)
    }
}

impl Stepping for TaskQueue {
    type Event = TaskQueueEvent;

    fn now(&self) -> Nanos {
        self.now
    }

    fn steps(&self) -> u64 {
        self.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if self.halted.is_some() {
            None
        } else if !self.crashed && self.cfg.crash_at_step == self.steps + 1 {
            Some(self.now)
        } else {
            self.events.peek_time()
        }
    }

    fn step(&mut self) -> Option<TaskQueueEvent> {
        loop {
            if self.halted.is_some() {
                return None;
            }
            if !self.crashed && self.cfg.crash_at_step == self.steps + 1 {
                self.steps += 1;
                let ev = self.crash();
                return Some(ev);
            }
            let (at, ev) = self.events.pop()?;
            self.now = at;
            // Stale timers (an ack that already came, an fsync from before a crash) are not steps.
            let out = match ev {
                Ev::Submit { id, first } => Some(self.submit(id, first)),
                Ev::AckTimeout { id } => self.ack_timeout(id),
                Ev::Fsync { epoch } => self.fsync(epoch),
                Ev::Done { c, id, epoch } => Some(self.done(c, id, epoch)),
                Ev::Crash if !self.crashed => Some(self.crash()),
                Ev::Crash => None,
                Ev::Recover => Some(self.recover()),
            };
            self.check_finished();
            if let Some(e) = out {
                self.steps += 1;
                return Some(e);
            }
        }
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
        h.str("task_queue")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.submit_rng.draws())
            .u64(self.process_rng.draws())
            .u64(self.events.scheduled())
            .u64(self.next_new)
            .bool(self.up)
            .u64(self.epoch)
            .usize(self.wal.len())
            .usize(self.durable)
            .usize(self.queue.len())
            .usize(self.pending_acks.len());
        for (at, seq, _) in self.events.sorted() {
            h.u64(at).u64(seq);
        }
        for r in &self.wal {
            match r {
                Record::Enqueue(id) => h.u8(0).u64(*id),
                Record::Done(id) => h.u8(1).u64(*id),
            };
        }
        for id in &self.queue {
            h.u64(*id);
        }
        for (e, a) in self.effects.iter().zip(&self.acked) {
            h.u32(*e).bool(*a);
        }
        h.bool(self.halted.is_some());
        self.metrics.hash_into(&mut h);
        h.finish()
    }

    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.cfg.tasks as usize * 40
            + self.wal.len() * 16
            + self.events.len() * 48
            + 64 * 1024
    }
}
