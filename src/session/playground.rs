//! A Go program on the simulated runtime, behind the same step / back / seek / slice commands as a
//! lesson session: what the playground page drives. Pure: source text in, plain snapshots out.

use std::collections::VecDeque;
use std::rc::Rc;

use super::checkpoints::Checkpoints;
use crate::golang::GoError;
use crate::runtime::view::RuntimeView;
use crate::runtime::{Config, Runtime, StepWithin, TraceEvent};
use crate::sim::scenario::{Halt, Stepping};
use crate::sim::text::Lang;
use crate::sim::time::Nanos;

/// Narration lines kept for the log under the board.
pub const NARRATION_KEPT: usize = 40;
/// The whole run may take at most this many steps (the budget message says how to change it):
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
        })
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
        self.rt.halted().is_some() || self.rt.steps() >= MAX_STEPS
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
    }

    /// Up to `n` steps, or until about `max_ops` operations have run (a tight loop with nothing
    /// visible happening pauses between two steps); returns how many steps ran.
    pub fn run_within(&mut self, n: u64, max_ops: u64) -> u64 {
        let before = self.rt.steps();
        let ops0 = self.rt.ops_executed();
        let left = n.min(MAX_STEPS.saturating_sub(before));
        while self.rt.steps() - before < left && !self.finished() {
            let used = self.rt.ops_executed() - ops0;
            if used >= max_ops {
                break;
            }
            match self.rt.step_within(max_ops - used) {
                StepWithin::Event(ev) => {
                    self.remember(ev);
                    self.checkpoints.offer(&self.rt);
                }
                StepWithin::Paused | StepWithin::Halted => break,
            }
        }
        self.rt.steps() - before
    }

    /// Up to `n` steps; returns how many ran.
    pub fn run(&mut self, n: u64) -> u64 {
        self.run_within(n, u64::MAX)
    }

    /// Exactly step `k` (backwards through a checkpoint and a replay).
    pub fn seek(&mut self, k: u64) {
        let k = k.min(MAX_STEPS);
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
        } else if self.rt.steps() >= MAX_STEPS && exit.is_none() {
            stderr = format!(
                "stopped after {MAX_STEPS} steps without the program finishing (the playground's step budget); gmplab go run has --max-steps for longer runs\n{}",
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

    #[test]
    fn a_compile_error_is_reported_at_its_line() {
        let errs = PlaygroundSession::new("package main\n\nfunc main() {\n\tx := 1\n}\n", 1, 1)
            .expect_err("x is unused");
        assert_eq!((errs[0].line, errs[0].col), (4, 2));
    }
}
