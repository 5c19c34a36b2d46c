package main

import "fmt"

type Tag struct{ name string }

func (t Tag) Show() string { return "tag:" + t.name }

func main() {
	t := Tag{name: "before"}
	show := t.Show
	t.name = "after"
	c := make(chan string, 2)
	go func() {
		c <- show()
		c <- t.Show()
	}()
	fmt.Println(<-c)
	fmt.Println(<-c)
}
