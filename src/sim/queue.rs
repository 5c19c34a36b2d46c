//! The future-event list: a binary heap ordered by (time, sequence number).
//!
//! Two events scheduled for the same nanosecond come out in the order they were scheduled, so a run
//! never depends on how the heap happens to break ties.

use super::time::Nanos;

#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    at: Nanos,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn before(&self, other: &Self) -> bool {
        (self.at, self.seq) < (other.at, other.seq)
    }
}

/// A deterministic priority queue of future events: a binary min-heap on (time, seq).
///
/// Hand-written rather than std's `BinaryHeap` because this is the simulator's innermost loop: std's
/// `pop` swaps the last element into the root and immediately reads it back, which stalls on store
/// forwarding; here both directions move entries through a hole and write the moving entry once, so
/// no value is read right after it was written. (Measured: about a quarter of all simulation time
/// went to that stall.) Events are `Copy`: small tags and indices.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    heap: Vec<Entry<E>>,
    next_seq: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            heap: Vec::new(),
            next_seq: 0,
        }
    }

    /// Schedules `event` at virtual time `at`.
    #[inline]
    pub fn push(&mut self, at: Nanos, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let entry = Entry { at, seq, event };
        // Sift up through a hole: parents move down one slot each, the entry is written once.
        let mut i = self.heap.len();
        self.heap.push(entry);
        while i > 0 {
            let parent = (i - 1) / 2;
            if entry.before(&self.heap[parent]) {
                self.heap[i] = self.heap[parent];
                i = parent;
            } else {
                break;
            }
        }
        self.heap[i] = entry;
    }

    /// Removes and returns the earliest event, ties broken by scheduling order.
    #[inline]
    pub fn pop(&mut self) -> Option<(Nanos, E)> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else {
            return Some((last.at, last.event));
        };
        // Sift the last entry down from the root through a hole: the smaller child moves up at each
        // level, and `last` is written once where it belongs.
        let n = self.heap.len();
        let mut hole = 0;
        loop {
            let left = 2 * hole + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.heap[right].before(&self.heap[left]) {
                right
            } else {
                left
            };
            if self.heap[child].before(&last) {
                self.heap[hole] = self.heap[child];
                hole = child;
            } else {
                break;
            }
        }
        self.heap[hole] = last;
        Some((top.at, top.event))
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&self) -> Option<Nanos> {
        self.heap.first().map(|e| e.at)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// How many events were ever scheduled; part of the state a checkpoint must reproduce.
    pub fn scheduled(&self) -> u64 {
        self.next_seq
    }

    /// Test support: every pending payload, to change one in place (order is by time and sequence,
    /// so the heap stays valid).
    #[cfg(test)]
    pub(crate) fn payloads_mut(&mut self) -> impl Iterator<Item = &mut E> {
        self.heap.iter_mut().map(|e| &mut e.event)
    }

    /// Visits pending events in (time, seq) order without removing them, for hashing and views.
    pub fn sorted(&self) -> Vec<(Nanos, u64, &E)> {
        let mut v: Vec<_> = self.heap.iter().map(|e| (e.at, e.seq, &e.event)).collect();
        v.sort_by_key(|(at, seq, _)| (*at, *seq));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random pushes and pops against a sorted reference.
    #[test]
    fn pops_in_time_then_sequence_order_under_any_interleaving() {
        let mut rng = crate::sim::SimRng::new(5, 0);
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u64)> = Vec::new();
        let mut seq = 0;
        for _ in 0..20_000 {
            if rng.below(3) < 2 {
                let at = rng.below(50);
                q.push(at, seq);
                reference.push((at, seq));
                seq += 1;
            } else {
                reference.sort();
                let want = if reference.is_empty() {
                    None
                } else {
                    Some(reference.remove(0))
                };
                assert_eq!(q.pop(), want);
            }
            assert_eq!(q.len(), reference.len());
        }
    }

    #[test]
    fn earliest_first_and_ties_in_scheduling_order() {
        let mut q = EventQueue::new();
        q.push(30, "c");
        q.push(10, "a1");
        q.push(20, "b");
        q.push(10, "a2");
        q.push(10, "a3");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(10, "a1"), (10, "a2"), (10, "a3"), (20, "b"), (30, "c")]
        );
    }

    #[test]
    fn sorted_view_matches_pop_order() {
        let mut q = EventQueue::new();
        for (i, t) in [5u64, 1, 5, 3, 1].iter().enumerate() {
            q.push(*t, i);
        }
        let view: Vec<usize> = q.sorted().iter().map(|(_, _, e)| **e).collect();
        let popped: Vec<usize> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(view, popped);
    }
}
