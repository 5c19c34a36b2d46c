package main

import "fmt"

type Point struct{ X, Y int }

func main() {
	p := Point{}
	fmt.Println(p.Z)
}
