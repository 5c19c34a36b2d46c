// Lesson "Backpressure": a traffic spike hits a service whose workers read from a bounded queue. The
// front end reacts to a full queue in one of four ways: block the caller, drop the request, retry
// with exponential backoff until a deadline, or degrade (answer at once with a cheap fallback).
package main

import (
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	policy     = "block" // "block", "drop", "retry" or "degrade"
	workers    = 4
	queueLen   = 16
	serviceMs  = 4    // mean work per request (exponential), in milliseconds
	baseRate   = 600  // requests per second outside the spike
	spikeRate  = 2000 // requests per second during the spike
	spikeMs    = 300  // the spike's length, in milliseconds
	totalMs    = 1000 // how long traffic lasts, in milliseconds
	deadlineMs = 100  // how long a caller waits in all (retry policy)
)

type job struct {
	start time.Time
	done  chan struct{}
}

func submit(q chan job, j job) bool {
	switch policy {
	case "block":
		q <- j
		return true
	case "retry":
		backoff := time.Millisecond
		for {
			select {
			case q <- j:
				return true
			default:
			}
			if time.Since(j.start)+backoff > deadlineMs*time.Millisecond {
				return false
			}
			lab.Count("retries", 1)
			time.Sleep(backoff)
			backoff *= 2
		}
	default: // drop and degrade refuse at once
		select {
		case q <- j:
			return true
		default:
			return false
		}
	}
}

func main() {
	for _, c := range []string{"served", "dropped", "degraded", "retries"} {
		lab.Count(c, 0)
	}
	q := make(chan job, queueLen)
	var workersDone sync.WaitGroup
	for w := 0; w < workers; w++ {
		workersDone.Go(func() {
			for j := range q {
				time.Sleep(lab.Exp(serviceMs * time.Millisecond)) // a call to the database
				close(j.done)
			}
		})
	}
	var callers sync.WaitGroup
	start := time.Now()
	for time.Since(start) < totalMs*time.Millisecond {
		rate := baseRate
		if elapsed := time.Since(start); elapsed >= 200*time.Millisecond && elapsed < (200+spikeMs)*time.Millisecond {
			rate = spikeRate
		}
		callers.Go(func() {
			j := job{start: time.Now(), done: make(chan struct{})}
			if submit(q, j) {
				<-j.done
				lab.Count("served", 1)
				lab.Observe(time.Since(j.start))
			} else if policy == "degrade" {
				time.Sleep(200 * time.Microsecond) // a cached, cheaper answer
				lab.Count("degraded", 1)
				lab.Observe(time.Since(j.start))
			} else {
				lab.Count("dropped", 1)
			}
		})
		time.Sleep(lab.Exp(time.Second / time.Duration(rate)))
	}
	callers.Wait()
	close(q)
	workersDone.Wait()
	fmt.Println("traffic over")
}
