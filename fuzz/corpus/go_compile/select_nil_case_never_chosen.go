package main

import "fmt"

func main() {
	var never chan int
	ready := make(chan int, 1)
	ready <- 5
	for i := 0; i < 3; i++ {
		select {
		case v := <-never:
			fmt.Println("impossible", v)
		case v, ok := <-ready:
			fmt.Println("ready", v, ok)
			ready = nil
		default:
			fmt.Println("default")
		}
	}
}
