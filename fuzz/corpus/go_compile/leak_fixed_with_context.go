package main

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

func worker(ctx context.Context, out chan<- int) {
	for i := 0; ; i++ {
		select {
		case out <- i:
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan int)
	for i := 0; i < 4; i++ {
		go worker(ctx, out)
	}
	for i := 0; i < 10; i++ {
		<-out
	}
	cancel()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("goroutines:", runtime.NumGoroutine())
}
