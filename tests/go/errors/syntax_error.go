// check: position (go/parser and the gc compiler word syntax errors differently)
package main

import "fmt"

func main() {
	fmt.Println("unclosed"
}
