package main

import "fmt"

type Animal struct{ Name string }

func (a Animal) Describe() string { return "I am " + a.Name }

type Dog struct {
	Animal
	Breed string
}

func main() {
	d := Dog{Animal{"Rex"}, "collie"}
	fmt.Println(d.Name, d.Breed)
	fmt.Println(d.Describe())
	fmt.Printf("%+v\n", d)
}
