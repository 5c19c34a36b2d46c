package main

import "fmt"

func depth(n int) int {
	return depth(n+1) + 1
}

func main() {
	done := make(chan int)
	go func() {
		done <- depth(0)
	}()
	fmt.Println(<-done)
}
