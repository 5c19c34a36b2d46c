//! The runtime's state as the views draw it: every P with its M, runnext and local queue; the global
//! queue; idle Ps; threads; every goroutine with its state, wait reason and current line; every channel
//! with its ring buffer and queues; every mutex with holder, waiters and mode. Plain owned data, so a
//! front end (or a Web Worker boundary) never borrows the runtime.

use super::g::{GStatus, GoId, WaitReason};
use super::proc::{MState, PStatus};
use super::trace::{MId, PId};
use super::world::Runtime;
use crate::sim::time::Nanos;

/// Local-queue entries listed per P (the length is always exact).
pub const RUNQ_SHOWN: usize = 32;
/// Goroutines listed in a view (the counts are always exact).
pub const GOROUTINES_SHOWN: usize = 2_000;

#[derive(Clone, Debug, PartialEq)]
pub struct RuntimeView {
    pub now: Nanos,
    pub ps: Vec<PView>,
    pub global: Vec<GoId>,
    pub global_len: usize,
    pub idle_ps: Vec<PId>,
    pub ms: Vec<MView>,
    pub goroutines: Vec<GView>,
    /// Live goroutines by state: running, runnable, waiting, syscall.
    pub counts: [usize; 4],
    pub chans: Vec<ChanView>,
    pub mutexes: Vec<MutexView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PView {
    pub id: PId,
    pub status: PStatus,
    pub m: Option<MId>,
    pub curg: Option<GoId>,
    pub runnext: Option<GoId>,
    pub runq: Vec<GoId>,
    pub runq_len: usize,
    pub schedtick: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MView {
    pub id: MId,
    pub state: MState,
    pub p: Option<PId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GView {
    pub id: GoId,
    pub status: GStatus,
    pub wait: Option<WaitReason>,
    /// The function it is in and the source line of its current operation.
    pub func: String,
    pub line: u32,
    /// Where it was created (parent's line), 0 for main.
    pub created_line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChanView {
    pub id: u32,
    pub cap: usize,
    /// Buffer slots in ring order (index 0 is slot 0), each shown as text when occupied.
    pub slots: Vec<Option<String>>,
    pub sendx: usize,
    pub recvx: usize,
    pub count: usize,
    pub sendq: Vec<GoId>,
    pub recvq: Vec<GoId>,
    pub closed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MutexView {
    pub id: u32,
    pub holder: Option<GoId>,
    pub waiters: Vec<GoId>,
    pub starving: bool,
}

impl Runtime {
    /// The line of a function's op, 0 when unknown.
    fn line_of(&self, func: u32, pc: u32) -> u32 {
        self.program
            .func(func)
            .and_then(|f| f.spans.get(pc as usize))
            .map(|s| s.line)
            .unwrap_or(0)
    }

    pub fn view(&self) -> RuntimeView {
        let ps = self
            .sched
            .allp
            .iter()
            .filter(|p| p.status != PStatus::Dead)
            .map(|p| PView {
                id: p.id,
                status: p.status,
                m: p.m,
                curg: p.curg,
                runnext: p.runnext,
                runq: p.runq.iter().take(RUNQ_SHOWN).copied().collect(),
                runq_len: p.runq.len(),
                schedtick: p.schedtick,
            })
            .collect();
        let mut counts = [0usize; 4];
        let mut goroutines = Vec::new();
        for g in self.goroutines() {
            let slot = match g.status {
                GStatus::Running => 0,
                GStatus::Runnable => 1,
                GStatus::Waiting => 2,
                GStatus::Syscall => 3,
                GStatus::Dead => continue,
            };
            counts[slot] += 1;
            if goroutines.len() < GOROUTINES_SHOWN {
                let (func, line) = g
                    .top()
                    .map(|f| {
                        let name = self
                            .program
                            .func(f.func)
                            .map(|fu| fu.name.to_string())
                            .unwrap_or_default();
                        (name, self.line_of(f.func, f.pc))
                    })
                    .unwrap_or_default();
                goroutines.push(GView {
                    id: g.id,
                    status: g.status,
                    wait: g.wait,
                    func,
                    line,
                    created_line: self.line_of(g.created_at.0, g.created_at.1),
                });
            }
        }
        let chans = self
            .store
            .chans
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let occupied: Vec<usize> = (0..c.count())
                    .map(|k| (c.recvx() + k) % c.cap().max(1))
                    .collect();
                ChanView {
                    id: i as u32,
                    cap: c.cap(),
                    slots: (0..c.cap())
                        .map(|s| occupied.contains(&s).then(|| c.slots()[s].to_string()))
                        .collect(),
                    sendx: c.sendx(),
                    recvx: c.recvx(),
                    count: c.count(),
                    sendq: c.sendq().iter().map(|w| w.g).collect(),
                    recvq: c.recvq().iter().map(|w| w.g).collect(),
                    closed: c.is_closed(),
                }
            })
            .collect();
        let mutexes = self
            .store
            .mutexes
            .iter()
            .enumerate()
            .map(|(i, m)| MutexView {
                id: i as u32,
                holder: m.holder(),
                waiters: m.waiters().iter().map(|w| w.g).collect(),
                starving: m.is_starving(),
            })
            .collect();
        RuntimeView {
            now: self.now,
            ps,
            global: self.sched.runq.iter().take(RUNQ_SHOWN).copied().collect(),
            global_len: self.sched.runq.len(),
            idle_ps: self.sched.pidle.clone(),
            ms: self
                .sched
                .allm
                .iter()
                .map(|m| MView {
                    id: m.id,
                    state: m.state,
                    p: m.p,
                })
                .collect(),
            goroutines,
            counts,
            chans,
            mutexes,
        }
    }
}
