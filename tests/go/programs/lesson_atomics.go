// Lesson "Atomics vs a mutex": goroutines bump a shared counter, and a writer swaps a configuration
// that readers use. The lesson sets how the counter is protected and how the configuration is shared.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"

	"gmplab/lab"
)

const (
	counter    = "atomic" // "mutex", "atomic" or "plain" (no synchronisation: a data race)
	config     = "atomic" // "atomic" (swap a whole snapshot) or "plain" (update fields in place)
	goroutines = 8
	incsEach   = 1000
)

type Config struct {
	Version int
	Limit   int // always Version * 10 in a consistent snapshot
}

func main() {
	var mu sync.Mutex
	var n atomic.Int64
	plain := 0
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < incsEach; i++ {
				switch counter {
				case "mutex":
					mu.Lock()
					plain++
					mu.Unlock()
				case "atomic":
					n.Add(1)
				default:
					plain++
				}
			}
		}()
	}
	wg.Wait()
	total := plain + int(n.Load())
	lab.Count("lost_updates", goroutines*incsEach-total)

	// A configuration read by many, replaced by one.
	lab.Count("torn_reads", 0) // reported even when no read is torn
	var snap atomic.Value
	snap.Store(&Config{Version: 1, Limit: 10})
	shared := &Config{Version: 1, Limit: 10}
	var readers sync.WaitGroup
	for r := 0; r < goroutines; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; i < incsEach; i++ {
				var c Config
				if config == "atomic" {
					c = *snap.Load().(*Config)
				} else {
					c = Config{Version: shared.Version, Limit: shared.Limit}
				}
				if c.Limit != c.Version*10 {
					lab.Count("torn_reads", 1)
				}
			}
		}()
	}
	for v := 2; v <= 200; v++ {
		if config == "atomic" {
			snap.Store(&Config{Version: v, Limit: v * 10})
		} else {
			shared.Version = v
			shared.Limit = v * 10
		}
	}
	readers.Wait()
	fmt.Println("increments:", goroutines*incsEach)
}
