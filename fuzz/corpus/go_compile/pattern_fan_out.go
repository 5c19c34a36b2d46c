package main

import (
	"fmt"
	"sync"
)

func main() {
	jobs := make(chan int, 20)
	for i := 1; i <= 20; i++ {
		jobs <- i
	}
	close(jobs)
	var mu sync.Mutex
	sum := 0
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				sum += j
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println(sum)
}
