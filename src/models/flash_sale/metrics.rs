//! What the flash-sale pipeline measures: every request's end by kind, latency end to end and per
//! stage, queue depth per stage, and the stock over time.

use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::kernel::Core;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::histogram::{LatencyHistogram, WindowedLatency};
use crate::sim::series::Series;
use crate::sim::text::Text;
use crate::sim::time::{to_secs, Nanos};
use crate::sim::StateHasher;

use super::model::{Ev, Sale};

const POINTS: usize = 240;
const LATENCY_WINDOWS: u64 = 120;

/// How a request ended. Every request ends exactly once in one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Served: an order was placed.
    Bought,
    /// Served: told the item is sold out.
    SoldOut,
    /// Served: a browsing request got its page.
    Browsed,
    /// Rejected by the edge rate limit (503).
    EdgeLimited,
    /// Rejected: the instance's accept queue was full.
    QueueFull,
    /// Rejected: no instance, or no Redis node, could take it.
    Unavailable,
    /// Rejected: the order could not be written.
    OrderFailed,
    /// The user gave up waiting.
    TimedOut,
}

impl End {
    pub fn served(self) -> bool {
        matches!(self, End::Bought | End::SoldOut | End::Browsed)
    }

    /// Whether the user may try again after this end.
    pub fn retryable(self) -> bool {
        !self.served()
    }
}

/// Throughput of a stage over the last stretch of virtual time, for the live diagram.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RateMeter {
    pub count: u64,
    since: Nanos,
    count_since: u64,
    rate: f64,
}

const METER_WINDOW: Nanos = 100_000_000;

impl RateMeter {
    #[inline]
    pub fn hit(&mut self, now: Nanos) {
        self.count += 1;
        if now >= self.since + METER_WINDOW {
            self.roll(now);
        }
    }

    fn roll(&mut self, now: Nanos) {
        self.rate = (self.count - self.count_since) as f64 / to_secs(now - self.since);
        self.since = now;
        self.count_since = self.count;
    }

    /// Events per second recently; 0 once nothing has happened for two windows.
    pub fn rate(&self, now: Nanos) -> f64 {
        if now >= self.since + 2 * METER_WINDOW {
            0.0
        } else {
            self.rate
        }
    }
}

#[derive(Clone, Debug)]
pub struct Metrics {
    pub offered: u64,
    pub first_attempts: u64,
    pub retries: u64,
    pub ends: [u64; 8],
    /// Orders placed for users who had already given up.
    pub late_orders: u64,
    pub noncore_failed: u64,
    pub noncore_skipped: u64,
    pub lost_messages: u64,
    pub sold_out_at: Option<Nanos>,
    pub e2e: LatencyHistogram,
    pub edge: LatencyHistogram,
    pub app_wait: LatencyHistogram,
    pub redis: LatencyHistogram,
    pub db: LatencyHistogram,
    pub windows: WindowedLatency,
    pub offered_meter: RateMeter,
    /// Requests answered "sold out" by the local pre-check.
    pub local_meter: RateMeter,
    pub edge_meter: RateMeter,
    pub app_meter: RateMeter,
    pub redis_meter: RateMeter,
    pub db_meter: RateMeter,
    pub mq_meter: RateMeter,
    offered_s: Series,
    admitted_s: Series,
    served_s: Series,
    rejected_s: Series,
    timed_out_s: Series,
    app_q: Series,
    redis_q: Series,
    db_q: Series,
    mq_q: Series,
    stock_s: Series,
    sold_s: Series,
    oversold_s: Series,
    admitted: u64,
    served: u64,
    rejected: u64,
    span: Nanos,
}

impl Metrics {
    pub fn new(span: Nanos, stock: u64) -> Self {
        let width = span.max(POINTS as u64).div_ceil(POINTS as u64);
        let level = |v| Series::level(POINTS, width, v);
        Metrics {
            offered: 0,
            first_attempts: 0,
            retries: 0,
            ends: [0; 8],
            late_orders: 0,
            noncore_failed: 0,
            noncore_skipped: 0,
            lost_messages: 0,
            sold_out_at: None,
            e2e: LatencyHistogram::new(),
            edge: LatencyHistogram::new(),
            app_wait: LatencyHistogram::new(),
            redis: LatencyHistogram::new(),
            db: LatencyHistogram::new(),
            windows: WindowedLatency::new(span.div_ceil(LATENCY_WINDOWS).max(1), POINTS),
            offered_meter: RateMeter::default(),
            local_meter: RateMeter::default(),
            edge_meter: RateMeter::default(),
            app_meter: RateMeter::default(),
            redis_meter: RateMeter::default(),
            db_meter: RateMeter::default(),
            mq_meter: RateMeter::default(),
            offered_s: level(0.0),
            admitted_s: level(0.0),
            served_s: level(0.0),
            rejected_s: level(0.0),
            timed_out_s: level(0.0),
            app_q: level(0.0),
            redis_q: level(0.0),
            db_q: level(0.0),
            mq_q: level(0.0),
            stock_s: level(stock as f64),
            sold_s: level(0.0),
            oversold_s: level(0.0),
            admitted: 0,
            served: 0,
            rejected: 0,
            span,
        }
    }

    pub fn count(&self, e: End) -> u64 {
        self.ends[e as usize]
    }

    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    pub fn served(&self) -> u64 {
        self.served
    }

    pub fn admitted(&self) -> u64 {
        self.admitted
    }

    pub fn arrived(&mut self, now: Nanos, retry: bool) {
        self.offered += 1;
        self.offered_meter.hit(now);
        if retry {
            self.retries += 1;
        } else {
            self.first_attempts += 1;
        }
        self.offered_s.set(now, self.offered as f64);
    }

    pub fn passed_edge(&mut self, now: Nanos, delay: Nanos) {
        self.admitted += 1;
        self.edge.record(delay);
        self.edge_meter.hit(now);
        self.admitted_s.set(now, self.admitted as f64);
    }

    /// A request ended at `now`; `latency` is set for requests that passed the edge.
    pub fn ended(&mut self, now: Nanos, end: End, latency: Option<Nanos>) {
        self.ends[end as usize] += 1;
        if end.served() {
            self.served += 1;
            self.served_s.set(now, self.served as f64);
        } else if end == End::TimedOut {
            self.timed_out_s
                .set(now, self.ends[End::TimedOut as usize] as f64);
        } else {
            self.rejected += 1;
            self.rejected_s.set(now, self.rejected as f64);
        }
        if let Some(l) = latency {
            self.e2e.record(l);
            self.windows.record(now, l);
        }
    }

    pub fn queues(&mut self, now: Nanos, app: u64, redis: u64, db: u64, mq: u64) {
        self.app_q.set(now, app as f64);
        self.redis_q.set(now, redis as f64);
        self.db_q.set(now, db as f64);
        self.mq_q.set(now, mq as f64);
    }

    pub fn stock(&mut self, now: Nanos, left: i64, sold: u64, oversold: u64) {
        self.stock_s.set(now, left.max(0) as f64);
        self.sold_s.set(now, sold as f64);
        self.oversold_s.set(now, oversold as f64);
        if left <= 0 && self.sold_out_at.is_none() {
            self.sold_out_at = Some(now);
        }
    }

    pub fn figures(&self, now: Nanos) -> Vec<Figure> {
        let x_end = now.max(self.span);
        let rate = |s: &Series| s.rate_points(now);
        let line = |id, en, zh, color, points| Trace {
            id,
            label: Text::new(en, zh),
            style: TraceStyle::Line,
            color,
            points,
        };
        let band = |id, en, zh, color, s: &Series| Trace {
            style: TraceStyle::Band,
            ..line(id, en, zh, color, s.points(now))
        };
        let mut windows = self.windows.clone();
        windows.flush();
        let fig = |id, title: Text, y_label: Text, y_unit: Text, y_div, traces| Figure {
            id,
            title,
            y_label,
            y_unit,
            y_div,
            x_end,
            x_axis: XAxis::Time,
            traces,
        };
        vec![
            fig(
                "throughput",
                Text::new(
                    "Offered, admitted and served requests",
                    "到达、放行与完成的请求",
                ),
                Text::new("Requests per second", "每秒请求数"),
                Text::new("req/s", "个/秒"),
                1.0,
                vec![
                    line("offered", "offered", "到达", 0, rate(&self.offered_s)),
                    line(
                        "admitted",
                        "past the edge",
                        "通过入口",
                        1,
                        rate(&self.admitted_s),
                    ),
                    line("served", "served", "完成", 2, rate(&self.served_s)),
                    line("rejected", "rejected", "被拒绝", 3, rate(&self.rejected_s)),
                    line("timed_out", "timed out", "超时", 5, rate(&self.timed_out_s)),
                ],
            ),
            fig(
                "latency",
                Text::new(
                    "End-to-end latency of admitted requests",
                    "通过入口的请求的端到端延迟",
                ),
                Text::new("Latency", "延迟"),
                Text::new("ms", "ms"),
                1e6,
                vec![
                    line("p50", "p50", "p50", 1, windows.p50.points(0)),
                    line("p99", "p99", "p99", 3, windows.p99.points(0)),
                ],
            ),
            fig(
                "queues",
                Text::new("Queue depth per stage", "各阶段的排队长度"),
                Text::new("Waiting", "等待数"),
                Text::new("requests", "个"),
                1.0,
                vec![
                    band("app", "app servers", "应用服务器", 0, &self.app_q),
                    band("redis", "Redis", "Redis", 1, &self.redis_q),
                    band("db", "order DB", "订单库", 2, &self.db_q),
                    band("mq", "MQ backlog", "MQ 积压", 4, &self.mq_q),
                ],
            ),
            fig(
                "stock",
                Text::new(
                    "Stock left, items sold and oversold",
                    "剩余库存、已售与超卖",
                ),
                Text::new("Items", "件数"),
                Text::new("items", "件"),
                1.0,
                vec![
                    band("stock_left", "stock left", "剩余库存", 1, &self.stock_s),
                    band("sold", "sold", "已售", 2, &self.sold_s),
                    band("oversold", "oversold", "超卖", 3, &self.oversold_s),
                ],
            ),
        ]
    }

    /// Every counter, histogram, meter and series: the summary and figures are part of the state.
    pub fn hash_into(&self, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Metrics {
            offered,
            first_attempts,
            retries,
            ends,
            late_orders,
            noncore_failed,
            noncore_skipped,
            lost_messages,
            sold_out_at,
            e2e,
            edge,
            app_wait,
            redis,
            db,
            windows,
            offered_meter,
            local_meter,
            edge_meter,
            app_meter,
            redis_meter,
            db_meter,
            mq_meter,
            offered_s,
            admitted_s,
            served_s,
            rejected_s,
            timed_out_s,
            app_q,
            redis_q,
            db_q,
            mq_q,
            stock_s,
            sold_s,
            oversold_s,
            admitted,
            served,
            rejected,
            span,
        } = self;
        let counts = [*offered, *first_attempts, *retries, *late_orders];
        let more = [*noncore_failed, *noncore_skipped, *lost_messages, *admitted];
        let last = [*served, *rejected, *span, sold_out_at.unwrap_or(u64::MAX)];
        for n in counts.into_iter().chain(more).chain(last).chain(*ends) {
            h.u64(n);
        }
        for hist in [e2e, edge, app_wait, redis, db] {
            hist.hash_into(h);
        }
        windows.hash_into(h);
        let meters = [offered_meter, local_meter, edge_meter, app_meter];
        for m in meters.into_iter().chain([redis_meter, db_meter, mq_meter]) {
            h.u64(m.count).u64(m.since).u64(m.count_since).f64(m.rate);
        }
        let flows = [offered_s, admitted_s, served_s, rejected_s, timed_out_s];
        let levels = [app_q, redis_q, db_q, mq_q, stock_s, sold_s, oversold_s];
        for s in flows.into_iter().chain(levels) {
            s.hash_into(h);
        }
    }
}

impl Sale {
    /// The summary metrics, in a fixed order (the stats panel shows the first sixteen).
    pub(super) fn summary_at(&self, k: &Core<Ev>) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let m = &self.metrics;
        let c = &self.counts;
        let (app_util, redis_util, db_util) = self.utilisation(k);
        let p = |h: &crate::sim::histogram::LatencyHistogram, q| Real(h.quantile(q) / 1e9);
        let sell_out = m.sold_out_at.unwrap_or(k.now());
        let secs = to_secs(self.cfg.duration).max(1e-9);
        vec![
            // The numbers a learner watches first (the stats panel shows the first sixteen).
            ("sold".into(), Count(c.sold())),
            ("oversold".into(), Count(self.oversold())),
            ("stock_left".into(), Real(self.stock_left() as f64)),
            ("sell_out_s".into(), Real(to_secs(sell_out))),
            ("latency_p99_s".into(), p(&m.e2e, 0.99)),
            ("offered".into(), Count(m.offered)),
            ("admitted".into(), Count(m.admitted())),
            ("served".into(), Count(m.served())),
            ("rejected".into(), Count(m.rejected())),
            ("timed_out".into(), Count(m.count(End::TimedOut))),
            ("leaked".into(), Count(c.missing)),
            ("compensated".into(), Count(c.compensated)),
            ("cancelled".into(), Count(c.cancelled)),
            ("orders_per_s".into(), Real(c.created as f64 / secs)),
            ("latency_p50_s".into(), p(&m.e2e, 0.5)),
            ("breaker_trips".into(), Count(self.breaker.trips)),
            // Everything else, for questions, challenges and the CLI.
            ("stock".into(), Count(self.cfg.stock)),
            (
                "oversell_ratio".into(),
                Real(self.oversold() as f64 / self.cfg.stock.max(1) as f64),
            ),
            ("first_attempts".into(), Count(m.first_attempts)),
            ("retries".into(), Count(m.retries)),
            ("bought".into(), Count(m.count(End::Bought))),
            ("sold_out_answers".into(), Count(m.count(End::SoldOut))),
            ("rejected_edge".into(), Count(m.count(End::EdgeLimited))),
            ("rejected_queue_full".into(), Count(m.count(End::QueueFull))),
            (
                "rejected_unavailable".into(),
                Count(m.count(End::Unavailable)),
            ),
            (
                "rejected_order_failed".into(),
                Count(m.count(End::OrderFailed)),
            ),
            ("in_flight".into(), Count(self.live)),
            ("reconciled".into(), Count(c.reconciled)),
            ("repl_lost".into(), Count(c.repl_lost)),
            ("lost_messages".into(), Count(m.lost_messages)),
            ("late_orders".into(), Count(m.late_orders)),
            ("edge_p99_s".into(), p(&m.edge, 0.99)),
            ("app_wait_p99_s".into(), p(&m.app_wait, 0.99)),
            ("redis_p50_s".into(), p(&m.redis, 0.5)),
            ("redis_p99_s".into(), p(&m.redis, 0.99)),
            ("db_p50_s".into(), p(&m.db, 0.5)),
            ("db_p99_s".into(), p(&m.db, 0.99)),
            ("app_util".into(), Real(app_util)),
            ("redis_util".into(), Real(redis_util)),
            ("db_util".into(), Real(db_util)),
            ("noncore_failed".into(), Count(m.noncore_failed)),
            ("noncore_skipped".into(), Count(m.noncore_skipped)),
        ]
    }
}
