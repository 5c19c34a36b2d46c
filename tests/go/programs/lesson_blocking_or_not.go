// Lesson "Blocking or not": a producer emits an event every periodUs into a buffered channel; a
// consumer takes a random time per event. When the buffer is full the producer blocks, drops the
// event (select with default), or waits a little and then drops it (select with a timeout).
package main

import (
	"fmt"
	"time"

	"gmplab/lab"
)

const (
	mode      = "block" // "block", "drop" or "timeout"
	capacity  = 4
	events    = 500
	periodUs  = 100 // the producer emits an event this often, in microseconds
	consumeUs = 95  // mean time the consumer spends per event (exponential), in microseconds
	waitUs    = 50  // how long mode "timeout" waits for room, in microseconds
)

func main() {
	ch := make(chan int, capacity)
	done := make(chan struct{})
	lab.Count("dropped", 0)
	lab.Count("handled", 0)
	go func() {
		for range ch {
			lab.Work(lab.Exp(consumeUs * time.Microsecond))
			lab.Count("handled", 1)
		}
		close(done)
	}()
	for i := 0; i < events; i++ {
		time.Sleep(periodUs * time.Microsecond)
		t := time.Now()
		switch mode {
		case "block":
			ch <- i
		case "drop":
			select {
			case ch <- i:
			default:
				lab.Count("dropped", 1)
			}
		default:
			select {
			case ch <- i:
			case <-time.After(waitUs * time.Microsecond):
				lab.Count("dropped", 1)
			}
		}
		lab.Observe(time.Since(t)) // how long the producer was held up
	}
	close(ch)
	<-done
	fmt.Println("events:", events)
}
