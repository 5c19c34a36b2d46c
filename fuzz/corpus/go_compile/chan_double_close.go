package main

import "fmt"

func main() {
	ch := make(chan struct{})
	close(ch)
	fmt.Println("first close ok")
	close(ch)
}
