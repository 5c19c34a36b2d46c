package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("closing while a sender is parked")
	close(ch)
	time.Sleep(10 * time.Millisecond)
	fmt.Println("not reached: the woken sender panics")
}
