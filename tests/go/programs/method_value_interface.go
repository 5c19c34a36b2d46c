package main

import "fmt"

type Shape interface {
	Area() float64
}

type Rect struct{ W, H float64 }

func (r Rect) Area() float64 { return r.W * r.H }

type Sq struct{ S float64 }

func (s *Sq) Area() float64 { return s.S * s.S }

func main() {
	shapes := []Shape{Rect{2, 3}, &Sq{4}}
	fs := make([]func() float64, 0)
	for _, s := range shapes {
		fs = append(fs, s.Area)
	}
	c := make(chan float64, len(fs))
	for _, f := range fs {
		go func() { c <- f() }()
	}
	sum := 0.0
	for range fs {
		sum += <-c
	}
	fmt.Println(sum)
}
