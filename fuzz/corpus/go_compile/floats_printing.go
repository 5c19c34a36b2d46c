package main

import "fmt"

func main() {
	fmt.Println(0.1+0.2, 1.0, 2.5e10, 1e21, 1e-7, 100000.0, 1000000.0, -0.5)
	x := 10.0 / 3
	y, z := 3.99, -3.99
	fmt.Println(x, float64(7)/2, int(y), int(z))
	var f32 float64 = 1.25
	fmt.Printf("%.1f %v\n", f32, f32*2)
}
