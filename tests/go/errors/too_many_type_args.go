package main

import "fmt"

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func main() {
	var p Pair[int, string, bool]
	fmt.Println(p)
}
