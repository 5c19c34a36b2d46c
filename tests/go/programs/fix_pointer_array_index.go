package main

import (
	"fmt"
	"sync"
)

func fill(p *[4]int, v int, wg *sync.WaitGroup, mu *sync.Mutex) {
	defer wg.Done()
	mu.Lock()
	defer mu.Unlock()
	for i := range 4 {
		p[i] += v
	}
}

func main() {
	var arr [4]int
	var wg sync.WaitGroup
	var mu sync.Mutex
	for v := 1; v <= 3; v++ {
		wg.Add(1)
		go fill(&arr, v, &wg, &mu)
	}
	wg.Wait()
	p := &arr
	fmt.Println(arr, p[2], len(p))
}
