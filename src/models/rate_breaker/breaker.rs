//! A circuit breaker with the semantics of sony/gobreaker's `CircuitBreaker`:
//!
//! - **Closed**: requests pass; `trip_after` consecutive failures open it.
//! - **Open**: requests are refused at once (`ErrOpenState`) until `timeout` has passed, then the
//!   breaker is half-open.
//! - **Half-open**: at most `max_requests` requests are let through (more get `ErrTooManyRequests`);
//!   `max_requests` consecutive successes close it, any failure opens it again.
//!
//! Every change of state starts a new *generation* and clears the counts; a result that comes back
//! from a request admitted in an earlier generation is ignored, as gobreaker does. gobreaker's
//! `Interval` (clearing the closed-state counts periodically) is left at its default of 0 (never).

use crate::sim::time::Nanos;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Closed,
    HalfOpen,
    Open,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::HalfOpen => "half-open",
            State::Open => "open",
        }
    }

    /// The level drawn on the state chart: 0 closed, 1 half-open, 2 open.
    pub fn level(self) -> f64 {
        match self {
            State::Closed => 0.0,
            State::HalfOpen => 1.0,
            State::Open => 2.0,
        }
    }
}

/// Why the breaker refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Open,
    TooManyRequests,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Breaker {
    trip_after: u32,
    timeout: Nanos,
    max_requests: u32,
    state: State,
    generation: u64,
    /// When an open breaker becomes half-open.
    expiry: Nanos,
    requests: u32,
    consecutive_failures: u32,
    consecutive_successes: u32,
    /// Times it opened.
    pub trips: u64,
}

impl Breaker {
    pub fn new(trip_after: u32, timeout: Nanos, max_requests: u32) -> Self {
        Breaker {
            trip_after: trip_after.max(1),
            timeout,
            max_requests: max_requests.max(1),
            state: State::Closed,
            generation: 0,
            expiry: 0,
            requests: 0,
            consecutive_failures: 0,
            consecutive_successes: 0,
            trips: 0,
        }
    }

    /// The state at `now` (an open breaker whose timeout has passed is half-open).
    pub fn state(&mut self, now: Nanos) -> State {
        if self.state == State::Open && now >= self.expiry {
            self.set(State::HalfOpen, now);
        }
        self.state
    }

    /// The state at `now` as a view sees it, without moving the breaker.
    pub fn state_at(&self, now: Nanos) -> State {
        if self.state == State::Open && now >= self.expiry {
            State::HalfOpen
        } else {
            self.state
        }
    }

    fn set(&mut self, s: State, now: Nanos) {
        if s == self.state {
            return;
        }
        self.state = s;
        self.generation += 1;
        self.requests = 0;
        self.consecutive_failures = 0;
        self.consecutive_successes = 0;
        if s == State::Open {
            self.expiry = now.saturating_add(self.timeout);
            self.trips += 1;
        }
    }

    /// `beforeRequest`: the generation the request belongs to, or why it is refused.
    pub fn before(&mut self, now: Nanos) -> Result<u64, Refusal> {
        match self.state(now) {
            State::Open => Err(Refusal::Open),
            State::HalfOpen if self.requests >= self.max_requests => Err(Refusal::TooManyRequests),
            _ => {
                self.requests += 1;
                Ok(self.generation)
            }
        }
    }

    /// `afterRequest`: the result of a request admitted in generation `generation`.
    pub fn after(&mut self, now: Nanos, generation: u64, ok: bool) {
        let state = self.state(now);
        if generation != self.generation {
            return;
        }
        if ok {
            self.consecutive_failures = 0;
            self.consecutive_successes += 1;
            if state == State::HalfOpen && self.consecutive_successes >= self.max_requests {
                self.set(State::Closed, now);
            }
        } else {
            self.consecutive_successes = 0;
            self.consecutive_failures += 1;
            match state {
                State::Closed if self.consecutive_failures >= self.trip_after => {
                    self.set(State::Open, now)
                }
                State::HalfOpen => self.set(State::Open, now),
                _ => {}
            }
        }
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.u8(self.state.level() as u8)
            .u64(self.generation)
            .u64(self.expiry)
            .u32(self.requests)
            .u32(self.consecutive_failures)
            .u32(self.consecutive_successes)
            .u64(self.trips);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Nanos = 1_000_000_000;

    #[test]
    fn trips_after_consecutive_failures_and_refuses_while_open() {
        let mut b = Breaker::new(3, 10 * S, 1);
        for _ in 0..2 {
            let g = b.before(0).expect("closed");
            b.after(0, g, false);
        }
        assert_eq!(b.state(0), State::Closed);
        let g = b.before(0).expect("closed");
        b.after(0, g, false);
        assert_eq!(b.state(0), State::Open);
        assert_eq!(b.before(S), Err(Refusal::Open));
    }

    #[test]
    fn a_success_resets_the_consecutive_count() {
        let mut b = Breaker::new(2, S, 1);
        for ok in [false, true, false, true] {
            let g = b.before(0).expect("closed");
            b.after(0, g, ok);
        }
        assert_eq!(b.state(0), State::Closed);
    }

    #[test]
    fn half_open_lets_max_requests_through_and_closes_on_their_success() {
        let mut b = Breaker::new(1, S, 2);
        let g = b.before(0).expect("closed");
        b.after(0, g, false);
        assert_eq!(b.state(S), State::HalfOpen);
        let g1 = b.before(S).expect("probe 1");
        let g2 = b.before(S).expect("probe 2");
        assert_eq!(b.before(S), Err(Refusal::TooManyRequests));
        b.after(S, g1, true);
        assert_eq!(b.state(S), State::HalfOpen);
        b.after(S, g2, true);
        assert_eq!(b.state(S), State::Closed);
    }

    #[test]
    fn a_half_open_failure_opens_again_and_stale_results_are_ignored() {
        let mut b = Breaker::new(1, S, 1);
        let old = b.before(0).expect("closed");
        let g = b.before(0).expect("closed");
        b.after(0, g, false);
        assert_eq!(b.state(0), State::Open);
        // The earlier request's success arrives from a past generation: ignored.
        b.after(0, old, true);
        assert_eq!(b.state(0), State::Open);
        let p = b.before(S).expect("probe");
        b.after(S, p, false);
        assert_eq!(b.state(S), State::Open);
        assert_eq!(b.trips, 2);
    }
}
