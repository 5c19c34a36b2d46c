package main

import (
	"context"
	"fmt"
)

type ctxKey string

func handler(ctx context.Context) {
	fmt.Println("request id:", ctx.Value(ctxKey("request-id")))
	fmt.Println("user:", ctx.Value(ctxKey("user")))
	fmt.Println("missing:", ctx.Value(ctxKey("missing")))
	fmt.Println("plain string key does not match:", ctx.Value("user"))
}

func main() {
	ctx := context.WithValue(context.Background(), ctxKey("request-id"), 42)
	ctx = context.WithValue(ctx, ctxKey("user"), "ann")
	child, cancel := context.WithCancel(ctx)
	handler(child)
	cancel()
	<-child.Done()
	fmt.Println(child.Err(), ctx.Err())
}
