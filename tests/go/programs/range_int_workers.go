package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	res := make(chan int, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := 0
			for i := range 10 {
				sum += i * w
			}
			res <- sum
		}()
	}
	wg.Wait()
	close(res)
	total := 0
	for r := range res {
		total += r
	}
	fmt.Println(total)
	for range 2 {
		fmt.Println("again")
	}
}
