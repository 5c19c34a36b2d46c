package main

import (
	"fmt"
	"time"
)

type Future[T any] struct {
	done chan struct{}
	val  T
}

func Async[T any](f func() T) *Future[T] {
	fu := &Future[T]{done: make(chan struct{})}
	go func() {
		fu.val = f()
		close(fu.done)
	}()
	return fu
}

func (f *Future[T]) Await() T {
	<-f.done
	return f.val
}

func main() {
	a := Async(func() int {
		time.Sleep(20 * time.Millisecond)
		return 42
	})
	b := Async(func() string {
		time.Sleep(10 * time.Millisecond)
		return "ready"
	})
	fmt.Println(b.Await())
	fmt.Println(a.Await())
	fmt.Println(a.Await() + 1)
}
