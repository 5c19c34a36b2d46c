//! Bounded checkpoints for step back.
//!
//! A checkpoint is a clone of the scenario every `interval` steps. When more than [`MAX_CHECKPOINTS`]
//! exist, every other one is dropped and the interval doubles, so memory stays bounded on any run
//! length while a replay is never longer than one interval. Step 0 is always kept.

use crate::sim::scenario::Stepping;

pub const MAX_CHECKPOINTS: usize = 48;
pub const FIRST_INTERVAL: u64 = 1024;
/// Checkpoints together stay under this many bytes; a large state gets fewer, sparser checkpoints
/// (and longer replays), and a state larger than this (a million goroutines) gets none beyond step
/// 0: copying it would double the tab's memory.
pub const MAX_BYTES: usize = 256 << 20;

#[derive(Clone, Debug)]
pub struct Checkpoints<S> {
    interval: u64,
    saved: Vec<S>,
    /// Each saved state's approximate size.
    bytes: Vec<usize>,
    max_bytes: usize,
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
            bytes: vec![start.approx_bytes()],
            max_bytes: MAX_BYTES,
        }
    }

    /// Sets the memory budget (tests use a small one).
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Approximate bytes held by the checkpoints.
    pub fn total_bytes(&self) -> usize {
        self.bytes.iter().sum()
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
            let size = s.approx_bytes();
            // Thin first if this one would not fit; step 0 always stays.
            while self.saved.len() > 1
                && (self.saved.len() >= MAX_CHECKPOINTS
                    || self.total_bytes() + size > self.max_bytes)
            {
                self.thin();
            }
            if step % self.interval == 0 && self.total_bytes() + size <= self.max_bytes {
                self.saved.push(s.clone());
                self.bytes.push(size);
            } else if self.saved.len() <= 1 {
                // Too big to keep even alone: try again twice as far on, so measuring a huge state
                // (which walks all of it) stays rare.
                self.interval *= 2;
            }
        }
    }

    fn thin(&mut self) {
        self.interval *= 2;
        let interval = self.interval;
        let keep: Vec<bool> = self
            .saved
            .iter()
            .map(|c| c.steps() % interval == 0)
            .collect();
        let mut k = keep.iter();
        self.saved.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        self.bytes.retain(|_| *k.next().unwrap_or(&true));
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
