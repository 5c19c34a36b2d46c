package main

import "fmt"

func classify(n int, out chan<- string) {
	if n < 0 {
		goto negative
	}
	out <- fmt.Sprint(n, " ok")
	return
negative:
	out <- fmt.Sprint(n, " negative")
}

func main() {
	out := make(chan string)
	for _, n := range []int{4, -2} {
		go classify(n, out)
		fmt.Println(<-out)
	}
}
