package main

import "fmt"

func helper() {
	if r := recover(); r != nil {
		fmt.Println("helper recovered", r)
	}
}

func main() {
	defer func() {
		helper()
	}()
	panic("not recovered by a nested call")
}
