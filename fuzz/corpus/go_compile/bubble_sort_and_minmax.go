package main

import "fmt"

func main() {
	s := []int{5, 2, 9, 1, 7}
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(s)-1-i; j++ {
			if s[j] > s[j+1] {
				s[j], s[j+1] = s[j+1], s[j]
			}
		}
	}
	fmt.Println(s, min(3, 1, 2), max(2.5, 1))
	var u8 uint8 = 250
	u8 += 10
	var i8 int8 = 127
	i8++
	fmt.Println(u8, i8, 7/2, -7/2, 7%3, -7%3, 1<<10, 0xff&0x0f, 6^3)
}
