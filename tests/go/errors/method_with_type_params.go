package main

import "fmt"

type Box struct{}

func (b Box) Put[T any](x T) {}

func main() {
	fmt.Println(Box{})
}
