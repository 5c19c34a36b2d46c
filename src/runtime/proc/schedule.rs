//! Finding work for a P and starting threads: `wakep`, `startm`, `mstart`, `schedule`, `execute`,
//! `findRunnable` and `stealWork`, as in proc.go.

use super::{MState, Machine, PStatus, GLOBAL_CHECK_EVERY, MAX_THREADS, STEAL_TRIES};
use crate::runtime::g::{GStatus, GoId};
use crate::runtime::trace::{MId, PId, Source, TraceEvent};
use crate::runtime::world::{Ev, Runtime};

impl Runtime {
    /// `wakep`: if no thread is spinning and a P is idle, start a thread spinning on it.
    pub(crate) fn wakep(&mut self) {
        if self.sched.nmspinning() > 0 {
            return;
        }
        let Some(p) = self.sched.pidle.pop() else {
            return;
        };
        self.startm(p, true);
    }

    /// `startm`: wake an idle M (or create one) for `p`; it runs after `wake_thread` ns.
    pub(crate) fn startm(&mut self, p: PId, spinning: bool) {
        let m = match self.sched.allm.iter().position(|m| m.state == MState::Idle) {
            Some(i) => i as MId,
            None => {
                if self.sched.allm.len() >= MAX_THREADS {
                    self.fatal("thread exhaustion");
                    return;
                }
                let id = self.sched.allm.len() as MId;
                self.sched.allm.push(Machine {
                    id,
                    state: MState::Idle,
                    p: None,
                    oldp: None,
                });
                id
            }
        };
        let mm = &mut self.sched.allm[m as usize];
        mm.state = if spinning {
            MState::Waking
        } else {
            MState::Running
        };
        mm.p = Some(p);
        let pp = &mut self.sched.allp[p as usize];
        pp.status = PStatus::Running;
        pp.m = Some(m);
        pp.curg = None;
        pp.epoch += 1;
        let at = self.now.saturating_add(self.costs.wake_thread);
        self.push_live(at, Ev::MStart { m, p });
        if spinning {
            self.emit(TraceEvent::Wakep { p, m });
        }
        self.wake_sysmon();
    }

    /// The thread for `p` has woken: look for work.
    pub(crate) fn mstart(&mut self, m: MId, p: PId) {
        if self.sched.allm[m as usize].state == MState::Waking {
            self.sched.allm[m as usize].state = MState::Spinning;
        }
        self.schedule(p);
    }

    /// `schedule`: find a goroutine for `p` and run it, or let `p` go idle.
    pub(crate) fn schedule(&mut self, p: PId) {
        if self.exit.is_some() {
            return;
        }
        let Some(m) = self.sched.allp[p as usize].m else {
            return;
        };
        let spinning = self.sched.allm[m as usize].state == MState::Spinning;
        match self.find_runnable(p, spinning) {
            Some((g, from)) => {
                if self.sched.allm[m as usize].state == MState::Spinning {
                    // resetspinning: this thread found work; maybe there is more for another.
                    self.sched.allm[m as usize].state = MState::Running;
                    if self.sched.runnable_anywhere() {
                        self.wakep();
                    }
                }
                self.sched.allm[m as usize].state = MState::Running;
                self.execute(p, m, g, from);
            }
            None => {
                self.sched.allm[m as usize].state = MState::Idle;
                self.sched.allm[m as usize].p = None;
                self.sched.pidleput(p);
                self.emit(TraceEvent::PIdle { p });
            }
        }
    }

    /// `execute`: `g` runs on `p`; taking it from runnext inherits the time slice.
    fn execute(&mut self, p: PId, m: MId, g: GoId, from: Source) {
        let inherit = from == Source::Runnext;
        let pp = &mut self.sched.allp[p as usize];
        if !inherit {
            pp.schedtick += 1;
        }
        pp.curg = Some(g);
        pp.epoch += 1;
        let epoch = pp.epoch;
        let gg = &mut self.store.allgs[g as usize];
        gg.status = GStatus::Running;
        gg.wait = None;
        if !inherit {
            gg.slice_start = self.now;
        }
        let at = self.now.saturating_add(self.costs.sched_switch);
        self.push_live(at, Ev::Run { p, epoch });
        self.emit(TraceEvent::GoStart { g, p, m, from });
    }

    /// `findRunnable`'s order: the global queue every 61st tick, runnext, the local queue, a batch
    /// from the global queue, then stealing from other Ps.
    fn find_runnable(&mut self, p: PId, spinning: bool) -> Option<(GoId, Source)> {
        let tick = self.sched.allp[p as usize].schedtick;
        if tick % GLOBAL_CHECK_EVERY == 0 && tick > 0 {
            if let Some(g) = self.sched.runq.pop_front() {
                return Some((g, Source::GlobalFair));
            }
        }
        let pp = &mut self.sched.allp[p as usize];
        if let Some(g) = pp.runnext.take() {
            return Some((g, Source::Runnext));
        }
        if let Some(g) = pp.runq.pop_front() {
            return Some((g, Source::LocalQueue));
        }
        if let Some(r) = self.sched.globrunqget(p) {
            return Some(r);
        }
        // Spin and steal only if this thread is already spinning or few others are
        // (2*nmspinning < GOMAXPROCS - npidle).
        let nprocs = self.sched.gomaxprocs();
        let npidle = self.sched.pidle.len() as u32;
        if spinning || 2 * self.sched.nmspinning() < nprocs.saturating_sub(npidle) {
            if let Some(r) = self.steal_work(p) {
                return Some(r);
            }
        }
        None
    }

    /// `stealWork`: four passes over the Ps in a random order (start at a random P, stride coprime with
    /// GOMAXPROCS), skipping idle ones; steal half a victim's local queue; only the last pass also takes
    /// a victim's runnext.
    fn steal_work(&mut self, thief: PId) -> Option<(GoId, Source)> {
        let n = self.sched.allp.len() as u32;
        if n <= 1 {
            return None;
        }
        if self.sched.coprimes.first() != Some(&n) {
            // randomOrder's strides: the numbers coprime with n (cached; n is stored first).
            self.sched.coprimes = std::iter::once(n)
                .chain((1..=n).filter(|c| gcd(*c, n) == 1))
                .collect();
        }
        for pass in 0..STEAL_TRIES {
            let last = pass == STEAL_TRIES - 1;
            let start = self.rng.below(n as u64) as u32;
            let k = self.rng.below(self.sched.coprimes.len() as u64 - 1) as usize;
            let stride = self.sched.coprimes[1 + k];
            for victim in random_order(n, start, stride) {
                if victim != thief && self.sched.allp[victim as usize].status == PStatus::Running {
                    if let Some(r) = self.sched.runqsteal(thief, victim, last) {
                        return Some(r);
                    }
                }
            }
        }
        None
    }
}

/// `randomOrder`: start, start+stride, ... mod n. With a stride coprime with n it visits every P
/// exactly once (and takes no division per step).
fn random_order(n: u32, start: u32, stride: u32) -> impl Iterator<Item = u32> {
    let mut victim = start;
    (0..n).map(move |_| {
        let v = victim;
        victim += stride;
        if victim >= n {
            victim -= n;
        }
        v
    })
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every coprime stride from every start visits each P exactly once, as stealWork's random order
    /// must.
    #[test]
    fn random_order_with_a_coprime_stride_visits_every_p_once() {
        for n in 1..=12u32 {
            for stride in (1..=n).filter(|s| gcd(*s, n) == 1) {
                for start in 0..n {
                    let mut seen: Vec<u32> = random_order(n, start, stride).collect();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "n={n} stride={stride}");
                }
            }
        }
    }
}
