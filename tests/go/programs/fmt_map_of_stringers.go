package main

import "fmt"

type State int

func (s State) String() string {
	return [...]string{"idle", "busy", "done"}[s]
}

func main() {
	states := map[string]State{}
	c := make(chan string)
	go func() {
		c <- "w1"
		c <- "w2"
		close(c)
	}()
	i := 0
	for w := range c {
		states[w] = State(i + 1)
		i++
	}
	fmt.Println(states)
}
