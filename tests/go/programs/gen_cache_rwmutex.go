package main

import (
	"fmt"
	"sync"
)

type Cache[K comparable, V any] struct {
	mu   sync.RWMutex
	data map[K]V
	hits int
}

func NewCache[K comparable, V any]() *Cache[K, V] {
	return &Cache[K, V]{data: make(map[K]V)}
}

func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.data[k]
	return v, ok
}

func (c *Cache[K, V]) Set(k K, v V) {
	c.mu.Lock()
	c.data[k] = v
	c.mu.Unlock()
}

func main() {
	c := NewCache[string, int]()
	var wg sync.WaitGroup
	keys := []string{"a", "b", "c", "d"}
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Set(k, i*i)
		}()
	}
	wg.Wait()
	results := make(chan int, len(keys))
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := c.Get(k)
			results <- v
		}()
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	_, missing := c.Get("zz")
	fmt.Println(sum, missing)
}
