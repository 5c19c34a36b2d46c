package main

import "fmt"

func seq(yield func(int) bool) bool {
	return yield(1)
}

func main() {
	for x := range seq {
		fmt.Println(x)
	}
}
