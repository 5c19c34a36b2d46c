package main

import (
	"context"
	"fmt"
	"time"
)

func slowCall(ctx context.Context) error {
	select {
	case <-time.After(50 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := slowCall(ctx)
	fmt.Println(err)
	fmt.Println(err == context.DeadlineExceeded)
}
