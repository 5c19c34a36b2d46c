package main

import "fmt"

type Acc struct{ total int }

func (a *Acc) Add(n int) { a.total += n }

func (a Acc) Get() int { return a.total }

func main() {
	add := (*Acc).Add
	get := Acc.Get
	a := &Acc{}
	c := make(chan int)
	go func() {
		for i := 1; i <= 4; i++ {
			c <- i
		}
		close(c)
	}()
	for v := range c {
		add(a, v)
	}
	fmt.Println(get(*a), a.Get())
	fmt.Println(get(Acc{total: 5}))
}
