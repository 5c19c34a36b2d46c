// Lesson "Goroutines and the GMP scheduler": a batch of short CPU-bound tasks, optionally behind a
// long CPU-bound goroutine and optionally starting with a blocking system call. The lesson sets the
// constants and GOMAXPROCS; each task reports when it finished, counted from the start of the batch.
package main

import (
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	tasks     = 8
	workUs    = 500 // CPU work per task, in microseconds
	syscallUs = 0   // a blocking system call each task makes first, in microseconds
	hogMs     = 0   // a CPU-bound goroutine started before the tasks, in milliseconds (0: none)
)

func main() {
	start := time.Now()
	var wg sync.WaitGroup
	if hogMs > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lab.Work(time.Duration(hogMs) * time.Millisecond)
		}()
	}
	for i := 0; i < tasks; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if syscallUs > 0 {
				lab.Syscall(time.Duration(syscallUs) * time.Microsecond)
			}
			lab.Work(time.Duration(workUs) * time.Microsecond)
			lab.Observe(time.Since(start)) // this task's completion time
		}()
	}
	wg.Wait()
	fmt.Println("tasks finished:", tasks)
}
