// Lesson "Inside a channel": a producer hands items to a consumer through a channel whose capacity
// the lesson sets. Each send reports how long it blocked; the consumer ranges over the channel until
// it is closed.
package main

import (
	"fmt"
	"time"

	"gmplab/lab"
)

const (
	capacity  = 0 // the channel's buffer (0: unbuffered)
	items     = 40
	produceUs = 100  // mean time to produce an item (exponential), in microseconds
	consumeUs = 100  // mean time to consume an item (exponential), in microseconds
	closeIt   = true // the producer closes the channel and waits for the consumer
)

func main() {
	ch := make(chan int, capacity)
	done := make(chan struct{})
	lab.Count("consumed", 0)
	go func() {
		for range ch { // receives until ch is closed and drained
			lab.Work(lab.Exp(consumeUs * time.Microsecond))
			lab.Count("consumed", 1)
		}
		close(done)
	}()
	for i := 0; i < items; i++ {
		lab.Work(lab.Exp(produceUs * time.Microsecond))
		t := time.Now()
		ch <- i
		lab.Observe(time.Since(t)) // how long this send blocked
	}
	if closeIt {
		close(ch)
		<-done
	}
	fmt.Println("produced:", items)
}
