//! The rate limiter and breaker model's parameters and the checked [`Config`] built from them.

use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::text::Text;
use crate::sim::time::{from_f64_nanos, Nanos};

pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec::float(
        "arrival_rate",
        0.1,
        1_000_000.0,
        200.0,
        Text::new(
            "Requests per second offered (Poisson).",
            "每秒到达的请求数(泊松)。",
        ),
    ),
    ParamSpec::float(
        "duration_s",
        0.1,
        3600.0,
        20.0,
        Text::new("How long traffic lasts, in seconds.", "流量持续的秒数。"),
    ),
    ParamSpec::flag(
        "limiter",
        true,
        Text::new("Put a token bucket in front.", "前面加一个令牌桶。"),
    ),
    ParamSpec::float(
        "limit_rate",
        0.1,
        1_000_000.0,
        150.0,
        Text::new(
            "Tokens added per second (rate.Limit).",
            "每秒补充的令牌数(rate.Limit)。",
        ),
    ),
    ParamSpec::int(
        "burst",
        1,
        1_000_000,
        20,
        Text::new(
            "Bucket size (the burst of rate.NewLimiter).",
            "桶容量(rate.NewLimiter 的 burst)。",
        ),
    ),
    ParamSpec::flag(
        "breaker",
        true,
        Text::new(
            "Put a circuit breaker in front of the downstream.",
            "在下游前加一个熔断器。",
        ),
    ),
    ParamSpec::int(
        "trip_after",
        1,
        10_000,
        5,
        Text::new(
            "Consecutive failures that open the breaker.",
            "连续失败多少次打开熔断器。",
        ),
    ),
    ParamSpec::float(
        "open_timeout_s",
        0.001,
        600.0,
        2.0,
        Text::new(
            "How long the breaker stays open before probing (gobreaker Timeout).",
            "熔断器打开后多久开始试探(gobreaker Timeout)。",
        ),
    ),
    ParamSpec::int(
        "half_open_max",
        1,
        1000,
        3,
        Text::new(
            "Probes let through when half-open; that many successes close it (MaxRequests).",
            "半开状态放行的试探请求数;这么多次成功后关闭(MaxRequests)。",
        ),
    ),
    ParamSpec::float(
        "latency_ms",
        0.001,
        60_000.0,
        20.0,
        Text::new(
            "Mean downstream latency when healthy (exponential), ms.",
            "下游健康时的平均延迟(指数分布),毫秒。",
        ),
    ),
    ParamSpec::float(
        "fail_ratio",
        0.0,
        1.0,
        0.01,
        Text::new(
            "Share of calls that fail when the downstream is healthy.",
            "下游健康时调用失败的比例。",
        ),
    ),
    ParamSpec::float(
        "outage_start_s",
        0.0,
        3600.0,
        5.0,
        Text::new(
            "When the downstream starts failing, in seconds.",
            "下游从第几秒开始出故障。",
        ),
    ),
    ParamSpec::float(
        "outage_s",
        0.0,
        3600.0,
        5.0,
        Text::new("How long the outage lasts, in seconds.", "故障持续的秒数。"),
    ),
    ParamSpec::float(
        "outage_fail",
        0.0,
        1.0,
        1.0,
        Text::new(
            "Share of calls that fail during the outage.",
            "故障期间调用失败的比例。",
        ),
    ),
    ParamSpec::float(
        "outage_latency_ms",
        0.001,
        60_000.0,
        300.0,
        Text::new(
            "How long a failing call takes during the outage (a timeout), ms.",
            "故障期间失败调用的耗时(超时),毫秒。",
        ),
    ),
];

/// Checked settings of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub arrival_rate: f64,
    pub duration: Nanos,
    pub limiter: bool,
    pub limit_rate: f64,
    pub burst: u64,
    pub breaker: bool,
    pub trip_after: u32,
    pub open_timeout: Nanos,
    pub half_open_max: u32,
    pub latency_mean: f64,
    pub fail_ratio: f64,
    pub outage_start: Nanos,
    pub outage_end: Nanos,
    pub outage_fail: f64,
    pub outage_latency: Nanos,
}

fn secs(s: f64) -> Nanos {
    from_f64_nanos(s * 1e9)
}

impl Config {
    pub fn from_params(p: &Params) -> Result<Self, ParamError> {
        let all = Params::over_defaults(SCHEMA, p)?;
        let get = |name: &str| all.num(name);
        let flag = |name: &str| all.flag(name);
        let outage_start = secs(get("outage_start_s")?);
        Ok(Config {
            arrival_rate: get("arrival_rate")?,
            duration: secs(get("duration_s")?),
            limiter: flag("limiter")?,
            limit_rate: get("limit_rate")?,
            burst: get("burst")? as u64,
            breaker: flag("breaker")?,
            trip_after: get("trip_after")? as u32,
            open_timeout: secs(get("open_timeout_s")?),
            half_open_max: get("half_open_max")? as u32,
            latency_mean: get("latency_ms")? * 1e6,
            fail_ratio: get("fail_ratio")?,
            outage_start,
            outage_end: outage_start.saturating_add(secs(get("outage_s")?)),
            outage_fail: get("outage_fail")?,
            outage_latency: from_f64_nanos(get("outage_latency_ms")? * 1e6),
        })
    }

    pub fn in_outage(&self, t: Nanos) -> bool {
        t >= self.outage_start && t < self.outage_end
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);
