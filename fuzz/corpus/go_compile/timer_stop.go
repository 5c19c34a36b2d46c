package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(20 * time.Millisecond)
	stopped := t.Stop()
	fmt.Println("stopped before firing:", stopped)
	select {
	case <-t.C:
		fmt.Println("fired")
	case <-time.After(40 * time.Millisecond):
		fmt.Println("never fired")
	}
	t2 := time.NewTimer(5 * time.Millisecond)
	<-t2.C
	fmt.Println("second timer fired; Stop now:", t2.Stop())
}
