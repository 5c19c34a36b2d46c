package main

import (
	"fmt"
	"sort"
	"sync"
)

func merge(cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func producer(start, n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- start + i
		}
		close(ch)
	}()
	return ch
}

func main() {
	var got []int
	for v := range merge(producer(0, 3), producer(100, 3), producer(200, 2)) {
		got = append(got, v)
	}
	sort.Ints(got)
	fmt.Println(got)
}
