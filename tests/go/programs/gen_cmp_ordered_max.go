package main

import (
	"cmp"
	"fmt"
)

func Max[T cmp.Ordered](xs ...T) T {
	m := xs[0]
	for _, x := range xs[1:] {
		if x > m {
			m = x
		}
	}
	return m
}

func ParallelMax[T cmp.Ordered](parts [][]T) T {
	c := make(chan T, len(parts))
	for _, p := range parts {
		go func(p []T) { c <- Max(p...) }(p)
	}
	best := <-c
	for i := 1; i < len(parts); i++ {
		best = Max(best, <-c)
	}
	return best
}

func main() {
	fmt.Println(ParallelMax([][]int{{3, 9, 1}, {12, 4}, {7}}))
	fmt.Println(ParallelMax([][]string{{"pear", "fig"}, {"plum"}, {"apple", "kiwi"}}))
	fmt.Println(Max(2.5, 1.5))
}
