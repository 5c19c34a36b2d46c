package main

import (
	"fmt"
	"sync"
)

func Range(lo, hi int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := lo; i < hi; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	var wg sync.WaitGroup
	out := make([]int, 6)
	for i := range Range(0, 6) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = i * 10
		}()
	}
	wg.Wait()
	fmt.Println(out)
}
