package main

import (
	"fmt"
	"sync"
)

type Counter[K comparable] struct {
	sync.Mutex
	m map[K]int
}

func (c *Counter[K]) Inc(k K) {
	c.Lock()
	c.m[k]++
	c.Unlock()
}

func main() {
	c := Counter[rune]{m: map[rune]int{}}
	var wg sync.WaitGroup
	for _, word := range []string{"gopher", "goroutine", "go"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range word {
				c.Inc(r)
			}
		}()
	}
	wg.Wait()
	fmt.Println(c.m['g'], c.m['o'], c.m['r'], len(c.m))
}
