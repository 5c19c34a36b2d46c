package main

import "fmt"

type Point struct{ X, Y int }

func main() {
	var p Point[int]
	fmt.Println(p)
}
