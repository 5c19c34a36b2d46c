package main

import (
	"fmt"
	"iter"
)

func FromChan[T any](c <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range c {
			if !yield(v) {
				return
			}
		}
	}
}

func main() {
	c := make(chan int)
	go func() {
		for i := 1; ; i++ {
			c <- i
		}
	}()
	sum := 0
	for v := range FromChan(c) {
		if v > 5 {
			break
		}
		sum += v
	}
	fmt.Println(sum)
}
