//! What the durable task queue measures: the queue's depth over time, resends, fsyncs, crashes,
//! and the latency from a task's first send to its effect.

use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::histogram::LatencyHistogram;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::series::Series;
use crate::sim::text::Text;
use crate::sim::time::Nanos;

const POINTS: usize = 240;
/// The queue series starts at 10 ms buckets and coarsens as the run goes on.
const WIDTH: Nanos = 10_000_000 / POINTS as u64 * 100;

#[derive(Clone, Debug)]
pub struct Metrics {
    pub resends: u64,
    pub fsyncs: u64,
    pub crashes: u64,
    queue_s: Series,
    pub latency: LatencyHistogram,
    /// From a task's first send to the producer's ack.
    pub ack_latency: LatencyHistogram,
}

impl Metrics {
    pub fn new() -> Self {
        Metrics {
            resends: 0,
            fsyncs: 0,
            crashes: 0,
            queue_s: Series::level(POINTS, WIDTH, 0.0),
            latency: LatencyHistogram::new(),
            ack_latency: LatencyHistogram::new(),
        }
    }

    pub fn queue(&mut self, now: Nanos, len: usize) {
        self.queue_s.set(now, len as f64);
    }

    /// `finished`: lost and duplicated are final only once the run has drained.
    pub fn summary(
        &self,
        tasks: u64,
        lost: u64,
        duplicated: u64,
        finished: bool,
    ) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        vec![
            ("tasks".into(), Count(tasks)),
            ("lost".into(), Count(if finished { lost } else { 0 })),
            ("duplicated".into(), Count(duplicated)),
            ("resends".into(), Count(self.resends)),
            ("fsyncs".into(), Count(self.fsyncs)),
            ("crashes".into(), Count(self.crashes)),
            (
                "latency_p50_s".into(),
                Real(self.latency.quantile(0.5) / 1e9),
            ),
            (
                "latency_p99_s".into(),
                Real(self.latency.quantile(0.99) / 1e9),
            ),
            (
                "ack_p50_s".into(),
                Real(self.ack_latency.quantile(0.5) / 1e9),
            ),
            (
                "ack_p99_s".into(),
                Real(self.ack_latency.quantile(0.99) / 1e9),
            ),
        ]
    }

    pub fn figures(&self, now: Nanos, horizon: Nanos) -> Vec<Figure> {
        vec![Figure {
            id: "queue_depth",
            title: Text::new("Tasks waiting in the broker", "broker 中等待的任务"),
            y_label: Text::new("Tasks", "任务数"),
            y_unit: Text::new("tasks", "个"),
            y_div: 1.0,
            x_end: now.max(horizon),
            x_axis: XAxis::Time,
            traces: vec![Trace {
                id: "queued",
                label: Text::new("queued", "排队中"),
                style: TraceStyle::Band,
                color: 0,
                points: self.queue_s.points(now),
            }],
        }]
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.u64(self.resends).u64(self.fsyncs).u64(self.crashes);
        self.queue_s.hash_into(h);
        self.latency.hash_into(h);
        self.ack_latency.hash_into(h);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
