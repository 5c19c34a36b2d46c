//! The code editor: a textarea beside a gutter of line numbers that marks where goroutines are
//! (green while one runs there, amber while one waits) and where the program failed (red). Gutter
//! and text scroll together because both grow to the program's height inside one scroller.

use std::collections::BTreeMap;

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::runtime::g::GStatus;
use crate::runtime::view::RuntimeView;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub source: std::rc::Rc<str>,
    pub view: Option<std::rc::Rc<RuntimeView>>,
    /// A compile or runtime error's line.
    pub error_line: Option<u32>,
    pub on_edit: Callback<String>,
    pub on_run: Callback<()>,
    pub label: &'static str,
}

#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    // Which goroutines sit on each line, and whether any of them is running.
    let mut marks: BTreeMap<u32, (Vec<String>, bool)> = BTreeMap::new();
    if let Some(v) = &p.view {
        for g in v
            .goroutines
            .iter()
            .filter(|g| g.status != GStatus::Dead && g.line > 0)
        {
            let e = marks.entry(g.line).or_default();
            e.0.push(format!("G{}", g.id));
            e.1 |= g.status == GStatus::Running;
        }
    }
    let lines = p.source.split('\n').count().max(1);
    let gutter = (1..=lines as u32).map(|n| {
        let mark = marks.get(&n);
        let class = classes!(
            "ln",
            mark.map(|(_, running)| if *running { "at-running" } else { "at-waiting" }),
            (p.error_line == Some(n)).then_some("at-error")
        );
        let title = mark.map(|(gs, _)| gs.join(" ")).unwrap_or_default();
        html! {
            <div {class} title={title.clone()} data-line={n.to_string()}>
                <span class="ln-gs">{ mark.map(|(gs, _)| if gs.len() > 2 { format!("{}+", gs.len()) } else { gs.join(" ") }).unwrap_or_default() }</span>
                <span class="ln-n">{n}</span>
            </div>
        }
    });
    let oninput = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                cb.emit(t.value());
            }
        })
    };
    let onkeydown = {
        let run = p.on_run.clone();
        let edit = p.on_edit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.emit(());
            } else if e.key() == "Tab" && !e.shift_key() {
                // A tab inserts a tab, as Go code wants; Shift+Tab still leaves the editor.
                if let Some(t) = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                {
                    e.prevent_default();
                    let v = t.value();
                    let start = t.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let end = t.selection_end().ok().flatten().unwrap_or(0) as usize;
                    let chars: Vec<char> = v.chars().collect();
                    let (a, b) = (start.min(chars.len()), end.min(chars.len()));
                    let text: String = chars[..a]
                        .iter()
                        .chain(std::iter::once(&'\t'))
                        .chain(chars[b..].iter())
                        .collect();
                    t.set_value(&text);
                    let _ = t.set_selection_range(a as u32 + 1, a as u32 + 1);
                    edit.emit(text);
                }
            }
        })
    };
    html! {
        <div class="editor">
            <div class="gutter" aria-hidden="true">{ for gutter }</div>
            <textarea class="code" spellcheck="false" autocapitalize="off" autocomplete="off"
                aria-label={p.label} data-testid="editor" rows={(lines + 1).to_string()}
                value={p.source.to_string()} {oninput} {onkeydown} />
        </div>
    }
}
