package main

import "fmt"

func main() {
	done := make(chan int)
	go func() {
		println("worker", 1, true)
		done <- 7
	}()
	v := <-done
	print("got ", v, "\n")
	fmt.Println("stdout", v)
}
