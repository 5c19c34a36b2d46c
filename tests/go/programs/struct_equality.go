package main

import "fmt"

type Point struct{ X, Y int }

type Segment struct {
	From, To Point
	Label    string
}

func main() {
	a := Point{1, 2}
	b := Point{1, 2}
	c := Point{2, 1}
	fmt.Println(a == b, a != b, a == c, a == Point{})
	pa, pb := &a, &b
	fmt.Println(pa == pb, *pa == *pb, pa == &a)
	s1 := Segment{a, c, "x"}
	s2 := Segment{b, c, "x"}
	fmt.Println(s1 == s2)
	s2.Label = "y"
	fmt.Println(s1 == s2)
	grid := [3]int{1, 2, 3}
	other := [3]int{1, 2, 3}
	fmt.Println(grid == other, grid != [3]int{})
}
