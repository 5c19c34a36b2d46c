//! What the rate limiter and breaker model measures: cumulative counts by outcome (drawn as rates),
//! the breaker's state and the bucket's tokens over time, and the latency of admitted requests.

use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::histogram::LatencyHistogram;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::series::Series;
use crate::sim::text::Text;
use crate::sim::time::Nanos;

pub const SERIES_POINTS: usize = 240;

#[derive(Clone, Debug)]
pub struct Metrics {
    duration: Nanos,
    pub offered: u64,
    pub rate_limited: u64,
    pub breaker_rejected: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Calls that reached the downstream while it was failing.
    pub outage_calls: u64,
    offered_s: Series,
    limited_s: Series,
    rejected_s: Series,
    succeeded_s: Series,
    failed_s: Series,
    state_s: Series,
    tokens_s: Series,
    pub latency: LatencyHistogram,
}

impl Metrics {
    pub fn new(duration: Nanos, burst: f64) -> Self {
        let width = duration
            .max(SERIES_POINTS as u64)
            .div_ceil(SERIES_POINTS as u64);
        let level = |v| Series::level(SERIES_POINTS, width, v);
        Metrics {
            duration,
            offered: 0,
            rate_limited: 0,
            breaker_rejected: 0,
            succeeded: 0,
            failed: 0,
            outage_calls: 0,
            offered_s: level(0.0),
            limited_s: level(0.0),
            rejected_s: level(0.0),
            succeeded_s: level(0.0),
            failed_s: level(0.0),
            state_s: level(0.0),
            tokens_s: level(burst),
            latency: LatencyHistogram::new(),
        }
    }

    pub fn arrived(&mut self, now: Nanos, tokens: f64) {
        self.offered += 1;
        self.offered_s.set(now, self.offered as f64);
        self.tokens_s.set(now, tokens);
    }

    pub fn limited(&mut self, now: Nanos) {
        self.rate_limited += 1;
        self.limited_s.set(now, self.rate_limited as f64);
    }

    pub fn rejected(&mut self, now: Nanos) {
        self.breaker_rejected += 1;
        self.rejected_s.set(now, self.breaker_rejected as f64);
    }

    pub fn responded(&mut self, now: Nanos, ok: bool, latency: Nanos) {
        if ok {
            self.succeeded += 1;
            self.succeeded_s.set(now, self.succeeded as f64);
        } else {
            self.failed += 1;
            self.failed_s.set(now, self.failed as f64);
        }
        self.latency.record(latency);
    }

    pub fn state(&mut self, now: Nanos, level: f64) {
        self.state_s.set(now, level);
    }

    pub fn summary(&self, trips: u64) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let ratio = |n: u64| {
            if self.offered == 0 {
                0.0
            } else {
                n as f64 / self.offered as f64
            }
        };
        vec![
            ("offered".into(), Count(self.offered)),
            (
                "admitted".into(),
                Count(self.offered - self.rate_limited - self.breaker_rejected),
            ),
            ("rate_limited".into(), Count(self.rate_limited)),
            ("breaker_rejected".into(), Count(self.breaker_rejected)),
            ("succeeded".into(), Count(self.succeeded)),
            ("failed".into(), Count(self.failed)),
            ("success_ratio".into(), Real(ratio(self.succeeded))),
            ("trips".into(), Count(trips)),
            ("outage_calls".into(), Count(self.outage_calls)),
            (
                "latency_p50_s".into(),
                Real(self.latency.quantile(0.5) / 1e9),
            ),
            (
                "latency_p99_s".into(),
                Real(self.latency.quantile(0.99) / 1e9),
            ),
        ]
    }

    pub fn figures(&self, now: Nanos) -> Vec<Figure> {
        let rate = |s: &Series| s.rate_points(now);
        let line = |id, en, zh, color, points| Trace {
            id,
            label: Text::new(en, zh),
            style: TraceStyle::Line,
            color,
            points,
        };
        vec![
            Figure {
                id: "requests",
                title: Text::new("Requests by outcome", "各结果的请求数"),
                y_label: Text::new("Requests per second", "每秒请求数"),
                y_unit: Text::new("req/s", "个/秒"),
                y_div: 1.0,
                x_end: self.duration,
                x_axis: XAxis::Time,
                traces: vec![
                    line("offered", "offered", "到达", 0, rate(&self.offered_s)),
                    line("succeeded", "succeeded", "成功", 2, rate(&self.succeeded_s)),
                    line("failed", "failed", "失败", 5, rate(&self.failed_s)),
                    line(
                        "rate_limited",
                        "rate-limited",
                        "被限流",
                        3,
                        rate(&self.limited_s),
                    ),
                    line(
                        "breaker_rejected",
                        "rejected by breaker",
                        "被熔断拒绝",
                        4,
                        rate(&self.rejected_s),
                    ),
                ],
            },
            Figure {
                id: "breaker_state",
                title: Text::new(
                    "Breaker state (0 closed, 1 half-open, 2 open)",
                    "熔断器状态(0 关闭,1 半开,2 打开)",
                ),
                y_label: Text::new("State", "状态"),
                y_unit: Text::new("state", "状态"),
                y_div: 1.0,
                x_end: self.duration,
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    style: TraceStyle::Band,
                    ..line("state", "state", "状态", 4, self.state_s.points(now))
                }],
            },
            Figure {
                id: "tokens",
                title: Text::new("Tokens in the bucket", "桶中的令牌"),
                y_label: Text::new("Tokens", "令牌数"),
                y_unit: Text::new("tokens", "个"),
                y_div: 1.0,
                x_end: self.duration,
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    style: TraceStyle::Band,
                    ..line("tokens", "tokens", "令牌", 1, self.tokens_s.points(now))
                }],
            },
        ]
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.u64(self.offered)
            .u64(self.rate_limited)
            .u64(self.breaker_rejected)
            .u64(self.succeeded)
            .u64(self.failed)
            .u64(self.outage_calls);
        self.latency.hash_into(h);
    }
}
