// Lesson "Connection pools": requests borrow connections from a pool shaped like database/sql's and
// net/http's: at most maxOpen connections (0: no limit), at most maxIdle kept idle, idle ones closed
// after idleTimeoutMs, and a request that finds none waits up to waitMs. Opening a connection costs a
// handshake. With closeBody off, a request never gives its connection back, like an unclosed
// resp.Body.
package main

import (
	"fmt"
	"math/rand"
	"sync"
	"time"

	"gmplab/lab"
)

const (
	requests      = 400
	ratePerSec    = 1000 // request arrivals per second (Poisson)
	maxOpen       = 20   // at most this many connections (0: no limit)
	maxIdle       = 2    // idle connections kept for reuse
	idleTimeoutMs = 90   // an idle connection older than this is closed instead of reused
	dialMs        = 5    // opening a connection (TCP and TLS handshakes), in milliseconds
	queryMs       = 4    // mean time a request uses its connection (exponential)
	waitMs        = 100  // how long a request waits for a connection before giving up
	closeBody     = true // give the connection back when done (resp.Body.Close())
)

type conn struct {
	lastUsed time.Time
}

type pool struct {
	mu      sync.Mutex
	idle    []*conn
	open    int
	waiters []chan *conn
}

// get returns a connection, or nil if none came within waitMs.
func (p *pool) get() *conn {
	p.mu.Lock()
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(c.lastUsed) > idleTimeoutMs*time.Millisecond {
			p.open-- // too old: close it and look again
			lab.Count("expired", 1)
			continue
		}
		p.mu.Unlock()
		lab.Count("reused", 1)
		return c
	}
	if maxOpen == 0 || p.open < maxOpen {
		p.open++
		p.mu.Unlock()
		time.Sleep(dialMs * time.Millisecond) // the handshake
		lab.Count("dials", 1)
		return &conn{}
	}
	ch := make(chan *conn, 1)
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	lab.Count("waited", 1)
	select {
	case c := <-ch:
		return c
	case <-time.After(waitMs * time.Millisecond):
	}
	p.mu.Lock()
	for i, w := range p.waiters {
		if w == ch {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			p.mu.Unlock()
			return nil
		}
	}
	p.mu.Unlock()
	return <-ch // handed a connection just as the wait ran out: keep it
}

// put gives a connection back: to a waiting request first (chosen at random, as database/sql's
// map of waiters does), else to the idle list (reused most recent first), else closes it.
func (p *pool) put(c *conn) {
	c.lastUsed = time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiters) > 0 {
		i := rand.Intn(len(p.waiters))
		w := p.waiters[i]
		p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
		w <- c
		return
	}
	if len(p.idle) < maxIdle {
		p.idle = append(p.idle, c)
		return
	}
	p.open--
	lab.Count("closed", 1)
}

func main() {
	for _, c := range []string{"dials", "reused", "waited", "expired", "closed", "failed", "leaked"} {
		lab.Count(c, 0)
	}
	p := &pool{}
	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Go(func() {
			start := time.Now()
			c := p.get()
			if c == nil {
				lab.Count("failed", 1) // pool exhausted: no connection within waitMs
				return
			}
			time.Sleep(lab.Exp(queryMs * time.Millisecond))
			if closeBody {
				p.put(c)
			} else {
				lab.Count("leaked", 1) // the connection stays checked out for ever
			}
			lab.Observe(time.Since(start))
		})
		time.Sleep(lab.Exp(time.Second / ratePerSec))
	}
	wg.Wait()
	fmt.Println("requests:", requests)
}
