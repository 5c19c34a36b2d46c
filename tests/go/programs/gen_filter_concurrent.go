package main

import (
	"fmt"
	"sync"
)

func Filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func ParallelFilter[T any](parts [][]T, keep func(T) bool) [][]T {
	out := make([][]T, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Filter(p, keep)
		}()
	}
	wg.Wait()
	return out
}

func main() {
	even := func(n int) bool { return n%2 == 0 }
	fmt.Println(ParallelFilter([][]int{{1, 2, 3, 4}, {6, 7}, {9}}, even))
	long := func(s string) bool { return len(s) > 2 }
	fmt.Println(ParallelFilter([][]string{{"go", "rust"}, {"c", "java"}}, long))
}
