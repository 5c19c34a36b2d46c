package main

import "fmt"

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func produce(out chan<- Pair[string, int]) {
	names := []string{"ann", "bob", "cyd"}
	for i, n := range names {
		out <- Pair[string, int]{Key: n, Val: (i + 1) * 10}
	}
	close(out)
}

func main() {
	c := make(chan Pair[string, int])
	go produce(c)
	m := map[string]int{}
	for p := range c {
		m[p.Key] = p.Val
		fmt.Println(p.Key, p.Val)
	}
	fmt.Println(len(m), m["bob"])
	fmt.Printf("%T\n", Pair[string, int]{})
}
