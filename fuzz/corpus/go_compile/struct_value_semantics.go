package main

import "fmt"

type Point struct{ X, Y int }

func (p Point) Moved(dx int) Point {
	p.X += dx
	return p
}

func (p *Point) Move(dx int) { p.X += dx }

func main() {
	a := Point{1, 2}
	b := a
	b.X = 100
	fmt.Println(a, b)
	c := a.Moved(5)
	fmt.Println(a, c)
	a.Move(3)
	fmt.Println(a)
	pp := &a
	pp.Y = 9
	fmt.Println(a, *pp)
	fmt.Printf("%v %+v\n", a, pp)
}
