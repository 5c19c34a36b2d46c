package main

import (
	"fmt"
	"iter"
)

func Enumerate[T any](c <-chan T) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		i := 0
		for v := range c {
			if !yield(i, v) {
				return
			}
			i++
		}
	}
}

func main() {
	c := make(chan string, 3)
	c <- "red"
	c <- "green"
	c <- "blue"
	close(c)
	for i, s := range Enumerate(c) {
		fmt.Println(i, s)
	}
}
