package main

import (
	"fmt"
	"time"
)

func main() {
	queue := make(chan int, 2)
	dropped := 0
	go func() {
		for v := range queue {
			time.Sleep(3 * time.Millisecond)
			_ = v
		}
	}()
	for i := 0; i < 10; i++ {
		select {
		case queue <- i:
		default:
			dropped++
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Println("dropped some:", dropped > 0, "kept some:", dropped < 10)
}
