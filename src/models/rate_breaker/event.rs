//! What one step of the rate limiter and breaker model did, and how to say it to a learner.

use crate::sim::text::Lang;
use crate::sim::time::{to_secs, Nanos};

use super::breaker::State;

/// What happened to an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No token in the bucket: refused with 429.
    RateLimited,
    /// The breaker is open (or half-open and already probing): refused at once.
    BreakerOpen,
    BreakerTooMany,
    /// Sent to the downstream.
    Sent,
}

/// One step.
#[derive(Clone, Debug, PartialEq)]
pub enum RateBreakerEvent {
    Arrived {
        at: Nanos,
        outcome: Outcome,
        tokens: f64,
    },
    Responded {
        at: Nanos,
        ok: bool,
        latency: Nanos,
        state: State,
    },
}

impl RateBreakerEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let ms = |t: Nanos| t as f64 / 1e6;
        match (self, lang) {
            (
                RateBreakerEvent::Arrived {
                    at,
                    outcome,
                    tokens,
                },
                Lang::En,
            ) => {
                let what = match outcome {
                    Outcome::RateLimited => {
                        "no token left, so the limiter refused it (429)".to_string()
                    }
                    Outcome::BreakerOpen => {
                        "the breaker is open, so it failed fast without calling the downstream"
                            .to_string()
                    }
                    Outcome::BreakerTooMany => {
                        "the breaker is half-open and already probing, so it was refused"
                            .to_string()
                    }
                    Outcome::Sent => {
                        format!("it took a token ({tokens:.1} left) and went to the downstream")
                    }
                };
                format!("{:.3} s: a request arrived; {what}.", to_secs(*at))
            }
            (
                RateBreakerEvent::Arrived {
                    at,
                    outcome,
                    tokens,
                },
                Lang::Zh,
            ) => {
                let what = match outcome {
                    Outcome::RateLimited => "桶里没有令牌,被限流器拒绝(429)".to_string(),
                    Outcome::BreakerOpen => {
                        "熔断器处于打开状态,直接快速失败,没有调用下游".to_string()
                    }
                    Outcome::BreakerTooMany => "熔断器半开且正在试探,请求被拒绝".to_string(),
                    Outcome::Sent => format!("拿到一个令牌(还剩 {tokens:.1} 个),发往下游"),
                };
                format!("{:.3} 秒:一个请求到达;{what}。", to_secs(*at))
            }
            (
                RateBreakerEvent::Responded {
                    at,
                    ok,
                    latency,
                    state,
                },
                Lang::En,
            ) => format!(
                "{:.3} s: the downstream {} after {:.1} ms; the breaker is {}.",
                to_secs(*at),
                if *ok { "answered" } else { "failed" },
                ms(*latency),
                state.name()
            ),
            (
                RateBreakerEvent::Responded {
                    at,
                    ok,
                    latency,
                    state,
                },
                Lang::Zh,
            ) => format!(
                "{:.3} 秒:下游{},用时 {:.1} ms;熔断器{}。",
                to_secs(*at),
                if *ok { "返回成功" } else { "调用失败" },
                ms(*latency),
                match state {
                    State::Closed => "关闭",
                    State::HalfOpen => "半开",
                    State::Open => "打开",
                }
            ),
        }
    }
}

