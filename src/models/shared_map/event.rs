//! What one step of the shared map did, and how to say it to a learner.

use crate::sim::text::Lang;
use crate::sim::time::{to_secs, Nanos};

use super::model::OpKind;

/// One step: what goroutine `g` did at `at`.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedMapEvent {
    pub at: Nanos,
    pub g: usize,
    pub what: Step,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Began {
        op: OpKind,
        lock_free: bool,
    },
    Queued {
        op: OpKind,
        lock: usize,
    },
    Finished {
        op: OpKind,
        latency: Nanos,
        woke: usize,
    },
}

impl SharedMapEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let t = to_secs(self.at) * 1e6;
        let zh = lang == Lang::Zh;
        let op = |o: OpKind| match (o, zh) {
            (OpKind::Read, false) => "a read",
            (OpKind::Update, false) => "an update",
            (OpKind::Insert, false) => "an insert of a new key",
            (OpKind::Read, true) => "一次读",
            (OpKind::Update, true) => "一次更新",
            (OpKind::Insert, true) => "一次插入新键",
        };
        let g = self.g;
        match (&self.what, zh) {
            (
                Step::Began {
                    op: o,
                    lock_free: true,
                },
                false,
            ) => {
                format!("{t:.2} µs: G{g} did {} without taking a lock.", op(*o))
            }
            (Step::Began { op: o, .. }, false) => {
                format!("{t:.2} µs: G{g} took the lock for {}.", op(*o))
            }
            (Step::Queued { op: o, lock }, false) => {
                format!("{t:.2} µs: G{g} waits for lock {lock} to do {}.", op(*o))
            }
            (
                Step::Finished {
                    op: o,
                    latency,
                    woke,
                },
                false,
            ) => format!(
                "{t:.2} µs: G{g} finished {} in {latency} ns{}.",
                op(*o),
                if *woke > 0 {
                    format!(" and woke {woke} waiting")
                } else {
                    String::new()
                }
            ),
            (
                Step::Began {
                    op: o,
                    lock_free: true,
                },
                true,
            ) => format!("{t:.2} µs:G{g} 不加锁完成了{}。", op(*o)),
            (Step::Began { op: o, .. }, true) => format!("{t:.2} µs:G{g} 拿到锁,开始{}。", op(*o)),
            (Step::Queued { op: o, lock }, true) => {
                format!("{t:.2} µs:G{g} 为了{}等待锁 {lock}。", op(*o))
            }
            (
                Step::Finished {
                    op: o,
                    latency,
                    woke,
                },
                true,
            ) => format!(
                "{t:.2} µs:G{g} 用 {latency} ns 完成了{}{}。",
                op(*o),
                if *woke > 0 {
                    format!(",并唤醒了 {woke} 个等待者")
                } else {
                    String::new()
                }
            ),
        }
    }
}
