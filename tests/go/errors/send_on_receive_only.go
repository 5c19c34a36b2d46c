// check: position
package main

func worker(in <-chan int) {
	in <- 1
}

func main() {
	worker(make(chan int))
}
