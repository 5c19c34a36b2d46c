// check: position (the Go compiler names the declaration with its path relative to the build)
package main

import "fmt"

func Zero[T any]() T {
	var z T
	return z
}

func main() {
	fmt.Println(Zero())
}
