// outcomes: vary
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done()
			fmt.Println("never seen", i)
		}()
	}
	wg.Wait()
	fmt.Println("Wait returned at once: nothing was added")
}
