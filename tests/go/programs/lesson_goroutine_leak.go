// Lesson "Goroutine leaks": each request starts a goroutine to call a slow backend and waits for the
// answer or a timeout. When the timeout wins, nobody receives the backend goroutine's answer, and
// with an unbuffered channel it blocks on the send forever. The lesson compares the fixes.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	requests  = 200
	timeoutMs = 50
	slowPct   = 30     // share of backend calls that take 100 ms instead of 10 ms, in percent
	fix       = "none" // "none", "buffered" or "context"
)

func backend(ctx context.Context, i int, out chan<- int) {
	d := 10 * time.Millisecond
	if i%100 < slowPct {
		d = 100 * time.Millisecond
	}
	if fix == "context" {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return // the caller gave up: stop working and leave
		}
		select {
		case out <- i:
		case <-ctx.Done():
		}
		return
	}
	time.Sleep(d)
	out <- i // with fix "none", blocks forever once the caller has gone
}

func handle(i int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), timeoutMs*time.Millisecond)
	defer cancel()
	out := make(chan int)
	if fix == "buffered" {
		out = make(chan int, 1) // the answer can always be left behind
	}
	go backend(ctx, i, out)
	select {
	case <-out:
		return true
	case <-ctx.Done():
		return false
	}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if handle(i) {
				lab.Count("answered", 1)
			} else {
				lab.Count("timed_out", 1)
			}
		}()
		time.Sleep(time.Millisecond) // one request per millisecond
	}
	wg.Wait()
	time.Sleep(200 * time.Millisecond) // long after every backend call has finished
	fmt.Println("requests served:", requests)
}
