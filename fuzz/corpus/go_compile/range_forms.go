package main

import "fmt"

func main() {
	for i := range 3 {
		fmt.Print(i)
	}
	fmt.Println()
	arr := [3]string{"a", "b", "c"}
	for i, v := range arr {
		fmt.Print(i, v, " ")
	}
	fmt.Println()
	sum := 0
	for _, v := range []int{1, 2, 3} {
		sum += v
	}
	fmt.Println(sum)
	m := map[int]bool{1: true}
	for k, v := range m {
		fmt.Println(k, v)
	}
}
