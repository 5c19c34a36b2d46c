//! The live state of the durable task queue: the broker (up or crashed) with its WAL, showing how
//! much of it is durable, its in-memory queue, and each consumer with the task it is applying.

use yew::prelude::*;

use super::fmt_count;
use crate::models::task_queue::TaskQueueView;
use crate::sim::text::Lang;

#[derive(Properties, PartialEq)]
pub struct TaskStageProps {
    pub view: TaskQueueView,
    pub lang: Lang,
}

#[function_component(TaskStage)]
pub fn task_stage(p: &TaskStageProps) -> Html {
    let v = &p.view;
    let zh = p.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let durable_pct = if v.wal_len == 0 {
        100.0
    } else {
        v.durable as f64 / v.wal_len as f64 * 100.0
    };
    let consumers = v.consumers.iter().enumerate().map(|(i, c)| match c {
        Some(id) => html! {
            <li class="worker busy" title={format!("consumer {i}: task {id}")}>
                <span class="w-id">{format!("C{i}")}</span><span class="w-task">{format!("#{id}")}</span>
            </li>
        },
        None => html! {
            <li class="worker idle"><span class="w-id">{format!("C{i}")}</span><span class="w-task">{tr("idle", "空闲")}</span></li>
        },
    });
    html! {
        <section class="card stage" aria-labelledby="stage-title" data-region="stage">
            <div class="card-head">
                <h2 id="stage-title">{tr("Producer → broker → consumers", "生产者 → broker → 消费者")}</h2>
            </div>
            <div class="guard-path">
                <div class="guard-box">
                    <div class="guard-title">{tr("Producer", "生产者")}</div>
                    <div class="guard-count">{format!("{} {}", tr("acked", "已确认"), fmt_count(v.acked as f64))}</div>
                </div>
                <div class="guard-arrow" aria-hidden="true">{"→"}</div>
                <div class={classes!("guard-box", "breaker", if v.up { "closed" } else { "open" })} data-testid="broker" data-up={v.up.to_string()}>
                    <div class="guard-title">{tr("Broker", "Broker")}</div>
                    <div class="guard-state">{ if v.up { tr("up", "运行中") } else { tr("crashed: restarting", "已崩溃:重启中") } }</div>
                    <div class="buffer fill" role="meter" aria-valuemin="0" aria-valuemax={v.wal_len.to_string()}
                        aria-valuenow={v.durable.to_string()} aria-label={tr("WAL records synced", "已落盘的 WAL 记录")}>
                        <div class="fill-bar" style={format!("width: {durable_pct:.1}%")}></div>
                    </div>
                    <div class="guard-count">{format!("WAL {} / {} {}", fmt_count(v.durable as f64), fmt_count(v.wal_len as f64), tr("synced", "已落盘"))}</div>
                    <div class="guard-count">{format!("{} {}", tr("queued", "排队"), fmt_count(v.queued as f64))}</div>
                </div>
                <div class="guard-arrow" aria-hidden="true">{"→"}</div>
                <div class="guard-box">
                    <div class="guard-title">{tr("Consumers", "消费者")}</div>
                    <ul class="workers">{ for consumers }</ul>
                    <div class="guard-count">{format!("{} {} · {} {}", tr("applied", "已执行"), fmt_count(v.applied as f64),
                        tr("duplicates", "重复"), fmt_count(v.duplicated as f64))}</div>
                </div>
            </div>
        </section>
    }
}
