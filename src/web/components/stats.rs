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
    let note = warming.then(|| match st.lang {
        crate::sim::text::Lang::En => format!("Warming up: measuring from {warmup} s"),
        crate::sim::text::Lang::Zh => format!("预热中:从第 {warmup} 秒开始统计"),
    });
    html! {
        <section class="card stats" aria-labelledby="stats-title" data-region="stats">
            <div class="card-head">
                <h2 id="stats-title">{t.summary}</h2>
                if let Some(n) = note { <span class="muted small-note">{n}</span> }
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

/// Tiles for any model: every summary metric, formatted by what its name says it measures.
fn generic(st: &crate::web::state::AppState) -> Html {
    let t = ui(st.lang);
    let tiles = st.snap.summary.iter().take(16).map(|(k, m)| {
        let value = super::questions::fmt_metric(k, m.as_f64());
        html! {
            <div class="tile" data-metric={k.to_string()}>
                <div class="tile-label">{k.replace('_', " ")}</div>
                <div class="tile-value">{value}</div>
            </div>
        }
    });
    html! {
        <section class="card stats" aria-labelledby="stats-title" data-region="stats">
            <div class="card-head"><h2 id="stats-title">{t.summary}</h2></div>
            <div class="tiles">{ for tiles }</div>
        </section>
    }
}
