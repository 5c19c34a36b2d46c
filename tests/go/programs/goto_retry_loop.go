package main

import "fmt"

func main() {
	c := make(chan int, 5)
	attempts := 0
retry:
	attempts++
	if attempts < 3 {
		c <- attempts
		goto retry
	}
	close(c)
	for v := range c {
		fmt.Println("attempt", v)
	}
	fmt.Println("total", attempts)
}
