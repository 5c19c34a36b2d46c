package main

import "fmt"

type Box[T any] struct {
	items []T
}

func (b *Box[T]) Add(v T) *Box[T] {
	b.items = append(b.items, v)
	return b
}

func (b Box[T]) Len() int { return len(b.items) }

func (b Box[T]) Send(c chan<- T) {
	for _, v := range b.items {
		c <- v
	}
	close(c)
}

func main() {
	b := &Box[string]{}
	b.Add("x").Add("y").Add("z")
	c := make(chan string)
	go b.Send(c)
	n := 0
	for v := range c {
		n++
		fmt.Println(n, v)
	}
	fmt.Println(b.Len())
}
