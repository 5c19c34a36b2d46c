package main

import (
	"fmt"
	"sync"
)

type SafeStack[T any] struct {
	mu    sync.Mutex
	items []T
}

func (s *SafeStack[T]) Push(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, v)
}

func (s *SafeStack[T]) Pop() (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

func (s *SafeStack[T]) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func main() {
	var st SafeStack[int]
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				st.Push(g*100 + i)
			}
		}(g)
	}
	wg.Wait()
	fmt.Println(st.Len())
	total := 0
	for {
		v, ok := st.Pop()
		if !ok {
			break
		}
		total += v
	}
	fmt.Println(total, st.Len())
}
