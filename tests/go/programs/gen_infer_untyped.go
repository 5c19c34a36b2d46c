package main

import "fmt"

type Number interface {
	~int | ~float64
}

func Scale[T Number](xs []T, k T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

func Add[T Number](a, b T) T { return a + b }

func main() {
	c := make(chan []float64, 1)
	go func() { c <- Scale([]float64{1, 2.5}, 2) }()
	fmt.Println(<-c)
	fmt.Println(Scale([]int{1, 2, 3}, 3))
	fmt.Println(Add(1, 2.5), Add(3, 4))
}
