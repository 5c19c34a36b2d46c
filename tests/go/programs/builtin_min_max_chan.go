package main

import "fmt"

func main() {
	c := make(chan int)
	go func() {
		for _, v := range []int{7, -2, 15, 4} {
			c <- v
		}
		close(c)
	}()
	lo, hi := 1<<31, -1<<31
	for v := range c {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	fmt.Println(lo, hi, min(3, 1, 2), max(2.5, 1))
	fmt.Println(max("apple", "banana", "cherry"), min(0.5, -1.5))
}
