// Package lab is the helper package GMP Lab's lesson programs import as "gmplab/lab". GMP Lab's
// simulated runtime implements each function natively (CPU work is simulated time, random
// durations come from the run's seed, observations feed the latency charts); this file is the
// real-Go implementation, so every lesson program also builds and runs with the Go toolchain.
package lab

import (
	"math/rand"
	"sync"
	"time"
)

var (
	mu       sync.Mutex
	observed []time.Duration
)

// Work keeps the CPU busy for d, as a request handler computing something would.
func Work(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
	}
}

// Syscall blocks the calling thread for d, as a blocking system call does (the runtime hands
// the P to another thread meanwhile).
func Syscall(d time.Duration) {
	time.Sleep(d)
}

// Exp returns a random duration, exponentially distributed with the given mean.
func Exp(mean time.Duration) time.Duration {
	return time.Duration(rand.ExpFloat64() * float64(mean))
}

// Uniform returns a random duration between lo and hi inclusive.
func Uniform(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(rand.Int63n(int64(hi-lo)+1))
}

// Observe records one latency observation.
func Observe(d time.Duration) {
	mu.Lock()
	observed = append(observed, d)
	mu.Unlock()
}

// Start marks the start of a request; pass the result to Finish.
func Start() time.Time {
	return time.Now()
}

// Finish records the latency of a request started at start.
func Finish(start time.Time) {
	Observe(time.Since(start))
}

// Observed is the number of observations recorded so far.
func Observed() int {
	mu.Lock()
	defer mu.Unlock()
	return len(observed)
}

var counters = map[string]int{}

// Count adds n to the run's counter name. In GMP Lab each counter is a summary metric a lesson's
// questions and challenges can use; here it is kept in memory and never printed, so a program's
// output is the same under both.
func Count(name string, n int) {
	mu.Lock()
	counters[name] += n
	mu.Unlock()
}
