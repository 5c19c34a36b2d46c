package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	root, cancelRoot := context.WithCancel(context.Background())
	child, cancelChild := context.WithTimeout(root, time.Hour)
	defer cancelChild()
	grandchild, cancelGrand := context.WithCancel(child)
	defer cancelGrand()
	cancelRoot()
	<-grandchild.Done()
	fmt.Println(root.Err(), child.Err(), grandchild.Err())
}
