package main

import "fmt"

func main() {
	in := make(chan int)
	out := make(chan int, 1)
	go func() { in <- 3 }()
	got := 0
	for got < 2 {
		select {
		case v := <-in:
			fmt.Println("received", v)
			got++
		case out <- 8:
			fmt.Println("sent 8")
			got++
		}
	}
}
