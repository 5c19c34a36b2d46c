package main

import "fmt"

func main() {
	ch := make(chan int)
	go func() {
		for i := 1; i <= 5; i++ {
			ch <- i * 10
		}
		close(ch)
	}()
	total := 0
	for v := range ch {
		total += v
		fmt.Println("got", v)
	}
	fmt.Println("total", total)
}
