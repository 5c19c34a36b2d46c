//! What the shared map's stage draws.

use crate::sim::time::Nanos;

use super::model::{GState, Shared};
use super::params::Mode;

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

impl Shared {
    pub(super) fn map_view(&self, now: Nanos) -> SharedMapView {
        SharedMapView {
            now,
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
}
