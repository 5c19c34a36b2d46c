package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	out := make([]string, 3)
	for i, name := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func(idx int, s string) {
			defer wg.Done()
			out[idx] = s + s
		}(i, name)
	}
	wg.Wait()
	fmt.Println(out)
}
