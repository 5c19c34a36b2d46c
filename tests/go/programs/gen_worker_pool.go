package main

import (
	"fmt"
	"sync"
)

type job[T any] struct {
	idx int
	val T
}

func Pool[T, R any](workers int, items []T, f func(T) R) []R {
	jobs := make(chan job[T])
	out := make([]R, len(items))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out[j.idx] = f(j.val)
			}
		}()
	}
	for i, it := range items {
		jobs <- job[T]{idx: i, val: it}
	}
	close(jobs)
	wg.Wait()
	return out
}

func main() {
	words := []string{"go", "chan", "select", "mutex", "goroutine"}
	lens := Pool(3, words, func(s string) int { return len(s) })
	fmt.Println(lens)
	halves := Pool(2, []int{10, 20, 30}, func(n int) float64 { return float64(n) / 4 })
	fmt.Println(halves)
}
