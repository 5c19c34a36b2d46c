package main

import "fmt"

type State int

const (
	Idle State = iota
	Running
	Blocked
)

const (
	KB = 1 << (10 * (iota + 1))
	MB
	GB
)

func main() {
	fmt.Println(Idle, Running, Blocked)
	fmt.Println(KB, MB, GB)
	const big = 1 << 40
	fmt.Println(big/GB, float64(big)/3)
}
