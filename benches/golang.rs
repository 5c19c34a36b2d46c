//! The Go front end's programs on the simulated runtime: IR operations per second for the prime
//! sieve (a goroutine per prime, a channel between each pair: channel-heavy), and for a
//! CPU-bound loop (local operations only), compiled from Go source. A generic pipeline and its
//! hand-specialised twin show what monomorphisation costs: each should run as fast as the other.

use std::rc::Rc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gmplab::runtime::{Config, Runtime};
use gmplab::sim::scenario::Stepping;

const SIEVE: &str = r#"package main

import "fmt"

func generate(ch chan<- int) {
	for i := 2; ; i++ {
		ch <- i
	}
}

func filter(in <-chan int, out chan<- int, prime int) {
	for {
		i := <-in
		if i%prime != 0 {
			out <- i
		}
	}
}

func main() {
	ch := make(chan int)
	go generate(ch)
	last := 0
	for i := 0; i < N; i++ {
		last = <-ch
		ch1 := make(chan int)
		go filter(ch, ch1, last)
		ch = ch1
	}
	fmt.Println(last)
}
"#;

const LOOP: &str = r#"package main

import "fmt"

func main() {
	sum := 0
	for i := 0; i < 3000000; i++ {
		if i%3 == 0 {
			sum += i
		}
	}
	fmt.Println(sum)
}
"#;

/// A pipeline of generic stages; `SPECIALISED` is the same program written for int by hand.
const GENERIC: &str = r#"package main

import "fmt"

func Stage[In, Out any](in <-chan In, f func(In) Out) <-chan Out {
	out := make(chan Out, 16)
	go func() {
		for v := range in {
			out <- f(v)
		}
		close(out)
	}()
	return out
}

func Sum[T int | float64](in <-chan T) T {
	var s T
	for v := range in {
		s += v
	}
	return s
}

func main() {
	src := make(chan int, 16)
	go func() {
		for i := 0; i < 20000; i++ {
			src <- i
		}
		close(src)
	}()
	sq := Stage(src, func(n int) int { return n * n % 1000 })
	inc := Stage(sq, func(n int) int { return n + 1 })
	fmt.Println(Sum(inc))
}
"#;

const SPECIALISED: &str = r#"package main

import "fmt"

func Stage(in <-chan int, f func(int) int) <-chan int {
	out := make(chan int, 16)
	go func() {
		for v := range in {
			out <- f(v)
		}
		close(out)
	}()
	return out
}

func Sum(in <-chan int) int {
	var s int
	for v := range in {
		s += v
	}
	return s
}

func main() {
	src := make(chan int, 16)
	go func() {
		for i := 0; i < 20000; i++ {
			src <- i
		}
		close(src)
	}()
	sq := Stage(src, func(n int) int { return n * n % 1000 })
	inc := Stage(sq, func(n int) int { return n + 1 })
	fmt.Println(Sum(inc))
}
"#;

fn run(src: &str) -> (u64, String) {
    let program = gmplab::golang::compile("bench.go", src).expect("compiles");
    let config = Config {
        gomaxprocs: 4,
        ..Config::default()
    };
    let mut rt = Runtime::new(Rc::new(program), config);
    rt.run_until(u64::MAX, u64::MAX);
    (rt.ops_executed(), rt.stdout().to_string())
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("golang");
    g.sample_size(10);
    for (name, src) in [
        ("prime_sieve_500", SIEVE.replace("N;", "500;")),
        ("prime_sieve_2000", SIEVE.replace("N;", "2000;")),
        ("cpu_loop_3m", LOOP.to_string()),
        ("pipeline_generic", GENERIC.to_string()),
        ("pipeline_specialised", SPECIALISED.to_string()),
    ] {
        let (ops, out) = run(&src);
        eprintln!("{name}: {ops} IR operations per run, prints {}", out.trim());
        g.throughput(Throughput::Elements(ops));
        g.bench_function(name, |b| b.iter(|| run(&src)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
