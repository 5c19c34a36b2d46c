package main

import (
	"fmt"
	"time"
)

func main() {
	limiter := time.NewTicker(5 * time.Millisecond)
	defer limiter.Stop()
	start := time.Now()
	for i := 1; i <= 4; i++ {
		<-limiter.C
		fmt.Println("request", i)
	}
	fmt.Println(time.Since(start) >= 20*time.Millisecond)
}
