package main

import "fmt"

type Number interface {
	~int | ~int64 | ~float64
}

func SumChan[T Number](c <-chan T) T {
	var total T
	for v := range c {
		total += v
	}
	return total
}

func feed[T any](xs []T) <-chan T {
	c := make(chan T)
	go func() {
		for _, x := range xs {
			c <- x
		}
		close(c)
	}()
	return c
}

type Cents int64

func main() {
	fmt.Println(SumChan(feed([]int{1, 2, 3, 4})))
	fmt.Println(SumChan(feed([]float64{0.5, 0.25, 0.125})))
	fmt.Println(SumChan(feed([]Cents{199, 250, 1})))
}
