package main

import "fmt"

func main() {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	ch <- 3
	fmt.Println(len(ch), cap(ch))
	fmt.Println(<-ch, <-ch, <-ch)
	fmt.Println(len(ch))
}
