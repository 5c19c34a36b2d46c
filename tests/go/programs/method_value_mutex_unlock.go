package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	lock, unlock := mu.Lock, mu.Unlock
	total := 0
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lock()
			defer unlock()
			total += i
		}()
	}
	wg.Wait()
	done := wg.Wait
	done()
	fmt.Println(total)
}
