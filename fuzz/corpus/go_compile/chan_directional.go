package main

import "fmt"

func produce(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
	close(out)
}

func consume(in <-chan int, done chan<- int) {
	sum := 0
	for v := range in {
		sum += v
	}
	done <- sum
}

func main() {
	ch := make(chan int, 4)
	done := make(chan int)
	go produce(ch, 10)
	go consume(ch, done)
	fmt.Println(<-done)
}
