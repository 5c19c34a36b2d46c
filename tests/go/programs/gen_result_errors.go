package main

import (
	"errors"
	"fmt"
)

type Result[T any] struct {
	Val T
	Err error
}

func try[T any](f func() (T, error)) <-chan Result[T] {
	c := make(chan Result[T], 1)
	go func() {
		v, err := f()
		c <- Result[T]{Val: v, Err: err}
	}()
	return c
}

func main() {
	ok := try(func() (int, error) { return 7, nil })
	bad := try(func() (string, error) { return "", errors.New("boom") })
	r1 := <-ok
	r2 := <-bad
	fmt.Println(r1.Val, r1.Err == nil)
	fmt.Println(r2.Val == "", r2.Err)
}
