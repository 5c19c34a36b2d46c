//! The browser app (wasm32 only): yew function components over a [`Session`](crate::session::Session).
//!
//! The app never reaches into a model: it sends session commands and draws snapshots. Long work (a
//! parameter change that re-runs a long scenario, run-to-end) is done in slices, one per animation
//! frame, behind a progress bar, so the tab never freezes.

mod app;
mod chapters;
mod components;
mod dom;
mod embed;
mod frames;
mod grading;
mod home;
mod i18n;
mod playground;
mod state;

use wasm_bindgen::prelude::*;

/// Mounts the app into `#app` when the wasm module starts.
#[wasm_bindgen(start)]
pub fn start() {
    dom::install_panic_notice();
    if let Some(root) = dom::element_by_id("app") {
        let query = dom::query();
        if query.contains("page=playground") {
            yew::Renderer::<playground::Playground>::with_root(root).render();
        } else if query.contains("page=home") {
            yew::Renderer::<home::Home>::with_root(root).render();
        } else {
            yew::Renderer::<app::App>::with_root(root).render();
        }
    }
}

/// Runs a built-in lesson to the end and returns the CLI's JSON report (`gmplab run ... --json`).
/// `settings` is a query string of `name=value` pairs. For tests that compare browser and CLI runs.
#[wasm_bindgen]
pub fn run_lesson_json(lesson: &str, settings: &str, seed: u64) -> Result<String, JsValue> {
    crate::session::report::run_lesson_json(lesson, settings, seed)
        .map_err(|e| JsValue::from_str(&e))
}

/// Panics on purpose. Nothing in the app calls it: the browser test that checks an engine panic
/// leaves the learner's parameters and program intact (the crash panel, then a reload) uses it, since
/// no known input makes the engine panic.
#[wasm_bindgen]
pub fn simulate_engine_panic() {
    panic!("a simulated engine panic (test hook)");
}
