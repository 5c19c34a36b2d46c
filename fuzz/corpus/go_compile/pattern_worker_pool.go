package main

import (
	"fmt"
	"sync"
	"time"
)

type result struct {
	id, out int
}

func worker(jobs <-chan int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		time.Sleep(time.Millisecond)
		results <- result{j, j * 2}
	}
}

func main() {
	jobs := make(chan int, 10)
	results := make(chan result, 10)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(results)
	byID := make([]int, 10)
	for r := range results {
		byID[r.id] = r.out
	}
	fmt.Println(byID)
}
