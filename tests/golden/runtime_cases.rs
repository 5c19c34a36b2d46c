// Pinned runtime runs, shared by tests/golden.rs (native) and tests/wasm.rs (headless Chromium): the
// same program and seed must reach the same final state hash after the same number of steps on both.
// After an intended change: GMPLAB_BLESS=1 cargo test --test golden prints the new values.

use std::rc::Rc;

use gmplab::runtime::build::ProgramBuilder;
use gmplab::runtime::ir::{Program, SyscallKind};
use gmplab::runtime::{Config, Runtime};
use gmplab::sim::scenario::Stepping;

pub struct RuntimeCase {
    pub name: &'static str,
    pub procs: u32,
    pub seed: u64,
    pub build: fn() -> Program,
    pub steps: u64,
    pub state_hash: u64,
    pub stdout: &'static str,
}

fn mixed() -> Program {
    let mut b = ProgramBuilder::new();
    let worker = b.declare("worker");
    b.define(worker, 4, |f| {
        let (jobs, m, cell, wg) = (f.param(0), f.param(1), f.param(2), f.param(3));
        let n = f.int(50);
        f.for_n(n, |f, _| {
            let j = f.recv(jobs);
            f.lock(m);
            f.incr(cell);
            f.unlock(m);
            f.op(gmplab::runtime::ir::Op::Compute { dur: j });
        });
        f.syscall_ns(30_000, SyscallKind::Fast);
        f.wg_add(wg, -1);
    });
    let hog = b.func("hog", 0, |f| f.compute_ns(12_000_000));
    let main = b.func("main", 0, |f| {
        let jobs = f.make_chan(8);
        let m = f.new_mutex();
        let cell = f.new_cell(0);
        let wg = f.new_waitgroup();
        f.wg_add(wg, 4);
        f.go(hog, &[]);
        let four = f.int(4);
        f.for_n(four, |f, _| f.go(worker, &[jobs, m, cell, wg]));
        let n = f.int(200);
        let thousand = f.int(1000);
        f.for_n(n, |f, i| {
            let d = f.bin(gmplab::runtime::ir::BinOp::Add, i, thousand);
            f.send(jobs, d);
        });
        f.wg_wait(wg);
        let v = f.load(cell);
        f.println(&[v]);
    });
    b.build(main)
}

pub const RUNTIME_CASES: &[RuntimeCase] = &[RuntimeCase {
    name: "mixed-4p-seed9",
    procs: 4,
    seed: 9,
    build: mixed,
    steps: 1333,
    state_hash: 0xeb5b_bb69_0c0d_4db1,
    stdout: "200\n",
}];

pub fn run_runtime_case(c: &RuntimeCase) -> (u64, u64, String) {
    let mut rt = Runtime::new(
        Rc::new((c.build)()),
        Config {
            gomaxprocs: c.procs,
            seed: c.seed,
            ..Config::default()
        },
    );
    while rt.step().is_some() {}
    if let Some(e) = rt.exit() {
        if e.code != 0 {
            return (rt.steps(), rt.state_hash(), e.stderr.clone());
        }
    }
    if let Some(gmplab::sim::scenario::Halt::Limit(m)) = rt.halted() {
        return (rt.steps(), rt.state_hash(), m.clone());
    }
    (rt.steps(), rt.state_hash(), rt.stdout().to_string())
}
