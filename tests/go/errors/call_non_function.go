package main

import "fmt"

func main() {
	n := 3
	fmt.Println(n())
}
