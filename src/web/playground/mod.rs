//! The Go playground page (`?page=playground`): an editor with example programs, the program
//! running on the simulated runtime, the scheduler board, the output console, and a log of what
//! happened step by step. The URL holds the program (compressed), GOMAXPROCS, seed and step.

pub(crate) mod board;
mod editor;
mod state;
mod text;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::AnimationFrame;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::charts::ChartCard;
use super::components::help::Help;
use super::dom;
use super::frames::{frame_loop, typing};
use crate::sim::text::Lang;
use board::Board;
use editor::Editor;
use state::{PgAction, PgState, STARTERS};
use text::pg;

#[function_component(Playground)]
pub fn playground() -> Html {
    let state = use_reducer(|| PgState::from_query(&dom::query(), dom::initial_lang()));
    let t = pg(state.lang);
    let ui = super::i18n::ui(state.lang);
    use_effect_with(state.lang, |lang| dom::set_document_lang(*lang));

    // Frames run only while playing or while sliced work is pending.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.busy(), move |&busy| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if busy {
                frame_loop(
                    handle.clone(),
                    dispatch,
                    |dt_ms| PgAction::Frame { dt_ms },
                    None,
                );
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }
    {
        let link = state.link();
        use_effect_with(link, |q| dom::replace_query(q));
    }
    // Keyboard: space play/pause, arrows step, r reset, e run to the end (not while typing code).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let opts = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.key() == "Escape" {
                        dispatch.dispatch(PgAction::ShowHelp(false));
                        return;
                    }
                    if e.ctrl_key() || e.meta_key() || e.alt_key() || typing(e) {
                        return;
                    }
                    let action = match e.key().as_str() {
                        " " => PgAction::TogglePlay,
                        "ArrowRight" => PgAction::Step,
                        "ArrowLeft" => PgAction::Back,
                        "r" | "R" => PgAction::Reset,
                        "e" | "E" => PgAction::ToEnd,
                        "?" => PgAction::ShowHelp(true),
                        _ => return,
                    };
                    e.prevent_default();
                    dispatch.dispatch(action);
                })
            });
            move || drop(listener)
        });
    }

    let d = state.dispatcher();
    let act = |a: fn() -> PgAction| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a()))
    };
    let on_edit = {
        let d = d.clone();
        Callback::from(move |s: String| d.dispatch(PgAction::Edit(s)))
    };
    let on_run = {
        let d = d.clone();
        Callback::from(move |_: ()| d.dispatch(PgAction::Run))
    };
    let on_starter = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let Some(v) = select_value(&e) else { return };
            if let Some(i) = v.strip_prefix('s').and_then(|i| i.parse::<usize>().ok()) {
                d.dispatch(PgAction::Saved(i));
            } else if let Ok(i) = v.parse::<usize>() {
                d.dispatch(PgAction::Starter(i));
            }
        })
    };
    let saved = state::snippets();
    let on_procs = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(n) = select_value(&e).and_then(|v| v.parse::<u32>().ok()) {
                d.dispatch(PgAction::SetProcs(n));
            }
        })
    };
    let on_seed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(n) = input_value(&e).and_then(|v| v.trim().parse::<u64>().ok()) {
                d.dispatch(PgAction::SetSeed(n));
            }
        })
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.parse::<f64>().ok()) {
                d.dispatch(PgAction::SetSpeed(v));
            }
        })
    };
    let copied = use_state(|| false);
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&dom::href());
            copied.set(true);
        })
    };
    let other = if state.lang == Lang::En {
        Lang::Zh
    } else {
        Lang::En
    };
    let on_lang = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(PgAction::SetLang(other)))
    };

    let snap = state.snap.clone();
    let view = snap.as_ref().map(|s| Rc::new(s.view.clone()));
    let error_line = match state.errors.first() {
        Some(e) => Some(e.line as u32),
        None => snap.as_ref().and_then(|s| s.error_line),
    };
    let (step, now, hash, exit) = snap
        .as_ref()
        .map(|s| (s.step, s.now, s.state_hash, s.exit))
        .unwrap_or((0, 0, 0, None));
    let starters = STARTERS.iter().enumerate().map(|(i, (en, zh, src))| {
        let selected = **src == *state.compiled;
        html! { <option value={i.to_string()} {selected}>{ if state.lang == Lang::Zh { *zh } else { *en } }</option> }
    });
    let procs = [1u32, 2, 4, 8].iter().map(|n| {
        html! { <option value={n.to_string()} selected={*n == state.procs}>{format!("GOMAXPROCS={n}")}</option> }
    });
    let notices = state.notices.iter().enumerate().map(|(i, n)| {
        let d = d.clone();
        html! {
            <div class="notice" role="status">
                <span>{n.clone()}</span>
                <button class="btn ghost" onclick={Callback::from(move |_| d.dispatch(PgAction::Dismiss(i)))}>{ui.dismiss}</button>
            </div>
        }
    });
    let narration = snap.as_ref().map(|s| {
        s.narration
            .iter()
            .rev()
            .take(14)
            .map(|(n, line)| {
                html! {
                    <li><span class="num muted">{format!("#{n}")}</span>{" "}{line.clone()}</li>
                }
            })
            .collect::<Html>()
    });
    let last = snap
        .as_ref()
        .and_then(|s| s.narration.last().map(|(_, l)| l.clone()))
        .unwrap_or_default();
    let console = match (&snap, state.errors.is_empty()) {
        (_, false) => html! {
            <div class="console errors" role="alert" data-testid="compile-errors">
                <strong>{t.compile_errors}</strong>
                { for state.errors.iter().take(8).map(|e| html!{ <pre>{e.to_string()}</pre> }) }
            </div>
        },
        (Some(s), true) => html! {
            <div class="console" data-testid="console">
                if s.stdout.is_empty() && s.stderr.is_empty() { <span class="muted">{t.no_output}</span> }
                <pre class="stdout" data-testid="stdout">{s.stdout.clone()}</pre>
                if !s.stderr.is_empty() { <pre class="stderr" data-testid="stderr">{s.stderr.clone()}</pre> }
                if let Some(code) = s.exit { <div class="muted">{format!("{} {code}", t.exited)}</div> }
                if s.budget.is_some() {
                    <button class="btn small" onclick={act(|| PgAction::RaiseBudget)} data-testid="raise-budget">{ui.raise_budget}</button>
                }
            </div>
        },
        (None, true) => html! {},
    };
    let speed_text = format!("{:.0}/s", 10f64.powf(state.speed_log));
    let help = state.help.then(|| {
        let d = d.clone();
        html! { <Help lang={state.lang} on_close={Callback::from(move |_| d.dispatch(PgAction::ShowHelp(false)))} /> }
    });
    html! {
        <div class="page playground">
            { for help }
            <header class="topbar">
                <a class="brand" href={format!("?page=home&lang={}", state.lang.code())}>
                    <span class="logo" aria-hidden="true">{"G"}</span>
                    <span class="brand-name">{"GMP Lab"}</span>
                    <span class="brand-tag">{t.title}</span>
                </a>
                <nav class="lesson-meta"><a class="chip" href={format!("?page=home&lang={}", state.lang.code())}>{t.lessons}</a></nav>
                <button class="btn ghost lang" onclick={on_lang}>{ui.language}</button>
            </header>
            { for notices }
            <p class="intro">{t.intro}</p>
            <div class="controls card" role="toolbar" aria-label="playground controls">
                <label class="field">{t.starter}
                    <select onchange={on_starter} data-testid="starter">
                        if !STARTERS.iter().any(|(_, _, s)| **s == *state.compiled) { <option selected=true>{"—"}</option> }
                        { for starters }
                        if !saved.is_empty() {
                            <optgroup label={t.saved}>
                                { for saved.iter().enumerate().map(|(i, (name, _))| html!{ <option value={format!("s{i}")}>{name.clone()}</option> }) }
                            </optgroup>
                        }
                    </select>
                </label>
                <button class="btn ghost" onclick={act(|| PgAction::Save)} data-testid="save" title={t.save_hint}>{t.save}</button>
                <select onchange={on_procs} aria-label="GOMAXPROCS" data-testid="procs">{ for procs }</select>
                <label class="field">{ui.seed}<input class="seed" type="number" min="0" value={state.seed.to_string()} onchange={on_seed} /></label>
                <button class="btn primary" onclick={{ let r = on_run.clone(); Callback::from(move |_: MouseEvent| r.emit(())) }} title={t.run_hint} data-testid="run">{t.run}</button>
                <span class="sep"></span>
                <button class="btn" onclick={act(|| PgAction::Back)} disabled={step == 0} data-testid="back">{ui.step_back}</button>
                <button class="btn" onclick={act(|| PgAction::TogglePlay)} data-testid="play">{ if state.playing { ui.pause } else { ui.play } }</button>
                <button class="btn" onclick={act(|| PgAction::Step)} disabled={exit.is_some()} data-testid="step">{ui.step}</button>
                if state.job.is_some() {
                    <button class="btn primary" onclick={act(|| PgAction::Stop)} data-testid="stop" aria-live="polite">
                        {format!("{} · {}", t.stop, t.running)}
                    </button>
                } else {
                    <button class="btn" onclick={act(|| PgAction::ToEnd)} disabled={exit.is_some()} data-testid="to-end">{t.to_end}</button>
                }
                <button class="btn ghost" onclick={act(|| PgAction::Reset)}>{ui.reset}</button>
                <label class="field">{ui.speed}
                    <input type="range" min="0" max="5" step="0.1" value={state.speed_log.to_string()} oninput={on_speed} aria-valuetext={speed_text.clone()} />
                    <span class="muted">{speed_text}</span>
                </label>
                <button class="btn ghost" onclick={on_copy}>{ if *copied { ui.link_copied } else { ui.copy_link } }</button>
                <span class="clock" data-testid="clock" data-step={step.to_string()} data-hash={format!("{hash:016x}")}
                    data-now-ns={now.to_string()} data-finished={exit.is_some().to_string()}>
                    {format!("{} {step} · {} {}", ui.step_n, ui.time, crate::runtime::fmt::duration_text(now as i64))}
                </span>
            </div>
            <p class="narration" aria-live="polite">{last}</p>
            <main class="pg-grid">
                <section class="card code-card">
                    if state.edited() { <div class="muted edited">{t.edited}</div> }
                    <Editor source={state.source.clone()} view={view.clone()} {error_line} {on_edit} {on_run} label={t.title} />
                    <h2>{t.output}</h2>
                    {console}
                </section>
                <div class="pg-side">
                    // After a compile error the board and charts would show the previous program's
                    // end as if it were this one's: they wait for a program that compiles.
                    if !state.errors.is_empty() {
                        <section class="card board-empty" data-testid="board-cleared">
                            <p class="muted">{ if state.lang == Lang::Zh {
                                "程序编译通过后,这里会显示调度器、goroutine、channel 和锁的状态。先修正左边标出的错误。"
                            } else {
                                "The scheduler board shows a program once it compiles: fix the error marked on the left, then Run."
                            } }</p>
                        </section>
                    } else if let Some(v) = view {
                        <Board view={v} lang={state.lang}
                            deadlocked={snap.as_ref().is_some_and(|s| s.stderr.contains("all goroutines are asleep"))} />
                    }
                    if let (Some(s), true) = (&snap, state.errors.is_empty()) {
                        <div class="charts">
                            { for s.figures.iter().map(|f| html! {
                                <ChartCard figure={Rc::new(f.clone())} lang={state.lang} rev={state.rev} file_stem={"playground".to_string()}
                                    caption={Rc::new(vec![format!("Go playground · GOMAXPROCS {} · seed {}", state.procs, state.seed)])} />
                            }) }
                        </div>
                    }
                    <section class="card log">
                        <h2>{t.log}</h2>
                        <ol class="log-list" reversed=true>{ for narration }</ol>
                    </section>
                </div>
            </main>
        </div>
    }
}

fn select_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
}

fn input_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
}
