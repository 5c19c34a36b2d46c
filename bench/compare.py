#!/usr/bin/env python3
"""GMP Lab against the tools a user would pick instead, in one run on one machine.

1. The same M/M/c worker pool (blocking, FIFO) in GMP Lab's engine (`gmplab run worker-pool`) and in
   SimPy (the idiomatic way: a Resource of c workers, a process per customer), with identical
   parameters and number of customers. Both are checked against Erlang C, and their whole-process
   times and customers per second are compared.
2. One Go program run by the real Go toolchain and by GMP Lab's simulated runtime, to show how far
   the simulation is from real execution speed (it simulates every scheduling decision).

Usage: cargo build --release && python3 bench/compare.py [--customers N]
Installs SimPy into target/tools/simpy (PyPI) and uses the Go from scripts/setup.sh --test.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GMPLAB = os.path.join(ROOT, "target/release/gmplab")
VENV = os.path.join(ROOT, "target/tools/simpy")
GO = os.path.join(ROOT, "target/tools/gobin/bin/go")

SIMPY_MODEL = r'''
import random, sys, time, simpy
lam, mu, c, n, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
warm = int(sys.argv[6])
rng = random.Random(seed)
waits = []
def customer(env, workers, i):
    arrived = env.now
    with workers.request() as req:
        yield req
        if i >= warm:
            waits.append(env.now - arrived)
        yield env.timeout(rng.expovariate(mu))
def source(env, workers):
    for i in range(n):
        env.process(customer(env, workers, i))
        yield env.timeout(rng.expovariate(lam))
env = simpy.Environment()
workers = simpy.Resource(env, capacity=c)
env.process(source(env, workers))
env.run()
print(sum(waits) / len(waits), len(waits))
'''


def erlang_c_wait(lam, mu, c):
    a = lam / mu
    rho = a / c
    s = sum(a ** k / math.factorial(k) for k in range(c))
    top = a ** c / math.factorial(c) / (1 - rho)
    pw = top / (s + top)
    return pw / (c * mu - lam)


def ensure_simpy():
    py = os.path.join(VENV, "bin/python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([py, "-c", "import simpy"], capture_output=True).returncode != 0:
        subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "simpy==4.1.1"], check=True)
    return py


def timed(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - t, p


def median_timed(cmd, runs):
    """The median whole-process time of `runs` identical runs (this VM's timing varies), and the
    last run's output (identical each time: both engines are seeded)."""
    times, p = [], None
    for _ in range(runs):
        t, p = timed(cmd)
        if p.returncode != 0:
            return t, p
        times.append(t)
    return sorted(times)[len(times) // 2], p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=480_000, help="at most 480,000 (the lesson's 600 s)")
    args = ap.parse_args()
    lam, mu, c = 800.0, 250.0, 4  # rho = 0.8, service mean 4 ms
    duration = args.customers / lam
    theory = erlang_c_wait(lam, mu, c)
    print(f"M/M/{c}: lambda={lam:.0f}/s, service mean {1000/mu:.1f} ms, rho={lam/mu/c:.2f}, about {args.customers:,} customers")
    print(f"Erlang C mean wait: {theory*1000:.3f} ms\n")

    t_g, p = median_timed([GMPLAB, "run", "worker-pool", "--json", "--seed", "1",
                           "--set", "policy=block", "--set", f"workers={c}", "--set", f"arrival_rate={lam:g}",
                           "--set", f"service_mean_ms={1000/mu:g}", "--set", "buffer=1000",
                           "--set", f"duration_s={duration:g}"], 5)
    if p.returncode != 0:
        sys.exit(f"gmplab failed: {p.stderr}")
    m = json.loads(p.stdout)["metrics"]
    g_wait, g_n = m["wait_mean_s"], m["arrivals"]

    py = ensure_simpy()
    t_s, p = median_timed([py, "-c", SIMPY_MODEL, str(lam), str(mu), str(c), str(args.customers), "1",
                           str(int(lam * 2))], 3)  # the lesson's 2 s warm-up
    if p.returncode != 0:
        sys.exit(f"simpy failed: {p.stderr}")
    s_wait, s_n = p.stdout.split()
    s_wait, s_n = float(s_wait), int(s_n)

    rows = [("GMP Lab", t_g, g_wait, g_n), ("SimPy", t_s, s_wait, s_n)]
    print(f"{'engine':<10}{'whole process':>15}{'customers/s':>15}{'mean wait':>12}{'vs Erlang C':>13}")
    for name, t, w, n in rows:
        print(f"{name:<10}{t:>13.2f} s{n / t:>15,.0f}{w*1000:>9.3f} ms{(w/theory-1)*100:>+12.1f}%")
    print(f"\nGMP Lab is {t_s / t_g:.0f}x faster than SimPy on the same model and run length "
          f"({(g_n / t_g):,.0f} vs {(s_n / t_s):,.0f} customers per second; medians of 5 and 3 runs).")
    for name, _, w, _ in rows:
        if abs(w / theory - 1) > 0.05:
            print(f"WARNING: {name}'s mean wait is more than 5% from Erlang C")

    # Real Go against the simulated runtime on the same program: the prime sieve (a goroutine and a
    # channel per prime) to the 1,000th prime.
    src = open(os.path.join(ROOT, "tests/go/programs/pattern_prime_sieve.go")).read()
    src = src.replace("i < 15", "i < 1000").replace('fmt.Print(prime, " ")', "_ = prime")
    src = src.replace("\tfmt.Println()\n", '\tfmt.Println("done")\n')
    work = os.path.join(ROOT, "target/tools/sieve1000")
    os.makedirs(work, exist_ok=True)
    prog = os.path.join(work, "main.go")
    open(prog, "w").write(src)
    if os.path.exists(GO):
        env = dict(os.environ, GOTOOLCHAIN="local", GOCACHE=os.path.join(ROOT, "target/tools/gocache"))
        binary = os.path.join(work, "sieve")
        subprocess.run([GO, "build", "-o", binary, prog], check=True, env=env, cwd=work)
        t_real, p_real = timed([binary])
        t_sim, p_sim = timed([GMPLAB, "go", "run", prog])
        same = p_real.stdout == p_sim.stdout
        print(f"\nPrime sieve to the 1,000th prime: real Go {t_real*1000:.0f} ms, GMP Lab's simulated runtime "
              f"{t_sim*1000:.0f} ms (whole process each, {t_sim/t_real:.1f}x); same output: {same}")
    else:
        print("\n(real Go not installed: run scripts/setup.sh --test for the Go comparison)")


if __name__ == "__main__":
    main()
