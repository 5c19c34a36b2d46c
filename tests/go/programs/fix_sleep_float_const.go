package main

import (
	"fmt"
	"time"
)

func main() {
	c := make(chan string)
	go func() {
		time.Sleep(1e7)
		c <- "slow"
	}()
	go func() {
		time.Sleep(2e6)
		c <- "fast"
	}()
	fmt.Println(<-c, <-c)
	var n int = 1e3
	var d time.Duration = 1.5e9
	const k = 2.0
	var m int64 = k * 4
	fmt.Println(n, d, m)
}
