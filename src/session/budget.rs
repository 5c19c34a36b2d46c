//! Every run's event and memory budget.
//!
//! Models keep their own limits where a parameter makes sense of them (the flash sale's requests in
//! flight, a Go program's goroutines), but a run that is merely long or large must stop too, whatever
//! its model: a page that runs a lesson for an hour, or grows a queue until the tab is killed, loses
//! the learner's place. The session enforces this budget from outside the model, so stopping is never
//! part of the simulation: raising the budget and going on reaches exactly the state an unbudgeted run
//! would have reached.

use crate::sim::text::Lang;

/// Events a run may execute before it stops and says so. At the engine's usual 5 to 25 million
/// events a second this is half a minute to two minutes of work, far beyond any built-in lesson's
/// longest run (the flash sale at its peak: 9 million).
pub const DEFAULT_MAX_EVENTS: u64 = 500_000_000;
/// Bytes the model's state may hold (as its own estimate counts them). Browsers give a tab a few
/// GiB at most; checkpoints for step back take up to another 256 MiB beside this.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;
/// The state's size is measured at most this many events apart (measuring a large Go heap walks it).
pub const MEMORY_CHECK_EVENTS: u64 = 1 << 16;

/// The limits one run must stay within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub max_events: u64,
    pub max_bytes: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            max_events: DEFAULT_MAX_EVENTS,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A budget and whether the run has used it up: what each kind of session keeps beside its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meter {
    budget: Budget,
    exceeded: Option<Exceeded>,
}

impl Meter {
    pub fn new(budget: Budget) -> Self {
        Self {
            budget,
            exceeded: None,
        }
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// The budget the run used up, if it did.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }

    /// Replaces the budget; the next [`Meter::check`] judges the run against it.
    pub fn set_budget(&mut self, budget: Budget) {
        self.budget = budget;
    }

    /// Doubles the part of the budget the run used up; false if it had not. The caller re-checks.
    pub fn raise(&mut self) -> bool {
        match self.exceeded {
            Some(e) => {
                self.budget = self.budget.raised(e);
                true
            }
            None => false,
        }
    }

    /// Measures a run at `step`. Its size (`bytes`, which may walk a large state) is asked for only
    /// on multiples of [`MEMORY_CHECK_EVENTS`], so the step a run stops at is the same however its
    /// front end sliced the work. A run that has `ended` by itself (on the budget's last event, say)
    /// used up nothing.
    pub fn check(&mut self, step: u64, ended: bool, bytes: impl FnOnce() -> usize) {
        if ended {
            self.exceeded = None;
            return;
        }
        let bytes = (step % MEMORY_CHECK_EVENTS == 0).then(|| bytes() as u64);
        self.exceeded = self.budget.check(step, bytes);
    }

    /// Events that may run from `step` before the next check is due: to the event budget or the
    /// next memory check, whichever comes first.
    pub fn room(&self, step: u64) -> u64 {
        let to_check = MEMORY_CHECK_EVENTS - step % MEMORY_CHECK_EVENTS;
        self.budget.max_events.saturating_sub(step).min(to_check)
    }
}

/// Which budget a run used up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    /// It executed `limit` events without finishing.
    Events { limit: u64 },
    /// Its state grew to `used` bytes, over `limit`.
    Memory { limit: u64, used: u64 },
}

impl Budget {
    /// The default budget with another event limit.
    pub fn events(max_events: u64) -> Budget {
        Budget {
            max_events,
            ..Budget::default()
        }
    }

    /// The budget with the part that was exceeded doubled (saturating), so a learner who asks to go
    /// on gets as much again as the run has already had.
    pub fn raised(self, by: Exceeded) -> Budget {
        match by {
            Exceeded::Events { .. } => Budget {
                max_events: self.max_events.saturating_mul(2).max(1),
                ..self
            },
            Exceeded::Memory { used, .. } => Budget {
                max_bytes: self.max_bytes.max(used).saturating_mul(2).max(1),
                ..self
            },
        }
    }

    /// Whether `steps` executed events or a state of `bytes` (when measured) breaks this budget.
    pub fn check(&self, steps: u64, bytes: Option<u64>) -> Option<Exceeded> {
        if steps >= self.max_events {
            return Some(Exceeded::Events {
                limit: self.max_events,
            });
        }
        match bytes {
            Some(used) if used > self.max_bytes => Some(Exceeded::Memory {
                limit: self.max_bytes,
                used,
            }),
            _ => None,
        }
    }
}

impl Exceeded {
    /// What stopped the run and how to raise the budget, in the learner's language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Exceeded::Events { limit }, Lang::En) => format!(
                "Stopped after {} events, this run's event budget. Raise it with “Raise the budget” \
                 on the page or --max-events in the CLI, or make the run shorter.",
                group(*limit)
            ),
            (Exceeded::Events { limit }, Lang::Zh) => format!(
                "已执行 {} 个事件，达到本次运行的事件预算，已停止。可在页面上点“提高预算”，\
                 或在命令行用 --max-events 提高预算；也可以缩短运行。",
                group(*limit)
            ),
            (Exceeded::Memory { limit, used }, Lang::En) => format!(
                "Stopped: the model's state grew to {} MiB, over this run's memory budget of {} MiB. \
                 Raise it with “Raise the budget” on the page or --max-memory-mb in the CLI, or \
                 lower the load so fewer requests wait.",
                mib(*used),
                mib(*limit)
            ),
            (Exceeded::Memory { limit, used }, Lang::Zh) => format!(
                "已停止：模型状态增长到 {} MiB，超过本次运行的内存预算 {} MiB。可在页面上点“提高预算”，\
                 或在命令行用 --max-memory-mb 提高预算；也可以降低负载，让排队的请求少一些。",
                mib(*used),
                mib(*limit)
            ),
        }
    }
}

impl Exceeded {
    /// The same, in the playground's words: a Go program takes steps, and the CLI that runs one
    /// longer is `gmplab go run`.
    pub fn playground_message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Exceeded::Events { limit }, Lang::En) => format!(
                "stopped after {} steps without the program finishing (the playground's step \
                 budget); raise it with “Raise the budget”, or run the program with \
                 gmplab go run --max-steps",
                group(*limit)
            ),
            (Exceeded::Events { limit }, Lang::Zh) => format!(
                "程序执行了 {} 步仍未结束，达到 playground 的步数预算，已停止；可点“提高预算”，\
                 或用 gmplab go run --max-steps 运行",
                group(*limit)
            ),
            (Exceeded::Memory { limit, used }, Lang::En) => format!(
                "stopped: the program's state grew to {} MiB, over the playground's memory budget \
                 of {} MiB; raise it with “Raise the budget”, or run the program with gmplab go run",
                mib(*used),
                mib(*limit)
            ),
            (Exceeded::Memory { limit, used }, Lang::Zh) => format!(
                "已停止：程序状态增长到 {} MiB，超过 playground 的内存预算 {} MiB；可点“提高预算”，\
                 或用 gmplab go run 运行",
                mib(*used),
                mib(*limit)
            ),
        }
    }
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(bytes: u64) -> String {
    let m = bytes as f64 / (1u64 << 20) as f64;
    if m >= 10.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_before_memory_and_memory_only_when_measured() {
        let b = Budget {
            max_events: 10,
            max_bytes: 100,
        };
        assert_eq!(b.check(9, None), None);
        assert_eq!(b.check(9, Some(100)), None);
        assert_eq!(
            b.check(9, Some(101)),
            Some(Exceeded::Memory {
                limit: 100,
                used: 101
            })
        );
        assert_eq!(b.check(10, Some(101)), Some(Exceeded::Events { limit: 10 }));
    }

    #[test]
    fn a_run_that_ends_on_its_last_budgeted_event_has_finished_not_stopped() {
        let mut m = Meter::new(Budget::events(10));
        m.check(10, false, || 0);
        assert_eq!(m.exceeded(), Some(Exceeded::Events { limit: 10 }));
        m.check(10, true, || 0);
        assert_eq!(m.exceeded(), None);
        assert!(!m.raise(), "nothing to raise");
    }

    #[test]
    fn memory_is_measured_only_on_check_steps() {
        let mut m = Meter::new(Budget {
            max_events: u64::MAX,
            max_bytes: 100,
        });
        m.check(MEMORY_CHECK_EVENTS + 1, false, || {
            unreachable!("not a check step")
        });
        assert_eq!(m.exceeded(), None);
        m.check(2 * MEMORY_CHECK_EVENTS, false, || 101);
        assert!(matches!(
            m.exceeded(),
            Some(Exceeded::Memory { used: 101, .. })
        ));
        assert_eq!(m.room(2 * MEMORY_CHECK_EVENTS + 5), MEMORY_CHECK_EVENTS - 5);
    }

    #[test]
    fn raising_doubles_only_the_part_that_was_exceeded() {
        let b = Budget {
            max_events: 10,
            max_bytes: 100,
        };
        let e = b.raised(Exceeded::Events { limit: 10 });
        assert_eq!((e.max_events, e.max_bytes), (20, 100));
        // Memory doubles from what the state reached, so one raise is always enough to go on.
        let m = b.raised(Exceeded::Memory {
            limit: 100,
            used: 150,
        });
        assert_eq!((m.max_events, m.max_bytes), (10, 300));
        let huge = Budget {
            max_events: u64::MAX,
            max_bytes: u64::MAX,
        };
        assert_eq!(huge.raised(Exceeded::Events { limit: u64::MAX }), huge);
    }

    #[test]
    fn messages_name_the_budget_and_how_to_raise_it_in_both_languages() {
        let e = Exceeded::Events { limit: 500_000_000 };
        let en = e.message(Lang::En);
        assert!(en.contains("500,000,000 events") && en.contains("event budget"));
        assert!(en.contains("Raise the budget") && en.contains("--max-events"));
        let zh = e.message(Lang::Zh);
        assert!(zh.contains("事件预算") && zh.contains("提高预算") && zh.contains("--max-events"));
        let m = Exceeded::Memory {
            limit: 1 << 30,
            used: 1100 << 20,
        };
        let en = m.message(Lang::En);
        assert!(en.contains("1100 MiB") && en.contains("1024 MiB") && en.contains("memory budget"));
        assert!(en.contains("--max-memory-mb"));
        assert!(m.message(Lang::Zh).contains("内存预算"));
    }
}
