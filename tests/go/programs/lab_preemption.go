package main

import (
	"fmt"
	"runtime"
	"time"

	"gmplab/lab"
)

func main() {
	runtime.GOMAXPROCS(1)
	done := make(chan bool)
	go func() {
		// CPU-bound for 100 ms: on one P, main can only run again because the runtime preempts
		// this goroutine (sysmon, after 10 ms).
		lab.Work(100 * time.Millisecond)
		fmt.Println("worker finished its 100 ms of CPU work")
		done <- true
	}()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("main woke up while the worker was still computing")
	<-done
}
