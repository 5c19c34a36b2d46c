package main

import "fmt"

type T struct {
	A int
	B string
	C []float64
}

func main() {
	t := T{1, "x", []float64{0.5, 2}}
	fmt.Printf("%v|%+v|%T\n", t, t, t)
	fmt.Printf("%d|%5d|%-5d|%05d|%x|%X|%o|%b\n", 42, 42, 42, 42, 255, 255, 8, 5)
	fmt.Printf("%f|%.2f|%8.3f|%e|%g\n", 3.14159, 3.14159, 2.5, 123456.789, 0.000012)
	fmt.Printf("%s|%q|%v|%t|%c|%U\n", "go", "go\n", true, false, 'A', 'A')
	fmt.Printf("%v %v %v\n", []string{"a"}, map[string]int{"z": 1, "a": 2}, [2]bool{true})
	fmt.Printf("%d%%\n", 50)
	fmt.Println(fmt.Sprint("a", 1, 2, "b", "c", 3.0), fmt.Sprintln("x", 1))
	var p *T
	fmt.Println(p, nil)
}
