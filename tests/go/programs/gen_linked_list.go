package main

import "fmt"

type List[T any] struct {
	head *node[T]
	size int
}

type node[T any] struct {
	val  T
	next *node[T]
}

func (l *List[T]) Push(v T) {
	l.head = &node[T]{val: v, next: l.head}
	l.size++
}

func (l *List[T]) Each(f func(T)) {
	for n := l.head; n != nil; n = n.next {
		f(n.val)
	}
}

func main() {
	c := make(chan string)
	go func() {
		for _, w := range []string{"one", "two", "three"} {
			c <- w
		}
		close(c)
	}()
	var l List[string]
	for w := range c {
		l.Push(w)
	}
	fmt.Println(l.size)
	l.Each(func(s string) { fmt.Println(s) })
}
