package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	done := make(chan string)
	for _, name := range []string{"first", "second", "third"} {
		go func() {
			v := <-ch
			done <- fmt.Sprint(name, " got ", v)
		}()
		time.Sleep(5 * time.Millisecond)
	}
	for i := 1; i <= 3; i++ {
		ch <- i
		fmt.Println(<-done)
	}
}
