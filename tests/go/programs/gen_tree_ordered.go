package main

import (
	"cmp"
	"fmt"
)

type Tree[T cmp.Ordered] struct {
	root *tnode[T]
}

type tnode[T cmp.Ordered] struct {
	v           T
	left, right *tnode[T]
}

func insert[T cmp.Ordered](n *tnode[T], v T) *tnode[T] {
	if n == nil {
		return &tnode[T]{v: v}
	}
	if v < n.v {
		n.left = insert(n.left, v)
	} else {
		n.right = insert(n.right, v)
	}
	return n
}

func (t *Tree[T]) Insert(v T) {
	t.root = insert(t.root, v)
}

func (t *Tree[T]) Walk(out chan<- T) {
	var walk func(n *tnode[T])
	walk = func(n *tnode[T]) {
		if n == nil {
			return
		}
		walk(n.left)
		out <- n.v
		walk(n.right)
	}
	walk(t.root)
	close(out)
}

func main() {
	var t Tree[int]
	for _, v := range []int{5, 2, 8, 1, 9, 3} {
		t.Insert(v)
	}
	c := make(chan int)
	go t.Walk(c)
	for v := range c {
		fmt.Print(v, " ")
	}
	fmt.Println()
}
