package main

import (
	"fmt"
	"strconv"
)

func split(sum int) (x, y int) {
	x = sum * 4 / 9
	y = sum - x
	return
}

func parse(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", s, err)
	}
	return n, nil
}

func main() {
	fmt.Println(split(17))
	a, b := split(10)
	a, b = b, a
	fmt.Println(a, b)
	fmt.Println(parse("42"))
	_, err := parse("x1")
	fmt.Println(err)
	fmt.Println(strconv.Itoa(99) + "!")
}
