package main

import "fmt"

type Level int

func (l Level) String() string {
	switch l {
	case 0:
		return "low"
	case 1:
		return "mid"
	}
	return "high"
}

func main() {
	c := make(chan Level, 3)
	for i := range 3 {
		c <- Level(i)
	}
	close(c)
	var ls []Level
	for l := range c {
		ls = append(ls, l)
	}
	fmt.Println(ls)
	fmt.Printf("%v %s\n", ls, ls[1:])
}
