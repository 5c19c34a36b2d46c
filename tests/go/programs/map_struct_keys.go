package main

import (
	"fmt"
	"sort"
)

type Cell struct{ Row, Col int }

func main() {
	alive := map[Cell]bool{{0, 1}: true, {1, 1}: true}
	alive[Cell{2, 1}] = true
	fmt.Println(len(alive), alive[Cell{1, 1}], alive[Cell{5, 5}])
	_, ok := alive[Cell{0, 1}]
	fmt.Println(ok)
	delete(alive, Cell{0, 1})
	var cells []Cell
	for c, v := range alive {
		if v {
			cells = append(cells, c)
		}
	}
	sort.Slice(cells, func(i, j int) bool { return cells[i].Row < cells[j].Row })
	fmt.Println(cells)
	fmt.Println(alive)
	counts := map[[2]int]int{}
	counts[[2]int{1, 2}]++
	counts[[2]int{1, 2}]++
	fmt.Println(counts)
}
