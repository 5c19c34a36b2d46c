//! The worker pool's measurements: exact counters for conservation and Little's law, post-warm-up
//! statistics for the summary, and bounded series for the charts.

use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::histogram::{LatencyHistogram, WindowedLatency};
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::series::Series;
use crate::sim::text::Text;
use crate::sim::time::{to_secs, Nanos};
use crate::sim::StateHasher;
use crate::theory;

use super::params::{Config, Policy};
use crate::sim::dist::Dist;

/// Points per chart series; the series stay this size however long the run.
pub const SERIES_POINTS: usize = 240;
/// Latency percentiles are computed over this many windows per run duration.
pub const LATENCY_WINDOWS: u64 = 120;

#[derive(Clone, Debug)]
pub struct WorkerPoolMetrics {
    warmup: Nanos,
    duration: Nanos,

    // Exact, whole run, from time 0.
    pub total_arrivals: u64,
    pub total_completed: u64,
    pub total_dropped: u64,
    /// ∫ N(t) dt over the run so far, in task·ns (N = tasks in the system).
    pub area_in_system: u128,
    /// Sum of all completed tasks' sojourn times, in ns.
    pub sum_sojourn: u128,
    in_system: u64,
    in_system_since: Nanos,

    // Measured window: tasks arriving in [warmup, duration).
    pub arrivals: u64,
    pub dropped: u64,
    pub completed: u64,
    /// Completions that happened inside [warmup, duration], for throughput.
    pub completions_in_window: u64,
    pub wait: LatencyHistogram,
    pub sojourn: LatencyHistogram,
    /// ∫ queue length dt over [warmup, duration], in task·ns.
    queue_area: u128,
    queue_len: u64,
    queue_since: Nanos,

    // Charts.
    pub queue_depth: Series,
    pub latency: WindowedLatency,
    /// Cumulative completions and drops: each bucket's rise is that bucket's throughput.
    pub completions: Series,
    pub drops: Series,
}

impl WorkerPoolMetrics {
    pub fn new(cfg: &Config) -> Self {
        let span = cfg.duration.max(1);
        let width = span.div_ceil(SERIES_POINTS as u64);
        Self {
            warmup: cfg.warmup,
            duration: cfg.duration,
            total_arrivals: 0,
            total_completed: 0,
            total_dropped: 0,
            area_in_system: 0,
            sum_sojourn: 0,
            in_system: 0,
            in_system_since: 0,
            arrivals: 0,
            dropped: 0,
            completed: 0,
            completions_in_window: 0,
            wait: LatencyHistogram::new(),
            sojourn: LatencyHistogram::new(),
            queue_area: 0,
            queue_len: 0,
            queue_since: 0,
            queue_depth: Series::level(SERIES_POINTS, width, 0.0),
            latency: WindowedLatency::new(span.div_ceil(LATENCY_WINDOWS), SERIES_POINTS),
            completions: Series::level(SERIES_POINTS, width, 0.0),
            drops: Series::level(SERIES_POINTS, width, 0.0),
        }
    }

    fn measured(&self, arrived: Nanos) -> bool {
        arrived >= self.warmup
    }

    fn set_in_system(&mut self, t: Nanos, n: u64) {
        self.area_in_system += self.in_system as u128 * (t - self.in_system_since) as u128;
        self.in_system = n;
        self.in_system_since = t;
    }

    /// The queue length (buffer plus parked senders) changes to `len` at time `t`.
    pub fn queue_changed(&mut self, t: Nanos, len: u64) {
        let lo = self.queue_since.max(self.warmup);
        let hi = t.min(self.duration);
        if hi > lo {
            self.queue_area += self.queue_len as u128 * (hi - lo) as u128;
        }
        self.queue_len = len;
        self.queue_since = t;
        self.queue_depth.set(t, len as f64);
    }

    pub fn arrived(&mut self, t: Nanos, dropped: bool, in_system: u64) {
        self.total_arrivals += 1;
        let m = self.measured(t);
        if m {
            self.arrivals += 1;
        }
        if dropped {
            self.total_dropped += 1;
            self.drops.set(t, self.total_dropped as f64);
            if m {
                self.dropped += 1;
            }
        } else {
            self.set_in_system(t, in_system);
        }
    }

    pub fn started(&mut self, t: Nanos, arrived: Nanos) {
        if self.measured(arrived) {
            self.wait.record(t - arrived);
        }
    }

    pub fn completed(&mut self, t: Nanos, arrived: Nanos, in_system: u64) {
        let sojourn = t - arrived;
        self.total_completed += 1;
        self.completions.set(t, self.total_completed as f64);
        self.sum_sojourn += sojourn as u128;
        self.set_in_system(t, in_system);
        if self.measured(arrived) {
            self.completed += 1;
            self.sojourn.record(sojourn);
        }
        if t >= self.warmup && t <= self.duration {
            self.completions_in_window += 1;
        }
        self.latency.record(t, sojourn);
    }

    /// Brings time integrals up to `t` (call before reading them).
    pub fn close(&mut self, t: Nanos) {
        self.set_in_system(t, self.in_system);
        self.queue_changed(t, self.queue_len);
    }

    pub fn in_system(&self) -> u64 {
        self.in_system
    }

    /// The summary a run reports, measured after the warm-up over the part of the measured window
    /// that has elapsed: while a run plays, rates and time averages are "so far", never a partial
    /// count spread over the whole window. Call after `close(now)`, which marks where time stands.
    pub fn summary(&self, cfg: &Config) -> Summary {
        let end = self.queue_since.min(self.duration);
        let measured_ns = end.saturating_sub(self.warmup);
        let window_s = to_secs(measured_ns);
        let per_s = |n: u64| {
            if measured_ns == 0 {
                0.0
            } else {
                n as f64 / window_s
            }
        };
        let w = self.wait.percentiles();
        let s = self.sojourn.percentiles();
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Summary {
            arrivals: self.arrivals,
            completed: self.completed,
            dropped: self.dropped,
            drop_ratio: ratio(self.dropped, self.arrivals),
            wait_mean_s: w.mean / 1e9,
            wait_p99_s: w.p99 / 1e9,
            sojourn_mean_s: s.mean / 1e9,
            sojourn_p50_s: s.p50 / 1e9,
            sojourn_p90_s: s.p90 / 1e9,
            sojourn_p99_s: s.p99 / 1e9,
            sojourn_p999_s: s.p999 / 1e9,
            sojourn_max_s: s.max / 1e9,
            queue_len_mean: if measured_ns == 0 {
                0.0
            } else {
                self.queue_area as f64 / measured_ns as f64
            },
            throughput_per_s: per_s(self.completions_in_window),
            offered_load: cfg.rho(),
            theory: Theory::for_config(cfg),
        }
    }

    /// Queue depth over time, with the min-max band of each bucket.
    pub fn queue_figure(&self, now: Nanos) -> Figure {
        Figure {
            id: "queue_depth",
            title: Text::new("Queue depth", "队列长度"),
            y_label: Text::new("Tasks waiting", "等待中的任务"),
            y_unit: Text::new("tasks", "个"),
            y_div: 1.0,
            x_end: self.duration,
            x_axis: XAxis::Time,
            traces: vec![Trace {
                id: "queue",
                label: Text::new(
                    "waiting (buffer + parked senders)",
                    "等待(缓冲区 + 阻塞的发送者)",
                ),
                style: TraceStyle::Band,
                color: 0,
                points: self.queue_depth.points(now),
            }],
        }
    }

    /// Completions and drops per second over time: each bucket's rise of the running total (from
    /// the previous bucket's last value) over the part of the bucket that has elapsed, so the bucket
    /// the run is in, or ended in, is not read as a fall (and is left out until half of it has
    /// passed).
    pub fn throughput_figure(&self, now: Nanos) -> Figure {
        let rate = |s: &Series| -> Vec<crate::sim::series::SeriesPoint> {
            let mut before = 0.0;
            s.points(now)
                .into_iter()
                // A bucket less than half elapsed holds too few tasks to give a rate yet.
                .filter(|p| now >= p.t1 || 2 * (now - p.t0.min(now)) >= p.t1 - p.t0)
                // After the duration no task arrives: the drain is not the pool's throughput.
                .filter(|p| p.t0 < self.duration)
                .map(|p| {
                    let elapsed = p.t1.min(now.max(p.t0 + 1)) - p.t0;
                    let r = (p.max - before).max(0.0) / to_secs(elapsed).max(1e-12);
                    before = p.max;
                    crate::sim::series::SeriesPoint {
                        min: r,
                        max: r,
                        mean: r,
                        ..p
                    }
                })
                .collect()
        };
        Figure {
            id: "throughput",
            title: Text::new("Throughput and drops", "吞吐量与丢弃"),
            y_label: Text::new("Tasks per second", "每秒任务数"),
            y_unit: Text::new("tasks/s", "个/秒"),
            y_div: 1.0,
            x_end: self.duration,
            x_axis: XAxis::Time,
            traces: vec![
                Trace {
                    id: "completed",
                    label: Text::new("completed", "完成"),
                    style: TraceStyle::Line,
                    color: 2,
                    points: rate(&self.completions),
                },
                Trace {
                    id: "dropped",
                    label: Text::new("dropped", "丢弃"),
                    style: TraceStyle::Line,
                    color: 5,
                    points: rate(&self.drops),
                },
            ],
        }
    }

    /// The distribution of time in system after the warm-up, as a cumulative curve: the share of
    /// tasks (%) done within each latency.
    pub fn latency_cdf_figure(&self) -> Figure {
        let mut points = Vec::new();
        if self.sojourn.count() > 0 {
            let mut qs: Vec<f64> = (0..=100).map(|q| q as f64).collect();
            qs.extend([99.5, 99.9]);
            qs.sort_by(f64::total_cmp);
            for q in qs {
                let ns = self.sojourn.quantile(q / 100.0) as Nanos;
                points.push(crate::sim::series::SeriesPoint {
                    t0: ns,
                    t1: ns,
                    min: q,
                    max: q,
                    mean: q,
                });
            }
        }
        Figure {
            id: "latency_cdf",
            title: Text::new("Latency distribution", "延迟分布"),
            y_label: Text::new("Tasks done within", "在此时间内完成的任务"),
            y_unit: Text::new("%", "%"),
            y_div: 1.0,
            x_end: 0,
            x_axis: XAxis::Latency,
            traces: vec![Trace {
                id: "cdf",
                label: Text::new("after warm-up", "预热之后"),
                style: TraceStyle::Line,
                color: 1,
                points,
            }],
        }
    }

    /// Sojourn-time percentiles per window over time.
    pub fn latency_figure(&self) -> Figure {
        let l = &self.latency;
        let tr = |id, label, color, s: &Series| Trace {
            id,
            label,
            style: TraceStyle::Line,
            color,
            points: s.points(0),
        };
        Figure {
            id: "latency",
            title: Text::new("Latency percentiles", "延迟分位数"),
            y_label: Text::new("Time in system", "任务总耗时"),
            y_unit: Text::new("ms", "ms"),
            y_div: 1e6,
            x_end: self.duration,
            x_axis: XAxis::Time,
            traces: vec![
                tr("p50", Text::new("p50", "p50"), 1, &l.p50),
                tr("p90", Text::new("p90", "p90"), 2, &l.p90),
                tr("p99", Text::new("p99", "p99"), 3, &l.p99),
            ],
        }
    }

    pub fn hash_into(&self, h: &mut StateHasher) {
        h.u64(self.total_arrivals)
            .u64(self.total_completed)
            .u64(self.total_dropped)
            .u128(self.area_in_system)
            .u128(self.sum_sojourn)
            .u64(self.in_system)
            .u64(self.in_system_since)
            .u64(self.arrivals)
            .u64(self.dropped)
            .u64(self.completed)
            .u64(self.completions_in_window)
            .u128(self.queue_area)
            .u64(self.queue_len)
            .u64(self.queue_since);
        self.wait.hash_into(h);
        self.sojourn.hash_into(h);
        self.queue_depth.hash_into(h);
        self.latency.hash_into(h);
        self.completions.hash_into(h);
        self.drops.hash_into(h);
    }
}

/// Closed-form predictions, when the configuration matches a model that has them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theory {
    /// "M/M/c" or "M/M/c/K".
    pub model: &'static str,
    pub wait_mean_s: f64,
    pub sojourn_mean_s: f64,
    pub drop_ratio: f64,
    pub queue_len_mean: f64,
}

impl Theory {
    /// Exponential arrivals and service: M/M/c/K (drop) or M/M/c (block, when stable).
    pub fn for_config(cfg: &Config) -> Option<Theory> {
        let (Dist::Exponential { mean: ia }, Dist::Exponential { mean: sv }) =
            (cfg.interarrival, cfg.service)
        else {
            return None;
        };
        let lambda = 1e9 / ia;
        let mu = 1e9 / sv;
        match cfg.policy {
            Policy::Block => theory::mmc(lambda, mu, cfg.workers).map(|r| Theory {
                model: "M/M/c",
                wait_mean_s: r.wq,
                sojourn_mean_s: r.w,
                drop_ratio: 0.0,
                queue_len_mean: r.lq,
            }),
            Policy::Drop => {
                let k = (cfg.workers as u64 + cfg.buffer).min(u32::MAX as u64) as u32;
                // Beyond a few thousand states the closed form adds nothing a learner can see.
                if k > 200_000 {
                    return None;
                }
                theory::mmck(lambda, mu, cfg.workers, k).map(|r| Theory {
                    model: "M/M/c/K",
                    wait_mean_s: r.wq,
                    sojourn_mean_s: r.w,
                    drop_ratio: r.p_block,
                    queue_len_mean: r.lq,
                })
            }
        }
    }
}

/// The summary metrics of one run (see the README for their exact definitions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub arrivals: u64,
    pub completed: u64,
    pub dropped: u64,
    pub drop_ratio: f64,
    pub wait_mean_s: f64,
    pub wait_p99_s: f64,
    pub sojourn_mean_s: f64,
    pub sojourn_p50_s: f64,
    pub sojourn_p90_s: f64,
    pub sojourn_p99_s: f64,
    pub sojourn_p999_s: f64,
    pub sojourn_max_s: f64,
    pub queue_len_mean: f64,
    pub throughput_per_s: f64,
    pub offered_load: f64,
    pub theory: Option<Theory>,
}

impl Summary {
    /// Name-value pairs in a fixed order, for JSON and for the stat tiles.
    pub fn pairs(&self) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let mut v = vec![
            ("arrivals".into(), Count(self.arrivals)),
            ("completed".into(), Count(self.completed)),
            ("dropped".into(), Count(self.dropped)),
            ("drop_ratio".into(), Real(self.drop_ratio)),
            ("wait_mean_s".into(), Real(self.wait_mean_s)),
            ("wait_p99_s".into(), Real(self.wait_p99_s)),
            ("sojourn_mean_s".into(), Real(self.sojourn_mean_s)),
            ("sojourn_p50_s".into(), Real(self.sojourn_p50_s)),
            ("sojourn_p90_s".into(), Real(self.sojourn_p90_s)),
            ("sojourn_p99_s".into(), Real(self.sojourn_p99_s)),
            ("sojourn_p999_s".into(), Real(self.sojourn_p999_s)),
            ("sojourn_max_s".into(), Real(self.sojourn_max_s)),
            ("queue_len_mean".into(), Real(self.queue_len_mean)),
            ("throughput_per_s".into(), Real(self.throughput_per_s)),
            ("offered_load".into(), Real(self.offered_load)),
        ];
        if let Some(t) = self.theory {
            v.extend([
                ("theory_wait_mean_s".into(), Real(t.wait_mean_s)),
                ("theory_sojourn_mean_s".into(), Real(t.sojourn_mean_s)),
                ("theory_drop_ratio".into(), Real(t.drop_ratio)),
                ("theory_queue_len_mean".into(), Real(t.queue_len_mean)),
            ]);
        }
        v
    }
}
