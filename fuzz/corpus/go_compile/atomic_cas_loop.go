package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var max atomic.Int64
	var wg sync.WaitGroup
	for i := 1; i <= 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				cur := max.Load()
				if int64(i) <= cur || max.CompareAndSwap(cur, int64(i)) {
					return
				}
			}
		}()
	}
	wg.Wait()
	fmt.Println(max.Load())
}
