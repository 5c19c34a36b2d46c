package main

import (
	"fmt"
	"sync"
)

func Merge[T any](cs ...<-chan T) <-chan T {
	out := make(chan T)
	var wg sync.WaitGroup
	wg.Add(len(cs))
	for _, c := range cs {
		go func(c <-chan T) {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}(c)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func gen(from, to int) <-chan int {
	c := make(chan int)
	go func() {
		for i := from; i < to; i++ {
			c <- i
		}
		close(c)
	}()
	return c
}

func main() {
	sum, n := 0, 0
	for v := range Merge(gen(0, 10), gen(10, 20), gen(20, 30)) {
		sum += v
		n++
	}
	fmt.Println(n, sum)
}
