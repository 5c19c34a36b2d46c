package main

import "fmt"

func main() {
	ch := make(chan string)
	done := make(chan bool)
	go func() {
		msg := <-ch
		fmt.Println("received", msg)
		done <- true
	}()
	ch <- "hello"
	<-done
	fmt.Println("sender continues after the handoff")
}
