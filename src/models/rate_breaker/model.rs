//! The rate limiter and breaker model's event loop.

use crate::sim::figure::Figure;
use crate::sim::metric::MetricPair;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::text::Lang;
use crate::sim::time::{from_f64_nanos, to_secs, Nanos};
use crate::sim::StateHasher;

use super::breaker::{Breaker, Refusal, State};
use super::limiter::TokenBucket;
use super::metrics::Metrics;
use super::params::{Config, SCHEMA};

const STREAM_ARRIVALS: u64 = 1;
const STREAM_DOWNSTREAM: u64 = 2;

/// Requests in flight at once before the run stops (a downstream far slower than the traffic).
pub const MAX_IN_FLIGHT: u64 = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ev {
    Arrival,
    Response {
        generation: u64,
        ok: bool,
        sent: Nanos,
    },
}

/// What happened to an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No token in the bucket: refused with 429.
    RateLimited,
    /// The breaker is open (or half-open and already probing): refused at once.
    BreakerOpen,
    BreakerTooMany,
    /// Sent to the downstream.
    Sent,
}

/// One step.
#[derive(Clone, Debug, PartialEq)]
pub enum RateBreakerEvent {
    Arrived {
        at: Nanos,
        outcome: Outcome,
        tokens: f64,
    },
    Responded {
        at: Nanos,
        ok: bool,
        latency: Nanos,
        state: State,
    },
}

impl RateBreakerEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let ms = |t: Nanos| t as f64 / 1e6;
        match (self, lang) {
            (
                RateBreakerEvent::Arrived {
                    at,
                    outcome,
                    tokens,
                },
                Lang::En,
            ) => {
                let what = match outcome {
                    Outcome::RateLimited => {
                        "no token left, so the limiter refused it (429)".to_string()
                    }
                    Outcome::BreakerOpen => {
                        "the breaker is open, so it failed fast without calling the downstream"
                            .to_string()
                    }
                    Outcome::BreakerTooMany => {
                        "the breaker is half-open and already probing, so it was refused"
                            .to_string()
                    }
                    Outcome::Sent => {
                        format!("it took a token ({tokens:.1} left) and went to the downstream")
                    }
                };
                format!("{:.3} s: a request arrived; {what}.", to_secs(*at))
            }
            (
                RateBreakerEvent::Arrived {
                    at,
                    outcome,
                    tokens,
                },
                Lang::Zh,
            ) => {
                let what = match outcome {
                    Outcome::RateLimited => "桶里没有令牌,被限流器拒绝(429)".to_string(),
                    Outcome::BreakerOpen => {
                        "熔断器处于打开状态,直接快速失败,没有调用下游".to_string()
                    }
                    Outcome::BreakerTooMany => "熔断器半开且正在试探,请求被拒绝".to_string(),
                    Outcome::Sent => format!("拿到一个令牌(还剩 {tokens:.1} 个),发往下游"),
                };
                format!("{:.3} 秒:一个请求到达;{what}。", to_secs(*at))
            }
            (
                RateBreakerEvent::Responded {
                    at,
                    ok,
                    latency,
                    state,
                },
                Lang::En,
            ) => format!(
                "{:.3} s: the downstream {} after {:.1} ms; the breaker is {}.",
                to_secs(*at),
                if *ok { "answered" } else { "failed" },
                ms(*latency),
                state.name()
            ),
            (
                RateBreakerEvent::Responded {
                    at,
                    ok,
                    latency,
                    state,
                },
                Lang::Zh,
            ) => format!(
                "{:.3} 秒:下游{},用时 {:.1} ms;熔断器{}。",
                to_secs(*at),
                if *ok { "返回成功" } else { "调用失败" },
                ms(*latency),
                match state {
                    State::Closed => "关闭",
                    State::HalfOpen => "半开",
                    State::Open => "打开",
                }
            ),
        }
    }
}

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

#[derive(Clone, Debug)]
pub struct RateBreaker {
    cfg: Config,
    arrivals_rng: SimRng,
    downstream_rng: SimRng,
    now: Nanos,
    steps: u64,
    events: EventQueue<Ev>,
    bucket: TokenBucket,
    breaker: Breaker,
    in_flight: u64,
    halted: Option<Halt>,
    metrics: Metrics,
}

impl RateBreaker {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let mut m = RateBreaker {
            arrivals_rng: SimRng::new(seed, STREAM_ARRIVALS),
            downstream_rng: SimRng::new(seed, STREAM_DOWNSTREAM),
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            bucket: TokenBucket::new(cfg.limit_rate, cfg.burst),
            breaker: Breaker::new(cfg.trip_after, cfg.open_timeout, cfg.half_open_max),
            in_flight: 0,
            halted: None,
            metrics: Metrics::new(cfg.duration, cfg.burst as f64),
            cfg,
        };
        m.schedule_arrival();
        m.check_finished();
        m
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    fn schedule_arrival(&mut self) {
        let gap = -self.arrivals_rng.next_f64_open0().ln() / self.cfg.arrival_rate * 1e9;
        let at = self.now.saturating_add(from_f64_nanos(gap).max(1));
        if at < self.cfg.duration {
            self.events.push(at, Ev::Arrival);
        }
    }

    fn arrive(&mut self) -> RateBreakerEvent {
        self.schedule_arrival();
        let tokens = self.bucket.tokens_at(self.now);
        self.metrics.arrived(self.now, tokens);
        let outcome = if self.cfg.limiter && !self.bucket.allow(self.now) {
            self.metrics.limited(self.now);
            Outcome::RateLimited
        } else {
            let generation = if self.cfg.breaker {
                let g = self.breaker.before(self.now);
                self.metrics
                    .state(self.now, self.breaker.state(self.now).level());
                g
            } else {
                Ok(0)
            };
            match generation {
                Err(r) => {
                    self.metrics.rejected(self.now);
                    match r {
                        Refusal::Open => Outcome::BreakerOpen,
                        Refusal::TooManyRequests => Outcome::BreakerTooMany,
                    }
                }
                Ok(generation) => {
                    self.send(generation);
                    Outcome::Sent
                }
            }
        };
        RateBreakerEvent::Arrived {
            at: self.now,
            outcome,
            tokens: self.bucket.tokens_at(self.now),
        }
    }

    fn send(&mut self, generation: u64) {
        let outage = self.cfg.in_outage(self.now);
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
        self.events.push(
            self.now.saturating_add(latency.max(1)),
            Ev::Response {
                generation,
                ok,
                sent: self.now,
            },
        );
        if self.in_flight > MAX_IN_FLIGHT {
            self.halted = Some(Halt::Limit(format!(
                "stopped at {:.3} s: more than {MAX_IN_FLIGHT} requests were in flight; lower arrival_rate or the downstream latency",
                to_secs(self.now)
            )));
        }
    }

    fn respond(&mut self, generation: u64, ok: bool, sent: Nanos) -> RateBreakerEvent {
        self.in_flight -= 1;
        if self.cfg.breaker {
            self.breaker.after(self.now, generation, ok);
            self.metrics
                .state(self.now, self.breaker.state(self.now).level());
        }
        let latency = self.now - sent;
        self.metrics.responded(self.now, ok, latency);
        RateBreakerEvent::Responded {
            at: self.now,
            ok,
            latency,
            state: self.breaker.state(self.now),
        }
    }

    fn check_finished(&mut self) {
        if self.halted.is_none() && self.events.is_empty() {
            self.halted = Some(Halt::Finished);
        }
    }
}

impl Scenario for RateBreaker {
    type View = RateBreakerView;

    fn schema() -> &'static [ParamSpec] {
        SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(Config::from_params(params)?, seed))
    }

    fn view(&self) -> RateBreakerView {
        let mut b = self.breaker.clone();
        RateBreakerView {
            now: self.now,
            tokens: self.bucket.tokens_at(self.now),
            burst: self.cfg.burst,
            limiter: self.cfg.limiter,
            breaker: self.cfg.breaker.then(|| b.state(self.now)),
            in_flight: self.in_flight,
            outage: self.cfg.in_outage(self.now),
            offered: self.metrics.offered,
            rate_limited: self.metrics.rate_limited,
            breaker_rejected: self.metrics.breaker_rejected,
            succeeded: self.metrics.succeeded,
            failed: self.metrics.failed,
        }
    }

    fn summary(&self) -> Vec<MetricPair> {
        self.metrics.summary(self.breaker.trips)
    }

    fn figures(&self) -> Vec<Figure> {
        self.metrics.figures(self.now)
    }

    fn horizon(&self) -> Nanos {
        self.cfg.duration
    }
}

impl Stepping for RateBreaker {
    type Event = RateBreakerEvent;

    fn now(&self) -> Nanos {
        self.now
    }

    fn steps(&self) -> u64 {
        self.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if self.halted.is_some() {
            None
        } else {
            self.events.peek_time()
        }
    }

    fn step(&mut self) -> Option<RateBreakerEvent> {
        if self.halted.is_some() {
            return None;
        }
        let (at, ev) = self.events.pop()?;
        self.now = at;
        self.steps += 1;
        let out = match ev {
            Ev::Arrival => self.arrive(),
            Ev::Response {
                generation,
                ok,
                sent,
            } => self.respond(generation, ok, sent),
        };
        self.check_finished();
        Some(out)
    }

    fn halted(&self) -> Option<&Halt> {
        self.halted.as_ref()
    }

    fn advance_clock(&mut self, t: Nanos) {
        if t > self.now {
            self.now = t;
        }
    }

    fn state_hash(&self) -> u64 {
        let mut h = StateHasher::new();
        h.str("rate_breaker")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.arrivals_rng.draws())
            .u64(self.downstream_rng.draws())
            .u64(self.events.scheduled())
            .u64(self.in_flight);
        for (at, seq, ev) in self.events.sorted() {
            h.u64(at).u64(seq);
            match ev {
                Ev::Arrival => h.u8(0),
                Ev::Response {
                    generation,
                    ok,
                    sent,
                } => h.u8(1).u64(*generation).bool(*ok).u64(*sent),
            };
        }
        self.bucket.hash_into(&mut h);
        self.breaker.hash_into(&mut h);
        self.metrics.hash_into(&mut h);
        h.bool(self.halted.is_some());
        h.finish()
    }

    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.events.len() * 48
            + 48 * 1024
            + 7 * super::metrics::SERIES_POINTS * 32
    }
}
