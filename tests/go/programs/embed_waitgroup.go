package main

import (
	"fmt"
	"sync"
)

type Group struct {
	sync.WaitGroup
	mu      sync.Mutex
	results []int
}

func (g *Group) Go(n int) {
	g.Add(1)
	go func() {
		defer g.Done()
		g.mu.Lock()
		g.results = append(g.results, n*n)
		g.mu.Unlock()
	}()
}

func main() {
	var g Group
	for i := range 5 {
		g.Go(i)
	}
	g.Wait()
	sum := 0
	for _, r := range g.results {
		sum += r
	}
	fmt.Println(len(g.results), sum)
}
