package main

import "fmt"

func main() {
	var n int64 = 3
	c := make(chan int64, 3)
	for i := range n {
		c <- i * 100
	}
	close(c)
	for v := range c {
		fmt.Printf("%d %T\n", v, v)
	}
	type level uint8
	var lv level = 2
	for l := range lv {
		fmt.Printf("%v %T\n", l, l)
	}
}
