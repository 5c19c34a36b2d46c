package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	for i := 3; i <= 5; i++ {
		go func() { ch <- i }()
		time.Sleep(5 * time.Millisecond)
	}
	for i := 0; i < 5; i++ {
		fmt.Print(<-ch, " ")
	}
	fmt.Println()
}
