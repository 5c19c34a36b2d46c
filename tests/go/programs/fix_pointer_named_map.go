package main

import "fmt"

type Scores map[string]int

func record(m *Scores, k string, v int, done chan<- bool) {
	(*m)[k] = v
	done <- true
}

func main() {
	s := Scores{}
	done := make(chan bool)
	go record(&s, "ann", 3, done)
	<-done
	go record(&s, "bob", 5, done)
	<-done
	p := &s
	fmt.Println(len(*p), (*p)["ann"]+(*p)["bob"])
}
