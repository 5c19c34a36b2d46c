package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	parent, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	// A later deadline than the parent's is ignored: the child ends with the parent.
	child, cancelChild := context.WithTimeout(parent, time.Hour)
	defer cancelChild()
	start := time.Now()
	<-child.Done()
	fmt.Println(child.Err(), time.Since(start) < time.Second)
	// A deadline already in the past ends the context at once.
	past, cancelPast := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelPast()
	select {
	case <-past.Done():
		fmt.Println("expired at once:", past.Err())
	default:
		fmt.Println("still alive")
	}
}
