package main

import "fmt"

type Ball struct{ hits int }

func player(name string, table chan *Ball, done chan bool) {
	for {
		ball := <-table
		ball.hits++
		if ball.hits == 6 {
			fmt.Println(name, "wins after", ball.hits, "hits")
			done <- true
			return
		}
		fmt.Println(name, ball.hits)
		table <- ball
	}
}

func main() {
	table := make(chan *Ball)
	done := make(chan bool)
	go player("ping", table, done)
	go player("pong", table, done)
	table <- new(Ball)
	<-done
}
