//! A Go lesson's program, read-only, with each line's goroutines marked in the gutter (green where
//! one is running, amber where goroutines wait), so stepping shows where every goroutine is.

use std::collections::BTreeMap;

use yew::prelude::*;

use super::StateProps;
use crate::models::AnyView;
use crate::runtime::g::GStatus;
use crate::sim::text::Lang;

#[function_component(CodePane)]
pub fn code_pane(p: &StateProps) -> Html {
    let st = &p.state;
    let (Some(program), AnyView::Go(view)) = (&st.lesson.program, &st.snap.view) else {
        return html! {};
    };
    let mut marks: BTreeMap<u32, (Vec<String>, bool)> = BTreeMap::new();
    for g in view
        .goroutines
        .iter()
        .filter(|g| g.status != GStatus::Dead && g.line > 0)
    {
        let e = marks.entry(g.line).or_default();
        e.0.push(format!("G{}", g.id));
        e.1 |= g.status == GStatus::Running;
    }
    let lines = program.source.lines().enumerate().map(|(i, text)| {
        let n = i as u32 + 1;
        let mark = marks.get(&n);
        let class = classes!(
            "code-line",
            mark.map(|(_, r)| if *r { "at-running" } else { "at-waiting" })
        );
        let gs = mark
            .map(|(gs, _)| {
                if gs.len() > 3 {
                    format!("{}+{}", gs[..2].join(" "), gs.len() - 2)
                } else {
                    gs.join(" ")
                }
            })
            .unwrap_or_default();
        html! {
            <div {class} data-line={n.to_string()}>
                <span class="code-gs">{gs}</span>
                <span class="code-n">{n}</span>
                <span class="code-text">{text.to_string()}</span>
            </div>
        }
    });
    let zh = st.lang == Lang::Zh;
    let profile = crate::runtime::profile::goroutine_profile(view);
    let rows = profile.iter().take(12).map(|r| {
        html! {
            <tr>
                <td class="num">{r.count}</td>
                <td><code>{r.state}</code></td>
                <td><code>{format!("{}:{}", r.func, r.line)}</code></td>
            </tr>
        }
    });
    let title = match st.lang {
        Lang::En => format!("{} — the program this lesson runs", program.file()),
        Lang::Zh => format!("{} — 本课运行的程序", program.file()),
    };
    html! {
        <section class="card code-pane" aria-label={title.clone()} data-region="code" data-testid="code-pane">
            <div class="card-head"><h2>{title}</h2></div>
            <div class="code-scroll" tabindex="0" role="region" aria-label={lesson_program_label(st.lang)}><pre class="code">{ for lines }</pre></div>
            <details class="profile" open=true data-testid="goroutine-profile">
                <summary>{ if zh { "goroutine 分组(类似 pprof 的 goroutine profile)" } else { "Goroutines grouped by state and line (like pprof's goroutine profile)" } }</summary>
                <table class="g-profile">
                    <thead><tr>
                        <th>{ if zh { "数量" } else { "count" } }</th>
                        <th>{ if zh { "状态" } else { "state" } }</th>
                        <th>{ if zh { "位置" } else { "where" } }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        </section>
    }
}

/// The program pane's name for screen readers (it scrolls, so it takes keyboard focus).
fn lesson_program_label(lang: crate::sim::text::Lang) -> &'static str {
    match lang {
        crate::sim::text::Lang::En => "The lesson's Go program",
        crate::sim::text::Lang::Zh => "本课的 Go 程序",
    }
}
