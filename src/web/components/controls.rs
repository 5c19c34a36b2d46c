use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{fmt_count, icons, StateDispatchProps};
use crate::web::dom;
use crate::web::i18n::ui;
use crate::web::state::Action;

fn input_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
}

/// The bar that never scrolls away: step back, play/pause, step, reset, run to end, speed, seed,
/// share; the clock and step count; the progress of sliced work; and the narration of the last step.
#[function_component(Controls)]
pub fn controls(p: &StateDispatchProps) -> Html {
    let st = &p.state;
    let t = ui(st.lang);
    let snap = &st.snap;
    let act = |a: fn() -> Action| {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a()))
    };
    let copied = use_state(|| false);
    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&dom::href());
            copied.set(true);
        })
    };
    let on_speed = {
        let d = p.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e).and_then(|v| v.parse::<f64>().ok()) {
                d.dispatch(Action::SetSpeed(v));
            }
        })
    };
    let on_seed = {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                d.dispatch(Action::SetSeed(v));
            }
        })
    };
    let pinned = st.pinned.is_some();
    let on_pin = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Pin(!pinned)))
    };
    let speed = st.speed();
    let speed_text = if speed >= 1.0 {
        format!("{:.0}×", speed)
    } else {
        format!("{:.3}×", speed).trim_end_matches('0').to_string()
    };
    let play_label = if st.playing { t.pause } else { t.play };
    let progress = st.job_progress();
    let seed_error = st.param_errors.get("seed").cloned();
    let narration = match (&snap.narration, snap.step) {
        (Some(n), _) => n.clone(),
        (None, 0) => t.press_play.to_string(),
        (None, _) => String::new(),
    };
    let embedded = st.embed.is_some();
    let speed = html! {
        <label class="speed">
            <span>{t.speed}</span>
            <input type="range" min="-3" max="3" step="0.05" value={st.speed_log.to_string()}
                oninput={on_speed} aria-valuetext={speed_text.clone()} />
            <output>{speed_text}</output>
        </label>
    };
    let pin = html! {
        <button class="btn ghost" onclick={on_pin} data-action="pin" aria-pressed={pinned.to_string()}
            title={t.pin_hint}>{ if pinned { t.unpin } else { t.pin } }</button>
    };
    // Seed and link live in the overflow menu, so the bar stays one row on a laptop.
    let extras = html! {
        <>
            <label class="seed">
                <span>{t.seed}</span>
                <input type="number" min="0" step="1" value={st.seed().to_string()} onchange={on_seed}
                    aria-invalid={seed_error.is_some().to_string()} />
            </label>
            <button class="btn ghost" onclick={on_copy} data-action="copy-link">
                { if *copied { t.link_copied } else { t.copy_link } }
            </button>
        </>
    };
    let clock = html! {
        <span class="clock" data-testid="clock" data-now-ns={snap.now.to_string()} data-step={snap.step.to_string()}
            data-hash={format!("{:016x}", snap.state_hash)} data-finished={snap.finished.to_string()}>
            <span class="clock-label">{format!("{} ", t.time)}</span>
            <span class="clock-time" data-testid="clock-time">{super::clock_text::clock_text(snap.now, snap.horizon, snap.finished, st.lesson.program.is_some(), st.lang)}</span>
            <span class="clock-step"><span class="sep">{"·"}</span>{format!("{} {}", t.step_n, fmt_count(snap.step as f64))}</span>
            if snap.finished && snap.limit.is_some() {
                <span class="badge stopped">{t.stopped}</span>
            } else if snap.finished {
                <span class="badge">{t.finished}</span>
            }
        </span>
    };
    let progress_bar = progress.map(|pr| html! {
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow={format!("{:.0}", pr * 100.0)} aria-label={t.computing}>
            <div class="bar" style={format!("width: {:.1}%", pr * 100.0)}></div>
            <span>{t.computing}</span>
            <button class="btn ghost small" onclick={act(|| Action::CancelJob)}>{t.cancel}</button>
        </div>
    });
    html! {
        <div class={classes!("controls", "compact", embedded.then_some("embedded"))} role="toolbar" aria-label="simulation controls" data-region="controls">
            <div class="control-row">
                <div class="btn-group">
                    <button class="btn" onclick={act(|| Action::StepBack)} disabled={snap.step == 0}
                        title={format!("{} (←)", t.step_back)} aria-label={t.step_back} data-action="back">{icons::step_back()}</button>
                    <button class="btn primary" onclick={act(|| Action::TogglePlay)}
                        title={format!("{play_label} (space)")} aria-label={play_label} data-action="play">
                        { if st.playing { icons::pause() } else { icons::play() } }<span class="btn-text">{play_label}</span>
                    </button>
                    <button class="btn" onclick={act(|| Action::Step)} disabled={snap.finished}
                        title={format!("{} (→)", t.step)} aria-label={t.step} data-action="step">{icons::step()}</button>
                    <button class="btn" onclick={act(|| Action::Reset)}
                        title={format!("{} (r)", t.reset)} aria-label={t.reset} data-action="reset">{icons::reset()}</button>
                    <button class="btn" onclick={act(|| Action::RunToEnd)} disabled={snap.finished}
                        title={format!("{} (e)", t.run_to_end)} aria-label={t.run_to_end} data-action="end">{icons::end()}<span class="btn-text">{t.run_to_end}</span></button>
                </div>
                if !embedded { {speed.clone()} {pin.clone()} }
                {clock}
                <details class="more" open={seed_error.is_some()}>
                    <summary class="btn ghost" aria-label={t.more_controls} title={t.more_controls}>{"⋯"}</summary>
                    <div class="more-menu">
                        // What the bar itself has no room for on a narrow screen (CSS shows these there).
                        <div class="menu-extra">
                            <button class="btn" onclick={act(|| Action::RunToEnd)} disabled={snap.finished}
                                data-action="end-menu">{icons::end()}{t.run_to_end}</button>
                            {speed}
                            {pin}
                        </div>
                        {extras}
                        if !embedded { <super::embed_snippet::EmbedSnippet state={st.clone()} /> }
                    </div>
                </details>
            </div>
            if let Some(err) = seed_error {
                <div class="field-error" role="alert">{err}</div>
            }
            if let Some(bar) = progress_bar {
                <div class="status-row">{bar}</div>
            }
            <p class="narration" aria-live="polite" data-region="narration">{narration}</p>
        </div>
    }
}
