package main

import "fmt"

func main() {
	fmt.Println("go\457.s")
}
