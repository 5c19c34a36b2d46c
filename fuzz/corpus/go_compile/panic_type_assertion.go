package main

import "fmt"

func main() {
	var x any = "text"
	s, ok := x.(string)
	fmt.Println(s, ok)
	n, ok := x.(int)
	fmt.Println(n, ok)
	fmt.Println(x.(int))
}
