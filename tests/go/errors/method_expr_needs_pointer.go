package main

import "fmt"

type Acc struct{ n int }

func (a *Acc) Add(k int) { a.n += k }

func main() {
	f := Acc.Add
	fmt.Println(f)
}
