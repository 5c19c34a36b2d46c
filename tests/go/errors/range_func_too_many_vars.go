package main

import "fmt"

func seq(yield func(int) bool) {
	yield(1)
}

func main() {
	for i, x := range seq {
		fmt.Println(i, x)
	}
}
