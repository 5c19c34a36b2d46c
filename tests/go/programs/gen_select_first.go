package main

import (
	"fmt"
	"time"
)

func First[T any](a, b <-chan T, timeout time.Duration) (T, string) {
	select {
	case v := <-a:
		return v, "a"
	case v := <-b:
		return v, "b"
	case <-time.After(timeout):
		var zero T
		return zero, "timeout"
	}
}

func after[T any](d time.Duration, v T) <-chan T {
	c := make(chan T, 1)
	go func() {
		time.Sleep(d)
		c <- v
	}()
	return c
}

func main() {
	fmt.Println(First(after(30*time.Millisecond, 1), after(10*time.Millisecond, 2), time.Second))
	fmt.Println(First(after(10*time.Millisecond, "x"), after(40*time.Millisecond, "y"), time.Second))
	fmt.Println(First(after(50*time.Millisecond, 1.5), after(60*time.Millisecond, 2.5), 20*time.Millisecond))
}
