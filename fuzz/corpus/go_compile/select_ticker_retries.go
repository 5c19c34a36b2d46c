package main

import (
	"fmt"
	"time"
)

func main() {
	ticker := time.NewTicker(5 * time.Millisecond)
	defer ticker.Stop()
	attempts := 0
	deadline := time.After(38 * time.Millisecond)
	for {
		select {
		case <-ticker.C:
			attempts++
			if attempts == 3 {
				fmt.Println("succeeded on attempt", attempts)
				return
			}
			fmt.Println("attempt", attempts, "failed")
		case <-deadline:
			fmt.Println("gave up")
			return
		}
	}
}
