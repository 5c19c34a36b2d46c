package main

import "fmt"

func main() {
	a := make([]int, 3, 4)
	b := append(a, 1)
	c := append(a, 2)
	fmt.Println(b[3], c[3], len(a), cap(a))
	d := append(b, 5)
	d[0] = 99
	fmt.Println(a[0], b[0], d[0])
	s := []int{1, 2, 3, 4, 5}
	t := s[1:3]
	t[0] = 20
	fmt.Println(s, t, len(t), cap(t))
	n := copy(s, []int{7, 8})
	fmt.Println(n, s)
}
