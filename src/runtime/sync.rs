//! sync.Mutex, sync.RWMutex and sync.WaitGroup as internal/sync implements them, reduced to the
//! behaviour a learner can observe: who holds the lock, who waits in what order, and when the mutex
//! switches into and out of starvation mode.
//!
//! Like the channel code, these functions change only the object and say whom to wake; the scheduler
//! does the waking.

use std::collections::VecDeque;

use super::g::GoId;
use crate::sim::time::Nanos;

/// A waiter that has waited longer than this switches the mutex to starvation mode
/// (`starvationThresholdNs`).
pub const STARVATION_THRESHOLD: Nanos = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MutexWaiter {
    pub g: GoId,
    /// When it first started waiting (kept across re-queues).
    pub since: Nanos,
}

/// The fields are private because they hold together (see [`Mutex::check`]); they change only
/// through Lock and Unlock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mutex {
    holder: Option<GoId>,
    /// Waiters in semaphore order; a woken waiter that loses the race goes back to the front.
    waiters: VecDeque<MutexWaiter>,
    starving: bool,
    /// A waiter has been woken and not yet run (`mutexWoken`): Unlock wakes no one else meanwhile.
    woken: Option<GoId>,
    /// How many times it entered starvation mode, for lessons and tests.
    starvation_entries: u64,
}

/// What a Lock attempt did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LockResult {
    Acquired,
    /// Park; `front` if a woken waiter is re-queued at the head.
    MustPark {
        front: bool,
    },
}

/// What an Unlock did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnlockResult {
    /// Nobody to wake.
    Released,
    /// Normal mode: `g` (waiting since the given time) is woken to compete for the lock; it may lose
    /// to a newcomer.
    Woke(GoId, Nanos),
    /// Starvation mode: ownership passed straight to `g`.
    HandedOff(GoId),
    /// "fatal error: sync: unlock of unlocked mutex".
    NotLocked,
}

impl Mutex {
    /// A Lock attempt by `g` at time `now`. `waited_since` is Some for a woken waiter trying again.
    pub fn lock(&mut self, g: GoId, now: Nanos, waited_since: Option<Nanos>) -> LockResult {
        if self.woken == Some(g) {
            self.woken = None;
        }
        // In starvation mode newcomers neither barge nor spin: they queue at the tail.
        if self.holder.is_none() && !(self.starving && waited_since.is_none()) {
            self.holder = Some(g);
            return LockResult::Acquired;
        }
        match waited_since {
            Some(since) => {
                // A woken waiter lost the race: back to the front, and starve the mutex if it has
                // waited too long.
                if now.saturating_sub(since) > STARVATION_THRESHOLD && !self.starving {
                    self.starving = true;
                    self.starvation_entries += 1;
                }
                self.waiters.push_front(MutexWaiter { g, since });
                LockResult::MustPark { front: true }
            }
            None => {
                self.waiters.push_back(MutexWaiter { g, since: now });
                LockResult::MustPark { front: false }
            }
        }
    }

    /// An Unlock at time `now`. In starvation mode the front waiter owns the lock on return.
    pub fn unlock(&mut self, now: Nanos) -> UnlockResult {
        if self.holder.is_none() {
            return UnlockResult::NotLocked;
        }
        self.holder = None;
        if self.starving {
            if let Some(w) = self.waiters.pop_front() {
                self.holder = Some(w.g);
                // Starvation ends when the new owner is the last waiter or waited under 1 ms.
                if self.waiters.is_empty() || now.saturating_sub(w.since) < STARVATION_THRESHOLD {
                    self.starving = false;
                }
                return UnlockResult::HandedOff(w.g);
            }
            self.starving = false;
            return UnlockResult::Released;
        }
        if self.woken.is_some() {
            return UnlockResult::Released;
        }
        match self.waiters.pop_front() {
            Some(w) => {
                self.woken = Some(w.g);
                UnlockResult::Woke(w.g, w.since)
            }
            None => UnlockResult::Released,
        }
    }

    pub fn is_locked(&self) -> bool {
        self.holder.is_some()
    }

    /// The goroutine holding the lock.
    pub fn holder(&self) -> Option<GoId> {
        self.holder
    }

    /// Parked waiters in the order they will be woken.
    pub fn waiters(&self) -> &VecDeque<MutexWaiter> {
        &self.waiters
    }

    /// In starvation mode (`mutexStarving`).
    pub fn is_starving(&self) -> bool {
        self.starving
    }

    /// How many times the mutex entered starvation mode.
    pub fn starvation_entries(&self) -> u64 {
        self.starvation_entries
    }

    /// Lock ownership, after internal/sync/mutex.go (Go 1.27, "Mutex fairness" at line 31 and
    /// unlockSlow at line 230): the woken waiter (`mutexWoken`) is not among the waiters (the holder
    /// may be: Mutex is not reentrant), and no goroutine waits twice; "mutex is still
    /// considered locked if mutexStarving is set" (unlockSlow), so a starving mutex has an owner; and
    /// an unlocked mutex with waiters has one of them woken to claim it (Unlock wakes a waiter unless
    /// one is already awake).
    pub fn check(&self) -> Result<(), String> {
        let mut seen: Vec<GoId> = self.waiters.iter().map(|w| w.g).collect();
        seen.sort_unstable();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            return Err("a goroutine waits twice".into());
        }
        // The holder may wait on its own mutex (a self-deadlock: Mutex is not reentrant).
        if let Some(g) = self.woken.filter(|g| seen.binary_search(g).is_ok()) {
            return Err(format!("the woken waiter G{g} is also waiting"));
        }
        if self.starving && self.holder.is_none() {
            return Err("starving with no owner".into());
        }
        if self.holder.is_none() && !self.waiters.is_empty() && self.woken.is_none() {
            return Err("unlocked with waiters and none of them woken".into());
        }
        Ok(())
    }
}

/// sync.RWMutex with writer preference: a pending writer blocks new readers, waits for the readers
/// already inside, and on Unlock releases the readers that queued behind it before other writers.
///
/// The fields are private because they hold together (see [`RwMutex::check`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RwMutex {
    /// Readers inside.
    readers: u32,
    /// The writer holding the lock, or waiting for the readers inside to leave.
    writer: Option<GoId>,
    /// The writer is still waiting for this many departing readers (`readerWait`).
    reader_wait: u32,
    /// Readers blocked behind a writer.
    blocked_readers: Vec<GoId>,
    /// Writers queued for the writer lock (`w`).
    writers: VecDeque<GoId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RwResult {
    Acquired,
    MustPark,
    /// Goroutines that now hold the lock and must be woken.
    Woke(Vec<GoId>),
    /// Unlock of an unlocked RWMutex.
    NotLocked,
}

impl RwMutex {
    pub fn rlock(&mut self, g: GoId) -> RwResult {
        if self.writer.is_some() {
            self.blocked_readers.push(g);
            RwResult::MustPark
        } else {
            self.readers += 1;
            RwResult::Acquired
        }
    }

    pub fn runlock(&mut self) -> RwResult {
        if self.readers == 0 {
            return RwResult::NotLocked;
        }
        self.readers -= 1;
        if self.writer.is_some() && self.reader_wait > 0 {
            self.reader_wait -= 1;
            if self.reader_wait == 0 {
                return RwResult::Woke(self.writer.into_iter().collect());
            }
        }
        RwResult::Woke(vec![])
    }

    pub fn lock(&mut self, g: GoId) -> RwResult {
        if self.writer.is_some() {
            self.writers.push_back(g);
            return RwResult::MustPark;
        }
        self.writer = Some(g);
        if self.readers > 0 {
            self.reader_wait = self.readers;
            RwResult::MustPark
        } else {
            RwResult::Acquired
        }
    }

    pub fn unlock(&mut self) -> RwResult {
        if self.writer.is_none() || self.reader_wait > 0 {
            return RwResult::NotLocked;
        }
        self.writer = None;
        if !self.blocked_readers.is_empty() {
            let readers = std::mem::take(&mut self.blocked_readers);
            self.readers += readers.len() as u32;
            // A writer still queued now waits for these readers.
            if let Some(w) = self.writers.pop_front() {
                self.writer = Some(w);
                self.reader_wait = self.readers;
            }
            return RwResult::Woke(readers);
        }
        match self.writers.pop_front() {
            Some(w) => {
                self.writer = Some(w);
                RwResult::Woke(vec![w])
            }
            None => RwResult::Woke(vec![]),
        }
    }

    /// Reader counts, after sync/rwmutex.go's fields (Go 1.27, lines 40-44): `readerWait` counts
    /// "departing readers", so it is at most the readers inside and zero without a writer; readers block only
    /// behind a writer, and writers queue only behind one (`w`, the writer mutex).
    pub fn check(&self) -> Result<(), String> {
        if self.reader_wait > self.readers {
            return Err(format!(
                "a writer waits for {} readers but {} are inside",
                self.reader_wait, self.readers
            ));
        }
        if self.writer.is_none()
            && (self.reader_wait > 0
                || !self.blocked_readers.is_empty()
                || !self.writers.is_empty())
        {
            return Err("goroutines wait for a writer that does not exist".into());
        }
        Ok(())
    }
}

/// A WaitGroup counter below zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NegativeCounter;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitGroup {
    counter: i64,
    waiters: Vec<GoId>,
}

impl WaitGroup {
    pub fn counter(&self) -> i64 {
        self.counter
    }

    /// Goroutines parked in Wait.
    pub fn waiters(&self) -> &[GoId] {
        &self.waiters
    }

    /// Wait: `g` parks until the counter reaches zero (only on a non-zero counter).
    pub fn add_waiter(&mut self, g: GoId) {
        self.waiters.push(g);
        debug_assert_eq!(self.check(), Ok(()));
    }

    /// Add(delta): fails on a negative counter ("sync: negative WaitGroup counter"); at zero, every
    /// waiter is released.
    pub fn add(&mut self, delta: i64) -> Result<Vec<GoId>, NegativeCounter> {
        self.counter += delta;
        if self.counter < 0 {
            return Err(NegativeCounter);
        }
        if self.counter == 0 {
            return Ok(std::mem::take(&mut self.waiters));
        }
        Ok(vec![])
    }

    /// sync/waitgroup.go's Add (Go 1.27, lines 123-134): when the counter reaches zero every waiter is released, so
    /// no one waits on a zero counter (a negative one has panicked, and its waiters stay blocked as in
    /// Go).
    pub fn check(&self) -> Result<(), String> {
        if !self.waiters.is_empty() && self.counter == 0 {
            return Err(format!(
                "{} waiters on a counter of {}",
                self.waiters.len(),
                self.counter
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newcomer_can_barge_past_a_woken_waiter_in_normal_mode() {
        let mut m = Mutex::default();
        assert_eq!(m.lock(1, 0, None), LockResult::Acquired);
        assert_eq!(m.lock(2, 10, None), LockResult::MustPark { front: false });
        assert_eq!(m.unlock(20), UnlockResult::Woke(2, 10));
        // G3 arrives before the woken G2 runs, and takes the lock.
        assert_eq!(m.lock(3, 25, None), LockResult::Acquired);
        // G2 loses and goes back to the front of the queue.
        assert_eq!(
            m.lock(2, 30, Some(10)),
            LockResult::MustPark { front: true }
        );
        assert_eq!(m.waiters.front().map(|w| w.g), Some(2));
        assert!(!m.starving);
    }

    #[test]
    fn a_waiter_losing_after_a_millisecond_starves_the_mutex_and_gets_it_handed_over() {
        let mut m = Mutex::default();
        m.lock(1, 0, None);
        m.lock(2, 0, None);
        m.lock(4, 0, None);
        assert_eq!(m.unlock(100), UnlockResult::Woke(2, 0));
        m.lock(3, 150, None); // barges
        assert_eq!(
            m.lock(2, 2_000_000, Some(0)),
            LockResult::MustPark { front: true }
        );
        assert!(m.starving);
        // Newcomers queue at the tail, even when the mutex is free.
        assert_eq!(m.unlock(2_100_000), UnlockResult::HandedOff(2));
        assert_eq!(m.holder, Some(2));
        // G2 waited over 1 ms and is not the last waiter: still starving.
        assert!(m.starving);
        assert_eq!(
            m.lock(5, 2_200_000, None),
            LockResult::MustPark { front: false }
        );
        assert_eq!(m.unlock(2_300_000), UnlockResult::HandedOff(4));
        assert!(m.starving, "G4 waited 2.3 ms");
        assert_eq!(m.unlock(2_400_000), UnlockResult::HandedOff(5));
        assert!(!m.starving, "G5 was the last waiter");
    }

    #[test]
    fn unlocking_an_unlocked_mutex_is_an_error() {
        let mut m = Mutex::default();
        assert_eq!(m.unlock(0), UnlockResult::NotLocked);
    }

    #[test]
    fn a_pending_writer_blocks_new_readers_and_releases_them_first_on_unlock() {
        let mut rw = RwMutex::default();
        assert_eq!(rw.rlock(1), RwResult::Acquired);
        assert_eq!(rw.lock(2), RwResult::MustPark); // waits for reader 1
        assert_eq!(rw.rlock(3), RwResult::MustPark); // writer preference
        assert_eq!(rw.lock(4), RwResult::MustPark);
        assert_eq!(rw.runlock(), RwResult::Woke(vec![2]));
        assert_eq!(rw.unlock(), RwResult::Woke(vec![3]));
        assert_eq!(rw.readers, 1);
        assert_eq!(rw.writer, Some(4), "the next writer waits for reader 3");
        assert_eq!(rw.runlock(), RwResult::Woke(vec![4]));
    }

    #[test]
    fn a_waitgroup_releases_everyone_at_zero_and_refuses_negative() {
        let mut wg = WaitGroup::default();
        wg.add(2).unwrap();
        wg.waiters.extend([5, 6]);
        assert_eq!(wg.add(-1), Ok(vec![]));
        assert_eq!(wg.add(-1), Ok(vec![5, 6]));
        assert_eq!(wg.add(-1), Err(NegativeCounter));
    }

    /// Each broken lock invariant is caught, so a clean check in the runs means something.
    #[test]
    fn check_rejects_broken_lock_states() {
        let starving = Mutex {
            starving: true,
            ..Mutex::default()
        };
        assert!(starving.check().is_err(), "starving without an owner");
        let stranded = Mutex {
            waiters: [MutexWaiter { g: 1, since: 0 }].into(),
            ..Mutex::default()
        };
        assert!(stranded.check().is_err(), "unlocked, waiters, none woken");
        let twice = Mutex {
            holder: Some(3),
            waiters: [
                MutexWaiter { g: 1, since: 0 },
                MutexWaiter { g: 1, since: 5 },
            ]
            .into(),
            ..Mutex::default()
        };
        assert!(twice.check().is_err(), "one goroutine waits twice");
        let mut own = Mutex::default();
        own.lock(1, 0, None);
        own.lock(1, 0, None);
        assert_eq!(
            own.check(),
            Ok(()),
            "a goroutine may wait on the mutex it holds"
        );

        let rw = RwMutex {
            readers: 1,
            reader_wait: 2,
            writer: Some(1),
            ..RwMutex::default()
        };
        assert!(rw.check().is_err(), "waiting for more readers than inside");
        let orphan = RwMutex {
            blocked_readers: vec![4],
            ..RwMutex::default()
        };
        assert!(orphan.check().is_err(), "readers blocked behind no writer");

        let wg = WaitGroup {
            counter: 0,
            waiters: vec![2],
        };
        assert!(wg.check().is_err(), "waiting on a zero counter");
    }
}
