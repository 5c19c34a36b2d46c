package main

import (
	"fmt"
	"sync"
)

type Guarded[T any] struct {
	mu sync.Mutex
	v  T
}

func (g *Guarded[T]) Update(f func(T) T) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.v = f(g.v)
}

func (g *Guarded[T]) Get() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v
}

func main() {
	var n Guarded[int]
	var s Guarded[[]string]
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Update(func(x int) int { return x + 2 })
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Update(func(x []string) []string { return append(x, "done") })
	}()
	wg.Wait()
	fmt.Println(n.Get(), s.Get())
}
