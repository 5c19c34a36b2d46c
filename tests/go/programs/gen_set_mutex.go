package main

import (
	"fmt"
	"sort"
	"sync"
)

type Set[T comparable] map[T]struct{}

type SyncSet[T comparable] struct {
	mu sync.Mutex
	s  Set[T]
}

func NewSyncSet[T comparable]() *SyncSet[T] {
	return &SyncSet[T]{s: Set[T]{}}
}

func (ss *SyncSet[T]) Add(v T) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := ss.s[v]; ok {
		return false
	}
	ss.s[v] = struct{}{}
	return true
}

func (ss *SyncSet[T]) Items() []T {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]T, 0, len(ss.s))
	for k := range ss.s {
		out = append(out, k)
	}
	return out
}

func main() {
	set := NewSyncSet[int]()
	added := make(chan bool, 40)
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func(g int) {
			for i := 0; i < 10; i++ {
				added <- set.Add(i % 7)
			}
			done <- struct{}{}
		}(g)
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	close(added)
	fresh := 0
	for a := range added {
		if a {
			fresh++
		}
	}
	items := set.Items()
	sort.Ints(items)
	fmt.Println(fresh, items)
}
