package main

import "fmt"

func Naturals(yield func(int) bool) {
	for i := 1; ; i++ {
		if !yield(i) {
			return
		}
	}
}

func firstMultiple(k int) (int, string) {
	for n := range Naturals {
		if n%k == 0 {
			return n, "found"
		}
	}
	return 0, "never"
}

func main() {
	c := make(chan string)
	go func() {
		n, s := firstMultiple(7)
		c <- fmt.Sprint(n, " ", s)
	}()
	fmt.Println(<-c)
}
