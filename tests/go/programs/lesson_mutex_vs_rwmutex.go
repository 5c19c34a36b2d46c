// Lesson "Mutex vs RWMutex": goroutines share a small cache; each operation either reads it under
// the lock or writes it. The lesson sets the constants below and compares how long the whole batch
// takes with a Mutex and with an RWMutex.
package main

import (
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	mode       = "rwmutex" // "mutex" or "rwmutex"
	goroutines = 8
	opsEach    = 250
	readPct    = 90   // share of operations that only read, in percent
	holdNs     = 5000 // work done while holding the lock, in nanoseconds
)

type cache struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[int]int
}

func (c *cache) get(k int) int {
	hold := time.Duration(holdNs)
	if mode == "mutex" {
		c.mu.Lock()
		defer c.mu.Unlock()
	} else {
		c.rw.RLock()
		defer c.rw.RUnlock()
	}
	lab.Work(hold)
	return c.data[k]
}

func (c *cache) set(k, v int) {
	hold := time.Duration(holdNs)
	if mode == "mutex" {
		c.mu.Lock()
		defer c.mu.Unlock()
	} else {
		c.rw.Lock()
		defer c.rw.Unlock()
	}
	lab.Work(hold)
	c.data[k] = v
}

func main() {
	c := &cache{data: map[int]int{}}
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < opsEach; i++ {
				// A fixed interleaving of reads and writes, about readPct% of them reads.
				if (i*37+g*11)%100 < readPct {
					c.get(i % 16)
					lab.Count("reads", 1)
				} else {
					c.set(i%16, i)
					lab.Count("writes", 1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Println("operations:", goroutines*opsEach)
}
