package main

import (
	"fmt"
	"sort"
)

func main() {
	ages := map[string]int{"ann": 31, "bob": 25}
	ages["cid"] = 40
	delete(ages, "bob")
	v, ok := ages["bob"]
	fmt.Println(v, ok, len(ages))
	keys := make([]string, 0, len(ages))
	for k := range ages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(keys)
	fmt.Println(ages)
	counts := map[rune]int{}
	for _, r := range "hello" {
		counts[r]++
	}
	fmt.Println(counts['l'], counts['z'])
}
