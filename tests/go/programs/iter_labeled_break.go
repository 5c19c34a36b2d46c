package main

import "fmt"

func Pairs(yield func(int, int) bool) {
	for i := 0; i < 4; i++ {
		if !yield(i, i*i) {
			return
		}
	}
}

func main() {
	c := make(chan int, 8)
outer:
	for i, sq := range Pairs {
		switch {
		case sq > 4:
			break outer
		case i == 1:
			continue outer
		}
		c <- sq
	}
	close(c)
	for v := range c {
		fmt.Println(v)
	}
}
