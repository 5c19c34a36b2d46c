package main

import (
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

func transfer(from, to *Account, amount int, order *sync.Mutex) {
	order.Lock()
	defer order.Unlock()
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= amount
	to.balance += amount
	to.mu.Unlock()
	from.mu.Unlock()
}

func main() {
	a := &Account{balance: 100}
	b := &Account{balance: 100}
	var order sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); transfer(a, b, 3, &order) }()
		go func() { defer wg.Done(); transfer(b, a, 1, &order) }()
	}
	wg.Wait()
	fmt.Println(a.balance, b.balance, a.balance+b.balance)
}
