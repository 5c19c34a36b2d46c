//! What the guard stage draws: the bucket, the breaker and the counters at one moment.

use crate::sim::time::Nanos;

use super::breaker::State;

/// What the view draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RateBreakerView {
    pub now: Nanos,
    pub tokens: f64,
    pub burst: u64,
    pub limiter: bool,
    pub breaker: Option<State>,
    pub in_flight: u64,
    pub outage: bool,
    pub offered: u64,
    pub rate_limited: u64,
    pub breaker_rejected: u64,
    pub succeeded: u64,
    pub failed: u64,
}
