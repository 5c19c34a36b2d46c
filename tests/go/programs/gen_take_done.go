package main

import "fmt"

func Repeat[T any](done <-chan struct{}, vals ...T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for {
			for _, v := range vals {
				select {
				case <-done:
					return
				case out <- v:
				}
			}
		}
	}()
	return out
}

func Take[T any](done <-chan struct{}, in <-chan T, n int) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			select {
			case <-done:
				return
			case out <- <-in:
			}
		}
	}()
	return out
}

func main() {
	done := make(chan struct{})
	for v := range Take(done, Repeat(done, "a", "b", "c"), 7) {
		fmt.Print(v, " ")
	}
	fmt.Println()
	close(done)
}
