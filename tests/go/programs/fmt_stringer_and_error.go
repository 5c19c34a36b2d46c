package main

import (
	"errors"
	"fmt"
)

type Celsius float64

func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }

type NotFound struct{ Key string }

func (e *NotFound) Error() string { return "not found: " + e.Key }

type Point struct{ X, Y int }

func (p *Point) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }

func lookup(k string) error {
	if k == "" {
		return nil
	}
	return &NotFound{Key: k}
}

func main() {
	t := Celsius(21.5)
	fmt.Println(t, float64(t))
	fmt.Printf("%v|%s|%.2f|%d\n", t, t, float64(t), int(t))
	err := lookup("user:7")
	fmt.Println(err)
	fmt.Printf("error: %v\n", err)
	fmt.Println(lookup(""))
	fmt.Println(errors.Is(err, err))
	p := Point{1, 2}
	fmt.Println(p, &p)
	wrapped := fmt.Errorf("handler: %w", err)
	fmt.Println(wrapped, errors.Unwrap(wrapped) == err)
	var s fmt.Stringer = t
	fmt.Println(s)
}
