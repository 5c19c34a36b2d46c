//! Why a Go program is stuck, in the learner's words: from the runtime's view (what the board draws),
//! each blocked goroutine and what it waits for, ordered along the wait-for chain. A goroutine parked
//! on a mutex waits for the mutex's holder; one parked on a channel waits for a goroutine that could
//! send (or receive), and when every live goroutine is blocked there is none, which closes the cycle.
//! Names are the board's (`G3`, `mutex#0`, `chan#1`), so the sentence and the board agree.

use crate::runtime::g::{GStatus, GoId, WaitReason};
use crate::runtime::view::RuntimeView;
use crate::sim::text::Lang;

/// What one blocked goroutine waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitsFor {
    /// A mutex and its holder (none if it was unlocked but the waiter has not been woken).
    Mutex { id: u32, holder: Option<GoId> },
    /// A receive on a channel: it needs a sender.
    Recv { chan: u32 },
    /// A send on a channel: it needs a receiver (or buffer room).
    Send { chan: u32 },
    /// Anything else the view names only by Go's wait reason (select, WaitGroup, nil channel).
    Other(WaitReason),
}

/// One blocked goroutine, with the line it is blocked at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub g: GoId,
    pub line: u32,
    pub waits_for: WaitsFor,
}

/// The explanation of a stuck program: the blocked goroutines along the wait-for chain (a
/// goroutine's holder comes right after it), and the lines involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stuck {
    pub chain: Vec<Blocked>,
}

/// The explanation when every live goroutine is blocked (what Go reports as "all goroutines are
/// asleep"), else `None`. Sleeping goroutines are not stuck: a timer will wake them.
pub fn explain(view: &RuntimeView) -> Option<Stuck> {
    let live: Vec<_> = view
        .goroutines
        .iter()
        .filter(|g| g.status != GStatus::Dead)
        .collect();
    if live.is_empty()
        || live
            .iter()
            .any(|g| g.status != GStatus::Waiting || g.wait == Some(WaitReason::Sleep))
    {
        return None;
    }
    let waits_for = |g: GoId, reason: Option<WaitReason>| -> WaitsFor {
        if let Some(m) = view.mutexes.iter().find(|m| m.waiters.contains(&g)) {
            return WaitsFor::Mutex {
                id: m.id,
                holder: m.holder,
            };
        }
        if let Some(c) = view.chans.iter().find(|c| c.recvq.contains(&g)) {
            return WaitsFor::Recv { chan: c.id };
        }
        if let Some(c) = view.chans.iter().find(|c| c.sendq.contains(&g)) {
            return WaitsFor::Send { chan: c.id };
        }
        WaitsFor::Other(reason.unwrap_or(WaitReason::SelectNoCases))
    };
    let blocked: Vec<Blocked> = live
        .iter()
        .map(|g| Blocked {
            g: g.id,
            line: g.line,
            waits_for: waits_for(g.id, g.wait),
        })
        .collect();
    // Order along the chain: start from a goroutine nobody waits on through a mutex (the head of a
    // chain), follow holders; then whatever is left, in id order.
    let held_by = |b: &Blocked| match b.waits_for {
        WaitsFor::Mutex { holder, .. } => holder,
        _ => None,
    };
    let mut chain: Vec<Blocked> = Vec::new();
    let mut starts: Vec<&Blocked> = blocked
        .iter()
        .filter(|b| !blocked.iter().any(|o| held_by(o) == Some(b.g)))
        .collect();
    starts.extend(blocked.iter());
    for start in starts {
        let mut cur = Some(start);
        while let Some(b) = cur {
            if chain.iter().any(|c| c.g == b.g) {
                break;
            }
            chain.push(b.clone());
            cur = held_by(b).and_then(|h| blocked.iter().find(|o| o.g == h));
        }
    }
    Some(Stuck { chain })
}

impl Stuck {
    /// One sentence per blocked goroutine, then why nobody can move: "G2 waits for mutex#0, held by
    /// G3 (line 14)."
    pub fn sentences(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        let mut out: Vec<String> = self
            .chain
            .iter()
            .map(|b| {
                let g = format!("G{}", b.g);
                let at = if zh {
                    format!("(第 {} 行)", b.line)
                } else {
                    format!(" (line {})", b.line)
                };
                match (&b.waits_for, zh) {
                    (
                        WaitsFor::Mutex {
                            id,
                            holder: Some(h),
                        },
                        false,
                    ) => {
                        format!("{g} waits for mutex#{id}, held by G{h}{at}.")
                    }
                    (
                        WaitsFor::Mutex {
                            id,
                            holder: Some(h),
                        },
                        true,
                    ) => {
                        format!("{g} 在等 mutex#{id},它被 G{h} 持有{at}。")
                    }
                    (WaitsFor::Mutex { id, holder: None }, false) => {
                        format!("{g} waits for mutex#{id}{at}.")
                    }
                    (WaitsFor::Mutex { id, holder: None }, true) => {
                        format!("{g} 在等 mutex#{id}{at}。")
                    }
                    (WaitsFor::Recv { chan }, false) => format!(
                        "{g} waits to receive on chan#{chan}{at}: it needs a goroutine to send."
                    ),
                    (WaitsFor::Recv { chan }, true) => {
                        format!("{g} 在等从 chan#{chan} 接收{at}:需要有 goroutine 往里发送。")
                    }
                    (WaitsFor::Send { chan }, false) => format!(
                        "{g} waits to send on chan#{chan}{at}: it needs a goroutine to receive."
                    ),
                    (WaitsFor::Send { chan }, true) => {
                        format!("{g} 在等向 chan#{chan} 发送{at}:需要有 goroutine 来接收。")
                    }
                    (WaitsFor::Other(r), false) => format!("{g} waits in {}{at}.", r.go_name()),
                    (WaitsFor::Other(r), true) => format!("{g} 阻塞在 {}{at}。", r.go_name()),
                }
            })
            .collect();
        out.push(if zh {
            "所有 goroutine 都在等别人,没有一个能继续运行,所以谁也等不到:这就是死锁,Go 报告 “all goroutines are asleep”。".into()
        } else {
            "Every goroutine is waiting for another, and none can run to give it what it waits for: that is the deadlock Go reports as \"all goroutines are asleep\".".into()
        });
        out
    }

    /// The source lines the blocked goroutines are stopped at, in chain order without repeats.
    pub fn lines(&self) -> Vec<u32> {
        let mut v: Vec<u32> = Vec::new();
        for b in &self.chain {
            if b.line > 0 && !v.contains(&b.line) {
                v.push(b.line);
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::view::{ChanView, GView, MutexView};

    fn g(id: GoId, wait: WaitReason, line: u32) -> GView {
        GView {
            id,
            status: GStatus::Waiting,
            wait: Some(wait),
            func: "main.main".into(),
            line,
            created_line: 0,
        }
    }

    fn view(goroutines: Vec<GView>, chans: Vec<ChanView>, mutexes: Vec<MutexView>) -> RuntimeView {
        RuntimeView {
            now: 0,
            ps: Vec::new(),
            global: Vec::new(),
            global_len: 0,
            idle_ps: Vec::new(),
            ms: Vec::new(),
            goroutines,
            counts: [0; 4],
            chans,
            mutexes,
        }
    }

    fn chan(id: u32, recvq: Vec<GoId>) -> ChanView {
        ChanView {
            id,
            cap: 0,
            slots: Vec::new(),
            sendx: 0,
            recvx: 0,
            count: 0,
            sendq: Vec::new(),
            recvq,
            closed: false,
        }
    }

    #[test]
    fn a_mutex_holder_blocked_on_a_channel_is_explained_along_the_chain() {
        // G2 waits for mu held by G3; G3 waits to receive on ch.
        let v = view(
            vec![
                g(2, WaitReason::MutexLock, 12),
                g(3, WaitReason::ChanReceive, 20),
            ],
            vec![chan(0, vec![3])],
            vec![MutexView {
                id: 0,
                holder: Some(3),
                waiters: vec![2],
                starving: false,
            }],
        );
        let s = explain(&v).expect("every goroutine is blocked");
        let order: Vec<GoId> = s.chain.iter().map(|b| b.g).collect();
        assert_eq!(order, vec![2, 3]);
        let text = s.sentences(Lang::En);
        assert_eq!(text[0], "G2 waits for mutex#0, held by G3 (line 12).");
        assert!(text[1].starts_with("G3 waits to receive on chan#0 (line 20)"));
        assert_eq!(s.lines(), vec![12, 20]);
    }

    #[test]
    fn a_program_with_a_goroutine_that_can_run_or_sleeps_is_not_stuck() {
        let mut running = g(1, WaitReason::ChanSend, 7);
        running.status = GStatus::Runnable;
        running.wait = None;
        assert_eq!(explain(&view(vec![running], Vec::new(), Vec::new())), None);
        assert_eq!(
            explain(&view(
                vec![g(1, WaitReason::Sleep, 3)],
                Vec::new(),
                Vec::new()
            )),
            None
        );
    }
}
