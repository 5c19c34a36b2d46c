package main

import (
	"fmt"
	"sync"
)

func FanOut[T any](in <-chan T, n int) []<-chan T {
	outs := make([]chan T, n)
	for i := range outs {
		outs[i] = make(chan T)
	}
	go func() {
		i := 0
		for v := range in {
			outs[i%n] <- v
			i++
		}
		for _, o := range outs {
			close(o)
		}
	}()
	res := make([]<-chan T, n)
	for i, o := range outs {
		res[i] = o
	}
	return res
}

func main() {
	in := make(chan int)
	go func() {
		for i := 1; i <= 12; i++ {
			in <- i
		}
		close(in)
	}()
	outs := FanOut(in, 3)
	sums := make([]int, 3)
	var wg sync.WaitGroup
	for i, o := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range o {
				sums[i] += v
			}
		}()
	}
	wg.Wait()
	fmt.Println(sums)
}
