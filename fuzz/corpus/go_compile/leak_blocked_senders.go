package main

import (
	"fmt"
	"runtime"
	"time"
)

func firstResponse() int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() {
			time.Sleep(time.Duration(i+1) * time.Millisecond)
			ch <- i
		}()
	}
	return <-ch
}

func main() {
	for i := 0; i < 5; i++ {
		firstResponse()
	}
	time.Sleep(20 * time.Millisecond)
	fmt.Println("goroutines:", runtime.NumGoroutine())
}
