//! The flash sale's stage diagram: one box per stage of the request path, each with its live queue
//! and throughput and the ceiling its parameters give it; the limiting stage is marked, stages that
//! are switched off are drawn dashed, and a stage hit by a fault is drawn in red. Above it, the
//! stock: sold, left, oversold and leaked.

use yew::prelude::*;

use super::fmt_count;
use crate::models::flash_sale::{FlashSaleView, StageView};
use crate::sim::text::Lang;
use crate::sim::time::to_secs;

#[derive(Properties, PartialEq)]
pub struct SaleStageProps {
    pub view: FlashSaleView,
    pub lang: Lang,
}

fn title(id: &str, zh: bool) -> &'static str {
    match (id, zh) {
        ("users", false) => "Users",
        ("users", true) => "用户",
        ("edge", false) => "Edge limit",
        ("edge", true) => "入口限流",
        ("app", false) => "App servers",
        ("app", true) => "应用服务器",
        ("local", false) => "Local pre-check",
        ("local", true) => "本地预检查",
        ("noncore", false) => "Non-core call",
        ("noncore", true) => "非核心调用",
        ("redis", false) => "Redis stock",
        ("redis", true) => "Redis 库存",
        ("mq", false) => "Message queue",
        ("mq", true) => "消息队列",
        ("db", false) => "Order DB",
        ("db", true) => "订单库",
        (_, _) => "",
    }
}

fn per_sec(x: f64, zh: bool) -> String {
    let n = if x >= 10_000.0 {
        format!("{}k", fmt_count(x / 1000.0))
    } else {
        fmt_count(x)
    };
    if zh {
        format!("{n}/秒")
    } else {
        format!("{n}/s")
    }
}

fn stage_box(step: usize, s: &StageView, v: &FlashSaleView, zh: bool) -> Html {
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let limiting = s.on && s.id == v.limiting;
    let mut lines: Vec<String> = Vec::new();
    if !s.on {
        lines.push(tr("off", "未启用").into());
    } else {
        match s.id {
            "users" => lines.push(format!(
                "{} {}",
                tr("in flight", "处理中"),
                fmt_count(s.busy as f64)
            )),
            "app" => {
                lines.push(format!(
                    "{} {} / {}",
                    tr("workers", "worker"),
                    fmt_count(s.busy as f64),
                    fmt_count(s.slots as f64)
                ));
                lines.push(format!(
                    "{} {}",
                    tr("queued", "排队"),
                    fmt_count(s.queue as f64)
                ));
                if s.down {
                    lines.push(format!(
                        "{} {}",
                        tr("instances up", "在线实例"),
                        v.instances_up
                    ));
                }
            }
            "local" => {
                lines.push(
                    tr(
                        "answered \"sold out\" from memory",
                        "从内存直接回答“已售罄”",
                    )
                    .into(),
                );
                lines.push(fmt_count(s.busy as f64));
            }
            "noncore" => lines.push(format!("{} {}", tr("breaker", "熔断器"), v.breaker)),
            "redis" => {
                lines.push(format!(
                    "{} · {} {}",
                    v.stock_op,
                    fmt_count(s.slots as f64),
                    tr("buckets", "个分桶")
                ));
                lines.push(format!(
                    "{} {}",
                    tr("waiting", "等待"),
                    fmt_count(s.queue as f64)
                ));
            }
            "mq" => lines.push(format!(
                "{} {}",
                tr("backlog", "积压"),
                fmt_count(s.queue as f64)
            )),
            "db" => {
                lines.push(format!(
                    "{} {} / {}",
                    tr("connections", "连接"),
                    fmt_count(s.busy as f64),
                    fmt_count(s.slots as f64)
                ));
                lines.push(format!(
                    "{} {}",
                    tr("waiting", "等待"),
                    fmt_count(s.queue as f64)
                ));
                lines.push(format!("{} {}", tr("path", "方式"), v.order_path));
            }
            _ => {}
        }
        if s.id != "noncore" {
            lines.push(format!("↦ {}", per_sec(s.rate, zh)));
        }
        if s.ceiling.is_finite() {
            lines.push(format!(
                "{} {}",
                tr("ceiling", "上限"),
                per_sec(s.ceiling, zh)
            ));
        }
    }
    let buckets = (s.id == "redis" && s.on && v.buckets.len() > 1).then(|| {
        let max = (v.stock as f64 / v.buckets.len() as f64).max(1.0);
        html! {
            <div class="sale-buckets" aria-label={tr("stock per bucket", "各分桶库存")}>
                { for v.buckets.iter().enumerate().map(|(i, b)| {
                    let pct = (b.stock.max(0) as f64 / max * 100.0).clamp(0.0, 100.0);
                    html! {
                        <span class={classes!("sale-bucket", (!b.up).then_some("down"))}
                            title={format!("bucket {i}: {} ", b.stock)}>
                            <span class="sale-bucket-fill" style={format!("height: {pct:.0}%")}></span>
                        </span>
                    }
                }) }
            </div>
        }
    });
    html! {
        <div role="listitem" class={classes!("guard-box", "sale-box", (!s.on).then_some("off"), s.down.then_some("down"), limiting.then_some("limiting"))}
            data-testid={format!("sale-{}", s.id)} data-on={s.on.to_string()} data-queue={s.queue.to_string()}>
            <div class="guard-title"><span class="sale-step" aria-hidden="true">{step}</span>{title(s.id, zh)}</div>
            if limiting {
                <div class="sale-flag">{tr("limits throughput", "吞吐瓶颈")}</div>
            }
            if s.down {
                <div class="sale-flag bad">{tr("fault", "故障")}</div>
            }
            { for lines.into_iter().map(|l| html! { <div class="guard-count">{l}</div> }) }
            { buckets.unwrap_or_default() }
        </div>
    }
}

#[function_component(SaleStage)]
pub fn sale_stage(p: &SaleStageProps) -> Html {
    let v = &p.view;
    let zh = p.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let stock = v.stock.max(1) as f64;
    let sold_pct = (v.sold.min(v.stock) as f64 / stock * 100.0).clamp(0.0, 100.0);
    let sold_out = match v.sold_out_at {
        Some(t) => format!("{} {:.3} s", tr("sold out at", "售罄于"), to_secs(t)),
        None => tr("on sale", "在售中").to_string(),
    };
    // Numbered in the order a request meets them; the grid wraps to the card's width.
    let boxes = v
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| stage_box(i + 1, s, v, zh));
    html! {
        <section class="card stage" aria-labelledby="stage-title" data-region="stage">
            <div class="card-head">
                <h2 id="stage-title">{tr("Flash-sale pipeline", "秒杀链路")}</h2>
                <span class="muted">{sold_out}</span>
            </div>
            <div class="sale-stock" data-testid="sale-stock" data-sold={v.sold.to_string()} data-oversold={v.oversold.to_string()}>
                <div class="buffer fill" role="meter" aria-valuemin="0" aria-valuemax={v.stock.to_string()}
                    aria-valuenow={v.sold.to_string()} aria-label={tr("items sold", "已售件数")}>
                    <div class="fill-bar" style={format!("width: {sold_pct:.1}%")}></div>
                </div>
                <span class="guard-count">{format!("{} {} / {} · {} {}", tr("sold", "已售"), fmt_count(v.sold as f64), fmt_count(v.stock as f64),
                    tr("left", "剩余"), fmt_count(v.stock_left as f64))}</span>
                <span class={classes!("guard-count", (v.oversold > 0).then_some("bad"))}>{format!("{} {}", tr("oversold", "超卖"), fmt_count(v.oversold as f64))}</span>
                <span class={classes!("guard-count", (v.leaked > 0).then_some("warn"))}>{format!("{} {}", tr("taken without an order", "扣了库存没有订单"), fmt_count(v.leaked as f64))}</span>
            </div>
            <div class="sale-path" role="list" aria-label={tr("stages in the order a request meets them", "请求依次经过的阶段")}>{ for boxes }</div>
        </section>
    }
}
