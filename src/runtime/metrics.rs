//! Measurements over time, built from the trace: every change of a goroutine's state emits a trace
//! event, so counting them gives exact goroutine counts by state without scanning goroutines. Run-queue
//! lengths, each P's busy time (the data of a "proc timeline" like go tool trace's) and the lengths of
//! the first channels are level series; all of it stays bounded however long the run.

use super::g::GoId;
use super::trace::{OpEvent, TraceEvent};
use crate::sim::figure::{Figure, Trace, TraceStyle, XAxis};
use crate::sim::histogram::{LatencyHistogram, WindowedLatency};
use crate::sim::series::Series;
use crate::sim::text::Text;
use crate::sim::time::Nanos;

/// Points per series.
pub const SERIES_POINTS: usize = 240;
/// Channels whose length is tracked over time.
pub const CHANNELS_TRACKED: usize = 8;
/// Ps whose busy time is tracked over time.
pub const PS_TRACKED: usize = 16;
/// The span series are first sized for (1 s); longer runs coarsen them.
pub const DEFAULT_SPAN: Nanos = 1_000_000_000;

#[derive(Clone, Debug)]
pub struct RuntimeMetrics {
    /// Goroutines running, runnable, waiting, in syscalls.
    pub running: Series,
    pub runnable: Series,
    pub waiting: Series,
    pub syscall: Series,
    counts: [i64; 4],
    /// Goroutines in the global queue and in all local queues (with runnext).
    pub global_queue: Series,
    pub local_queues: Series,
    /// 1 while a P runs a goroutine, 0 otherwise: a bucket's mean is that P's utilisation.
    pub p_busy: Vec<Series>,
    pub chan_len: Vec<Series>,
    /// Latencies the program reports (the Observe operation), overall and per window.
    pub latency: LatencyHistogram,
    pub latency_windows: WindowedLatency,
    /// The program's own counters (lab.Count), by name: what a lesson's questions can ask about.
    pub counters: std::collections::BTreeMap<std::rc::Rc<str>, i64>,
}

impl RuntimeMetrics {
    /// Series sized for a run of about `span` virtual nanoseconds (they coarsen if it runs longer).
    pub fn new(span: Nanos, procs: usize) -> Self {
        let width = span
            .max(SERIES_POINTS as u64)
            .div_ceil(SERIES_POINTS as u64);
        let level = || Series::level(SERIES_POINTS, width, 0.0);
        RuntimeMetrics {
            running: Series::level(SERIES_POINTS, width, 1.0),
            runnable: level(),
            waiting: level(),
            syscall: level(),
            counts: [1, 0, 0, 0],
            global_queue: level(),
            local_queues: level(),
            p_busy: (0..procs.min(PS_TRACKED))
                .map(|p| Series::level(SERIES_POINTS, width, if p == 0 { 1.0 } else { 0.0 }))
                .collect(),
            chan_len: Vec::new(),
            latency: LatencyHistogram::new(),
            latency_windows: WindowedLatency::new(width * 2, SERIES_POINTS),
            counters: Default::default(),
        }
    }

    fn shift(&mut self, now: Nanos, from: Option<usize>, to: Option<usize>) {
        for (slot, d) in [(from, -1), (to, 1)] {
            if let Some(i) = slot {
                self.counts[i] += d;
                let v = self.counts[i] as f64;
                match i {
                    0 => self.running.set(now, v),
                    1 => self.runnable.set(now, v),
                    2 => self.waiting.set(now, v),
                    _ => self.syscall.set(now, v),
                }
            }
        }
    }

    fn busy(&mut self, now: Nanos, p: u32, on: bool) {
        if let Some(s) = self.p_busy.get_mut(p as usize) {
            let v = if on { 1.0 } else { 0.0 };
            if s.current() != v {
                s.set(now, v);
            }
        }
    }

    /// Updates the measurements for one trace event. `queues` is (global, local) queue lengths after
    /// it, `chan_len` the length of a channel the event touched.
    pub fn observe(
        &mut self,
        now: Nanos,
        ev: &TraceEvent,
        queues: (usize, usize),
        chan_len: Option<(u32, usize)>,
    ) {
        const RUNNING: Option<usize> = Some(0);
        const RUNNABLE: Option<usize> = Some(1);
        const WAITING: Option<usize> = Some(2);
        const SYSCALL: Option<usize> = Some(3);
        match ev {
            TraceEvent::GoCreate { .. } => self.shift(now, None, RUNNABLE),
            TraceEvent::GoStart { p, .. } => {
                self.shift(now, RUNNABLE, RUNNING);
                self.busy(now, *p, true);
            }
            TraceEvent::GoPark { p, .. } => {
                self.shift(now, RUNNING, WAITING);
                self.busy(now, *p, false);
            }
            TraceEvent::GoReady { .. } => self.shift(now, WAITING, RUNNABLE),
            TraceEvent::GoExit { p, .. } => {
                self.shift(now, RUNNING, None);
                self.busy(now, *p, false);
            }
            TraceEvent::GoSched { p, .. }
            | TraceEvent::GoPreempt { p, .. }
            | TraceEvent::GoYield { p, .. } => {
                self.shift(now, RUNNING, RUNNABLE);
                self.busy(now, *p, false);
            }
            TraceEvent::SyscallEnter { p, .. } => {
                self.shift(now, RUNNING, SYSCALL);
                self.busy(now, *p, false);
            }
            TraceEvent::SyscallExit { p: Some(p), .. } => {
                self.shift(now, SYSCALL, RUNNING);
                self.busy(now, *p, true);
            }
            TraceEvent::SyscallExit { p: None, .. } => self.shift(now, SYSCALL, RUNNABLE),
            TraceEvent::PIdle { p } => self.busy(now, *p, false),
            _ => {}
        }
        if self.global_queue.current() != queues.0 as f64 {
            self.global_queue.set(now, queues.0 as f64);
        }
        if self.local_queues.current() != queues.1 as f64 {
            self.local_queues.set(now, queues.1 as f64);
        }
        if let Some((ch, len)) = chan_len {
            let ch = ch as usize;
            if ch < CHANNELS_TRACKED {
                while self.chan_len.len() <= ch {
                    let width = self.runnable.width();
                    self.chan_len.push(Series::level(SERIES_POINTS, width, 0.0));
                }
                if self.chan_len[ch].current() != len as f64 {
                    self.chan_len[ch].set(now, len as f64);
                }
            }
        }
    }

    /// Adds `n` to counter `name` (at most 64 distinct counters; more are ignored, as a runaway
    /// program naming a counter per request must not grow the state without bound).
    pub fn count(&mut self, name: &str, n: i64) {
        if let Some(v) = self.counters.get_mut(name) {
            *v = v.saturating_add(n);
        } else if self.counters.len() < 64 {
            self.counters.insert(name.into(), n);
        }
    }

    /// How many latencies the program reported.
    pub fn observations(&self) -> u64 {
        self.latency.count()
    }

    /// A latency the program reported.
    pub fn record_latency(&mut self, now: Nanos, ns: Nanos) {
        self.latency.record(ns);
        self.latency_windows.record(now, ns);
    }

    /// Goroutines by state over time.
    pub fn goroutines_figure(&self, now: Nanos) -> Figure {
        let tr = |id, label, color, s: &Series| Trace {
            id,
            label,
            style: TraceStyle::Line,
            color,
            points: s.points(now),
        };
        Figure {
            id: "goroutines",
            title: Text::new("Goroutines by state", "各状态的 goroutine 数"),
            y_label: Text::new("Goroutines", "goroutine 数"),
            y_unit: Text::new("G", "个"),
            y_div: 1.0,
            x_end: now,
            x_axis: XAxis::Time,
            traces: vec![
                tr("running", Text::new("running", "运行中"), 1, &self.running),
                tr(
                    "runnable",
                    Text::new("runnable", "可运行"),
                    0,
                    &self.runnable,
                ),
                tr("waiting", Text::new("waiting", "等待中"), 2, &self.waiting),
                tr(
                    "syscall",
                    Text::new("in syscall", "系统调用中"),
                    3,
                    &self.syscall,
                ),
            ],
        }
    }

    /// Each P's utilisation over time (the proc timeline), in percent.
    pub fn procs_figure(&self, now: Nanos) -> Figure {
        const NAMES: [&str; PS_TRACKED] = [
            "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12", "P13",
            "P14", "P15",
        ];
        Figure {
            id: "procs",
            title: Text::new("Proc timeline: P utilisation", "P 的利用率"),
            y_label: Text::new("Busy", "忙碌"),
            y_unit: Text::new("%", "%"),
            y_div: 0.01,
            x_end: now,
            x_axis: XAxis::Time,
            traces: self
                .p_busy
                .iter()
                .enumerate()
                .map(|(i, s)| Trace {
                    id: NAMES[i],
                    label: Text::new(NAMES[i], NAMES[i]),
                    style: TraceStyle::Line,
                    color: i,
                    points: s.points(now),
                })
                .collect(),
        }
    }

    /// Roughly the bytes a clone of the measurements takes (histograms dominate).
    pub fn approx_bytes(&self) -> usize {
        let series = 6 + self.p_busy.len() + self.chan_len.len() + 5;
        series * SERIES_POINTS * 32 + 2 * 48 * 1024
    }

    pub fn goroutine_count(&self) -> i64 {
        self.counts.iter().sum()
    }

    /// For tests: the counts by state (running, runnable, waiting, syscall).
    pub fn counts(&self) -> [i64; 4] {
        self.counts
    }

    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        for c in self.counts {
            h.u64(c as u64);
        }
        for s in [
            &self.running,
            &self.runnable,
            &self.waiting,
            &self.syscall,
            &self.global_queue,
            &self.local_queues,
        ] {
            s.hash_into(h);
        }
        for s in self.p_busy.iter().chain(self.chan_len.iter()) {
            s.hash_into(h);
        }
        self.latency.hash_into(h);
        for (k, v) in &self.counters {
            h.str(k);
            h.u64(*v as u64);
        }
    }

    /// Ignores goroutine ids; kept for symmetry with other observers.
    pub fn forget(&mut self, _g: GoId) {}
}

/// Which channel an event changed, if any.
pub fn touched_chan(ev: &TraceEvent) -> Option<u32> {
    match ev {
        TraceEvent::Op {
            what:
                OpEvent::MakeChan { ch, .. }
                | OpEvent::Send { ch, .. }
                | OpEvent::Recv { ch, .. }
                | OpEvent::Close { ch, .. },
            ..
        } => Some(ch.0),
        _ => None,
    }
}
