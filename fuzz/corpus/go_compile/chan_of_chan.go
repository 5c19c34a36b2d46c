package main

import "fmt"

func main() {
	requests := make(chan chan int)
	go func() {
		for reply := range requests {
			reply <- 99
		}
	}()
	for i := 0; i < 3; i++ {
		r := make(chan int)
		requests <- r
		fmt.Println(<-r + i)
	}
}
