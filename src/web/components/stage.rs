//! The live state of the model: for the worker pool, each worker with the task it runs (or parked on
//! recvq), the channel's buffer slots, and the producers parked on sendq.

use yew::prelude::*;

use super::{fmt_count, StateProps};
use crate::models::AnyView;
use crate::web::i18n::ui;

/// Buffer slots drawn one by one; bigger buffers are drawn as a fill bar.
const MAX_SLOTS_DRAWN: u64 = 40;

#[function_component(Stage)]
pub fn stage(p: &StateProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let v = match &st.snap.view {
        AnyView::WorkerPool(v) => v,
        // A Go lesson: the runtime itself, as the playground draws it.
        AnyView::SharedMap(sm) => {
            return html! { <super::map_stage::MapStage view={(**sm).clone()} lang={st.lang} /> }
        }
        AnyView::TaskQueue(tq) => {
            return html! { <super::task_stage::TaskStage view={(**tq).clone()} lang={st.lang} /> }
        }
        AnyView::FlashSale(fs) => {
            return html! { <super::sale_stage::SaleStage view={(**fs).clone()} lang={st.lang} /> }
        }
        AnyView::RateBreaker(rb) => {
            return html! { <super::guard_stage::GuardStage view={(**rb).clone()} lang={st.lang} /> }
        }
        AnyView::Go(rv) => {
            return html! {
                <crate::web::playground::board::Board view={std::rc::Rc::new((**rv).clone())} lang={st.lang} />
            }
        }
    };
    let workers = v.workers.iter().enumerate().map(|(i, w)| match w {
        Some(task) => html! {
            <li class="worker busy" title={format!("worker {i}: task {task}")}>
                <span class="w-id">{format!("W{i}")}</span>
                <span class="w-task">{format!("#{task}")}</span>
            </li>
        },
        None => html! {
            <li class="worker idle" title={format!("worker {i}: {}", t.parked_recvq)}>
                <span class="w-id">{format!("W{i}")}</span>
                <span class="w-task">{"recvq"}</span>
            </li>
        },
    });
    let buffer = if v.buffer_cap == 0 {
        html! { <div class="buffer unbuffered">{"make(chan Task) — unbuffered"}</div> }
    } else if v.buffer_cap <= MAX_SLOTS_DRAWN {
        let slots = (0..v.buffer_cap).map(|i| {
            let task = v.buffer.get(i as usize);
            html! {
                <li class={classes!("slot", task.is_some().then_some("full"))}>
                    { task.map(|t| format!("{}", t % 1000)).unwrap_or_default() }
                </li>
            }
        });
        html! { <ol class="buffer slots" aria-label={t.buffer}>{ for slots }</ol> }
    } else {
        let pct = v.buffer_len as f64 / v.buffer_cap as f64 * 100.0;
        html! {
            <div class="buffer fill" role="meter" aria-valuemin="0" aria-valuemax={v.buffer_cap.to_string()}
                aria-valuenow={v.buffer_len.to_string()} aria-label={t.buffer}>
                <div class="fill-bar" style={format!("width: {pct:.1}%")}></div>
            </div>
        }
    };
    let busy = v.workers.iter().filter(|w| w.is_some()).count();
    html! {
        <section class="card stage" aria-labelledby="stage-title" data-region="stage">
            <div class="card-head">
                <h2 id="stage-title">{t.stage}</h2>
            </div>
            <div class="stage-row">
                <div class="stage-label">
                    {t.buffer}
                    <span class="muted">{format!(" {}/{}", fmt_count(v.buffer_len as f64), fmt_count(v.buffer_cap as f64))}</span>
                </div>
                {buffer}
                if v.parked_senders > 0 {
                    <div class="senders">{format!("+ {} {}", fmt_count(v.parked_senders as f64), t.parked_senders)}</div>
                }
            </div>
            <div class="stage-row">
                <div class="stage-label">
                    {t.workers}<span class="muted">{format!(" {busy}/{}", v.workers.len())}</span>
                </div>
                <ul class="workers">{ for workers }</ul>
            </div>
        </section>
    }
}
