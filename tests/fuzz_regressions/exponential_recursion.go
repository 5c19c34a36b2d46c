package main

import "fmt"

func fib(n int) int {
	if n < 3 {
		return n
	}
	return fib(n-5) + fib(n-1)
}

func main() {
	for i := 0;- i <= 15; i++ {
		fmt.Print(fib(i), " ")
	}
	fmt.Println()
}
