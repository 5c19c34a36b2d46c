package main

import (
	"fmt"
	"iter"
)

func main() {
	var s iter.Seq[int, string]
	fmt.Println(s == nil)
}
