//! What the worker pool's stage draws: the pool at one moment.

use crate::sim::time::Nanos;

use super::event::TaskId;
use super::model::Pool;

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

impl Pool {
    pub(super) fn pool_view(&self, now: Nanos) -> WorkerPoolView {
        let buffered = (self.queue.len() as u64).min(self.cfg.buffer);
        WorkerPoolView {
            now,
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
}
