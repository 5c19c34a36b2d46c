package main

import (
	"fmt"
	"runtime"
)

func main() {
	prev := runtime.GOMAXPROCS(3)
	fmt.Println(prev > 0, runtime.GOMAXPROCS(0))
}
