package main

import "fmt"

type Integer interface {
	int | int64
}

func Double[T Integer](x T) T { return x * 2 }

func main() {
	fmt.Println(Double[float64](1.5))
}
