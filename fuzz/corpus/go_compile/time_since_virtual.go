package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	elapsed := time.Since(start)
	fmt.Println(elapsed >= 20*time.Millisecond, elapsed < 200*time.Millisecond)
}
