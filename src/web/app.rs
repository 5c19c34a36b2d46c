//! The top-level component: the lesson page, its animation-frame loop, keyboard shortcuts and URL.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::AnimationFrame;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::{
    charts::Charts, code::CodePane, controls::Controls, embed_page::EmbedPage, header::Header,
    help::Help, lesson_text::LessonText, notices::Notices, params::ParamPanel,
    questions::Questions, stage::Stage, stats::Stats, tour::Tour,
};
use super::dom;
use super::frames::{frame_loop, typing};
use super::state::{Action, AppState};

pub type Dispatch = UseReducerDispatcher<AppState>;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::from_url(&dom::query()));

    // The frame loop runs while playing or while sliced work is pending, and stops otherwise, so an
    // idle page costs nothing.
    let looping = state.busy();
    {
        let dispatch = state.dispatcher();
        use_effect_with(looping, move |&looping| {
            let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if looping {
                frame_loop(
                    handle.clone(),
                    dispatch,
                    |dt_ms| Action::Frame { dt_ms },
                    None,
                );
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }

    // Keyboard: space play/pause, arrows step, r reset, e run to end. Ignored while a control has focus:
    // arrows move a focused slider, and space presses a focused button by itself.
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
                        dispatch.dispatch(Action::ShowHelp(false));
                        return;
                    }
                    if e.ctrl_key() || e.meta_key() || e.alt_key() || typing(e) {
                        return;
                    }
                    let action = match e.key().as_str() {
                        " " => Action::TogglePlay,
                        "ArrowRight" => Action::Step,
                        "ArrowLeft" => Action::StepBack,
                        "r" | "R" => Action::Reset,
                        "e" | "E" => Action::RunToEnd,
                        "?" => Action::ShowHelp(true),
                        _ => return,
                    };
                    e.prevent_default();
                    dispatch.dispatch(action);
                })
            });
            move || drop(listener)
        });
    }

    // The home page shows which lessons the learner has opened.
    {
        let id = state.lesson.id.clone();
        use_effect_with(id, |id| {
            if dom::storage_get(&super::home::progress_key(id)).is_none() {
                dom::storage_set(&super::home::progress_key(id), "visited");
            }
        });
    }

    // The URL always says how to get back here (in embed mode, with the embed options).
    {
        let mut link = state.link().encode();
        if let Some(e) = &state.embed {
            link = format!("{link}&{}", e.query_suffix());
        }
        use_effect_with(link, |q| dom::replace_query(q));
    }

    // Embed mode: tell the course page the lesson is ready, obey its commands, report steps.
    {
        let embed = state.embed.clone();
        let dispatch = state.dispatcher();
        let lesson = state.lesson.id.clone();
        use_effect_with((), move |_| {
            let listener = embed.as_ref().and_then(|e| {
                e.post(
                    "ready",
                    serde_json::json!({ "lesson": lesson, "version": 1 }),
                );
                if e.autoplay {
                    dispatch.dispatch(Action::SetPlaying(true));
                }
                e.listen(move |cmd| {
                    use super::embed::HostCommand::*;
                    dispatch.dispatch(match cmd {
                        Play => Action::SetPlaying(true),
                        Pause => Action::SetPlaying(false),
                        Step => Action::Step,
                        Back => Action::StepBack,
                        Reset => Action::Reset,
                    })
                })
            });
            move || drop(listener)
        });
    }
    {
        let last_post = use_mut_ref(|| 0.0f64);
        let embed = state.embed.clone();
        let (step, now, finished, playing) = (
            state.snap.step,
            state.snap.now,
            state.snap.finished,
            state.playing,
        );
        let lesson = state.lesson.id.clone();
        use_effect_with(step, move |&step| {
            if let Some(e) = &embed {
                let t = web_sys::window()
                    .and_then(|w| w.performance())
                    .map(|p| p.now())
                    .unwrap_or(0.0);
                // At most four a second while playing; every change when the learner steps.
                if !playing || finished || t - *last_post.borrow() >= 250.0 {
                    *last_post.borrow_mut() = t;
                    e.post(
                        "step",
                        serde_json::json!({ "lesson": lesson, "step": step, "now_ns": now, "finished": finished }),
                    );
                }
            }
        });
    }
    // Embed mode: report the page's height after every render and window resize, so a course page
    // can size the iframe to its content (the `resize` message in docs/embedding.md).
    {
        let embed = state.embed.clone();
        let last = use_mut_ref(|| 0i32);
        use_effect(move || {
            let report = move || {
                if let (Some(e), Some(h)) = (&embed, super::dom::content_height()) {
                    if h != *last.borrow() {
                        *last.borrow_mut() = h;
                        e.post("resize", serde_json::json!({ "height": h }));
                    }
                }
            };
            report();
            let on_resize = report.clone();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| on_resize()));
            move || drop(listener)
        });
    }
    use_effect_with(state.lang, |lang| super::dom::set_document_lang(*lang));

    let dispatch = state.dispatcher();
    if state.embed.is_some() {
        return html! { <EmbedPage state={state.clone()} dispatch={dispatch} /> };
    }
    let help = state.help.then(|| {
        let d = dispatch.clone();
        html! { <Help lang={state.lang} on_close={Callback::from(move |_| d.dispatch(Action::ShowHelp(false)))} /> }
    });
    html! {
        <div class="page">
            { for help }
            <Header state={state.clone()} dispatch={dispatch.clone()} />
            <Notices state={state.clone()} dispatch={dispatch.clone()} />
            <main class="layout">
                <aside class="story" aria-label="lesson">
                    <LessonText state={state.clone()} />
                </aside>
                <section class="lab">
                    <Controls state={state.clone()} dispatch={dispatch.clone()} />
                    <Tour state={state.clone()} dispatch={dispatch.clone()} />
                    <div class="lab-grid">
                        <ParamPanel state={state.clone()} dispatch={dispatch.clone()} />
                        <div class="live">
                            if state.lesson.shows_view("stage") { <Stage state={state.clone()} /> }
                            if state.lesson.shows_view("stats") { <Stats state={state.clone()} /> }
                        </div>
                    </div>
                    if state.lesson.shows_view("code") { <CodePane state={state.clone()} /> }
                    <Charts state={state.clone()} />
                    <Questions state={state.clone()} dispatch={dispatch.clone()} />
                </section>
            </main>
        </div>
    }
}
