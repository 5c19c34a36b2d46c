package main

import (
	"fmt"
	"time"
)

func source(name string, every time.Duration, n int) <-chan string {
	ch := make(chan string)
	go func() {
		for i := 1; i <= n; i++ {
			time.Sleep(every)
			ch <- fmt.Sprintf("%s%d", name, i)
		}
		close(ch)
	}()
	return ch
}

func main() {
	a := source("a", 10*time.Millisecond, 3)
	b := source("b", 25*time.Millisecond, 1)
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			fmt.Println(v)
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			fmt.Println(v)
		}
	}
}
