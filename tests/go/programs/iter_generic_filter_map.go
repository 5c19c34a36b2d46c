package main

import (
	"fmt"
	"iter"
)

func Filter[T any](seq iter.Seq[T], keep func(T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

func Map[T, U any](seq iter.Seq[T], f func(T) U) iter.Seq[U] {
	return func(yield func(U) bool) {
		for v := range seq {
			if !yield(f(v)) {
				return
			}
		}
	}
}

func Gen(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func main() {
	done := make(chan []string)
	go func() {
		var out []string
		for s := range Map(Filter(Gen(10), func(n int) bool { return n%3 == 0 }), func(n int) string { return fmt.Sprint("n", n) }) {
			out = append(out, s)
		}
		done <- out
	}()
	fmt.Println(<-done)
}
