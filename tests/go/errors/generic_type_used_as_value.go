package main

import "fmt"

type Box[T any] struct{ v T }

func main() {
	x := Box
	fmt.Println(x)
}
