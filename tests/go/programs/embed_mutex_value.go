package main

import (
	"fmt"
	"sync"
)

type Account struct {
	sync.Mutex
	balance int
}

func (a *Account) Deposit(n int) {
	a.Lock()
	defer a.Unlock()
	a.balance += n
}

func main() {
	acct := &Account{}
	var wg sync.WaitGroup
	for i := 1; i <= 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct.Deposit(i)
		}()
	}
	wg.Wait()
	acct.Lock()
	fmt.Println(acct.balance)
	acct.Unlock()
}
