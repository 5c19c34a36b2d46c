//! The edge rate limit, with the semantics of nginx's `limit_req` (ngx_http_limit_req_module):
//!
//! ```nginx
//! limit_req_zone $server_name zone=sale:10m rate=2000r/s;
//! limit_req zone=sale burst=200 nodelay;
//! ```
//!
//! nginx keeps an *excess* per key: each request adds one, and it drains at `rate`. On each request
//! `excess = max(0, excess - rate * elapsed + 1)`; a request whose excess would exceed `burst` is
//! refused (503) and leaves the state untouched. An admitted one is delayed by `excess / rate` so that
//! requests leave at the rate, unless `nodelay` passes it at once. A key's first request starts at an
//! excess of 0. So in any window of length t at most `burst + 1 + rate * t` requests pass: the bucket
//! holds the request the rate allows plus `burst` more.

use crate::sim::time::{from_f64_nanos, Nanos};

#[derive(Clone, Debug, PartialEq)]
pub struct LimitReq {
    rate: f64,
    burst: f64,
    nodelay: bool,
    excess: f64,
    last: Option<Nanos>,
}

/// What limit_req did with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeVerdict {
    /// Refused with 503.
    Rejected,
    /// Passed upstream after this delay (0 with nodelay, or when under the rate).
    Pass(Nanos),
}

impl LimitReq {
    pub fn new(rate: f64, burst: f64, nodelay: bool) -> Self {
        LimitReq {
            rate: rate.max(1e-9),
            burst: burst.max(0.0),
            nodelay,
            excess: 0.0,
            last: None,
        }
    }

    pub fn check(&mut self, now: Nanos) -> EdgeVerdict {
        let excess = match self.last {
            None => 0.0,
            Some(last) => {
                let elapsed = now.saturating_sub(last) as f64 / 1e9;
                (self.excess - self.rate * elapsed + 1.0).max(0.0)
            }
        };
        if excess > self.burst {
            return EdgeVerdict::Rejected;
        }
        self.excess = excess;
        self.last = Some(now);
        if self.nodelay {
            EdgeVerdict::Pass(0)
        } else {
            EdgeVerdict::Pass(from_f64_nanos(excess / self.rate * 1e9))
        }
    }

    /// The excess (requests in the burst allowance) now, for the view.
    pub fn excess(&self) -> f64 {
        self.excess
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.f64(self.excess).u64(self.last.unwrap_or(u64::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Nanos = 1_000_000;

    #[test]
    fn without_burst_one_request_per_interval_passes() {
        // rate=10r/s and burst=0: one request every 100 ms.
        let mut l = LimitReq::new(10.0, 0.0, true);
        assert_eq!(l.check(0), EdgeVerdict::Pass(0));
        assert_eq!(l.check(50 * MS), EdgeVerdict::Rejected);
        assert_eq!(l.check(100 * MS), EdgeVerdict::Pass(0));
    }

    #[test]
    fn burst_admits_that_many_extra_and_nodelay_passes_them_at_once() {
        let mut l = LimitReq::new(10.0, 3.0, true);
        let passed = (0..10)
            .filter(|_| l.check(0) != EdgeVerdict::Rejected)
            .count();
        assert_eq!(passed, 4, "the first request plus a burst of 3");
    }

    #[test]
    fn without_nodelay_burst_requests_are_spaced_at_the_rate() {
        let mut l = LimitReq::new(10.0, 3.0, false);
        let delays: Vec<_> = (0..5).map(|_| l.check(0)).collect();
        assert_eq!(
            delays,
            vec![
                EdgeVerdict::Pass(0),
                EdgeVerdict::Pass(100 * MS),
                EdgeVerdict::Pass(200 * MS),
                EdgeVerdict::Pass(300 * MS),
                EdgeVerdict::Rejected
            ]
        );
    }
}
