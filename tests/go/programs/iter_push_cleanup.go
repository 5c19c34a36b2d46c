package main

import "fmt"

func Count(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		defer fmt.Println("iterator done")
		for i := 0; i < n; i++ {
			if !yield(i) {
				fmt.Println("stopped at", i)
				return
			}
		}
	}
}

func main() {
	results := make(chan int, 10)
	for i := range Count(10) {
		if i == 3 {
			break
		}
		results <- i * i
	}
	close(results)
	for r := range results {
		fmt.Println(r)
	}
	for i := range Count(2) {
		fmt.Println("all", i)
	}
}
