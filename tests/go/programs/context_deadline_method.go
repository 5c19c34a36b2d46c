package main

import (
	"context"
	"fmt"
	"time"
)

type key struct{}

// ctx.Deadline reports the earliest deadline up the chain; time.Until counts down to it.
func main() {
	_, ok := context.Background().Deadline()
	fmt.Println("background has a deadline:", ok)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	dl, ok := ctx.Deadline()
	left := time.Until(dl)
	fmt.Println(ok, left > 40*time.Millisecond, left <= 50*time.Millisecond)

	later, cancelLater := context.WithTimeout(ctx, time.Second) // the parent's deadline is earlier
	defer cancelLater()
	d2, _ := later.Deadline()
	fmt.Println("child keeps the earlier deadline:", d2.Equal(dl))

	v := context.WithValue(ctx, key{}, 1)
	d3, ok3 := v.Deadline()
	fmt.Println("a value context inherits it:", ok3, d3.Equal(dl))

	time.Sleep(60 * time.Millisecond)
	fmt.Println(time.Until(dl) < 0, ctx.Err())
}
