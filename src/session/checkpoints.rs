//! Bounded checkpoints for step back.
//!
//! A checkpoint is a clone of the scenario every `interval` steps. When more than [`MAX_CHECKPOINTS`]
//! exist, every other one is dropped and the interval doubles, so memory stays bounded on any run
//! length while a replay is never longer than one interval. Step 0 is always kept.

use crate::sim::scenario::Stepping;

pub const MAX_CHECKPOINTS: usize = 48;
pub const FIRST_INTERVAL: u64 = 1024;

#[derive(Clone, Debug)]
pub struct Checkpoints<S> {
    interval: u64,
    saved: Vec<S>,
}

impl<S: Stepping> Checkpoints<S> {
    pub fn new(start: &S) -> Self {
        Self::with_interval(start, FIRST_INTERVAL)
    }

    /// Checkpoints starting every `interval` steps (tests use small ones to exercise thinning).
    pub fn with_interval(start: &S, interval: u64) -> Self {
        Self {
            interval: interval.max(1),
            saved: vec![start.clone()],
        }
    }

    pub fn interval(&self) -> u64 {
        self.interval
    }

    pub fn len(&self) -> usize {
        self.saved.len()
    }

    pub fn is_empty(&self) -> bool {
        self.saved.is_empty()
    }

    /// Steps from `step` to the next checkpoint boundary (at least 1).
    pub fn until_next(&self, step: u64) -> u64 {
        self.interval - step % self.interval
    }

    /// Saves `s` if it sits on a boundary past the last checkpoint.
    pub fn offer(&mut self, s: &S) {
        let step = s.steps();
        let last = self.saved.last().map(|c| c.steps()).unwrap_or(0);
        if step > last && step % self.interval == 0 {
            self.saved.push(s.clone());
            if self.saved.len() > MAX_CHECKPOINTS {
                self.thin();
            }
        }
    }

    fn thin(&mut self) {
        self.interval *= 2;
        let interval = self.interval;
        self.saved.retain(|c| c.steps() % interval == 0);
    }

    /// The latest checkpoint at or before step `k`.
    pub fn at_or_before(&self, k: u64) -> &S {
        let i = self.saved.partition_point(|c| c.steps() <= k);
        &self.saved[i.saturating_sub(1)]
    }

    /// Brings `s` to exactly step `k` (or its end, if it halts first): restores the nearest checkpoint
    /// at or before `k` when going back, then replays. Returns the last event replayed.
    pub fn seek(&mut self, s: &mut S, k: u64) -> Option<S::Event> {
        if k < s.steps() {
            *s = self.at_or_before(k).clone();
        }
        let mut last = None;
        while s.steps() < k {
            match s.step() {
                Some(ev) => last = Some(ev),
                None => break,
            }
            self.offer(s);
        }
        last
    }
}
