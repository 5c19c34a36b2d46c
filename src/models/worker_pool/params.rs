//! The worker pool's parameters: their hard limits, defaults, and the checked [`Config`] built from them.

use crate::sim::dist::{Dist, DistKind};
use crate::sim::params::{DefaultValue, ParamError, ParamKind, ParamSpec, Params};
use crate::sim::text::Text;
use crate::sim::time::{self, Nanos};

const DISTS: &[&str] = &DistKind::NAMES;

/// Everything the model accepts. Limits are what it can simulate safely; lessons narrow them.
pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec {
        name: "arrival_rate",
        kind: ParamKind::Float {
            min: 0.001,
            max: 10_000_000.0,
        },
        default: DefaultValue::Num(800.0),
        doc: Text::new(
            "Tasks arriving per second (mean).",
            "每秒到达的任务数(均值)。",
        ),
    },
    ParamSpec {
        name: "arrival_dist",
        kind: ParamKind::Choice(DISTS),
        default: DefaultValue::Choice("exp"),
        doc: Text::new(
            "Distribution of gaps between arrivals: exp is Poisson traffic.",
            "到达间隔的分布:exp 即泊松流量。",
        ),
    },
    ParamSpec {
        name: "service_mean_ms",
        kind: ParamKind::Float {
            min: 0.000_001,
            max: 3_600_000.0,
        },
        default: DefaultValue::Num(4.0),
        doc: Text::new(
            "Mean time a worker spends on one task, in milliseconds.",
            "worker 处理一个任务的平均耗时(毫秒)。",
        ),
    },
    ParamSpec {
        name: "service_dist",
        kind: ParamKind::Choice(DISTS),
        default: DefaultValue::Choice("exp"),
        doc: Text::new("Distribution of service times.", "服务时间的分布。"),
    },
    ParamSpec {
        name: "workers",
        kind: ParamKind::Int { min: 1, max: 4096 },
        default: DefaultValue::Num(4.0),
        doc: Text::new(
            "Worker goroutines reading from the task channel.",
            "从任务 channel 读取任务的 worker goroutine 数。",
        ),
    },
    ParamSpec {
        name: "buffer",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: DefaultValue::Num(100.0),
        doc: Text::new(
            "Capacity of the task channel: make(chan Task, buffer).",
            "任务 channel 的容量:make(chan Task, buffer)。",
        ),
    },
    ParamSpec {
        name: "policy",
        kind: ParamKind::Choice(&["drop", "block"]),
        default: DefaultValue::Choice("drop"),
        doc: Text::new(
            "When the buffer is full: drop the task (select with default) or block the producer.",
            "缓冲区满时:丢弃任务(select + default)或阻塞生产者。",
        ),
    },
    ParamSpec {
        name: "duration_s",
        kind: ParamKind::Float {
            min: 0.001,
            max: 86_400.0,
        },
        default: DefaultValue::Num(60.0),
        doc: Text::new(
            "How long tasks keep arriving, in seconds; the pool then drains.",
            "任务持续到达的时长(秒),之后队列排空。",
        ),
    },
    ParamSpec {
        name: "warmup_s",
        kind: ParamKind::Float {
            min: 0.0,
            max: 86_400.0,
        },
        default: DefaultValue::Num(5.0),
        doc: Text::new(
            "Initial period left out of the summary metrics, in seconds.",
            "统计指标中剔除的预热时长(秒)。",
        ),
    },
];

/// What happens to a task that finds the buffer full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// `select { case tasks <- t: default: drop }`
    Drop,
    /// `tasks <- t`: the producer parks on the channel's sendq.
    Block,
}

/// A checked configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Inter-arrival time distribution, in nanoseconds.
    pub interarrival: Dist,
    /// Service time distribution, in nanoseconds.
    pub service: Dist,
    pub workers: u32,
    pub buffer: u64,
    pub policy: Policy,
    pub duration: Nanos,
    pub warmup: Nanos,
}

impl Config {
    /// Builds a configuration from checked parameters; missing ones take the model's defaults.
    pub fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut all = Params::defaults(SCHEMA);
        for (k, v) in p.iter() {
            all.insert(k, v.clone());
        }
        all.validate(SCHEMA)?;
        let dist = |name: &str| -> Result<DistKind, ParamError> {
            let c = all.choice(name)?;
            DistKind::parse(c).ok_or_else(|| ParamError::new(name, format!("unknown `{c}`")))
        };
        let rate = all.num("arrival_rate")?;
        let service_ns = all.num("service_mean_ms")? * time::NANOS_PER_MILLI as f64;
        let duration = time::from_secs_f64(all.num("duration_s")?);
        let warmup = time::from_secs_f64(all.num("warmup_s")?);
        if warmup >= duration {
            return Err(ParamError::new(
                "warmup_s",
                "must be shorter than duration_s, or nothing is measured",
            ));
        }
        Ok(Config {
            interarrival: Dist::with_mean(dist("arrival_dist")?, time::NANOS_PER_SEC as f64 / rate),
            service: Dist::with_mean(dist("service_dist")?, service_ns),
            workers: all.num("workers")? as u32,
            buffer: all.num("buffer")? as u64,
            policy: match all.choice("policy")? {
                "block" => Policy::Block,
                _ => Policy::Drop,
            },
            duration,
            warmup,
        })
    }

    /// Offered load per worker, λ·E[S]/c: above 1 the queue grows without bound.
    pub fn rho(&self) -> f64 {
        self.service.mean() / self.interarrival.mean() / self.workers as f64
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);
