package main

import (
	"fmt"
	"sync"
)

func main() {
	const workers = 3
	const greeting = "hi"
	type result struct {
		id  int
		msg string
	}
	var wg sync.WaitGroup
	out := make(chan result, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- result{id: i, msg: greeting}
		}()
	}
	wg.Wait()
	close(out)
	n := 0
	for r := range out {
		n += r.id
		if r.msg != greeting {
			fmt.Println("bad")
		}
	}
	fmt.Println(n, workers)
}
