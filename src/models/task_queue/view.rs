//! What the task queue's stage draws.

use crate::sim::time::Nanos;

/// What the view draws.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskQueueView {
    pub now: Nanos,
    pub up: bool,
    pub queued: u64,
    /// Per consumer: the task it is processing.
    pub consumers: Vec<Option<u64>>,
    pub wal_len: u64,
    /// WAL records that survive a crash.
    pub durable: u64,
    pub acked: u64,
    /// Tasks whose effect is in the store.
    pub applied: u64,
    pub duplicated: u64,
}
