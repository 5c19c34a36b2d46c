package main

import (
	"fmt"
	"strconv"
)

func Stage[In, Out any](in <-chan In, f func(In) Out) <-chan Out {
	out := make(chan Out)
	go func() {
		defer close(out)
		for v := range in {
			out <- f(v)
		}
	}()
	return out
}

func Source[T any](xs ...T) <-chan T {
	out := make(chan T, len(xs))
	for _, x := range xs {
		out <- x
	}
	close(out)
	return out
}

func main() {
	nums := Source(1, 2, 3, 4, 5)
	squares := Stage(nums, func(n int) int { return n * n })
	labels := Stage(squares, func(n int) string { return "#" + strconv.Itoa(n) })
	for s := range labels {
		fmt.Println(s)
	}
}
