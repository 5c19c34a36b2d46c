package main

import "fmt"

type item struct {
	name string
	n    int
}

func main() {
	c := make(chan []int, 1)
	c <- []int{1, 2, 3}
	s := <-c
	clear(s[1:])
	fmt.Println(s, len(s))
	words := []string{"a", "b"}
	clear(words)
	fmt.Println(len(words), words[0] == "", words[1] == "")
	items := []item{{"x", 1}, {"y", 2}}
	clear(items)
	fmt.Println(items)
}
