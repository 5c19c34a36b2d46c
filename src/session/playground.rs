//! A Go program on the simulated runtime, behind the same step / back / seek / slice commands as a
//! lesson session: what the playground page drives. Pure: source text in, plain snapshots out.

use std::collections::VecDeque;
use std::rc::Rc;

use super::budget::{Budget, Exceeded, Meter, DEFAULT_MAX_BYTES, MEMORY_CHECK_EVENTS};
use super::checkpoints::Checkpoints;
use crate::golang::GoError;
use crate::runtime::view::RuntimeView;
use crate::runtime::{Config, Runtime, StepWithin, TraceEvent};
use crate::sim::scenario::{Halt, Stepping};
use crate::sim::text::Lang;
use crate::sim::time::Nanos;

/// Narration lines kept for the log under the board.
pub const NARRATION_KEPT: usize = 40;
/// The step budget a run starts with (the page can raise it, `gmplab go run --max-steps` sets it):
/// enough for a million goroutines to be created, parked and woken (about 8.5 million steps).
pub const MAX_STEPS: u64 = 20_000_000;
/// Values a playground program's slices, maps and structs may hold (about 200 MB).
pub const MAX_HEAP_VALUES: u64 = 8 << 20;
/// Live goroutines allowed in the browser: the same budget as the CLI's.
pub const MAX_GOROUTINES: usize = crate::golang::run::DEFAULT_MAX_GOROUTINES;

#[derive(Clone, Debug)]
pub struct PlaygroundSession {
    rt: Runtime,
    start: Runtime,
    checkpoints: Checkpoints<Runtime>,
    /// Recent trace events with their step numbers, newest last.
    recent: VecDeque<(u64, TraceEvent)>,
    gomaxprocs: u32,
    seed: u64,
    meter: Meter,
}

/// What the page draws.
#[derive(Clone, Debug)]
pub struct PlaygroundSnapshot {
    pub step: u64,
    pub now: Nanos,
    pub view: RuntimeView,
    pub stdout: String,
    /// Go's stderr when the program failed (panic, fatal error), or the budget message.
    pub stderr: String,
    /// Exit status once finished: 0, 2 (panic or fatal error), 3 (a budget stopped it).
    pub exit: Option<i32>,
    /// The line a failure points at (the failing goroutine's current line), if any.
    pub error_line: Option<u32>,
    /// The budget the run used up, if that is what stopped it (the page offers to raise it).
    pub budget: Option<Exceeded>,
    /// Recent steps, newest last: (step, sentence).
    pub narration: Vec<(u64, String)>,
    pub state_hash: u64,
    /// Goroutines by state and each P's busy time, over virtual time.
    pub figures: Vec<crate::sim::figure::Figure>,
}

impl PlaygroundSession {
    /// Compiles `src`; compile errors come back in source order.
    pub fn new(src: &str, gomaxprocs: u32, seed: u64) -> Result<Self, Vec<GoError>> {
        let program = crate::golang::compile("main.go", src)?;
        let config = Config {
            gomaxprocs: gomaxprocs.clamp(1, 64),
            seed,
            max_goroutines: MAX_GOROUTINES,
            max_ops: 2_000_000_000,
            max_heap_values: MAX_HEAP_VALUES,
            ..Config::default()
        };
        let rt = Runtime::new(Rc::new(program), config);
        Ok(Self {
            checkpoints: Checkpoints::new(&rt),
            start: rt.clone(),
            rt,
            recent: VecDeque::new(),
            gomaxprocs,
            seed,
            meter: Meter::new(Self::default_budget()),
        })
    }

    /// The budget a run starts with: [`MAX_STEPS`] steps and the usual memory budget.
    pub fn default_budget() -> Budget {
        Budget {
            max_events: MAX_STEPS,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// The same session under another budget (tests use small ones).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.meter.set_budget(budget);
        self.check_budget();
        self
    }

    pub fn budget(&self) -> Budget {
        self.meter.budget()
    }

    /// Doubles the part of the budget the run used up, so it can go on; false if it had not.
    pub fn raise_budget(&mut self) -> bool {
        let raised = self.meter.raise();
        self.check_budget();
        raised
    }

    fn check_budget(&mut self) {
        let rt = &self.rt;
        self.meter
            .check(rt.steps(), rt.halted().is_some(), || rt.approx_bytes());
    }

    pub fn gomaxprocs(&self) -> u32 {
        self.gomaxprocs
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn steps(&self) -> u64 {
        self.rt.steps()
    }

    pub fn finished(&self) -> bool {
        self.rt.halted().is_some() || self.meter.exceeded().is_some()
    }

    fn remember(&mut self, ev: TraceEvent) {
        self.recent.push_back((self.rt.steps(), ev));
        while self.recent.len() > NARRATION_KEPT {
            self.recent.pop_front();
        }
    }

    /// One step.
    pub fn step(&mut self) {
        if self.finished() {
            return;
        }
        if let Some(ev) = self.rt.step() {
            self.remember(ev);
        }
        self.checkpoints.offer(&self.rt);
        self.check_budget();
    }

    /// Up to `n` steps, or until about `max_ops` operations have run (a tight loop with nothing
    /// visible happening pauses between two steps); returns how many steps ran.
    pub fn run_within(&mut self, n: u64, max_ops: u64) -> u64 {
        let before = self.rt.steps();
        let ops0 = self.rt.ops_executed();
        let left = n.min(self.meter.budget().max_events.saturating_sub(before));
        while self.rt.steps() - before < left && !self.finished() {
            let used = self.rt.ops_executed() - ops0;
            if used >= max_ops {
                break;
            }
            match self.rt.step_within(max_ops - used) {
                StepWithin::Event(ev) => {
                    self.remember(ev);
                    self.checkpoints.offer(&self.rt);
                    if self.rt.steps() % MEMORY_CHECK_EVENTS == 0 {
                        self.check_budget();
                    }
                }
                StepWithin::Paused | StepWithin::Halted => break,
            }
        }
        self.check_budget();
        self.rt.steps() - before
    }

    /// Up to `n` steps; returns how many ran.
    pub fn run(&mut self, n: u64) -> u64 {
        self.run_within(n, u64::MAX)
    }

    /// Exactly step `k` (backwards through a checkpoint and a replay).
    pub fn seek(&mut self, k: u64) {
        let k = k.min(self.meter.budget().max_events);
        if k < self.rt.steps() {
            self.recent.clear();
            let from = k.saturating_sub(NARRATION_KEPT as u64);
            self.checkpoints.seek(&mut self.rt, from);
            while self.rt.steps() < k {
                match self.rt.step() {
                    Some(ev) => self.remember(ev),
                    None => break,
                }
                self.checkpoints.offer(&self.rt);
            }
            self.check_budget();
        } else {
            let n = k - self.rt.steps();
            self.run(n);
        }
    }

    pub fn step_back(&mut self) {
        let k = self.rt.steps().saturating_sub(1);
        self.seek(k);
    }

    pub fn reset(&mut self) {
        self.rt = self.start.clone();
        self.recent.clear();
        self.check_budget();
    }

    pub fn state_hash(&self) -> u64 {
        self.rt.state_hash()
    }

    pub fn snapshot(&self, lang: Lang) -> PlaygroundSnapshot {
        let (stdout, mut stderr, mut exit) = (
            self.rt.stdout().to_string(),
            self.rt.exit().map(|e| e.stderr.clone()).unwrap_or_default(),
            self.rt.exit().map(|e| e.code),
        );
        if let Some(Halt::Limit(msg)) = self.rt.halted() {
            stderr = format!("{msg}\n{}", self.rt.goroutine_dump(None));
            exit = Some(3);
        } else if let (Some(e), None) = (self.meter.exceeded(), exit) {
            stderr = format!(
                "{}\n{}",
                e.playground_message(lang),
                self.rt.goroutine_dump(None)
            );
            exit = Some(3);
        }
        let view = self.rt.view();
        // A failure points at the line of the goroutine that failed: Go's dump lists it first.
        let error_line = (exit.unwrap_or(0) != 0)
            .then(|| first_dump_line(&stderr))
            .flatten();
        PlaygroundSnapshot {
            step: self.rt.steps(),
            now: self.rt.now(),
            view,
            stdout,
            stderr,
            exit,
            error_line,
            budget: self.meter.exceeded(),
            narration: self
                .recent
                .iter()
                .map(|(s, ev)| (*s, ev.narrate(lang)))
                .collect(),
            state_hash: self.rt.state_hash(),
            figures: vec![
                self.rt.metrics().goroutines_figure(self.rt.now()),
                self.rt.metrics().procs_figure(self.rt.now()),
            ],
        }
    }
}

/// The line in the first `main.go:N` of a goroutine dump.
fn first_dump_line(stderr: &str) -> Option<u32> {
    stderr.lines().find_map(|l| {
        l.trim()
            .strip_prefix("main.go:")
            .and_then(|n| n.split_whitespace().next())
            .and_then(|n| n.parse().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLOCK: &str = "package main\n\nfunc main() {\n\tch := make(chan int)\n\tch <- 1\n}\n";

    #[test]
    fn a_deadlock_ends_the_run_with_gos_message_at_the_blocked_line() {
        let mut s = PlaygroundSession::new(DEADLOCK, 2, 1).expect("compiles");
        s.run(10_000);
        let snap = s.snapshot(Lang::En);
        assert_eq!(snap.exit, Some(2));
        assert!(snap
            .stderr
            .starts_with("fatal error: all goroutines are asleep - deadlock!"));
        assert_eq!(snap.error_line, Some(5));
    }

    #[test]
    fn stepping_forward_then_back_reaches_the_same_state_as_stepping_to_it() {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/go/programs/pattern_worker_pool.go"
        ))
        .expect("readable");
        let mut a = PlaygroundSession::new(&src, 4, 3).expect("compiles");
        let mut b = a.clone();
        a.seek(300);
        a.seek(120);
        b.run(120);
        assert_eq!(a.steps(), 120);
        assert_eq!(a.state_hash(), b.state_hash());
        assert_eq!(
            a.snapshot(Lang::En).narration,
            b.snapshot(Lang::En).narration
        );
    }

    #[test]
    fn a_run_that_ends_in_one_slice_still_narrates_its_last_steps() {
        let mut s = PlaygroundSession::new(DEADLOCK, 2, 1).expect("compiles");
        s.run(2_000);
        let snap = s.snapshot(Lang::En);
        assert!(!snap.narration.is_empty());
        assert_eq!(snap.narration.last().map(|(n, _)| *n), Some(snap.step));
    }

    #[test]
    fn a_tight_loop_pauses_between_steps_within_its_operation_budget() {
        let src = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t\tif n < 0 {\n\t\t\tfmt.Println(n)\n\t\t}\n\t}\n}\n";
        let mut s = PlaygroundSession::new(src, 1, 1).expect("compiles");
        let mut paused = 0;
        for _ in 0..20 {
            let before = s.rt.ops_executed();
            s.run_within(1_000, 100_000);
            // One batch of local operations may run past the budget, never much more.
            assert!(s.rt.ops_executed() - before < 100_000 + 1_000);
            paused += 1;
        }
        assert_eq!(paused, 20);
        assert!(!s.finished());
    }

    /// Two goroutines passing a value back and forth for ever.
    const PING_PONG_FOREVER: &str = "package main\n\nfunc main() {\n\tc := make(chan int)\n\tgo func() {\n\t\tfor {\n\t\t\tc <- <-c + 1\n\t\t}\n\t}()\n\tfor {\n\t\tc <- 1\n\t\t<-c\n\t}\n}\n";

    #[test]
    fn a_program_that_never_ends_stops_at_the_step_budget_and_can_be_raised() {
        let budget = Budget {
            max_events: 1_000,
            max_bytes: DEFAULT_MAX_BYTES,
        };
        let mut s = PlaygroundSession::new(PING_PONG_FOREVER, 2, 1)
            .expect("compiles")
            .with_budget(budget);
        s.run(u64::MAX);
        assert_eq!(s.steps(), 1_000);
        assert!(s.finished());
        let snap = s.snapshot(Lang::En);
        assert_eq!(snap.exit, Some(3));
        assert_eq!(snap.budget, Some(Exceeded::Events { limit: 1_000 }));
        assert!(
            snap.stderr.starts_with("stopped after 1,000 steps"),
            "{}",
            snap.stderr
        );
        assert!(snap.stderr.contains("Raise the budget") && snap.stderr.contains("--max-steps"));
        // Nothing goes past it until it is raised; raised, the run goes on exactly.
        s.step();
        s.seek(5_000);
        assert_eq!(s.steps(), 1_000);
        assert!(s.raise_budget());
        assert_eq!(s.budget().max_events, 2_000);
        s.run(u64::MAX);
        assert_eq!(s.steps(), 2_000);
        let mut straight = PlaygroundSession::new(PING_PONG_FOREVER, 2, 1).expect("compiles");
        straight.run(2_000);
        assert_eq!(s.state_hash(), straight.state_hash());
        assert_eq!(
            s.snapshot(Lang::Zh).budget,
            Some(Exceeded::Events { limit: 2_000 })
        );
        assert!(s.snapshot(Lang::Zh).stderr.contains("步数预算"));
    }

    #[test]
    fn a_program_that_grows_without_end_stops_at_the_memory_budget() {
        // Every goroutine it starts stays parked: the state grows by one goroutine per step or so.
        let src = "package main\n\nfunc main() {\n\tc := make(chan int)\n\tfor {\n\t\tgo func() {\n\t\t\t<-c\n\t\t}()\n\t}\n}\n";
        let budget = Budget {
            max_events: u64::MAX,
            max_bytes: 8 << 20,
        };
        let mut s = PlaygroundSession::new(src, 1, 1)
            .expect("compiles")
            .with_budget(budget);
        s.run(5_000_000);
        let snap = s.snapshot(Lang::En);
        assert!(
            matches!(snap.budget, Some(Exceeded::Memory { limit, used }) if limit == 8 << 20 && used > limit),
            "{:?}: {}",
            snap.budget,
            snap.stderr
        );
        assert_eq!(snap.step % MEMORY_CHECK_EVENTS, 0);
        assert!(
            snap.stderr.contains("memory budget of 8.0 MiB"),
            "{}",
            snap.stderr
        );
        assert_eq!(snap.exit, Some(3));
    }

    #[test]
    fn a_compile_error_is_reported_at_its_line() {
        let errs = PlaygroundSession::new("package main\n\nfunc main() {\n\tx := 1\n}\n", 1, 1)
            .expect_err("x is unused");
        assert_eq!((errs[0].line, errs[0].col), (4, 2));
    }
}
