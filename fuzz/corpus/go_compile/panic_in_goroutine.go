package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		panic("worker crashed")
	}()
	time.Sleep(50 * time.Millisecond)
	fmt.Println("unreachable")
}
