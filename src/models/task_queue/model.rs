//! The durable task queue's event loop: a producer, a broker with an in-memory queue and a
//! write-ahead log synced every `fsync` interval, consumers that apply each task's effect to an
//! external store, and a crash that loses whatever the WAL had not yet synced.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::MetricPair;
use crate::sim::rng::SimRng;
use crate::sim::scenario::Halt;
use crate::sim::time::{from_f64_nanos, Nanos};
use crate::sim::StateHasher;

use super::event::TaskQueueEvent;
use super::metrics::Metrics;
use super::params::{Config, Delivery};
use super::view::TaskQueueView;

const STREAM_SUBMIT: u64 = 1;
const STREAM_PROCESS: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ev {
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
pub(super) enum Record {
    Enqueue(u64),
    Done(u64),
}

/// A running durable task queue: the model on the kernel. `Clone` is its checkpoint.
pub type TaskQueue = Kernel<Broker>;

/// The producer, the broker, the consumers and the store.
#[derive(Clone, Debug)]
pub struct Broker {
    cfg: Config,
    submit_rng: SimRng,
    process_rng: SimRng,
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

type K = Core<Ev>;

impl Broker {
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

    fn schedule_new_submit(&mut self, k: &mut K) {
        if self.next_new >= self.cfg.tasks {
            return;
        }
        let gap = -self.submit_rng.next_f64_open0().ln() / self.cfg.submit_rate * 1e9;
        let at = k.now().saturating_add(from_f64_nanos(gap).max(1));
        let id = self.next_new;
        self.next_new += 1;
        k.schedule(at, Ev::Submit { id, first: true });
    }

    fn submit(&mut self, k: &mut K, id: u64, first: bool) -> TaskQueueEvent {
        if first {
            self.first_sent[id as usize] = k.now();
            self.schedule_new_submit(k);
        } else {
            self.metrics.resends += 1;
        }
        k.schedule(
            k.now().saturating_add(self.cfg.ack_timeout),
            Ev::AckTimeout { id },
        );
        if !self.up {
            return TaskQueueEvent::SendFailed { at: k.now(), id };
        }
        if self.cfg.delivery == Delivery::ExactlyOnce {
            if let Some(i) = self.logged_at[id as usize] {
                // The idempotent producer's sequence number is already in the log: drop the copy,
                // acknowledge it once the original is durable.
                self.ack_when_durable(k, i, id);
                return TaskQueueEvent::Deduplicated { at: k.now(), id };
            }
        }
        let i = self.wal.len();
        self.wal.push(Record::Enqueue(id));
        self.logged_at[id as usize] = Some(i);
        self.queue.push_back(id);
        self.need_fsync(k);
        if self.cfg.delivery == Delivery::AckBeforeFsync {
            self.mark_acked(k, id);
        } else {
            self.pending_acks.push((i, id));
        }
        self.dispatch(k);
        self.metrics.queue(k.now(), self.queue.len());
        TaskQueueEvent::Enqueued {
            at: k.now(),
            id,
            resend: !first,
            acked: self.acked[id as usize],
        }
    }

    /// The producer gets task `id`'s ack (the first one counts for the ack latency).
    fn mark_acked(&mut self, k: &mut K, id: u64) -> bool {
        let first = !self.acked[id as usize];
        if first {
            self.acked[id as usize] = true;
            self.metrics
                .ack_latency
                .record(k.now() - self.first_sent[id as usize]);
        }
        first
    }

    fn ack_when_durable(&mut self, k: &mut K, record: usize, id: u64) {
        if record < self.durable {
            self.mark_acked(k, id);
        } else {
            self.pending_acks.push((record, id));
        }
    }

    fn need_fsync(&mut self, k: &mut K) {
        if !self.fsync_pending && self.wal.len() > self.durable {
            self.fsync_pending = true;
            let next = (k.now() / self.cfg.fsync + 1).saturating_mul(self.cfg.fsync);
            k.schedule(next, Ev::Fsync { epoch: self.epoch });
        }
    }

    fn fsync(&mut self, k: &mut K, epoch: u64) -> Option<TaskQueueEvent> {
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
                acked += u64::from(self.mark_acked(k, id));
            } else {
                self.pending_acks.push((i, id));
            }
        }
        self.metrics.fsyncs += 1;
        Some(TaskQueueEvent::Fsynced {
            at: k.now(),
            records: synced,
            acked,
        })
    }

    fn dispatch(&mut self, k: &mut K) {
        while !self.queue.is_empty() && self.up {
            let Some(c) = self.idle.pop_front() else {
                break;
            };
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            self.busy[c as usize] = Some(id);
            let d = from_f64_nanos(-self.process_rng.next_f64_open0().ln() * self.cfg.process_mean);
            k.schedule(
                k.now().saturating_add(d.max(1)),
                Ev::Done {
                    c,
                    id,
                    epoch: self.epoch,
                },
            );
        }
    }

    fn done(&mut self, k: &mut K, c: u32, id: u64, epoch: u64) -> TaskQueueEvent {
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
                    .record(k.now() - self.first_sent[id as usize]);
            }
            true
        };
        let reported = self.up && epoch == self.epoch;
        if reported {
            self.wal.push(Record::Done(id));
            self.need_fsync(k);
        }
        self.dispatch(k);
        self.metrics.queue(k.now(), self.queue.len());
        TaskQueueEvent::Processed {
            at: k.now(),
            id,
            consumer: c,
            applied,
            reported,
        }
    }

    fn crash(&mut self, k: &mut K) -> TaskQueueEvent {
        self.crashed = true;
        self.up = false;
        self.epoch += 1;
        let lost_records = self.wal.len() - self.durable;
        self.wal.truncate(self.durable);
        self.queue.clear();
        self.pending_acks.clear();
        self.fsync_pending = false;
        self.metrics.crashes += 1;
        self.metrics.queue(k.now(), 0);
        k.schedule(k.now().saturating_add(self.cfg.recovery), Ev::Recover);
        TaskQueueEvent::Crashed {
            at: k.now(),
            lost_records,
        }
    }

    fn recover(&mut self, k: &mut K) -> TaskQueueEvent {
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
        self.dispatch(k);
        self.metrics.queue(k.now(), self.queue.len());
        TaskQueueEvent::Recovered {
            at: k.now(),
            requeued,
        }
    }

    fn ack_timeout(&mut self, k: &mut K, id: u64) -> Option<TaskQueueEvent> {
        if self.acked[id as usize] {
            return None;
        }
        Some(self.submit(k, id, false))
    }
}

impl Model for Broker {
    type Ev = Ev;
    type Event = TaskQueueEvent;
    type View = TaskQueueView;
    type Config = Config;
    const NAME: &'static str = "task_queue";

    fn new(cfg: Config, seed: u64, k: &mut K) -> Self {
        let n = cfg.tasks as usize;
        let mut m = Broker {
            submit_rng: SimRng::new(seed, STREAM_SUBMIT),
            process_rng: SimRng::new(seed, STREAM_PROCESS),
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
        m.schedule_new_submit(k);
        if m.cfg.crash_at > 0 {
            k.schedule(m.cfg.crash_at, Ev::Crash);
        }
        m
    }

    /// A crash set for a step (`crash_at_step`) happens before whatever event is next.
    #[inline]
    fn interrupt(&self, k: &K) -> Option<Ev> {
        (!self.crashed && self.cfg.crash_at_step == k.steps() + 1).then_some(Ev::Crash)
    }

    // Stale timers (an ack that already came, an fsync from before a crash) are not steps.
    fn handle(&mut self, k: &mut K, ev: Ev) -> Option<TaskQueueEvent> {
        match ev {
            Ev::Submit { id, first } => Some(self.submit(k, id, first)),
            Ev::AckTimeout { id } => self.ack_timeout(k, id),
            Ev::Fsync { epoch } => self.fsync(k, epoch),
            Ev::Done { c, id, epoch } => Some(self.done(k, c, id, epoch)),
            Ev::Crash if !self.crashed => Some(self.crash(k)),
            Ev::Crash => None,
            Ev::Recover => Some(self.recover(k)),
        }
    }

    fn hash_state(&self, k: &K, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Broker {
            cfg: _, // fixed for the run
            submit_rng,
            process_rng,
            next_new,
            acked,
            first_sent,
            up,
            epoch,
            crashed,
            wal,
            durable,
            logged_at,
            queue,
            pending_acks,
            fsync_pending,
            busy,
            idle,
            effects,
            metrics,
        } = self;
        h.u64(submit_rng.draws())
            .u64(process_rng.draws())
            .u64(k.scheduled())
            .u64(*next_new)
            .bool(*up)
            .u64(*epoch)
            .bool(*crashed)
            .usize(*durable)
            .bool(*fsync_pending);
        k.hash_events(h, |ev, h| {
            match *ev {
                Ev::Submit { id, first } => h.u8(0).u64(id).bool(first),
                Ev::AckTimeout { id } => h.u8(1).u64(id),
                Ev::Fsync { epoch } => h.u8(2).u64(epoch),
                Ev::Done { c, id, epoch } => h.u8(3).u32(c).u64(id).u64(epoch),
                Ev::Crash => h.u8(4),
                Ev::Recover => h.u8(5),
            };
        });
        h.usize(wal.len());
        for r in wal {
            match r {
                Record::Enqueue(id) => h.u8(0).u64(*id),
                Record::Done(id) => h.u8(1).u64(*id),
            };
        }
        h.usize(queue.len());
        for id in queue {
            h.u64(*id);
        }
        h.usize(pending_acks.len());
        for (i, id) in pending_acks {
            h.usize(*i).u64(*id);
        }
        for (((e, a), sent), logged) in effects.iter().zip(acked).zip(first_sent).zip(logged_at) {
            h.u32(*e).bool(*a).u64(*sent).u64(logged.map_or(u64::MAX, |i| i as u64));
        }
        for b in busy {
            h.u64(b.map_or(u64::MAX, |id| id));
        }
        h.usize(idle.len());
        for c in idle {
            h.u32(*c);
        }
        k.hash_halt(h);
        metrics.hash_into(h);
    }

    fn approx_bytes(&self, k: &K) -> usize {
        self.cfg.tasks as usize * 40 + self.wal.len() * 16 + k.pending() * 48 + 64 * 1024
    }

    fn view(&self, k: &K) -> TaskQueueView {
        TaskQueueView {
            now: k.now(),
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

    fn summary(&self, k: &K) -> Vec<MetricPair> {
        let finished = matches!(k.halted(), Some(Halt::Finished));
        self.metrics
            .summary(self.cfg.tasks, self.lost(), self.duplicated(), finished)
    }

    fn figures(&self, k: &K) -> Vec<Figure> {
        self.metrics.figures(k.now(), self.horizon())
    }

    fn horizon(&self) -> Nanos {
        from_f64_nanos(self.cfg.tasks as f64 / self.cfg.submit_rate * 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernel::{assert_hash_sees, mid_run};

    #[test]
    fn the_state_hash_sees_every_field_and_every_event_payload() {
        let base: TaskQueue = mid_run::<Broker>(&[], 4, 600);
        assert_hash_sees!(base,
            "submit_rng" => |_c, m| m.submit_rng.next_f64(),
            "process_rng" => |_c, m| m.process_rng.next_f64(),
            "next_new" => |_c, m| m.next_new += 1,
            "acked" => |_c, m| m.acked[999] = !m.acked[999],
            "first_sent" => |_c, m| m.first_sent[0] += 1,
            "up" => |_c, m| m.up = !m.up,
            "epoch" => |_c, m| m.epoch += 1,
            "crashed" => |_c, m| m.crashed = !m.crashed,
            "wal" => |_c, m| m.wal.push(Record::Done(0)),
            "wal record" => |_c, m| m.wal[0] = Record::Done(0),
            "durable" => |_c, m| m.durable += 1,
            "logged_at" => |_c, m| m.logged_at[999] = Some(0),
            "queue" => |_c, m| m.queue.push_back(7),
            "pending_acks" => |_c, m| m.pending_acks.push((0, 0)),
            "fsync_pending" => |_c, m| m.fsync_pending = !m.fsync_pending,
            "busy" => |_c, m| m.busy[0] = Some(999),
            "idle" => |_c, m| m.idle.push_back(9),
            "effects" => |_c, m| m.effects[999] += 1,
            "metrics" => |_c, m| m.metrics.resends += 1,
            "event payload" => |c, _m| {
                for e in c.payloads_mut() {
                    if let Ev::AckTimeout { id } = e {
                        *id += 1;
                        break;
                    }
                }
            },
        );
    }
}
