//! The worker pool's event loop.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::metric::MetricPair;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::time::{from_f64_nanos, Nanos};
use crate::sim::StateHasher;

use super::event::{ArrivalOutcome, TaskId, WorkerPoolEvent};
use super::metrics::{Summary, WorkerPoolMetrics};
use super::params::{Config, Policy, SCHEMA};

/// The most tasks allowed to wait at once. An overloaded pool with `policy = block` grows its queue
/// without bound; past this the run stops and says why instead of exhausting memory.
pub const MAX_WAITING: usize = 4_000_000;

/// RNG streams, so changing the service parameters leaves the arrival sequence untouched.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_SERVICE: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Arrival,
    Done(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Task {
    id: TaskId,
    arrived: Nanos,
}

/// A running worker pool. `Clone` is its checkpoint.
#[derive(Clone, Debug)]
pub struct WorkerPool {
    cfg: Config,
    arrivals_rng: SimRng,
    service_rng: SimRng,
    now: Nanos,
    steps: u64,
    events: EventQueue<Ev>,
    /// Tasks in arrival order: the first `buffer` are in the channel's buffer, the rest belong to
    /// producers parked on sendq.
    queue: VecDeque<Task>,
    /// The task each worker is running, if any.
    running: Vec<Option<Task>>,
    /// Workers parked on the channel's recvq, longest-waiting first.
    recvq: VecDeque<u32>,
    next_task: TaskId,
    halted: Option<Halt>,
    metrics: WorkerPoolMetrics,
}

/// What the views draw: the state of the pool at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerPoolView {
    pub now: Nanos,
    /// Per worker: the task it runs, or None if parked on recvq.
    pub workers: Vec<Option<TaskId>>,
    /// The first tasks in the buffer (at most 64 listed).
    pub buffer: Vec<TaskId>,
    pub buffer_len: u64,
    pub buffer_cap: u64,
    /// Producers parked on sendq (policy block).
    pub parked_senders: u64,
    pub arrivals: u64,
    pub completed: u64,
    pub dropped: u64,
}

impl WorkerPool {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let mut pool = WorkerPool {
            arrivals_rng: SimRng::new(seed, STREAM_ARRIVALS),
            service_rng: SimRng::new(seed, STREAM_SERVICE),
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            queue: VecDeque::new(),
            running: vec![None; cfg.workers as usize],
            recvq: (0..cfg.workers).collect(),
            next_task: 0,
            halted: None,
            metrics: WorkerPoolMetrics::new(&cfg),
            cfg,
        };
        pool.schedule_arrival();
        pool.check_finished();
        pool
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    pub fn metrics(&self) -> &WorkerPoolMetrics {
        &self.metrics
    }

    /// Summary metrics measured after the warm-up, with time integrals brought up to now.
    pub fn summary_stats(&self) -> Summary {
        let mut m = self.metrics.clone();
        // A finished run measured its whole window (nothing happens after its last event); a run
        // still going has measured up to now.
        let finished = matches!(self.halted, Some(Halt::Finished));
        m.close(if finished {
            self.now.max(self.cfg.duration)
        } else {
            self.now
        });
        m.summary(&self.cfg)
    }

    /// Tasks in the system right now: waiting plus running.
    pub fn in_system(&self) -> u64 {
        self.queue.len() as u64 + self.busy_workers()
    }

    pub fn busy_workers(&self) -> u64 {
        self.cfg.workers as u64 - self.recvq.len() as u64
    }

    fn pool_view(&self) -> WorkerPoolView {
        let buffered = (self.queue.len() as u64).min(self.cfg.buffer);
        WorkerPoolView {
            now: self.now,
            workers: self.running.iter().map(|t| t.map(|t| t.id)).collect(),
            buffer: self
                .queue
                .iter()
                .take(64.min(buffered as usize))
                .map(|t| t.id)
                .collect(),
            buffer_len: buffered,
            buffer_cap: self.cfg.buffer,
            parked_senders: self.queue.len() as u64 - buffered,
            arrivals: self.metrics.total_arrivals,
            completed: self.metrics.total_completed,
            dropped: self.metrics.total_dropped,
        }
    }

    fn schedule_arrival(&mut self) {
        let gap = from_f64_nanos(self.cfg.interarrival.sample(&mut self.arrivals_rng));
        // A zero gap would let time stand still; the clock's resolution is 1 ns.
        let at = self.now.saturating_add(gap.max(1));
        if at < self.cfg.duration {
            self.events.push(at, Ev::Arrival);
        }
    }

    fn start(&mut self, worker: u32, task: Task) {
        let service = from_f64_nanos(self.cfg.service.sample(&mut self.service_rng));
        self.running[worker as usize] = Some(task);
        self.metrics.started(self.now, task.arrived);
        self.events
            .push(self.now.saturating_add(service), Ev::Done(worker));
    }

    fn arrive(&mut self) -> WorkerPoolEvent {
        let task = Task {
            id: self.next_task,
            arrived: self.now,
        };
        self.next_task += 1;
        self.schedule_arrival();
        let outcome = if let Some(worker) = self.recvq.pop_front() {
            self.start(worker, task);
            ArrivalOutcome::ToWorker { worker }
        } else if (self.queue.len() as u64) < self.cfg.buffer || self.cfg.policy == Policy::Block {
            self.queue.push_back(task);
            self.metrics
                .queue_changed(self.now, self.queue.len() as u64);
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
        self.metrics.arrived(self.now, dropped, self.in_system());
        if self.queue.len() > MAX_WAITING {
            self.halted = Some(Halt::Limit(format!(
                "stopped at {:.3} s: more than {MAX_WAITING} tasks were waiting. The offered load is {:.2} per worker (above 1 the queue grows without bound); lower arrival_rate, raise workers, or use policy drop.",
                crate::sim::time::to_secs(self.now),
                self.cfg.rho()
            )));
        }
        WorkerPoolEvent::Arrived {
            at: self.now,
            task: task.id,
            outcome,
        }
    }

    fn complete(&mut self, worker: u32) -> WorkerPoolEvent {
        let Some(task) = self.running[worker as usize].take() else {
            unreachable!("a Done event is only scheduled for a busy worker")
        };
        let next = self.queue.pop_front();
        if next.is_some() {
            self.metrics
                .queue_changed(self.now, self.queue.len() as u64);
        }
        match next {
            Some(t) => self.start(worker, t),
            None => self.recvq.push_back(worker),
        }
        self.metrics
            .completed(self.now, task.arrived, self.in_system());
        WorkerPoolEvent::Completed {
            at: self.now,
            task: task.id,
            worker,
            sojourn: self.now - task.arrived,
            next: next.map(|t| t.id),
        }
    }

    fn check_finished(&mut self) {
        if self.halted.is_none() && self.events.is_empty() {
            self.halted = Some(Halt::Finished);
            self.metrics.latency.flush();
        }
    }
}

impl Scenario for WorkerPool {
    type View = WorkerPoolView;

    fn schema() -> &'static [ParamSpec] {
        SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(Config::from_params(params)?, seed))
    }

    fn view(&self) -> WorkerPoolView {
        self.pool_view()
    }

    fn summary(&self) -> Vec<MetricPair> {
        self.summary_stats().pairs()
    }

    fn figures(&self) -> Vec<Figure> {
        vec![
            self.metrics.queue_figure(self.now),
            self.metrics.latency_figure(),
            self.metrics.throughput_figure(self.now),
            self.metrics.latency_cdf_figure(),
        ]
    }

    fn horizon(&self) -> Nanos {
        self.cfg.duration
    }
}

impl Stepping for WorkerPool {
    type Event = WorkerPoolEvent;

    fn approx_bytes(&self) -> usize {
        // The waiting tasks, the workers, and the histograms and series of the metrics.
        std::mem::size_of::<Self>()
            + self.queue.len() * 16
            + self.running.len() * 24
            + 4 * 48 * 1024
            + 8 * super::metrics::SERIES_POINTS * 32
    }

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

    fn step(&mut self) -> Option<WorkerPoolEvent> {
        if self.halted.is_some() {
            return None;
        }
        let (at, ev) = self.events.pop()?;
        self.now = at;
        self.steps += 1;
        let out = match ev {
            Ev::Arrival => self.arrive(),
            Ev::Done(w) => self.complete(w),
        };
        self.check_finished();
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
        h.str("worker_pool")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.arrivals_rng.draws())
            .u64(self.service_rng.draws())
            .u64(self.next_task)
            .u64(self.events.scheduled());
        for (at, seq, ev) in self.events.sorted() {
            h.u64(at).u64(seq);
            match ev {
                Ev::Arrival => h.u8(0),
                Ev::Done(w) => h.u8(1).u32(*w),
            };
        }
        h.usize(self.queue.len());
        for t in &self.queue {
            h.u64(t.id).u64(t.arrived);
        }
        for r in &self.running {
            match r {
                Some(t) => h.u8(1).u64(t.id).u64(t.arrived),
                None => h.u8(0),
            };
        }
        h.usize(self.recvq.len());
        for w in &self.recvq {
            h.u32(*w);
        }
        h.bool(self.halted.is_some());
        self.metrics.hash_into(&mut h);
        h.finish()
    }
}
