//! The worker pool's state and what each event does to it; the kernel runs the clock.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::MetricPair;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Stepping};
use crate::sim::time::{from_f64_nanos, Nanos};
use crate::sim::StateHasher;

use super::event::{ArrivalOutcome, TaskId, WorkerPoolEvent};
use super::metrics::{Summary, WorkerPoolMetrics};
use super::params::{Config, Policy};
use super::view::WorkerPoolView;

/// The most tasks allowed to wait at once. An overloaded pool with `policy = block` grows its queue
/// without bound; past this the run stops and says why instead of exhausting memory.
pub const MAX_WAITING: usize = 4_000_000;

/// RNG streams, so changing the service parameters leaves the arrival sequence untouched.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_SERVICE: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ev {
    Arrival,
    Done(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Task {
    pub id: TaskId,
    pub arrived: Nanos,
}

/// A running worker pool: the model on the kernel. `Clone` is its checkpoint.
pub type WorkerPool = Kernel<Pool>;

/// The worker pool's own state.
#[derive(Clone, Debug)]
pub struct Pool {
    pub(super) cfg: Config,
    arrivals_rng: SimRng,
    service_rng: SimRng,
    /// Tasks in arrival order: the first `buffer` are in the channel's buffer, the rest belong to
    /// producers parked on sendq.
    pub(super) queue: VecDeque<Task>,
    /// The task each worker is running, if any.
    pub(super) running: Vec<Option<Task>>,
    /// Workers parked on the channel's recvq, longest-waiting first.
    recvq: VecDeque<u32>,
    next_task: TaskId,
    pub(super) metrics: WorkerPoolMetrics,
}

type K = Core<Ev>;

impl Pool {
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    pub fn metrics(&self) -> &WorkerPoolMetrics {
        &self.metrics
    }

    /// Tasks in the system right now: waiting plus running.
    pub fn in_system(&self) -> u64 {
        self.queue.len() as u64 + self.busy_workers()
    }

    pub fn busy_workers(&self) -> u64 {
        self.cfg.workers as u64 - self.recvq.len() as u64
    }

    /// Summary metrics measured after the warm-up, with time integrals brought up to `now`. A
    /// finished run measured its whole window (nothing happens after its last event); a run still
    /// going has measured up to now, so its rates are "so far".
    fn summary_at(&self, now: Nanos, finished: bool) -> Summary {
        let mut m = self.metrics.clone();
        m.close(if finished {
            now.max(self.cfg.duration)
        } else {
            now
        });
        m.summary(&self.cfg)
    }

    fn schedule_arrival(&mut self, k: &mut K) {
        let gap = from_f64_nanos(self.cfg.interarrival.sample(&mut self.arrivals_rng));
        // A zero gap would let time stand still; the clock's resolution is 1 ns.
        let at = k.now().saturating_add(gap.max(1));
        if at < self.cfg.duration {
            k.schedule(at, Ev::Arrival);
        }
    }

    fn start(&mut self, k: &mut K, worker: u32, task: Task) {
        let service = from_f64_nanos(self.cfg.service.sample(&mut self.service_rng));
        self.running[worker as usize] = Some(task);
        self.metrics.started(k.now(), task.arrived);
        k.schedule(k.now().saturating_add(service), Ev::Done(worker));
    }

    fn arrive(&mut self, k: &mut K) -> WorkerPoolEvent {
        let now = k.now();
        let task = Task {
            id: self.next_task,
            arrived: now,
        };
        self.next_task += 1;
        self.schedule_arrival(k);
        let outcome = if let Some(worker) = self.recvq.pop_front() {
            self.start(k, worker, task);
            ArrivalOutcome::ToWorker { worker }
        } else if (self.queue.len() as u64) < self.cfg.buffer || self.cfg.policy == Policy::Block {
            self.queue.push_back(task);
            self.metrics.queue_changed(now, self.queue.len() as u64);
            let len = self.queue.len() as u64;
            if len <= self.cfg.buffer {
                ArrivalOutcome::Buffered { len }
            } else {
                ArrivalOutcome::SenderParked {
                    waiting: len - self.cfg.buffer,
                }
            }
        } else {
            ArrivalOutcome::Dropped
        };
        let dropped = outcome == ArrivalOutcome::Dropped;
        self.metrics.arrived(now, dropped, self.in_system());
        if self.queue.len() > MAX_WAITING {
            k.halt(Halt::Limit(format!(
                "stopped at {:.3} s: more than {MAX_WAITING} tasks were waiting. The offered load is {:.2} per worker (above 1 the queue grows without bound); lower arrival_rate, raise workers, or use policy drop.",
                crate::sim::time::to_secs(now),
                self.cfg.rho()
            )));
        }
        WorkerPoolEvent::Arrived {
            at: now,
            task: task.id,
            outcome,
        }
    }

    fn complete(&mut self, k: &mut K, worker: u32) -> WorkerPoolEvent {
        let now = k.now();
        let Some(task) = self.running[worker as usize].take() else {
            unreachable!("a Done event is only scheduled for a busy worker")
        };
        let next = self.queue.pop_front();
        if next.is_some() {
            self.metrics.queue_changed(now, self.queue.len() as u64);
        }
        match next {
            Some(t) => self.start(k, worker, t),
            None => self.recvq.push_back(worker),
        }
        self.metrics.completed(now, task.arrived, self.in_system());
        WorkerPoolEvent::Completed {
            at: now,
            task: task.id,
            worker,
            sojourn: now - task.arrived,
            next: next.map(|t| t.id),
        }
    }
}

impl Model for Pool {
    type Ev = Ev;
    type Event = WorkerPoolEvent;
    type View = WorkerPoolView;
    type Config = Config;
    const NAME: &'static str = "worker_pool";

    fn new(cfg: Config, seed: u64, k: &mut K) -> Self {
        let mut pool = Pool {
            arrivals_rng: SimRng::new(seed, STREAM_ARRIVALS),
            service_rng: SimRng::new(seed, STREAM_SERVICE),
            queue: VecDeque::new(),
            running: vec![None; cfg.workers as usize],
            recvq: (0..cfg.workers).collect(),
            next_task: 0,
            metrics: WorkerPoolMetrics::new(&cfg),
            cfg,
        };
        pool.schedule_arrival(k);
        pool
    }

    #[inline]
    fn handle(&mut self, k: &mut K, ev: Ev) -> Option<WorkerPoolEvent> {
        Some(match ev {
            Ev::Arrival => self.arrive(k),
            Ev::Done(w) => self.complete(k, w),
        })
    }

    fn finished(&mut self) {
        self.metrics.latency.flush();
    }

    fn hash_state(&self, k: &K, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Pool {
            cfg: _, // fixed for the run
            arrivals_rng,
            service_rng,
            queue,
            running,
            recvq,
            next_task,
            metrics,
        } = self;
        h.u64(arrivals_rng.draws())
            .u64(service_rng.draws())
            .u64(*next_task)
            .u64(k.scheduled());
        k.hash_events(h, |ev, h| {
            match ev {
                Ev::Arrival => h.u8(0),
                Ev::Done(w) => h.u8(1).u32(*w),
            };
        });
        h.usize(queue.len());
        for t in queue {
            h.u64(t.id).u64(t.arrived);
        }
        for r in running {
            match r {
                Some(t) => h.u8(1).u64(t.id).u64(t.arrived),
                None => h.u8(0),
            };
        }
        h.usize(recvq.len());
        for w in recvq {
            h.u32(*w);
        }
        k.hash_halt(h);
        metrics.hash_into(h);
    }

    fn approx_bytes(&self, _k: &K) -> usize {
        // The waiting tasks, the workers, and the histograms and series of the metrics.
        self.queue.len() * 16
            + self.running.len() * 24
            + 4 * 48 * 1024
            + 8 * super::metrics::SERIES_POINTS * 32
    }

    fn view(&self, k: &K) -> WorkerPoolView {
        self.pool_view(k.now())
    }

    fn summary(&self, k: &K) -> Vec<MetricPair> {
        self.summary_at(k.now(), matches!(k.halted(), Some(Halt::Finished)))
            .pairs()
    }

    fn figures(&self, k: &K) -> Vec<Figure> {
        let now = k.now();
        vec![
            self.metrics.queue_figure(now),
            self.metrics.latency_figure(),
            self.metrics.throughput_figure(now),
            self.metrics.latency_cdf_figure(),
        ]
    }

    fn horizon(&self) -> Nanos {
        self.cfg.duration
    }
}

impl WorkerPool {
    /// Summary metrics measured after the warm-up, with time integrals brought up to now.
    pub fn summary_stats(&self) -> Summary {
        let finished = matches!(self.halted(), Some(Halt::Finished));
        self.summary_at(self.now(), finished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernel::{assert_hash_sees, mid_run};
    use crate::sim::params::ParamValue;

    #[test]
    fn the_state_hash_sees_every_field_and_every_event_payload() {
        // Overloaded and blocking, so tasks wait, senders park and every worker is busy.
        let base: WorkerPool = mid_run::<Pool>(
            &[
                ("arrival_rate", ParamValue::Num(4000.0)),
                ("policy", ParamValue::Choice("block".into())),
            ],
            1,
            5_000,
        );
        assert!(!base.model().queue.is_empty());
        assert_hash_sees!(base,
            "arrivals_rng" => |_c, m| m.arrivals_rng.next_f64(),
            "service_rng" => |_c, m| m.service_rng.next_f64(),
            "queue" => |_c, m| m.queue[0].arrived += 1,
            "running" => |_c, m| m.running[0] = None,
            "recvq" => |_c, m| m.recvq.push_back(0),
            "next_task" => |_c, m| m.next_task += 1,
            "metrics" => |_c, m| m.metrics.arrived(1, true, 0),
            "event payload" => |c, _m| {
                for e in c.payloads_mut() {
                    if let Ev::Done(w) = e {
                        *w += 1;
                        break;
                    }
                }
            },
        );
    }
}
