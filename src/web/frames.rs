//! What the lesson page and the playground share for their loops: the animation-frame loop that
//! drives play and sliced work, and the test for keys a focused control should keep.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use yew::{Reducible, UseReducerDispatcher};

/// The pending frame; dropping what it holds stops the loop.
pub type FrameHandle = Rc<RefCell<Option<AnimationFrame>>>;

/// Requests the next frame, dispatches `frame(ms since the last one)`, and repeats until the handle
/// is emptied.
pub fn frame_loop<R: Reducible + 'static>(
    handle: FrameHandle,
    dispatch: UseReducerDispatcher<R>,
    frame: fn(f64) -> R::Action,
    last: Option<f64>,
) {
    let h2 = handle.clone();
    let next = request_animation_frame(move |ts| {
        let dt_ms = last.map(|l| ts - l).unwrap_or(16.7);
        dispatch.dispatch(frame(dt_ms));
        if h2.borrow().is_some() {
            frame_loop(h2.clone(), dispatch, frame, Some(ts));
        }
    });
    *handle.borrow_mut() = Some(next);
}

/// Whether a key press belongs to a focused control (a slider's arrows, a button's space, typing).
pub fn typing(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            ) || el.closest("[contenteditable]").ok().flatten().is_some()
        })
        .unwrap_or(false)
}
