//! The lesson as a course page embeds it (`&embed=1`), laid out for a 320-1000 px wide, 700-800 px
//! tall frame: a title that matches the settings in force, one compact row of controls, then the live
//! stage and the first chart, so the first screen shows the simulation moving. Parameters, the
//! summary and questions follow below; there is no tour (it talks about controls an embed may hide).
//! With `fixed=1` the course's settings are listed read-only instead of the sliders.

use yew::prelude::*;

use super::{
    charts::Charts, code::CodePane, controls::Controls, notices::Notices, params::ParamPanel,
    questions::Questions, stage::Stage, stats::Stats, StateDispatchProps,
};
use crate::lesson::Lesson;
use crate::sim::params::{ParamValue, Params};
use crate::sim::text::Lang;

/// A parameter's value as the learner reads it: a choice by its label, a number with its unit.
pub fn value_text(lesson: &Lesson, name: &str, v: &ParamValue, lang: Lang) -> String {
    let Some(lp) = lesson.param(name) else {
        return v.to_string();
    };
    match v {
        ParamValue::Choice(c) => lp
            .choices
            .iter()
            .find(|(k, _)| k == c)
            .map(|(_, l)| l.get(lang).to_string())
            .unwrap_or_else(|| c.clone()),
        ParamValue::Bool(b) => match (b, lang) {
            (true, Lang::En) => "on".into(),
            (false, Lang::En) => "off".into(),
            (true, Lang::Zh) => "开".into(),
            (false, Lang::Zh) => "关".into(),
        },
        ParamValue::Num(_) => format!("{v} {}", lp.unit.get(lang)).trim().to_string(),
    }
}

/// "Label: value" for each lesson parameter, and whether it differs from the lesson's default.
pub fn settings_in_force(lesson: &Lesson, params: &Params, lang: Lang) -> Vec<(String, bool)> {
    lesson
        .params
        .iter()
        .filter_map(|lp| {
            let v = params.get(lp.name())?;
            let text = format!(
                "{}: {}",
                lp.label.get(lang),
                value_text(lesson, lp.name(), v, lang)
            );
            Some((text, *v != lp.default))
        })
        .collect()
}

/// The lesson's title, true for the settings in force: a title like "Worker pool: a bounded queue
/// that drops when full" describes the defaults, so once a setting differs only the part before the
/// colon is kept ("Worker pool"), and the settings line says what differs.
pub fn title_for(lesson: &Lesson, params: &Params, lang: Lang) -> String {
    let full = lesson.title.get(lang);
    let changed = lesson
        .params
        .iter()
        .any(|lp| params.get(lp.name()).is_some_and(|v| *v != lp.default));
    if !changed {
        return full.to_string();
    }
    let short = full
        .split_once(':')
        .or_else(|| full.split_once('：'))
        .map(|(head, _)| head.trim())
        .unwrap_or(full);
    short.to_string()
}

#[function_component(EmbedPage)]
pub fn embed_page(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let Some(embed) = &st.embed else {
        return html! {};
    };
    let params = st.params();
    let lang = st.lang;
    let zh = lang == Lang::Zh;
    let full = format!("?{}", st.link().encode());
    let title = title_for(&st.lesson, &params, lang);
    let settings = settings_in_force(&st.lesson, &params, lang);
    let changed: Vec<&str> = settings
        .iter()
        .filter(|(_, c)| *c)
        .map(|(s, _)| s.as_str())
        .collect();
    let fixed_line = embed.fixed.then(|| {
        let head = if zh {
            "课程设定"
        } else {
            "Set by the course"
        };
        let summary = if changed.is_empty() {
            if zh {
                "本课的默认设置".to_string()
            } else {
                "the lesson's defaults".to_string()
            }
        } else {
            changed.join(" · ")
        };
        html! {
            <details class="fixed-params" data-testid="fixed-params">
                <summary><span class="muted">{format!("{head}: ")}</span>{summary}</summary>
                <ul>{ for settings.iter().map(|(s, _)| html! { <li>{s.clone()}</li> }) }</ul>
            </details>
        }
    });
    let d = p.dispatch.clone();
    html! {
        <div class="page embed">
            <header class="embed-bar">
                <span class="logo" aria-hidden="true">{"G"}</span>
                <div class="embed-title">
                    <h1 data-testid="embed-title" title={title.clone()}>{title.clone()}</h1>
                    { for fixed_line }
                </div>
                <a class="chip" href={full} target="_blank" rel="noopener"
                    title={if zh { "在新标签页打开完整课程" } else { "Open the full lesson in a new tab" }}>{"GMP Lab ↗"}</a>
            </header>
            <Notices state={st.clone()} dispatch={d.clone()} />
            <section class="lab">
                <Controls state={st.clone()} dispatch={d.clone()} />
                if st.lesson.shows_view("stage") { <Stage state={st.clone()} /> }
                <Charts state={st.clone()} />
                if st.lesson.shows_view("stats") { <Stats state={st.clone()} /> }
                if !embed.fixed { <ParamPanel state={st.clone()} dispatch={d.clone()} /> }
                if st.lesson.shows_view("code") { <CodePane state={st.clone()} /> }
                <Questions state={st.clone()} dispatch={d} />
            </section>
        </div>
    }
}
