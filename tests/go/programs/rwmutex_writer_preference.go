package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var mu sync.RWMutex
	var log []string
	var lmu sync.Mutex
	note := func(s string) {
		lmu.Lock()
		log = append(log, s)
		lmu.Unlock()
	}
	var wg sync.WaitGroup
	mu.RLock()
	wg.Add(2)
	go func() {
		defer wg.Done()
		mu.Lock()
		note("writer")
		mu.Unlock()
	}()
	time.Sleep(10 * time.Millisecond)
	go func() {
		defer wg.Done()
		mu.RLock()
		note("late reader")
		mu.RUnlock()
	}()
	time.Sleep(10 * time.Millisecond)
	note("first reader leaves")
	mu.RUnlock()
	wg.Wait()
	fmt.Println(log)
}
