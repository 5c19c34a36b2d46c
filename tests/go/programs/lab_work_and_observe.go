package main

import (
	"fmt"
	"sync"
	"time"

	"gmplab/lab"
)

func handle(wg *sync.WaitGroup) {
	defer wg.Done()
	start := lab.Start()
	lab.Work(2 * time.Millisecond)
	lab.Finish(start)
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go handle(&wg)
	}
	wg.Wait()
	fmt.Println("observed", lab.Observed(), "requests")
	d := lab.Uniform(time.Millisecond, 3*time.Millisecond)
	fmt.Println(d >= time.Millisecond && d <= 3*time.Millisecond)
	e := lab.Exp(time.Millisecond)
	fmt.Println(e >= 0)
}
