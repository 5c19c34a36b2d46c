//! The summary as tiles: the numbers a learner compares while changing parameters, with the
//! queueing-theory prediction beside them where one exists.

use yew::prelude::*;

use super::{fmt_count, fmt_duration, StateProps};
use crate::web::i18n::ui;

#[function_component(Stats)]
pub fn stats(p: &StateProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let get = |k: &str| {
        st.snap
            .summary
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, m)| m.as_f64())
    };
    let pct = |x: f64| format!("{:.2} %", x * 100.0);
    let theory = |k: &str, f: &dyn Fn(f64) -> String| {
        get(k).map(|x| html! { <span class="theory">{format!("{} {}", t.theory, f(x))}</span> })
    };
    let tile = |id: &str, label: &str, value: String, extra: Option<Html>| {
        html! {
            <div class="tile" data-metric={id.to_string()}>
                <div class="tile-label">{label.to_string()}</div>
                <div class="tile-value">{value}</div>
                { extra.unwrap_or_default() }
            </div>
        }
    };
    if get("offered_load").is_none() {
        return generic(st);
    }
    let v = |k| get(k).unwrap_or(0.0);
    // Before the warm-up ends nothing is measured yet: say so rather than show zeros.
    let warmup = st.params().num("warmup_s").unwrap_or(0.0);
    let warming = crate::sim::time::to_secs(st.snap.now) < warmup;
    // While the run goes on, every figure is over the part of the measured window that has passed.
    let measured = crate::sim::time::to_secs(st.snap.now.min(st.snap.horizon)) - warmup;
    let so_far = !st.snap.finished && !warming;
    let note = if warming {
        Some(match st.lang {
            crate::sim::text::Lang::En => format!("Warming up: measuring from {warmup} s"),
            crate::sim::text::Lang::Zh => format!("预热中:从第 {warmup} 秒开始统计"),
        })
    } else if so_far {
        Some(match st.lang {
            crate::sim::text::Lang::En => format!("So far: over the {measured:.1} s measured"),
            crate::sim::text::Lang::Zh => format!("截至目前:已统计 {measured:.1} 秒"),
        })
    } else {
        None
    };
    html! {
        <section class="card stats" aria-labelledby="stats-title" data-region="stats">
            <div class="card-head">
                <h2 id="stats-title">{t.summary}</h2>
                if let Some(n) = note { <span class="muted small-note" data-testid="stats-note" data-so-far={so_far.to_string()}>{n}</span> }
            </div>
            <div class="tiles">
                { tile("offered_load", t.offered_load, format!("{:.2}", v("offered_load")), None) }
                { tile("arrivals", t.arrivals, fmt_count(v("arrivals")), None) }
                { tile("drop_ratio", t.dropped, pct(v("drop_ratio")), theory("theory_drop_ratio", &pct)) }
                { tile("sojourn_p50_s", t.p50, fmt_duration(v("sojourn_p50_s")), None) }
                { tile("sojourn_p99_s", t.p99, fmt_duration(v("sojourn_p99_s")), None) }
                { tile("queue_len_mean", t.mean_queue, format!("{:.2}", v("queue_len_mean")),
                    theory("theory_queue_len_mean", &|x| format!("{x:.2}"))) }
                { tile("throughput_per_s", t.throughput, format!("{:.0}/s", v("throughput_per_s")), None) }
            </div>
        </section>
    }
}

/// A person's name for a summary metric; unknown ones (a Go program's own counters) keep their name.
pub fn metric_label(k: &str, lang: crate::sim::text::Lang) -> String {
    let zh = lang == crate::sim::text::Lang::Zh;
    let known: &[(&str, &str, &str)] = &[
        ("elapsed_s", "Elapsed (virtual)", "耗时(虚拟)"),
        (
            "goroutines_end",
            "Goroutines left at exit",
            "退出时剩余 goroutine",
        ),
        ("goroutines_peak", "Goroutines at peak", "goroutine 峰值"),
        ("exit_code", "Exit status", "退出状态"),
        ("observations", "Latencies observed", "延迟样本数"),
        ("latency_mean_s", "Mean latency", "平均延迟"),
        ("latency_p50_s", "p50 latency", "p50 延迟"),
        ("latency_p99_s", "p99 latency", "p99 延迟"),
        ("offered", "Offered", "到达"),
        ("admitted", "Admitted", "放行"),
        ("rate_limited", "Rate-limited (429)", "被限流(429)"),
        ("breaker_rejected", "Rejected by breaker", "被熔断拒绝"),
        ("succeeded", "Succeeded", "成功"),
        ("failed", "Failed", "失败"),
        ("success_ratio", "Success rate", "成功率"),
        ("trips", "Breaker trips", "熔断次数"),
        ("outage_calls", "Calls during outage", "故障期间的调用"),
        ("tasks", "Tasks", "任务数"),
        ("lost", "Lost", "丢失"),
        ("duplicated", "Applied twice", "重复执行"),
        ("resends", "Producer resends", "生产者重发"),
        ("fsyncs", "fsyncs", "fsync 次数"),
        ("crashes", "Crashes", "崩溃次数"),
        ("ack_p50_s", "p50 ack wait", "p50 确认等待"),
        ("ack_p99_s", "p99 ack wait", "p99 确认等待"),
        ("sold", "Items sold", "已售件数"),
        ("oversold", "Oversold", "超卖"),
        ("stock_left", "Stock left in Redis", "Redis 剩余库存"),
        (
            "sell_out_s",
            "Sold out after (or time so far)",
            "售罄用时(未售罄时为已用时间)",
        ),
        ("served", "Served", "完成"),
        ("rejected", "Rejected", "被拒绝"),
        ("timed_out", "Timed out", "超时"),
        ("leaked", "Stock taken, no order", "扣了库存没有订单"),
        ("compensated", "Compensated", "已补偿"),
        ("cancelled", "Cancelled (TCC)", "已取消(TCC)"),
        ("orders_per_s", "Orders per second", "每秒订单"),
        ("breaker_trips", "Breaker trips", "熔断次数"),
    ];
    known
        .iter()
        .find(|(n, _, _)| *n == k)
        .map(|(_, en, zh_s)| if zh { zh_s.to_string() } else { en.to_string() })
        .unwrap_or_else(|| k.replace('_', " "))
}

/// Tiles for any model: every summary metric, formatted by what its name says it measures. Latency
/// tiles are left out while nothing has been observed.
fn generic(st: &crate::web::state::AppState) -> Html {
    let observed = st
        .snap
        .summary
        .iter()
        .find(|(k, _)| k == "observations")
        .map(|(_, m)| m.as_f64() > 0.0)
        .unwrap_or(true);
    let tiles = st
        .snap
        .summary
        .iter()
        .filter(|(k, _)| observed || !(k.starts_with("latency_") || *k == "observations"))
        .take(16)
        .map(|(k, m)| {
            let value = super::questions::fmt_metric(k, m.as_f64());
            html! {
                <div class="tile" data-metric={k.to_string()}>
                    <div class="tile-label">{metric_label(k, st.lang)}</div>
                    <div class="tile-value">{value}</div>
                </div>
            }
        });
    let title = if st.lang == crate::sim::text::Lang::Zh {
        "运行汇总"
    } else {
        "Run summary"
    };
    html! {
        <section class="card stats" aria-labelledby="stats-title" data-region="stats">
            <div class="card-head"><h2 id="stats-title">{title}</h2></div>
            <div class="tiles">{ for tiles }</div>
        </section>
    }
}
