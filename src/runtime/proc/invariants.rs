//! The scheduler's invariants, as proc.go and runtime2.go state them, checked over the whole state.
//! `Runtime::check_invariants` runs these with the object store's; debug builds run it between
//! events.

use std::collections::BTreeMap;

use super::{MState, PStatus, Sched};
use crate::runtime::g::{GStatus, GoId, Goroutine};

impl Sched {
    /// Everything below; the first broken invariant, described.
    pub(crate) fn check(&self, allgs: &[Goroutine]) -> Result<(), String> {
        self.check_run_queues(allgs)?;
        self.check_pidle()?;
        self.check_m_p_pairing()
    }

    /// Run-queue membership, after runtime2.go's G states (Go 1.27, lines 39 and 43-45): "_Grunnable
    /// means this goroutine is on a run queue", "_Grunning means this goroutine may execute user code.
    /// ... It is not on a run queue. It is assigned an M (g.m is valid) and it usually has a P". So a runnable goroutine is in exactly
    /// one of a P's runnext, a P's local runq and the global runq; a running one is exactly one P's
    /// curg (a P in `_Prunning`) and in no queue; every other goroutine is in neither; and a dead P
    /// (beyond GOMAXPROCS) holds no goroutine (`(*p).destroy` moved them out).
    fn check_run_queues(&self, allgs: &[Goroutine]) -> Result<(), String> {
        let mut queued: BTreeMap<GoId, u32> = BTreeMap::new();
        let mut current: BTreeMap<GoId, u32> = BTreeMap::new();
        for pp in &self.allp {
            for &g in pp.runnext.iter().chain(&pp.runq).chain(&pp.curg) {
                if allgs.get(g as usize).is_none() {
                    return Err(format!(
                        "P{} holds goroutine {g}, which does not exist",
                        pp.id
                    ));
                }
            }
            for &g in pp.runnext.iter().chain(&pp.runq) {
                *queued.entry(g).or_default() += 1;
            }
            if let Some(g) = pp.curg {
                *current.entry(g).or_default() += 1;
                if pp.status != PStatus::Running {
                    return Err(format!("P{} is {:?} but runs G{g}", pp.id, pp.status));
                }
            }
            if pp.status == PStatus::Dead && (pp.has_local_work() || pp.curg.is_some()) {
                return Err(format!("dead P{} holds goroutines", pp.id));
            }
        }
        for &g in &self.runq {
            *queued.entry(g).or_default() += 1;
        }
        if let Some(g) = self.runq.iter().find(|&&g| allgs.get(g as usize).is_none()) {
            return Err(format!(
                "the global queue holds goroutine {g}, which does not exist"
            ));
        }
        for gg in allgs.iter().skip(1) {
            let q = queued.get(&gg.id).copied().unwrap_or(0);
            let c = current.get(&gg.id).copied().unwrap_or(0);
            let ok = match gg.status {
                GStatus::Runnable => q == 1 && c == 0,
                GStatus::Running => q == 0 && c == 1,
                GStatus::Waiting | GStatus::Syscall | GStatus::Dead => q == 0 && c == 0,
            };
            if !ok {
                return Err(format!(
                    "G{} is {:?} but queued {q} times and current on {c} Ps",
                    gg.id, gg.status
                ));
            }
        }
        Ok(())
    }

    /// The idle P list against P status: a P is on `sched.pidle` exactly when it is `_Pidle`, once;
    /// and an idle P has no M, no goroutine and an empty run queue (proc.go's `pidleput`, Go 1.27,
    /// line 7428: `throw("pidleput: P has non-empty run queue")`).
    fn check_pidle(&self) -> Result<(), String> {
        let mut on_list = vec![0u32; self.allp.len()];
        for &p in &self.pidle {
            match on_list.get_mut(p as usize) {
                Some(n) => *n += 1,
                None => return Err(format!("idle list holds P{p}, which does not exist")),
            }
        }
        for (pp, &n) in self.allp.iter().zip(&on_list) {
            let idle = pp.status == PStatus::Idle;
            if n != u32::from(idle) {
                return Err(format!(
                    "P{} is {:?} and on the idle list {n} times",
                    pp.id, pp.status
                ));
            }
            if matches!(pp.status, PStatus::Idle | PStatus::Dead) && pp.m.is_some() {
                return Err(format!("{:?} P{} has an M", pp.status, pp.id));
            }
            if idle && pp.has_local_work() {
                return Err(format!("idle P{} has a non-empty run queue", pp.id));
            }
        }
        Ok(())
    }

    /// M/P pairing, after proc.go's `wirep` (Go 1.27, lines 6350-6369: `throw("wirep: already in
    /// go")` if the M has a P, `throw("wirep: invalid p state")` if the P has an M or is not idle;
    /// then `gp.m.p.set(pp)` and `pp.m.set(gp.m)` together): an M holding a P is that P's M and the other way round, a
    /// running or syscall P has an M, an M in a syscall holding a P holds it in `_Psyscall`, and an
    /// idle M holds no P.
    fn check_m_p_pairing(&self) -> Result<(), String> {
        for pp in &self.allp {
            let needs_m = matches!(pp.status, PStatus::Running | PStatus::Syscall);
            match pp.m {
                None if needs_m => return Err(format!("{:?} P{} has no M", pp.status, pp.id)),
                None => {}
                Some(m) => {
                    let mm = self
                        .allm
                        .get(m as usize)
                        .ok_or_else(|| format!("P{} names M{m}, which does not exist", pp.id))?;
                    if mm.p != Some(pp.id) {
                        return Err(format!("P{}'s M{m} holds {:?}", pp.id, mm.p));
                    }
                }
            }
        }
        for mm in &self.allm {
            let Some(p) = mm.p else { continue };
            let pp = self
                .allp
                .get(p as usize)
                .ok_or_else(|| format!("M{} holds P{p}, which does not exist", mm.id))?;
            if pp.m != Some(mm.id) {
                return Err(format!("M{} holds P{p}, whose M is {:?}", mm.id, pp.m));
            }
            let in_syscall = matches!(mm.state, MState::Syscall(_));
            if in_syscall != (pp.status == PStatus::Syscall) || mm.state == MState::Idle {
                return Err(format!(
                    "M{} is {:?} holding {:?} P{p}",
                    mm.id, mm.state, pp.status
                ));
            }
        }
        Ok(())
    }
}
