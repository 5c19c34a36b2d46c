//! Running a Go program headless to the end, as `go run` would: its stdout, its stderr in Go's
//! words, and its exit status. A program that never ends stops at the event budget with a message
//! that says so and where each goroutine was.

use std::rc::Rc;

use crate::runtime::{Config, Runtime};
use crate::sim::scenario::{Halt, RunOutcome, Stepping};

/// Default budget of trace events for one run (a busy-looping program reaches it in seconds).
/// Live goroutines a run may have (a runaway spawner stops here): 2^20, so a program may park a
/// round million goroutines and still have its main goroutine.
pub const DEFAULT_MAX_GOROUTINES: usize = 1 << 20;
pub const DEFAULT_MAX_STEPS: u64 = 50_000_000;

/// Default budget of executed operations (about ten seconds of work natively).
pub const DEFAULT_MAX_OPS: u64 = 400_000_000;

/// How a run is set up.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub seed: u64,
    pub gomaxprocs: u32,
    pub max_steps: u64,
    /// Operations the program may execute (a busy loop that never yields stops here).
    pub max_ops: u64,
    /// Live goroutines allowed at once (a runaway spawner stops here).
    pub max_goroutines: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            seed: 1,
            gomaxprocs: 4,
            max_steps: DEFAULT_MAX_STEPS,
            max_ops: DEFAULT_MAX_OPS,
            max_goroutines: DEFAULT_MAX_GOROUTINES,
        }
    }
}

/// What a finished (or stopped) run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    /// 0 on success, 2 for a panic or fatal error (as Go), 1 for a compile error, 3 when a budget
    /// stopped the run.
    pub code: i32,
    /// Trace events the run took.
    pub steps: u64,
    /// Virtual nanoseconds at the end.
    pub elapsed_ns: u64,
}

/// Compiles and runs `src`.
pub fn run_source(name: &str, src: &str, opts: &RunOptions) -> RunResult {
    let program = match super::compile(name, src) {
        Ok(p) => p,
        Err(errs) => {
            let mut stderr = String::from("# command-line-arguments\n");
            for e in errs.iter().take(10) {
                stderr.push_str(&format!("./{e}\n"));
            }
            return RunResult {
                stdout: String::new(),
                stderr,
                code: 1,
                steps: 0,
                elapsed_ns: 0,
            };
        }
    };
    let config = Config {
        gomaxprocs: opts.gomaxprocs.clamp(1, 256),
        seed: opts.seed,
        max_ops: opts.max_ops,
        max_goroutines: opts.max_goroutines,
        ..Config::default()
    };
    let mut rt = Runtime::new(Rc::new(program), config);
    let outcome = rt.run_until(u64::MAX, opts.max_steps);
    let (code, stderr) = match (outcome, rt.exit(), rt.halted()) {
        (_, Some(exit), _) => (exit.code, exit.stderr.clone()),
        (RunOutcome::Budget, _, _) => (
            3,
            format!(
                "gmplab: stopped after {} steps ({} of simulated time) without the program finishing; raise the budget with --max-steps if it should end\n{}",
                rt.steps(),
                crate::runtime::fmt::duration_text(rt.now() as i64),
                rt.goroutine_dump(None)
            ),
        ),
        (_, None, Some(Halt::Limit(msg))) => (
            3,
            format!(
                "gmplab: {msg}; if the program should end, the step, operation and goroutine budgets can be raised with --max-steps, --max-ops and --max-goroutines\n{}",
                rt.goroutine_dump(None)
            ),
        ),
        _ => (3, "gmplab: the run stopped without an exit\n".to_string()),
    };
    RunResult {
        stdout: rt.stdout().to_string(),
        stderr: format!("{}{stderr}", rt.stderr_prints()),
        code,
        steps: rt.steps(),
        elapsed_ns: rt.now(),
    }
}
