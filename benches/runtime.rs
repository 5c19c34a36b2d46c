//! Throughput of the Go runtime model: scheduling events (trace steps) per second for an unbuffered
//! ping-pong, a worker pool of 8 goroutines on 4 Ps, and a Mutex contended by 8 goroutines; and the
//! cost of a million parked goroutines. Run: `cargo bench --bench runtime`.

use std::rc::Rc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gmplab::runtime::build::ProgramBuilder;
use gmplab::runtime::ir::Program;
use gmplab::runtime::{Config, Runtime};
use gmplab::sim::scenario::Stepping;
use std::hint::black_box;

fn ping_pong(rounds: i64) -> Program {
    let mut b = ProgramBuilder::new();
    let pong = b.declare("pong");
    b.define(pong, 2, |f| {
        let (a, z) = (f.param(0), f.param(1));
        f.forever(|f| {
            let v = f.recv(a);
            f.send(z, v);
        });
    });
    let main = b.func("main", 0, |f| {
        let a = f.make_chan(0);
        let z = f.make_chan(0);
        f.go(pong, &[a, z]);
        let n = f.int(rounds);
        f.for_n(n, |f, i| {
            f.send(a, i);
            f.recv(z);
        });
    });
    b.build(main)
}

fn worker_pool(tasks: i64) -> Program {
    let mut b = ProgramBuilder::new();
    let worker = b.declare("worker");
    b.define(worker, 3, |f| {
        let (jobs, results, _) = (f.param(0), f.param(1), f.param(2));
        f.forever(|f| {
            let j = f.recv(jobs);
            f.compute_ns(1_000);
            f.send(results, j);
        });
    });
    let main = b.func("main", 0, |f| {
        let jobs = f.make_chan(64);
        let results = f.make_chan(64);
        let z = f.int(0);
        let n8 = f.int(8);
        f.for_n(n8, |f, _| f.go(worker, &[jobs, results, z]));
        let feeder = f.int(tasks);
        // Interleave sends and receives so the buffers never fill.
        f.for_n(feeder, |f, i| {
            f.send(jobs, i);
            f.recv(results);
        });
    });
    b.build(main)
}

/// Eight goroutines on 4 Ps each take one Mutex `rounds` times, holding it for 200 ns of work:
/// barging, the FIFO hand-off and starvation mode all come into play.
fn mutex_contended(rounds: i64) -> Program {
    let mut b = ProgramBuilder::new();
    let worker = b.func("worker", 2, |f| {
        let (mu, wg) = (f.param(0), f.param(1));
        let n = f.int(rounds);
        f.for_n(n, |f, _| {
            f.lock(mu);
            f.compute_ns(200);
            f.unlock(mu);
            f.compute_ns(100);
        });
        f.wg_add(wg, -1);
    });
    let main = b.func("main", 0, |f| {
        let mu = f.new_mutex();
        let wg = f.new_waitgroup();
        f.wg_add(wg, 8);
        let n8 = f.int(8);
        f.for_n(n8, |f, _| f.go(worker, &[mu, wg]));
        f.wg_wait(wg);
    });
    b.build(main)
}

fn parked(n: i64) -> Program {
    let mut b = ProgramBuilder::new();
    let wait = b.func("wait", 1, |f| {
        let ch = f.param(0);
        f.recv(ch);
    });
    let main = b.func("main", 0, |f| {
        let ch = f.make_chan(0);
        let n = f.int(n);
        f.for_n(n, |f, _| f.go(wait, &[ch]));
        f.close(ch);
    });
    b.build(main)
}

fn steps_of(p: &Rc<Program>, procs: u32) -> u64 {
    let mut rt = Runtime::new(
        p.clone(),
        Config {
            gomaxprocs: procs,
            ..Config::default()
        },
    );
    while rt.step().is_some() {}
    rt.steps()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("runtime");
    for (name, program, procs) in [
        ("ping_pong_unbuffered", ping_pong(50_000), 2),
        ("worker_pool_8g_4p", worker_pool(20_000), 4),
        ("mutex_contended_8g_4p", mutex_contended(5_000), 4),
        ("million_goroutines_park_and_wake", parked(1_000_000), 4),
    ] {
        let program = Rc::new(program);
        let steps = steps_of(&program, procs);
        g.throughput(Throughput::Elements(steps));
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    Runtime::new(
                        program.clone(),
                        Config {
                            gomaxprocs: procs,
                            ..Config::default()
                        },
                    )
                },
                |mut rt| {
                    while rt.step().is_some() {}
                    black_box(rt.steps())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// Resident memory of the process (Linux), to report the cost of a million parked goroutines.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Creates a million goroutines parked on one channel and reports the time and the memory they take
/// (printed, for the closing figures; criterion times the creation).
fn million_parked(c: &mut Criterion) {
    let mut b = ProgramBuilder::new();
    let wait = b.func("wait", 1, |f| {
        let ch = f.param(0);
        f.recv(ch);
    });
    let main = b.func("main", 0, |f| {
        let ch = f.make_chan(0);
        let n = f.int(1_000_000);
        f.for_n(n, |f, _| f.go(wait, &[ch]));
        f.sleep_ns(1_000_000_000);
    });
    let program = Rc::new(b.build(main));
    let park_all = |program: &Rc<Program>| {
        let mut rt = Runtime::new(program.clone(), Config::default());
        while rt.num_goroutine() < 1_000_001 || rt.runnable_count() > 0 {
            if rt.step().is_none() {
                break;
            }
        }
        rt
    };
    let before = rss_bytes();
    let rt = park_all(&program);
    if let (Some(a), Some(b)) = (before, rss_bytes()) {
        eprintln!(
            "a million parked goroutines: {} live, {:.0} MB resident for them ({:.0} bytes each)",
            rt.num_goroutine(),
            b.saturating_sub(a) as f64 / 1e6,
            b.saturating_sub(a) as f64 / rt.num_goroutine() as f64
        );
    }
    drop(rt);
    let mut g = c.benchmark_group("runtime");
    g.sample_size(10);
    g.bench_function("create_and_park_a_million_goroutines", |bch| {
        bch.iter(|| black_box(park_all(&program).num_goroutine()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = million_parked, bench
}
criterion_main!(benches);
