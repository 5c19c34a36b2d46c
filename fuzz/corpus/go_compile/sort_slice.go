package main

import (
	"fmt"
	"sort"
)

type Person struct {
	Name string
	Age  int
}

func main() {
	people := []Person{{"Ann", 31}, {"Bob", 25}, {"Cid", 40}, {"Dee", 22}}
	sort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })
	fmt.Println(people)
	words := []string{"pear", "fig", "apple"}
	sort.Strings(words)
	fmt.Println(words)
}
