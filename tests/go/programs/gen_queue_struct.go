package main

import "fmt"

type Queue[T any] struct {
	ch chan T
}

func NewQueue[T any](n int) *Queue[T] {
	return &Queue[T]{ch: make(chan T, n)}
}

func (q *Queue[T]) Put(v T) { q.ch <- v }

func (q *Queue[T]) Get() T { return <-q.ch }

func (q *Queue[T]) TryGet() (T, bool) {
	select {
	case v := <-q.ch:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

func main() {
	q := NewQueue[float64](2)
	done := make(chan bool)
	go func() {
		for i := 0; i < 4; i++ {
			q.Put(float64(i) * 1.5)
		}
		done <- true
	}()
	for i := 0; i < 4; i++ {
		fmt.Println(q.Get())
	}
	<-done
	v, ok := q.TryGet()
	fmt.Println(v, ok)
}
