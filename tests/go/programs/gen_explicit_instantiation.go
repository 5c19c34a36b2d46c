package main

import (
	"fmt"
	"strconv"
)

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Identity[T any](v T) T { return v }

func main() {
	toStr := Map[int, string]
	c := make(chan []string)
	go func() {
		c <- toStr([]int{4, 5, 6}, func(n int) string { return strconv.Itoa(n * 2) })
	}()
	fmt.Println(<-c)
	id := Identity[float64]
	fmt.Println(id(2))
	fmt.Println(Identity[string]("x"), Identity(3))
}
