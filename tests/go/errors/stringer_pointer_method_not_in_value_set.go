package main

import "fmt"

type N struct{ s string }

func (n *N) String() string { return n.s }

func Show[T fmt.Stringer](x T) string { return x.String() }

func main() {
	fmt.Println(Show(N{"a"}))
}
