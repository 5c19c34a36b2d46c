//! The durable task queue's parameters and the checked [`Config`] built from them.

use crate::sim::params::{DefaultValue, ParamError, ParamKind, ParamSpec, ParamValue, Params};
use crate::sim::text::Text;
use crate::sim::time::{from_f64_nanos, Nanos};

/// How tasks are acknowledged and deduplicated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// The broker acknowledges a task as soon as it is in memory, before the WAL is synced.
    AckBeforeFsync,
    /// Acknowledged after the fsync that makes it durable; the producer resends what was not
    /// acknowledged; nothing is deduplicated.
    AtLeastOnce,
    /// As at-least-once, plus an idempotent producer (the broker drops a resend whose sequence
    /// number it has already logged) and an idempotency key checked by the consumer's store.
    ExactlyOnce,
}

pub const DELIVERIES: &[&str] = &["ack_before_fsync", "at_least_once", "exactly_once"];

impl Delivery {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "ack_before_fsync" => Some(Delivery::AckBeforeFsync),
            "at_least_once" => Some(Delivery::AtLeastOnce),
            "exactly_once" => Some(Delivery::ExactlyOnce),
            _ => None,
        }
    }
}

pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec::int("tasks", 1, 1_000_000, 1000, Text::new("Tasks the producer submits.", "生产者提交的任务数。")),
    ParamSpec::float("submit_rate", 1.0, 1_000_000.0, 2000.0, Text::new("Tasks submitted per second (Poisson).", "每秒提交的任务数(泊松)。")),
    ParamSpec {
        name: "delivery",
        kind: ParamKind::Choice(DELIVERIES),
        default: DefaultValue::Choice("at_least_once"),
        doc: Text::new(
            "ack_before_fsync, at_least_once or exactly_once (idempotent producer and idempotency keys).",
            "ack_before_fsync、at_least_once 或 exactly_once(幂等生产者加幂等键)。",
        ),
    },
    ParamSpec::float("fsync_ms", 0.01, 10_000.0, 5.0, Text::new("Interval between WAL fsyncs, ms.", "WAL fsync 的间隔,毫秒。")),
    ParamSpec::int("consumers", 1, 256, 4, Text::new("Consumer goroutines processing tasks.", "处理任务的消费者 goroutine 数。")),
    ParamSpec::float("process_ms", 0.001, 60_000.0, 1.5, Text::new("Mean processing time per task (exponential), ms.", "每个任务的平均处理时间(指数分布),毫秒。")),
    ParamSpec::int("crash_at_step", 0, 100_000_000, 0, Text::new("Crash the broker just before this event (0: no crash).", "在第几个事件之前让 broker 崩溃(0:不崩溃)。")),
    ParamSpec::float("crash_at_s", 0.0, 3600.0, 0.0, Text::new("Crash the broker at this time, s (0: no crash).", "在第几秒让 broker 崩溃(0:不崩溃)。")),
    ParamSpec::float("recovery_ms", 0.0, 60_000.0, 50.0, Text::new("How long the broker is down after a crash, ms.", "崩溃后 broker 停机多久,毫秒。")),
    ParamSpec::float("ack_timeout_ms", 0.1, 60_000.0, 30.0, Text::new("How long the producer waits for an ack before resending, ms.", "生产者等待确认多久后重发,毫秒。")),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub tasks: u64,
    pub submit_rate: f64,
    pub delivery: Delivery,
    pub fsync: Nanos,
    pub consumers: usize,
    pub process_mean: f64,
    pub crash_at_step: u64,
    pub crash_at: Nanos,
    pub recovery: Nanos,
    pub ack_timeout: Nanos,
}

impl Config {
    pub fn from_params(p: &Params) -> Result<Self, ParamError> {
        let all = Params::over_defaults(SCHEMA, p)?;
        let ms = |name: &str| all.num(name).map(|x| from_f64_nanos(x * 1e6));
        let delivery = match all.get("delivery") {
            Some(ParamValue::Choice(s)) => Delivery::parse(s),
            _ => None,
        }
        .ok_or_else(|| {
            ParamError::new("delivery", format!("use one of {}", DELIVERIES.join(", ")))
        })?;
        Ok(Config {
            tasks: all.num("tasks")? as u64,
            submit_rate: all.num("submit_rate")?,
            delivery,
            fsync: ms("fsync_ms")?.max(1),
            consumers: all.num("consumers")? as usize,
            process_mean: all.num("process_ms")? * 1e6,
            crash_at_step: all.num("crash_at_step")? as u64,
            crash_at: from_f64_nanos(all.num("crash_at_s")? * 1e9),
            recovery: ms("recovery_ms")?,
            ack_timeout: ms("ack_timeout_ms")?.max(1),
        })
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);
