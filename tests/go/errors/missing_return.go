package main

func sign(x int) int {
	if x > 0 {
		return 1
	}
}

func main() {
	sign(1)
}
