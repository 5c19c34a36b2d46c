package main

import (
	"fmt"
	"time"
)

// Constants may use the ones declared before them, in the same group or an earlier one.
const (
	workers   = 4
	perWorker = 25
	total     = workers * perWorker
	timeout   = 50 * time.Millisecond
	halfTime  = timeout / 2
)

const label = "total"

func main() {
	const local = total + 1
	const (
		a = local * 2
		b = a - 1
	)
	fmt.Println(label, total, halfTime, local, a, b)
}
