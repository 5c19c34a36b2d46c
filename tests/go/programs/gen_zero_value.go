package main

import "fmt"

func Zero[T any]() T {
	var z T
	return z
}

func RecvOr[T any](c <-chan T) T {
	select {
	case v, ok := <-c:
		if ok {
			return v
		}
	default:
	}
	return Zero[T]()
}

type point struct{ X, Y int }

func main() {
	ci := make(chan int, 1)
	ci <- 9
	fmt.Println(RecvOr(ci), RecvOr(ci))
	cs := make(chan string)
	close(cs)
	fmt.Printf("%q\n", RecvOr(cs))
	cp := make(chan point, 1)
	cp <- point{1, 2}
	fmt.Println(RecvOr(cp), RecvOr(cp))
	fmt.Println(Zero[bool](), Zero[float64]())
}
