package main

import (
	"context"
	"fmt"
)

func main() {
	parent, cancel := context.WithCancel(context.Background())
	cancel()
	child, cancelChild := context.WithCancel(parent)
	defer cancelChild()
	select {
	case <-child.Done():
		fmt.Println("the child is cancelled at once:", child.Err())
	default:
		fmt.Println("the child is alive")
	}
}
