package main

import (
	"fmt"
	"time"
)

type Ticker struct {
	name  string
	count int
}

func (t *Ticker) Tick() string {
	t.count++
	return fmt.Sprint(t.name, t.count)
}

func main() {
	a, b := &Ticker{name: "a"}, &Ticker{name: "b"}
	fa, fb := a.Tick, b.Tick
	ca, cb := make(chan string), make(chan string)
	go func() {
		for range 2 {
			ca <- fa()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	go func() {
		time.Sleep(5 * time.Millisecond)
		for range 2 {
			cb <- fb()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	for range 4 {
		select {
		case s := <-ca:
			fmt.Println(s)
		case s := <-cb:
			fmt.Println(s)
		}
	}
}
