package main

import (
	"fmt"
	"sync"
)

func Tee[T any](in <-chan T) (<-chan T, <-chan T) {
	a, b := make(chan T), make(chan T)
	go func() {
		defer close(a)
		defer close(b)
		for v := range in {
			a1, b1 := a, b
			for i := 0; i < 2; i++ {
				select {
				case a1 <- v:
					a1 = nil
				case b1 <- v:
					b1 = nil
				}
			}
		}
	}()
	return a, b
}

func main() {
	in := make(chan int)
	go func() {
		for i := 1; i <= 5; i++ {
			in <- i
		}
		close(in)
	}()
	x, y := Tee(in)
	var wg sync.WaitGroup
	var sx, sy int
	wg.Add(2)
	go func() {
		defer wg.Done()
		for v := range x {
			sx += v
		}
	}()
	go func() {
		defer wg.Done()
		for v := range y {
			sy += v * 10
		}
	}()
	wg.Wait()
	fmt.Println(sx, sy)
}
