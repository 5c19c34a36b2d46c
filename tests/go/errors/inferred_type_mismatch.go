package main

import "fmt"

func Same[T any](a, b T) bool { return true }

func main() {
	n := 1
	s := "x"
	fmt.Println(Same(n, s))
}
