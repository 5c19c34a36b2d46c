package main

import "fmt"

type MyInt int

type C interface {
	~MyInt
}

func F[T C](x T) T { return x }

func main() {
	fmt.Println(F(MyInt(1)))
}
