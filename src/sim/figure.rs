//! What a chart shows, as plain data: the models fill it in, the chart layer draws it (on a canvas in
//! the browser, as SVG natively) and the same data exports as CSV. One source for all three is what
//! lets a test check that the browser draws exactly what the CLI prints.

use super::series::SeriesPoint;
use super::text::{Lang, Text};
use super::time::{to_secs, Nanos};

/// How a trace is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceStyle {
    /// The mean as a solid line.
    Line,
    /// The mean as a line over a shaded min-max band.
    Band,
    /// A theory curve: dashed.
    Theory,
    /// A pinned earlier run drawn under the current one for comparison (compare mode).
    Pinned,
}

/// The x axis of a figure. Points always carry nanoseconds in `t0`/`t1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum XAxis {
    /// Simulated time, shown in seconds.
    #[default]
    Time,
    /// A latency, shown in milliseconds (for distributions: `t0 == t1` is the latency).
    Latency,
}

impl XAxis {
    /// A point's x position in the axis's unit.
    pub fn value(self, ns: Nanos) -> f64 {
        match self {
            XAxis::Time => to_secs(ns),
            XAxis::Latency => ns as f64 / 1e6,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (XAxis::Time, Lang::En) => "Time (s)",
            (XAxis::Time, Lang::Zh) => "时间(秒)",
            (XAxis::Latency, Lang::En) => "Latency (ms)",
            (XAxis::Latency, Lang::Zh) => "延迟(毫秒)",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Stable machine name, used as the CSV column prefix ("p99").
    pub id: &'static str,
    pub label: Text,
    pub style: TraceStyle,
    /// Index into the chart palette, stable per meaning (p99 is always the same colour).
    pub color: usize,
    pub points: Vec<SeriesPoint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Stable machine name ("queue_depth"): the CLI's `--csv` argument and the download's file name.
    pub id: &'static str,
    pub title: Text,
    pub y_label: Text,
    /// The y unit as shown on the axis ("ms", "tasks").
    pub y_unit: Text,
    /// Values are divided by this before drawing (ns -> ms is 1e6). Division by a power of ten keeps
    /// decimal values exact where multiplication by its inverse would not.
    pub y_div: f64,
    /// The x axis spans [0, x_end] seconds at least.
    pub x_end: Nanos,
    /// What the x axis measures: simulated time (the usual case) or a latency (distributions).
    pub x_axis: XAxis,
    pub traces: Vec<Trace>,
}

impl Figure {
    /// The figure's data as CSV: one row per bucket and trace, times in seconds, values in the
    /// axis unit. Numbers use Rust's shortest round-trip formatting, identical natively and in wasm.
    pub fn to_csv(&self) -> String {
        let unit = self.y_unit.get(Lang::En);
        if self.x_axis == XAxis::Latency {
            let mut out = format!("trace,latency_ms,{unit}\n");
            for tr in &self.traces {
                for p in &tr.points {
                    out.push_str(&format!(
                        "{},{},{}\n",
                        tr.id,
                        self.x_axis.value(p.t0),
                        p.mean / self.y_div
                    ));
                }
            }
            return out;
        }
        let mut out = format!("trace,t_start_s,t_end_s,min_{unit},mean_{unit},max_{unit}\n");
        for tr in &self.traces {
            for p in &tr.points {
                out.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    tr.id,
                    to_secs(p.t0),
                    to_secs(p.t1),
                    p.min / self.y_div,
                    p.mean / self.y_div,
                    p.max / self.y_div
                ));
            }
        }
        out
    }

    /// This figure with `pinned`'s measured lines added as pinned traces (theory curves are left
    /// out: the comparison is between the two runs' measurements).
    pub fn overlay(&self, pinned: &Figure) -> Figure {
        let mut out = self.clone();
        out.traces.extend(
            pinned
                .traces
                .iter()
                .filter(|t| matches!(t.style, TraceStyle::Line | TraceStyle::Band))
                .map(|t| Trace {
                    style: TraceStyle::Pinned,
                    ..t.clone()
                }),
        );
        out
    }

    pub fn y_max(&self) -> f64 {
        self.traces
            .iter()
            .flat_map(|t| t.points.iter())
            .map(|p| p.max / self.y_div)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }

    /// Time of the last point, for axis ranges.
    pub fn x_last(&self) -> Nanos {
        self.traces
            .iter()
            .flat_map(|t| t.points.last())
            .map(|p| p.t1)
            .max()
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.traces.iter().all(|t| t.points.is_empty())
    }
}
