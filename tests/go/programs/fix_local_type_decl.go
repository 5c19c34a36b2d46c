package main

import "fmt"

func main() {
	type job struct {
		id   int
		name string
	}
	type ids []int
	jobs := make(chan job, 3)
	for i, n := range []string{"a", "b", "c"} {
		jobs <- job{id: i, name: n}
	}
	close(jobs)
	var got ids
	for j := range jobs {
		got = append(got, j.id)
		fmt.Printf("%v %T\n", j, j)
	}
	fmt.Println(got, len(got))
}
