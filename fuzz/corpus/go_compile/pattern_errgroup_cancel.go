package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	var cancelled atomic.Int64
	tasks := []time.Duration{30 * time.Millisecond, 5 * time.Millisecond, 40 * time.Millisecond}
	for i, d := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(d):
				if i == 1 {
					once.Do(func() {
						firstErr = errors.New("task 1 failed")
						cancel()
					})
				}
			case <-ctx.Done():
				cancelled.Add(1)
			}
		}()
	}
	wg.Wait()
	fmt.Println("first error:", firstErr)
	fmt.Println("tasks cancelled:", cancelled.Load())
}
