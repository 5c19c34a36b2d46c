package main

import "fmt"

func main() {
	var s []int
	prev := -1
	for i := 0; i < 600; i++ {
		s = append(s, i)
		if cap(s) != prev {
			fmt.Print(cap(s), " ")
			prev = cap(s)
		}
	}
	fmt.Println()
	var nilSlice []int
	fmt.Println(nilSlice == nil, len(nilSlice), nilSlice)
}
