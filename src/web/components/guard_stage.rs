//! The live state of the rate limiter and breaker model: the bucket's tokens, the breaker's state,
//! and the downstream with its calls in flight and whether it is in its outage.

use yew::prelude::*;

use super::fmt_count;
use crate::models::rate_breaker::{RateBreakerView, State};
use crate::sim::text::Lang;

#[derive(Properties, PartialEq)]
pub struct GuardStageProps {
    pub view: RateBreakerView,
    pub lang: Lang,
}

#[function_component(GuardStage)]
pub fn guard_stage(p: &GuardStageProps) -> Html {
    let v = &p.view;
    let zh = p.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let pct = if v.burst == 0 {
        0.0
    } else {
        (v.tokens / v.burst as f64 * 100.0).clamp(0.0, 100.0)
    };
    let (state_class, state_text) = match v.breaker {
        None => ("off", tr("no breaker", "没有熔断器")),
        Some(State::Closed) => ("closed", tr("closed: calls pass", "关闭:放行调用")),
        Some(State::HalfOpen) => ("half-open", tr("half-open: probing", "半开:试探中")),
        Some(State::Open) => ("open", tr("open: failing fast", "打开:快速失败")),
    };
    html! {
        <section class="card stage" aria-labelledby="stage-title" data-region="stage">
            <div class="card-head">
                <h2 id="stage-title">{tr("Request path", "请求路径")}</h2>
            </div>
            <div class="guard-path">
                <div class="guard-box" data-testid="bucket">
                    <div class="guard-title">{tr("Token bucket", "令牌桶")}</div>
                    if v.limiter {
                        <div class="buffer fill" role="meter" aria-valuemin="0" aria-valuemax={v.burst.to_string()}
                            aria-valuenow={format!("{:.1}", v.tokens)} aria-label={tr("tokens", "令牌")}>
                            <div class="fill-bar" style={format!("width: {pct:.1}%")}></div>
                        </div>
                        <div class="muted">{format!("{:.1} / {}", v.tokens, v.burst)}</div>
                    } else {
                        <div class="muted">{tr("off", "未启用")}</div>
                    }
                    <div class="guard-count">{format!("429 × {}", fmt_count(v.rate_limited as f64))}</div>
                </div>
                <div class="guard-arrow" aria-hidden="true">{"→"}</div>
                <div class={classes!("guard-box", "breaker", state_class)} data-testid="breaker" data-state={state_class}>
                    <div class="guard-title">{tr("Circuit breaker", "熔断器")}</div>
                    <div class="guard-state">{state_text}</div>
                    <div class="guard-count">{format!("{} × {}", tr("rejected", "拒绝"), fmt_count(v.breaker_rejected as f64))}</div>
                </div>
                <div class="guard-arrow" aria-hidden="true">{"→"}</div>
                <div class={classes!("guard-box", "downstream", v.outage.then_some("outage"))} data-testid="downstream">
                    <div class="guard-title">{tr("Downstream", "下游服务")}</div>
                    <div class="guard-state">{ if v.outage { tr("outage: calls time out", "故障:调用超时") } else { tr("healthy", "健康") } }</div>
                    <div class="guard-count">{format!("{} {} · ✓ {} · ✗ {}", tr("in flight", "处理中"), v.in_flight,
                        fmt_count(v.succeeded as f64), fmt_count(v.failed as f64))}</div>
                </div>
            </div>
        </section>
    }
}
