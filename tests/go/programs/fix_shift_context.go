package main

import "fmt"

func mask(s uint) uint {
	return 1 << s
}

func bits(s int) uint8 {
	return 1<<s - 1
}

func main() {
	c := make(chan uint, 4)
	for i := range 4 {
		go func() { c <- mask(uint(i) * 8) }()
	}
	var total uint
	for range 4 {
		total |= <-c
	}
	fmt.Println(total, bits(3))
	var x int64 = 1 << 40
	s := 3
	var y int32 = 1 << s
	fmt.Println(x, y)
}
