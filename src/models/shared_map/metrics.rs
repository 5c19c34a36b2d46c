//! The shared map's summary metrics and figures.

use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::kernel::Model;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::series::SeriesPoint;
use crate::sim::text::Text;
use crate::sim::time::{to_secs, Nanos};

use super::model::Shared;

impl Shared {
    pub(super) fn metric(&self, now: Nanos) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let secs = to_secs(now).max(1e-12);
        vec![
            ("elapsed_s".into(), Real(to_secs(now))),
            ("ops".into(), Count(self.done_ops)),
            ("ops_per_s".into(), Real(self.done_ops as f64 / secs)),
            ("waits".into(), Count(self.waits)),
            ("lock_free_ops".into(), Count(self.lock_free)),
            ("dirty_copies".into(), Count(self.dirty_copies)),
            ("copied_entries".into(), Count(self.copied)),
            ("promotions".into(), Count(self.promotions)),
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

    pub(super) fn figures_at(&self, now: Nanos) -> Vec<Figure> {
        let rate: Vec<SeriesPoint> = self
            .done_s
            .points(now)
            .into_iter()
            .map(|p| {
                let r = (p.max - p.min).max(0.0) / to_secs(p.t1 - p.t0).max(1e-12) / 1e6;
                SeriesPoint {
                    min: r,
                    max: r,
                    mean: r,
                    ..p
                }
            })
            .collect();
        vec![
            Figure {
                id: "throughput",
                title: Text::new("Operations completed", "完成的操作"),
                y_label: Text::new("Million operations per second", "每秒百万次操作"),
                y_unit: Text::new("M ops/s", "百万次/秒"),
                y_div: 1.0,
                x_end: now.max(self.horizon()),
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    id: "ops",
                    label: Text::new("operations", "操作"),
                    style: TraceStyle::Line,
                    color: 2,
                    points: rate,
                }],
            },
            Figure {
                id: "waiting",
                title: Text::new("Goroutines waiting for a lock", "等待锁的 goroutine"),
                y_label: Text::new("Goroutines", "goroutine 数"),
                y_unit: Text::new("goroutines", "个"),
                y_div: 1.0,
                x_end: now.max(self.horizon()),
                x_axis: XAxis::Time,
                traces: vec![Trace {
                    id: "waiting",
                    label: Text::new("waiting", "等待中"),
                    style: TraceStyle::Band,
                    color: 5,
                    points: self.waiting_s.points(now),
                }],
            },
        ]
    }
}
