package main

import "fmt"

func main() {
	r := '\U00110000'
	fmt.Println(r)
}
