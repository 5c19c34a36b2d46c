//! The rate limiter and breaker model's state and what each event does to it; the kernel runs the
//! clock.

use crate::sim::figure::Figure;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::MetricPair;
use crate::sim::rng::SimRng;
use crate::sim::scenario::Halt;
use crate::sim::time::{from_f64_nanos, to_secs, Nanos};
use crate::sim::StateHasher;

use super::breaker::{Breaker, Refusal};
use super::event::{Outcome, RateBreakerEvent};
use super::limiter::TokenBucket;
use super::metrics::Metrics;
use super::params::Config;
use super::view::RateBreakerView;

const STREAM_ARRIVALS: u64 = 1;
const STREAM_DOWNSTREAM: u64 = 2;

/// Requests in flight at once before the run stops (a downstream far slower than the traffic).
pub const MAX_IN_FLIGHT: u64 = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ev {
    Arrival,
    Response {
        generation: u64,
        ok: bool,
        sent: Nanos,
    },
}

/// A running limiter and breaker: the model on the kernel. `Clone` is its checkpoint.
pub type RateBreaker = Kernel<Guard>;

/// The limiter, the breaker and the requests in flight.
#[derive(Clone, Debug)]
pub struct Guard {
    cfg: Config,
    arrivals_rng: SimRng,
    downstream_rng: SimRng,
    bucket: TokenBucket,
    breaker: Breaker,
    in_flight: u64,
    metrics: Metrics,
}

type K = Core<Ev>;

impl Guard {
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    fn schedule_arrival(&mut self, k: &mut K) {
        let gap = -self.arrivals_rng.next_f64_open0().ln() / self.cfg.arrival_rate * 1e9;
        let at = k.now().saturating_add(from_f64_nanos(gap).max(1));
        if at < self.cfg.duration {
            k.schedule(at, Ev::Arrival);
        }
    }

    fn arrive(&mut self, k: &mut K) -> RateBreakerEvent {
        let now = k.now();
        self.schedule_arrival(k);
        let tokens = self.bucket.tokens_at(now);
        self.metrics.arrived(now, tokens);
        let outcome = if self.cfg.limiter && !self.bucket.allow(now) {
            self.metrics.limited(now);
            Outcome::RateLimited
        } else {
            let generation = if self.cfg.breaker {
                let g = self.breaker.before(now);
                self.metrics.state(now, self.breaker.state(now).level());
                g
            } else {
                Ok(0)
            };
            match generation {
                Err(r) => {
                    self.metrics.rejected(now);
                    match r {
                        Refusal::Open => Outcome::BreakerOpen,
                        Refusal::TooManyRequests => Outcome::BreakerTooMany,
                    }
                }
                Ok(generation) => {
                    self.send(k, generation);
                    Outcome::Sent
                }
            }
        };
        RateBreakerEvent::Arrived {
            at: now,
            outcome,
            tokens: self.bucket.tokens_at(now),
        }
    }

    fn send(&mut self, k: &mut K, generation: u64) {
        let now = k.now();
        let outage = self.cfg.in_outage(now);
        if outage {
            self.metrics.outage_calls += 1;
        }
        let fail_p = if outage {
            self.cfg.outage_fail
        } else {
            self.cfg.fail_ratio
        };
        let ok = self.downstream_rng.next_f64() >= fail_p;
        let latency = if outage && !ok {
            self.cfg.outage_latency
        } else {
            from_f64_nanos(-self.downstream_rng.next_f64_open0().ln() * self.cfg.latency_mean)
        };
        self.in_flight += 1;
        k.schedule(
            now.saturating_add(latency.max(1)),
            Ev::Response {
                generation,
                ok,
                sent: now,
            },
        );
        if self.in_flight > MAX_IN_FLIGHT {
            k.halt(Halt::Limit(format!(
                "stopped at {:.3} s: more than {MAX_IN_FLIGHT} requests were in flight; lower arrival_rate or the downstream latency",
                to_secs(now)
            )));
        }
    }

    fn respond(&mut self, k: &K, generation: u64, ok: bool, sent: Nanos) -> RateBreakerEvent {
        let now = k.now();
        self.in_flight -= 1;
        if self.cfg.breaker {
            self.breaker.after(now, generation, ok);
            self.metrics.state(now, self.breaker.state(now).level());
        }
        let latency = now - sent;
        self.metrics.responded(now, ok, latency);
        RateBreakerEvent::Responded {
            at: now,
            ok,
            latency,
            state: self.breaker.state(now),
        }
    }
}

impl Model for Guard {
    type Ev = Ev;
    type Event = RateBreakerEvent;
    type View = RateBreakerView;
    type Config = Config;
    const NAME: &'static str = "rate_breaker";

    fn new(cfg: Config, seed: u64, k: &mut K) -> Self {
        let mut m = Guard {
            arrivals_rng: SimRng::new(seed, STREAM_ARRIVALS),
            downstream_rng: SimRng::new(seed, STREAM_DOWNSTREAM),
            bucket: TokenBucket::new(cfg.limit_rate, cfg.burst),
            breaker: Breaker::new(cfg.trip_after, cfg.open_timeout, cfg.half_open_max),
            in_flight: 0,
            metrics: Metrics::new(cfg.duration, cfg.burst as f64),
            cfg,
        };
        m.schedule_arrival(k);
        m
    }

    #[inline]
    fn handle(&mut self, k: &mut K, ev: Ev) -> Option<RateBreakerEvent> {
        Some(match ev {
            Ev::Arrival => self.arrive(k),
            Ev::Response {
                generation,
                ok,
                sent,
            } => self.respond(k, generation, ok, sent),
        })
    }

    fn hash_state(&self, k: &K, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Guard {
            cfg: _, // fixed for the run
            arrivals_rng,
            downstream_rng,
            bucket,
            breaker,
            in_flight,
            metrics,
        } = self;
        h.u64(arrivals_rng.draws())
            .u64(downstream_rng.draws())
            .u64(k.scheduled())
            .u64(*in_flight);
        k.hash_events(h, |ev, h| {
            match ev {
                Ev::Arrival => h.u8(0),
                Ev::Response {
                    generation,
                    ok,
                    sent,
                } => h.u8(1).u64(*generation).bool(*ok).u64(*sent),
            };
        });
        bucket.hash_into(h);
        breaker.hash_into(h);
        metrics.hash_into(h);
        k.hash_halt(h);
    }

    fn approx_bytes(&self, k: &K) -> usize {
        k.pending() * 48 + 48 * 1024 + 7 * super::metrics::SERIES_POINTS * 32
    }

    fn view(&self, k: &K) -> RateBreakerView {
        let now = k.now();
        let mut b = self.breaker.clone();
        RateBreakerView {
            now,
            tokens: self.bucket.tokens_at(now),
            burst: self.cfg.burst,
            limiter: self.cfg.limiter,
            breaker: self.cfg.breaker.then(|| b.state(now)),
            in_flight: self.in_flight,
            outage: self.cfg.in_outage(now),
            offered: self.metrics.offered,
            rate_limited: self.metrics.rate_limited,
            breaker_rejected: self.metrics.breaker_rejected,
            succeeded: self.metrics.succeeded,
            failed: self.metrics.failed,
        }
    }

    fn summary(&self, _k: &K) -> Vec<MetricPair> {
        self.metrics.summary(self.breaker.trips)
    }

    fn figures(&self, k: &K) -> Vec<Figure> {
        self.metrics.figures(k.now())
    }

    fn horizon(&self) -> Nanos {
        self.cfg.duration
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kernel::{assert_hash_sees, mid_run};
    use crate::sim::scenario::Stepping;

    #[test]
    fn the_state_hash_sees_every_field_and_every_event_payload() {
        let mut base: RateBreaker = mid_run::<Guard>(&[], 3, 3_000);
        // On to a moment with a request at the downstream, so a response is pending.
        while base.model().in_flight == 0 {
            base.step();
        }
        assert_hash_sees!(base,
            "arrivals_rng" => |_c, m| m.arrivals_rng.next_f64(),
            "downstream_rng" => |_c, m| m.downstream_rng.next_f64(),
            "bucket" => |_c, m| m.bucket = TokenBucket::new(1.0, 1),
            "breaker" => |c, m| {
                let _ = m.breaker.before(c.now());
            },
            "in_flight" => |_c, m| m.in_flight += 1,
            "metrics" => |c, m| m.metrics.limited(c.now()),
            "event payload" => |c, _m| {
                for e in c.payloads_mut() {
                    if let Ev::Response { ok, .. } = e {
                        *ok = !*ok;
                        break;
                    }
                }
            },
        );
    }
}
