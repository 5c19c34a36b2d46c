package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println(time.Duration(0), 1500*time.Microsecond, 90*time.Second, 2*time.Hour+3*time.Minute)
	d := 2500 * time.Millisecond
	fmt.Println(d.Seconds(), d.Milliseconds(), d)
	fmt.Printf("%v %s %d\n", time.Second, time.Millisecond, time.Microsecond)
	var timeout time.Duration = 250 * time.Millisecond
	fmt.Println(timeout*2, timeout/5)
}
