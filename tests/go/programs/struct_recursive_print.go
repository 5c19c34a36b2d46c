package main

import "fmt"

type Node struct {
	Val  int
	Next *Node
}

func main() {
	n := &Node{1, &Node{2, nil}}
	fmt.Println(n.Val, n.Next.Val)
	fmt.Printf("%v %+v\n", *n.Next, n.Next)
}
