package main

import "fmt"

func main() {
	defer fmt.Println("deferred calls still run")
	panic("boom")
}
