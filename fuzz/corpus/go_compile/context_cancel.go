package main

import (
	"context"
	"fmt"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	fmt.Println(ctx.Err())
	done := make(chan struct{})
	go func() {
		<-ctx.Done()
		fmt.Println("worker saw:", ctx.Err())
		close(done)
	}()
	cancel()
	<-done
	cancel()
	fmt.Println(ctx.Err() == context.Canceled)
}
