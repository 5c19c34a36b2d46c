package main

import (
	"fmt"
	"sync"
)

func main() {
	var a, b sync.Mutex
	var wg sync.WaitGroup
	wg.Add(2)
	ready := make(chan bool)
	go func() {
		defer wg.Done()
		a.Lock()
		ready <- true
		<-ready
		b.Lock()
	}()
	go func() {
		defer wg.Done()
		b.Lock()
		<-ready
		ready <- true
		a.Lock()
	}()
	wg.Wait()
	fmt.Println("unreachable")
}
