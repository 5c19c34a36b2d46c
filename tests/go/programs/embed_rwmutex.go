package main

import (
	"fmt"
	"sync"
)

type Registry struct {
	sync.RWMutex
	names map[int]string
}

func (r *Registry) Put(id int, n string) {
	r.Lock()
	r.names[id] = n
	r.Unlock()
}

func (r *Registry) Name(id int) string {
	r.RLock()
	defer r.RUnlock()
	return r.names[id]
}

func main() {
	r := Registry{names: map[int]string{}}
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Put(i, fmt.Sprint("svc", i))
		}()
	}
	wg.Wait()
	out := make(chan string, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- r.Name(i)
		}()
	}
	wg.Wait()
	close(out)
	n := 0
	for s := range out {
		n += len(s)
	}
	fmt.Println(n, r.Name(3))
}
