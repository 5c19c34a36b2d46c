package main

import "fmt"

type Node struct{ name string }

func (n *Node) String() string { return "<" + n.name + ">" }

func main() {
	c := make(chan *Node, 2)
	c <- &Node{"a"}
	c <- &Node{"b"}
	close(c)
	var ns []*Node
	for n := range c {
		ns = append(ns, n)
	}
	fmt.Println(ns)
	fmt.Println(ns[0])
}
