//! Helpers for runtime tests: run a built program to the end and look at what happened.

#![allow(dead_code)]

use std::rc::Rc;

use gmplab::runtime::build::ProgramBuilder;
use gmplab::runtime::ir::FuncId;
use gmplab::runtime::{Config, Runtime, TraceEvent};
use gmplab::sim::scenario::Stepping;

pub struct Run {
    pub rt: Runtime,
    pub trace: Vec<TraceEvent>,
}

impl Run {
    pub fn stdout(&self) -> &str {
        self.rt.stdout()
    }
    pub fn code(&self) -> i32 {
        self.rt.exit().map(|e| e.code).unwrap_or(-1)
    }
    pub fn stderr(&self) -> &str {
        self.rt.exit().map(|e| e.stderr.as_str()).unwrap_or("")
    }
    pub fn count(&self, pred: impl Fn(&TraceEvent) -> bool) -> usize {
        self.trace.iter().filter(|e| pred(e)).count()
    }
    pub fn count_in(
        &self,
        range: std::ops::RangeTo<usize>,
        pred: impl Fn(&TraceEvent) -> bool,
    ) -> usize {
        self.trace[range].iter().filter(|e| pred(e)).count()
    }
}

/// Builds a program with `build` (which returns main) and runs it to the end.
pub fn run(procs: u32, seed: u64, build: impl FnOnce(&mut ProgramBuilder) -> FuncId) -> Run {
    let mut b = ProgramBuilder::new();
    let main = build(&mut b);
    let program = Rc::new(b.build(main));
    let mut rt = Runtime::new(
        program,
        Config {
            gomaxprocs: procs,
            seed,
            ..Config::default()
        },
    );
    let mut trace = Vec::new();
    while let Some(ev) = rt.step() {
        trace.push(ev);
        assert!(trace.len() < 5_000_000, "runaway test program");
    }
    Run { rt, trace }
}

/// Runs and checks stdout and exit status.
pub fn check_program(
    procs: u32,
    build: impl FnOnce(&mut ProgramBuilder) -> FuncId,
    stdout: &str,
    code: i32,
) -> Run {
    let r = run(procs, 1, build);
    assert_eq!(r.stdout(), stdout, "stderr: {}", r.stderr());
    assert_eq!(r.code(), code, "stderr: {}", r.stderr());
    r
}
