package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func main() {
	var c Counter
	inc := c.Inc
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inc()
		}()
	}
	wg.Wait()
	fmt.Println(c.n)
	for range 3 {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(c.Inc)
	}
	wg.Wait()
	fmt.Println(c.n)
}
