package main

import (
	"context"
	"fmt"
	"time"
)

func service(ctx context.Context, name string, work time.Duration, next func(context.Context) error) error {
	select {
	case <-time.After(work):
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", name, ctx.Err())
	}
	if next != nil {
		return next(ctx)
	}
	return nil
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := service(ctx, "A", 10*time.Millisecond, func(ctx context.Context) error {
		return service(ctx, "B", 10*time.Millisecond, func(ctx context.Context) error {
			return service(ctx, "C", 50*time.Millisecond, nil)
		})
	})
	fmt.Println(err)
}
