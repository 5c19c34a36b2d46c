package main

import (
	"fmt"
	"strings"
)

type Task struct {
	ID   int
	Name string
}

func (t Task) String() string { return fmt.Sprintf("task-%d(%s)", t.ID, t.Name) }

func Join[T fmt.Stringer](xs []T, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = x.String()
	}
	return strings.Join(parts, sep)
}

func main() {
	c := make(chan Task, 3)
	for i, n := range []string{"build", "test", "ship"} {
		c <- Task{ID: i + 1, Name: n}
	}
	close(c)
	var ts []Task
	for t := range c {
		ts = append(ts, t)
	}
	fmt.Println(Join(ts, " -> "))
}
