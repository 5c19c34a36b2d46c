package main

import (
	"errors"
	"fmt"
)

type TimeoutError struct{ Op string }

func (e *TimeoutError) Error() string { return e.Op + " timed out" }

func main() {
	errc := make(chan error, 3)
	go func() {
		errc <- errors.New("refused")
		errc <- &TimeoutError{Op: "dial"}
		errc <- nil
		close(errc)
	}()
	var errs []error
	for e := range errc {
		errs = append(errs, e)
	}
	fmt.Println(errs)
	fmt.Println(len(errs))
}
