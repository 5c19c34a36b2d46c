package main

import "fmt"

type Dir int

func (d Dir) String() string {
	if d == 0 {
		return "send"
	}
	return "recv"
}

type Op struct {
	Kind Dir
	N    int
}

func main() {
	ops := make(chan Op, 2)
	ops <- Op{Kind: 0, N: 1}
	ops <- Op{Kind: 1, N: 2}
	close(ops)
	for o := range ops {
		fmt.Println(o)
		fmt.Printf("%+v\n", o)
	}
}
