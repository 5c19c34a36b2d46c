package main

import "fmt"

func main() {
	fmt.Println("about to block forever")
	select {}
}
