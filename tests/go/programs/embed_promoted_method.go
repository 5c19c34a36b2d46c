package main

import "fmt"

type Base struct {
	id int
}

func (b Base) Describe() string { return fmt.Sprint("base#", b.id) }

func (b *Base) SetID(n int) { b.id = n }

type Worker struct {
	Base
	jobs chan int
}

func main() {
	w := &Worker{jobs: make(chan int, 3)}
	w.SetID(7)
	done := make(chan string)
	go func() {
		sum := 0
		for j := range w.jobs {
			sum += j
		}
		done <- fmt.Sprint(w.Describe(), " sum=", sum)
	}()
	for i := range 3 {
		w.jobs <- i + 1
	}
	close(w.jobs)
	fmt.Println(<-done)
	desc := w.Describe
	fmt.Println(desc())
}
