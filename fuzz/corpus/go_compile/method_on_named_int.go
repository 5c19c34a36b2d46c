package main

import "fmt"

type Celsius float64

func (c Celsius) F() float64 { return float64(c)*9/5 + 32 }

type Level int

func (l Level) Next() Level { return l + 1 }

func main() {
	c := Celsius(100)
	fmt.Println(c, c.F())
	var l Level = 2
	fmt.Println(l.Next(), l)
}
