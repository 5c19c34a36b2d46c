package main

import (
	"errors"
	"fmt"
)

var ErrTimeout = errors.New("timeout")

func fetch() error {
	return fmt.Errorf("fetch user 7: %w", ErrTimeout)
}

func handle() error {
	if err := fetch(); err != nil {
		return fmt.Errorf("handle request: %w", err)
	}
	return nil
}

func main() {
	err := handle()
	fmt.Println(err)
	fmt.Println(err == ErrTimeout, errors.Is(err, ErrTimeout))
	fmt.Println(errors.Unwrap(errors.Unwrap(err)) == ErrTimeout)
	fmt.Println(errors.Is(fmt.Errorf("no wrap: %v", ErrTimeout), ErrTimeout))
}
