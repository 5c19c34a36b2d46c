package main

import "fmt"

type Celsius float64

type Float interface {
	~float32 | ~float64
}

func Avg[T Float](xs []T) T {
	var sum T
	for _, x := range xs {
		sum += x
	}
	return sum / T(len(xs))
}

func main() {
	readings := make(chan []Celsius)
	go func() {
		readings <- []Celsius{20, 22, 27}
		readings <- []Celsius{-3, 5}
		close(readings)
	}()
	for r := range readings {
		a := Avg(r)
		fmt.Printf("%.2f %T\n", a, a)
	}
}
