package main

import "fmt"

func Three(yield func() bool) {
	for i := 0; i < 3; i++ {
		if !yield() {
			return
		}
	}
}

func main() {
	c := make(chan string, 3)
	for range Three {
		c <- "tick"
	}
	close(c)
	n := 0
	for s := range c {
		n++
		fmt.Println(n, s)
	}
}
