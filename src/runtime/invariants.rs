//! The invariants Go's runtime states, checked over the whole state: the scheduler's (run-queue
//! membership, the idle P list, M/P pairing: `proc/invariants.rs`), every channel's
//! ([`Channel::check`](super::chan::Channel::check)) and every lock's and wait group's
//! (`sync.rs`). Debug builds check them between events (amortised, so large programs stay quick);
//! the property tests check them after every step.

use super::world::Runtime;

/// Between two full checks, debug builds let about this much work (goroutines, channels and locks
/// visited) pass per event, so a check costs O(1) per event however large the state grows.
#[cfg(debug_assertions)]
const CHECK_WORK_PER_EVENT: u64 = 64;

impl Runtime {
    /// Checks every invariant of the scheduler, channels and locks; the first one broken, described.
    /// Holds between events (and so after every `step`), not inside one.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.sched.check(&self.store.allgs)?;
        let s = &self.store;
        for (i, c) in s.chans.iter().enumerate() {
            c.check().map_err(|e| format!("channel {i}: {e}"))?;
        }
        for (i, m) in s.mutexes.iter().enumerate() {
            m.check().map_err(|e| format!("mutex {i}: {e}"))?;
        }
        for (i, m) in s.rwmutexes.iter().enumerate() {
            m.check().map_err(|e| format!("rwmutex {i}: {e}"))?;
        }
        for (i, w) in s.wgs.iter().enumerate() {
            w.check().map_err(|e| format!("waitgroup {i}: {e}"))?;
        }
        Ok(())
    }

    /// Debug builds: panics at an event boundary where an invariant is broken. A finished run is not
    /// checked (a fatal error may stop it halfway through an operation).
    #[cfg(debug_assertions)]
    pub(crate) fn debug_check_invariants(&mut self) {
        if self.halt.is_some() {
            return;
        }
        let s = &self.store;
        let size = (s.allgs.len() + s.chans.len() + s.mutexes.len() + self.sched.allp.len()) as u64;
        self.unchecked += CHECK_WORK_PER_EVENT;
        if self.unchecked < size {
            return;
        }
        self.unchecked = 0;
        if let Err(e) = self.check_invariants() {
            panic!("runtime invariant broken at {} ns: {e}", self.now);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::runtime::build::ProgramBuilder;
    use crate::runtime::g::GStatus;
    use crate::runtime::proc::PStatus;
    use crate::runtime::world::Config;

    fn fresh() -> Runtime {
        let mut b = ProgramBuilder::new();
        let main = b.func("main", 0, |f| f.sleep_ns(10));
        Runtime::new(
            Rc::new(b.build(main)),
            Config {
                gomaxprocs: 2,
                ..Config::default()
            },
        )
    }

    /// Each kind of corruption is caught, so a clean check in the runs means something.
    #[test]
    fn check_invariants_catches_each_broken_scheduler_invariant() {
        assert_eq!(fresh().check_invariants(), Ok(()));

        let mut rt = fresh();
        rt.sched.runq.push_back(1);
        assert!(rt.check_invariants().is_err(), "running and queued");

        let mut rt = fresh();
        rt.store.allgs[1].status = GStatus::Runnable;
        assert!(rt.check_invariants().is_err(), "runnable but on no queue");

        let mut rt = fresh();
        rt.sched.pidle.push(0);
        assert!(
            rt.check_invariants().is_err(),
            "a running P on the idle list"
        );

        let mut rt = fresh();
        rt.sched.allp[1].runq.push_back(1);
        rt.sched.allp[0].curg = None;
        rt.store.allgs[1].status = GStatus::Runnable;
        assert!(rt.check_invariants().is_err(), "an idle P with work");

        let mut rt = fresh();
        rt.sched.allm[0].p = None;
        assert!(
            rt.check_invariants().is_err(),
            "a running P whose M holds nothing"
        );

        let mut rt = fresh();
        rt.sched.allp[1].status = PStatus::Running;
        rt.sched.pidle.clear();
        assert!(rt.check_invariants().is_err(), "a running P with no M");
    }
}
