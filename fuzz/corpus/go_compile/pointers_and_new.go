package main

import "fmt"

func inc(p *int) { *p++ }

type Box struct{ v int }

func main() {
	x := 1
	inc(&x)
	inc(&x)
	fmt.Println(x)
	p := new(int)
	*p = 5
	fmt.Println(*p)
	b := new(Box)
	b.v = 3
	q := b
	q.v++
	fmt.Println(b.v, q.v)
}
