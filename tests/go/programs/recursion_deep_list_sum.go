package main

import "fmt"

type node struct {
	val  int
	next *node
}

func sum(n *node) int {
	if n == nil {
		return 0
	}
	return n.val + sum(n.next)
}

func main() {
	var head *node
	for i := 1; i <= 100000; i++ {
		head = &node{val: i, next: head}
	}
	res := make(chan int)
	go func() { res <- sum(head) }()
	fmt.Println(<-res)
}
