package main

import "fmt"

type Logger struct {
	prefix string
	lines  chan string
}

func (l *Logger) Log(msg string) {
	l.lines <- l.prefix + msg
}

func worker(id int, log func(string), done chan<- bool) {
	log(fmt.Sprint("worker ", id, " ok"))
	done <- true
}

func main() {
	l := &Logger{prefix: "[app] ", lines: make(chan string, 10)}
	done := make(chan bool)
	for i := 0; i < 3; i++ {
		go worker(i, l.Log, done)
	}
	for i := 0; i < 3; i++ {
		<-done
	}
	close(l.lines)
	n := 0
	for s := range l.lines {
		n += len(s)
	}
	fmt.Println(n)
}
