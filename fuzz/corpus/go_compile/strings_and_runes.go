package main

import (
	"fmt"
	"strings"
)

func main() {
	s := "héllo, 世界"
	fmt.Println(len(s), len([]rune(s)))
	for i, r := range "aé世" {
		fmt.Println(i, r, string(r))
	}
	fmt.Println(strings.ToUpper("go"), strings.Repeat("ab", 3), strings.Split("a,b,c", ","))
	fmt.Println(strings.Join([]string{"x", "y"}, "-"), strings.Contains("seafood", "foo"), strings.Fields("  a  b "))
	var b strings.Builder
	for i := 0; i < 3; i++ {
		b.WriteString(fmt.Sprint(i))
	}
	fmt.Println(b.String(), s[0], s[1:3] == "é")
}
