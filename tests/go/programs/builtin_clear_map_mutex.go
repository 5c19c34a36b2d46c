package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				mu.Lock()
				seen[g*10+i] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println(len(seen))
	clear(seen)
	fmt.Println(len(seen), seen[10])
	seen[1] = true
	fmt.Println(len(seen))
}
