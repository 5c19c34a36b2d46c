package main

import "fmt"

func Bad(yield func(int) bool) {
	yield(1)
	yield(2)
}

func main() {
	done := make(chan bool)
	go func() {
		defer func() {
			fmt.Println("recovered:", recover())
			done <- true
		}()
		for v := range Bad {
			fmt.Println(v)
			break
		}
	}()
	<-done
}
