use yew::prelude::*;

use super::StateDispatchProps;
use crate::web::i18n::ui;
use crate::web::state::Action;

/// Things the learner should know but that stopped nothing: parts of a link that were ignored, a run
/// that hit a limit.
#[function_component(Notices)]
pub fn notices(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let mut items: Vec<Html> = st
        .notices
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let d = p.dispatch.clone();
            let onclick = Callback::from(move |_| d.dispatch(Action::Dismiss(i)));
            html! {
                <div class="notice" role="status">
                    <span>{n.clone()}</span>
                    <button class="btn ghost small" {onclick} aria-label={t.dismiss}>{"×"}</button>
                </div>
            }
        })
        .collect();
    if let Some(limit) = &st.snap.limit {
        // The session's budget can be raised from here; a model's own limit cannot.
        let raise = st.snap.budget.is_some().then(|| {
            let d = p.dispatch.clone();
            let onclick = Callback::from(move |_| d.dispatch(Action::RaiseBudget));
            html! { <button class="btn small" data-action="raise-budget" {onclick}>{t.raise_budget}</button> }
        });
        items.push(html! {
            <div class="notice error" role="alert">
                <strong>{t.engine_error}{": "}</strong><span>{limit.clone()}</span>
                { for raise }
            </div>
        });
    }
    if items.is_empty() {
        return html! {};
    }
    html! { <div class="notices">{ for items }</div> }
}
