// check: position (the Go compiler names the declaration with its path relative to the build)
package main

import "fmt"

func Make[T any](n int) []T { return make([]T, n) }

func main() {
	fmt.Println(Make(3))
}
