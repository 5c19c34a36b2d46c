package main

import "fmt"

func seq(n int) {}

func main() {
	for x := range seq {
		fmt.Println(x)
	}
}
