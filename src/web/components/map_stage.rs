//! The live state of the shared-map model: each goroutine (working with or without a lock, or
//! waiting), and each lock with its readers, writer and queue.

use yew::prelude::*;

use super::fmt_count;
use crate::models::shared_map::{GState, Mode, SharedMapView};
use crate::sim::text::Lang;

#[derive(Properties, PartialEq)]
pub struct MapStageProps {
    pub view: SharedMapView,
    pub lang: Lang,
}

#[function_component(MapStage)]
pub fn map_stage(p: &MapStageProps) -> Html {
    let v = &p.view;
    let zh = p.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let gs = v.states.iter().enumerate().map(|(i, s)| {
        let (class, text) = match s {
            GState::Working { lock: None, .. } => ("worker busy lock-free", tr("no lock", "无锁")),
            GState::Working { lock: Some(_), .. } => ("worker busy", tr("in lock", "持锁")),
            GState::Waiting { .. } => ("worker waiting", tr("waits", "等待")),
            GState::Ready => ("worker idle", tr("next", "下一个")),
            GState::Done => ("worker idle", tr("done", "完成")),
        };
        html! { <li class={class}><span class="w-id">{format!("G{i}")}</span><span class="w-task">{text}</span></li> }
    });
    let locks = v.locks.iter().enumerate().take(32).map(|(i, (r, w, q))| {
        let state = if *w { "W".to_string() } else if *r > 0 { format!("R×{r}") } else { "·".into() };
        html! {
            <li class={classes!("slot", (*w || *r > 0).then_some("full"))} title={format!("lock {i}: {state}, {q} waiting")}>
                {state}{ if *q > 0 { format!(" +{q}") } else { String::new() } }
            </li>
        }
    });
    let mode = match v.mode {
        Mode::RwMutex => tr("one RWMutex around a map", "一个 RWMutex 保护一个 map"),
        Mode::Sharded => tr(
            "a sharded map: one RWMutex per shard",
            "分片 map:每个分片一个 RWMutex",
        ),
        Mode::SyncMap => tr(
            "sync.Map: lock-free reads, a mutex for the dirty map",
            "sync.Map:读无锁,dirty map 由互斥锁保护",
        ),
    };
    html! {
        <section class="card stage" aria-labelledby="stage-title" data-region="stage">
            <div class="card-head">
                <h2 id="stage-title">{mode}</h2>
                <span class="muted">{format!("{} / {}", fmt_count(v.done_ops as f64), fmt_count(v.total_ops as f64))}</span>
            </div>
            <div class="stage-row">
                <div class="stage-label">{tr("Goroutines", "goroutine")}</div>
                <ul class="workers">{ for gs }</ul>
            </div>
            <div class="stage-row">
                <div class="stage-label">{ if v.mode == Mode::SyncMap { tr("Mutex", "互斥锁") } else { tr("Locks", "锁") } }</div>
                <ol class="buffer slots" data-testid="locks">{ for locks }</ol>
            </div>
        </section>
    }
}
