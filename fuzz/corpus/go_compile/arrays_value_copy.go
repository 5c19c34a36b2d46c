package main

import "fmt"

func main() {
	grid := [3][2]int{}
	grid[1][0] = 5
	fmt.Println(grid, len(grid))
	primes := [...]int{2, 3, 5, 7}
	fmt.Println(len(primes), primes[3])
}
