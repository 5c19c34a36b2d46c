// Lesson "select": each request calls a backend with a random latency. A ticker paces retries; every
// attempt answers on one shared channel, so a late answer from an earlier attempt still counts
// (multiplexing). When every attempt is late, the request falls back to a stale answer. At the end,
// two channels that are always ready show select's random choice.
package main

import (
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	requests  = 200
	backendMs = 20   // mean backend latency (exponential), in milliseconds
	timeoutMs = 30   // how long to wait before the next attempt, in milliseconds
	retries   = 2    // attempts after the first
	fallback  = true // answer from a stale cache when every attempt is late
)

func attempt(results chan<- int) {
	time.Sleep(lab.Exp(backendMs * time.Millisecond))
	results <- 1 // buffered for every attempt: never blocks, never leaks
}

func handle() {
	start := time.Now()
	results := make(chan int, retries+1)
	tick := time.NewTicker(timeoutMs * time.Millisecond)
	defer tick.Stop()
	go attempt(results)
	attempts := 1
	for {
		select {
		case <-results:
			lab.Count("ok", 1)
			lab.Observe(time.Since(start))
			return
		case <-tick.C:
			if attempts <= retries {
				attempts++
				lab.Count("retries", 1)
				go attempt(results)
				continue
			}
			if fallback {
				lab.Count("fallback", 1)
				lab.Observe(time.Since(start))
			} else {
				lab.Count("failed", 1)
			}
			return
		}
	}
}

func main() {
	for _, c := range []string{"ok", "retries", "fallback", "failed", "picked_a", "picked_b"} {
		lab.Count(c, 0)
	}
	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Go(handle)
		time.Sleep(time.Millisecond)
	}
	wg.Wait()

	// Fairness: both cases are always ready; select picks one uniformly at random.
	a, b := make(chan int, 1), make(chan int, 1)
	for i := 0; i < 1000; i++ {
		a <- 1
		b <- 1
		select {
		case <-a:
			lab.Count("picked_a", 1)
			<-b
		case <-b:
			lab.Count("picked_b", 1)
			<-a
		}
	}
	fmt.Println("requests:", requests)
}
