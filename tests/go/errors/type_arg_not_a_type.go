// check: position (go/parser and the gc compiler word syntax errors differently)
package main

import "fmt"

type Box[T any] struct{ v T }

func main() {
	var b Box[5]
	fmt.Println(b)
}
