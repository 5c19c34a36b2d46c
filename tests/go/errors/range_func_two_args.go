package main

import "fmt"

func seq(yield func(int) bool, n int) {}

func main() {
	for x := range seq {
		fmt.Println(x)
	}
}
