// Pinned runtime runs, shared by tests/golden.rs (native) and tests/wasm.rs (headless Chromium): the
// same program and seed must reach the same final state hash after the same number of steps on both.
// The `go:` cases are conformance programs compiled by the Go front end in each target, so the
// compiler, the runtime and fmt are all checked for determinism across targets.
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

/// A Go program from the conformance suite, compiled by the Go front end.
fn go(src: &str) -> Program {
    match gmplab::golang::compile("main.go", src) {
        Ok(p) => p,
        Err(e) => panic!("{}", e[0]),
    }
}

fn sieve() -> Program {
    go(include_str!("../go/programs/pattern_prime_sieve.go"))
}
fn worker_pool() -> Program {
    go(include_str!("../go/programs/pattern_worker_pool.go"))
}
fn fairness() -> Program {
    go(include_str!("../go/programs/select_fairness_counts.go"))
}
fn leak() -> Program {
    go(include_str!("../go/programs/leak_blocked_senders.go"))
}
fn deadline_chain() -> Program {
    go(include_str!("../go/programs/context_deadline_chain.go"))
}
fn racy_counter() -> Program {
    go(include_str!(
        "../go/programs/unsynchronized_counter_vary.go"
    ))
}
fn maps() -> Program {
    go(include_str!("../go/programs/maps_basics.go"))
}
fn deadlock() -> Program {
    go(include_str!("../go/programs/deadlock_two_goroutines.go"))
}

pub const RUNTIME_CASES: &[RuntimeCase] = &[
    RuntimeCase {
        name: "mixed-4p-seed9",
        procs: 4,
        seed: 9,
        build: mixed,
        steps: 1333,
        state_hash: 0xeb5b_bb69_0c0d_4db1,
        stdout: "200\n",
    },
    RuntimeCase {
        name: "go:prime-sieve-4p-seed3",
        procs: 4,
        seed: 3,
        build: sieve,
        steps: 968,
        state_hash: 0x1bb3_68a3_7b0a_129b,
        stdout: "2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 \n",
    },
    RuntimeCase {
        name: "go:worker-pool-2p-seed5",
        procs: 2,
        seed: 5,
        build: worker_pool,
        steps: 130,
        state_hash: 0xa186_195d_d89f_f0b2,
        stdout: "[0 2 4 6 8 10 12 14 16 18]\n",
    },
    RuntimeCase {
        name: "go:select-fairness-4p-seed7",
        procs: 4,
        seed: 7,
        build: fairness,
        steps: 3005,
        state_hash: 0x344e_6a62_b32d_625b,
        stdout: "1000 true true\n",
    },
    RuntimeCase {
        name: "go:leak-1p-seed1",
        procs: 1,
        seed: 1,
        build: leak,
        steps: 168,
        state_hash: 0xf3f1_7216_3243_3d3e,
        stdout: "goroutines: 11\n",
    },
    RuntimeCase {
        name: "go:deadline-chain-3p-seed2",
        procs: 3,
        seed: 2,
        build: deadline_chain,
        steps: 21,
        state_hash: 0x82b0_24b7_e9f1_8494,
        stdout: "C: context deadline exceeded\n",
    },
    RuntimeCase {
        name: "go:racy-counter-2p-seed4",
        procs: 2,
        seed: 4,
        build: racy_counter,
        steps: 2019,
        state_hash: 0x593c_ea94_4377_9fd2,
        stdout: "true true\n",
    },
    RuntimeCase {
        name: "go:maps-4p-seed11",
        procs: 4,
        seed: 11,
        build: maps,
        steps: 14,
        state_hash: 0x0210_ae68_f06a_3cf3,
        stdout: "0 false 2\n[ann cid]\nmap[ann:31 cid:40]\n2 0\n",
    },
    RuntimeCase {
        name: "go:deadlock-2p-seed6",
        procs: 2,
        seed: 6,
        build: deadlock,
        steps: 23,
        state_hash: 0x952e_60f8_10ff_78b2,
        stdout: "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [sync.WaitGroup.Wait]:\nmain.main()\n\tmain.go:27\n\ngoroutine 2 [sync.Mutex.Lock]:\nmain.main.func1()\n\tmain.go:18\n\ngoroutine 3 [sync.Mutex.Lock]:\nmain.main.func2()\n\tmain.go:25\n",
    },
];

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
