package main

import (
	"fmt"
	"iter"
)

func Ints(c <-chan int) iter.Seq[int] {
	return func(yield func(int) bool) {
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
		defer close(c)
		for i := 0; i < 10; i++ {
			c <- i
		}
	}()
	odd := 0
	for v := range Ints(c) {
		if v%2 == 0 {
			continue
		}
		odd += v
	}
	fmt.Println(odd)
}
