//! The guided tour: one stop at a time, shown when its moment comes (the start, a step, a virtual
//! time), pointing at part of the page by outlining it.

use yew::prelude::*;

use super::StateDispatchProps;
use crate::lesson::quiz::TourAt;
use crate::sim::text::Lang;
use crate::web::state::Action;

/// The CSS selector of what a tour stop points at.
fn selector(highlight: &str) -> String {
    if let Some(name) = highlight.strip_prefix("param:") {
        format!("[data-param-row=\"{name}\"]")
    } else if let Some(id) = highlight.strip_prefix("chart:") {
        format!("[data-chart=\"{id}\"]")
    } else {
        format!("[data-region=\"{highlight}\"]")
    }
}

/// Outlines the element a stop points at (and only that one).
fn highlight(sel: Option<String>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(list) = doc.query_selector_all("[data-tour-target]") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = el.remove_attribute("data-tour-target");
            }
        }
    }
    if let Some(el) = sel.and_then(|s| doc.query_selector(&s).ok().flatten()) {
        let _ = el.set_attribute("data-tour-target", "");
    }
}

#[function_component(Tour)]
pub fn tour(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let lesson = &st.lesson;
    let stop = st.quiz.tour_stop(lesson, st.snap.step, st.snap.now);
    let target = stop.map(|(_, s)| selector(&s.highlight));
    use_effect_with(target.clone(), |t| {
        highlight(t.clone());
        || highlight(None)
    });
    let zh = st.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    if lesson.tour.is_empty() || st.quiz.tour_closed || st.quiz.tour_at >= lesson.tour.len() {
        return html! {};
    }
    let n = lesson.tour.len();
    let next = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::TourNext))
    };
    let close = {
        let d = p.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::TourClose))
    };
    let body = match stop {
        Some((_, s)) => {
            html! { <p class="tour-say" data-testid="tour-say">{s.say.get(st.lang).to_string()}</p> }
        }
        None => {
            let when = match lesson.tour[st.quiz.tour_at].at {
                TourAt::Start => String::new(),
                TourAt::Step(k) => format!(
                    "{} {k}",
                    tr("The tour continues at step", "导览将在第几步继续:")
                ),
                TourAt::Time(t) => format!(
                    "{} {:.3} s",
                    tr("The tour continues at", "导览将在此时继续:"),
                    t as f64 / 1e9
                ),
            };
            html! { <p class="tour-say muted" data-testid="tour-wait">{format!("{when} — {}", tr("press Play or step.", "点播放或单步执行。"))}</p> }
        }
    };
    html! {
        <aside class="card tour" aria-label={tr("Guided tour", "导览")} aria-live="polite" data-testid="tour">
            <div class="tour-head">
                <strong>{format!("{} {}/{n}", tr("Tour", "导览"), st.quiz.tour_at + 1)}</strong>
                <span class="tour-buttons">
                    if stop.is_some() {
                        <button type="button" class="btn primary small" onclick={next} data-testid="tour-next">
                            { if st.quiz.tour_at + 1 == n { tr("Done", "完成") } else { tr("Next", "下一步") } }
                        </button>
                    }
                    <button type="button" class="btn ghost small" onclick={close} aria-label={tr("Close the tour", "关闭导览")}>{"×"}</button>
                </span>
            </div>
            {body}
        </aside>
    }
}
