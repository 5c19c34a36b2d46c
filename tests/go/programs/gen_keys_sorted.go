package main

import (
	"fmt"
	"sort"
	"sync"
)

func Keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func main() {
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for _, w := range []string{"x", "y", "x", "z", "y", "x"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			counts[w]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	ks := Keys(counts)
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Println(k, counts[k])
	}
}
