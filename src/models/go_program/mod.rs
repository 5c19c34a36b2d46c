//! A Go program as a lesson's model: the program runs on the full simulated runtime (Ps, Ms, run
//! queues, channels, locks, timers), and the lesson's parameters set its package-level constants, as
//! if the source had said so. The same program is in the conformance suite and runs under real Go.
//!
//! What a lesson can ask about is what the run measures: how long the program took in virtual time,
//! how many goroutines were alive at the end and at the peak, the latencies it reported with
//! `lab.Observe`/`lab.Finish`, and its own counters (`lab.Count`).

mod specs;

pub use specs::program_param;

use std::borrow::Cow;
use std::rc::Rc;

use crate::golang::ConstOverride;
use crate::runtime::view::RuntimeView;
use crate::runtime::{Config, Runtime, TraceEvent};
use crate::sim::figure::Figure;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::params::{DefaultValue, ParamError, ParamKind, ParamSpec, ParamValue, Params};
use crate::sim::scenario::{Halt, Stepping};
use crate::sim::text::Text;
use crate::sim::time::Nanos;

/// The parameters every Go-program lesson has; the program's constants come on top.
pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec {
        name: "gomaxprocs",
        kind: ParamKind::Int { min: 1, max: 64 },
        default: DefaultValue::Num(4.0),
        doc: Text::new(
            "GOMAXPROCS: how many Ps run goroutines at once.",
            "GOMAXPROCS:同时运行 goroutine 的 P 的数量。",
        ),
    },
    ParamSpec {
        name: "expect_s",
        kind: ParamKind::Float {
            min: 0.000_001,
            max: 86_400.0,
        },
        default: DefaultValue::Num(1.0),
        doc: Text::new(
            "About how long the program runs in virtual seconds (the progress bar's end).",
            "程序大约运行多少虚拟秒(进度条的终点)。",
        ),
    },
];

/// Live goroutines a lesson's program may have at once.
pub const MAX_GOROUTINES: usize = 1_000_000;

#[derive(Clone, Debug)]
pub struct GoProgram {
    rt: Runtime,
    horizon: Nanos,
    peak_goroutines: usize,
}

impl GoProgram {
    /// Compiles `src` with the constants `params` sets and starts it. A compile error names the
    /// file, line and column.
    pub fn build(name: &str, src: &str, params: &Params, seed: u64) -> Result<Self, ParamError> {
        let overrides: Vec<(String, ConstOverride)> = params
            .iter()
            .filter(|(k, _)| !SCHEMA.iter().any(|s| s.name == k.as_str()))
            .map(|(k, v)| (k.clone(), to_override(v)))
            .collect();
        let program = crate::golang::compile_with(name, src, &overrides).map_err(|errs| {
            let first = errs.first().map(|e| e.to_string()).unwrap_or_default();
            ParamError::new("program", first)
        })?;
        let gomaxprocs = params.num("gomaxprocs")?.clamp(1.0, 64.0) as u32;
        let horizon = crate::sim::time::from_f64_nanos(params.num("expect_s")? * 1e9).max(1);
        let config = Config {
            gomaxprocs,
            seed,
            max_goroutines: MAX_GOROUTINES,
            max_ops: 2_000_000_000,
            ..Config::default()
        };
        Ok(GoProgram {
            rt: Runtime::new(Rc::new(program), config),
            horizon,
            peak_goroutines: 1,
        })
    }

    pub fn runtime(&self) -> &Runtime {
        &self.rt
    }

    pub fn horizon(&self) -> Nanos {
        self.horizon.max(self.rt.now())
    }

    pub fn view(&self) -> RuntimeView {
        self.rt.view()
    }

    pub fn summary(&self) -> Vec<MetricPair> {
        let m = self.rt.metrics();
        let s = |ns: f64| Metric::Real(ns / 1e9);
        let mut v: Vec<MetricPair> = vec![
            ("elapsed_s".into(), s(self.rt.now() as f64)),
            (
                "goroutines_end".into(),
                Metric::Count(self.rt.num_goroutine() as u64),
            ),
            (
                "goroutines_peak".into(),
                Metric::Count(self.peak_goroutines as u64),
            ),
            (
                "exit_code".into(),
                Metric::Count(self.rt.exit().map_or(0, |e| e.code.max(0) as u64)),
            ),
            ("observations".into(), Metric::Count(m.observations())),
            ("latency_mean_s".into(), s(m.latency.mean())),
            ("latency_p50_s".into(), s(m.latency.quantile(0.5))),
            ("latency_p99_s".into(), s(m.latency.quantile(0.99))),
        ];
        for (k, n) in &m.counters {
            let metric = if *n >= 0 {
                Metric::Count(*n as u64)
            } else {
                Metric::Real(*n as f64)
            };
            v.push((Cow::Owned(k.to_string()), metric));
        }
        v
    }

    pub fn figures(&self) -> Vec<Figure> {
        let now = self.rt.now();
        vec![
            self.rt.metrics().goroutines_figure(now),
            self.rt.metrics().procs_figure(now),
        ]
    }

    /// Go's own stdout and, if it failed, stderr.
    pub fn output(&self) -> (&str, Option<&str>) {
        (self.rt.stdout(), self.rt.exit().map(|e| e.stderr.as_str()))
    }
}

fn to_override(v: &ParamValue) -> ConstOverride {
    match v {
        ParamValue::Num(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => ConstOverride::Int(*x as i64),
        ParamValue::Num(x) => ConstOverride::Float(*x),
        ParamValue::Choice(s) => ConstOverride::Str(s.clone()),
        ParamValue::Bool(b) => ConstOverride::Bool(*b),
    }
}

impl Stepping for GoProgram {
    type Event = TraceEvent;

    fn now(&self) -> Nanos {
        self.rt.now()
    }
    fn steps(&self) -> u64 {
        self.rt.steps()
    }
    fn next_time(&self) -> Option<Nanos> {
        self.rt.next_time()
    }
    fn step(&mut self) -> Option<TraceEvent> {
        let ev = self.rt.step();
        self.peak_goroutines = self.peak_goroutines.max(self.rt.num_goroutine());
        ev
    }
    fn halted(&self) -> Option<&Halt> {
        self.rt.halted()
    }
    fn state_hash(&self) -> u64 {
        self.rt.state_hash() ^ (self.peak_goroutines as u64).rotate_left(17)
    }
    fn advance_clock(&mut self, t: Nanos) {
        self.rt.advance_clock(t)
    }
    fn approx_bytes(&self) -> usize {
        self.rt.approx_bytes()
    }
}
