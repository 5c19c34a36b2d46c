package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan struct{})
	go func() {
		time.Sleep(5 * time.Millisecond)
		close(done)
	}()
	spins := 0
	for {
		select {
		case <-done:
			fmt.Println("done after spinning:", spins > 0)
			return
		default:
			spins++
			time.Sleep(100 * time.Microsecond)
		}
	}
}
