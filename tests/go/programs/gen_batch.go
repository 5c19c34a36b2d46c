package main

import "fmt"

func Batch[T any](in <-chan T, size int) <-chan []T {
	out := make(chan []T)
	go func() {
		defer close(out)
		var cur []T
		for v := range in {
			cur = append(cur, v)
			if len(cur) == size {
				out <- cur
				cur = nil
			}
		}
		if len(cur) > 0 {
			out <- cur
		}
	}()
	return out
}

func main() {
	in := make(chan string)
	go func() {
		for _, s := range []string{"a", "b", "c", "d", "e", "f", "g"} {
			in <- s
		}
		close(in)
	}()
	for b := range Batch(in, 3) {
		fmt.Println(len(b), b)
	}
}
