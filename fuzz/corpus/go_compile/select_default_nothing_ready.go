package main

import "fmt"

func main() {
	ch := make(chan int)
	select {
	case v := <-ch:
		fmt.Println("got", v)
	default:
		fmt.Println("nothing ready")
	}
	buf := make(chan int, 1)
	select {
	case buf <- 1:
		fmt.Println("sent")
	default:
		fmt.Println("full")
	}
	select {
	case buf <- 2:
		fmt.Println("sent")
	default:
		fmt.Println("full")
	}
}
