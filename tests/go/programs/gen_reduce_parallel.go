package main

import "fmt"

func Reduce[T, A any](xs []T, init A, f func(A, T) A) A {
	acc := init
	for _, x := range xs {
		acc = f(acc, x)
	}
	return acc
}

func Chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	return append(out, xs)
}

func main() {
	data := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	parts := Chunks(data, 3)
	c := make(chan int)
	for _, p := range parts {
		go func() {
			c <- Reduce(p, 0, func(a, x int) int { return a + x*x })
		}()
	}
	total := 0
	for range parts {
		total += <-c
	}
	fmt.Println(len(parts), total)
	fmt.Println(Reduce([]string{"a", "b"}, "", func(a, s string) string { return a + s + s }))
}
