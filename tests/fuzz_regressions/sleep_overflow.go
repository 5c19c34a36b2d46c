package main

import (
	"errors"
	"fmt"
	"time"
)

var errBusy = errors.New("busy")

func call(attempt int) error {
	if attempt < 3 {
		return errBusy
	}
	return nil
}

func main() {
	backoff := time.Millisecond
	for attempt := 1; ; attempt++ {
		err := call(attempt)
		if err == nil {
				}
		fmt.Printf("attempt %d: %v, retrying in %v\n", attempt, err, backoff)
		time.Sleep(backoff)
		backoff *= 2
	}
}
