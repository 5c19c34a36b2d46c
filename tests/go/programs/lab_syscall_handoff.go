package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"gmplab/lab"
)

func main() {
	runtime.GOMAXPROCS(1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	order := []string{}
	wg.Add(2)
	go func() {
		defer wg.Done()
		lab.Syscall(20 * time.Millisecond)
		mu.Lock()
		order = append(order, "syscall")
		mu.Unlock()
	}()
	go func() {
		defer wg.Done()
		lab.Work(time.Millisecond)
		mu.Lock()
		order = append(order, "cpu work")
		mu.Unlock()
	}()
	wg.Wait()
	fmt.Println(order)
}
