// Lesson "context across an RPC chain": an edge handler gives each request a deadline and calls
// service B, which calls service C and retries a failed call only if enough of the budget is left.
// With propagate off, B and C ignore the caller's context (a classic bug): they keep working for
// callers that have already given up.
package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"

	"gmplab/lab"
)

const (
	requests  = 200
	budgetMs  = 80   // the edge's deadline for a whole request
	propagate = true // B and C use the caller's context
	retries   = 1    // B's retries of a failed call to C
	minLeftMs = 20   // B retries only with at least this much budget left
	bMeanMs   = 10   // B's own work, mean (exponential)
	cMeanMs   = 30   // C's latency, mean (exponential)
	cFailPct  = 20   // share of C's calls that fail
)

var errUnavailable = errors.New("c: unavailable")

// request carries what the lesson measures: whether the edge has already given up on it.
type request struct {
	abandoned atomic.Bool
}

func serviceC(ctx context.Context, r *request) error {
	lab.Count("c_calls", 1)
	select {
	case <-time.After(lab.Exp(cMeanMs * time.Millisecond)):
	case <-ctx.Done():
		lab.Count("c_cancelled", 1)
		return ctx.Err()
	}
	if r.abandoned.Load() {
		lab.Count("wasted_calls", 1) // finished work nobody is waiting for
	}
	if rand.Intn(100) < cFailPct {
		return errUnavailable
	}
	return nil
}

func serviceB(ctx context.Context, r *request) error {
	select {
	case <-time.After(lab.Exp(bMeanMs * time.Millisecond)):
	case <-ctx.Done():
		return ctx.Err()
	}
	err := serviceC(ctx, r)
	for attempt := 0; attempt < retries && errors.Is(err, errUnavailable); attempt++ {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < minLeftMs*time.Millisecond {
			lab.Count("retries_skipped", 1) // not enough budget left to be worth it
			break
		}
		lab.Count("retries", 1)
		err = serviceC(ctx, r)
	}
	return err
}

func handle() {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), budgetMs*time.Millisecond)
	defer cancel()
	down := ctx
	if !propagate {
		down = context.Background() // the bug: the deadline and cancellation stop here
	}
	r := &request{}
	done := make(chan error, 1)
	go func() { done <- serviceB(down, r) }()
	select {
	case err := <-done:
		if err == nil {
			lab.Count("ok", 1)
		} else {
			lab.Count("failed", 1)
		}
	case <-ctx.Done():
		r.abandoned.Store(true)
		lab.Count("timed_out", 1)
	}
	lab.Observe(time.Since(start))
}

func main() {
	for _, c := range []string{"ok", "failed", "timed_out", "c_calls", "c_cancelled", "wasted_calls", "retries", "retries_skipped"} {
		lab.Count(c, 0)
	}
	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Go(handle)
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	time.Sleep(time.Second) // let any abandoned work finish
	fmt.Println("requests:", requests)
}
