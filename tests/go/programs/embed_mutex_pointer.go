package main

import (
	"fmt"
	"sync"
)

type Shared struct {
	*sync.Mutex
	hits int
}

func main() {
	mu := new(sync.Mutex)
	a := Shared{Mutex: mu}
	b := Shared{Mutex: mu}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			a.Lock()
			a.hits++
			a.Unlock()
		}()
		go func() {
			defer wg.Done()
			b.Lock()
			b.hits += 2
			b.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println(a.hits, b.hits)
}
