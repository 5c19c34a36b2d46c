package main

import "fmt"

func main() {
	beats := make(chan int, 1)
	sent, skipped := 0, 0
	for i := 0; i < 5; i++ {
		select {
		case beats <- i:
			sent++
		default:
			skipped++
		}
	}
	fmt.Println(sent, skipped, <-beats)
}
