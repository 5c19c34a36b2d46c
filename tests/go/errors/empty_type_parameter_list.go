package main

import "fmt"

func F[]() {}

func main() {
	F()
	fmt.Println("x")
}
