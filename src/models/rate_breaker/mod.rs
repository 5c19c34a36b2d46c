//! Token-bucket rate limiting and a circuit breaker in front of a flaky downstream, as a service
//! would use golang.org/x/time/rate and sony/gobreaker:
//!
//! ```go
//! limiter := rate.NewLimiter(rate.Limit(150), 20)
//! cb := gobreaker.NewCircuitBreaker(gobreaker.Settings{
//!     MaxRequests: 3, Timeout: 2 * time.Second,
//!     ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 5 },
//! })
//! if !limiter.Allow() { return 429 }
//! _, err := cb.Execute(func() (any, error) { return callDownstream() })
//! ```
//!
//! Requests arrive as a Poisson stream; the downstream answers after an exponential latency and fails
//! at a low rate, except during an outage window when calls fail slowly (they time out).

mod breaker;
mod event;
mod limiter;
mod metrics;
mod model;
mod params;
mod view;

pub use breaker::{Breaker, Refusal, State};
pub use limiter::TokenBucket;
pub use event::{Outcome, RateBreakerEvent};
pub use model::{Guard, RateBreaker, MAX_IN_FLIGHT};
pub use params::{Config, SCHEMA};
pub use view::RateBreakerView;
