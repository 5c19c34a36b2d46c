//! Control icons as inline SVG: no icon font to load, and they render the same everywhere.

use yew::prelude::*;

fn svg(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}

pub fn play() -> Html {
    svg("M8 5v14l11-7z")
}
pub fn pause() -> Html {
    svg("M6 5h4v14H6zm8 0h4v14h-4z")
}
pub fn step() -> Html {
    svg("M6 6l8.5 6L6 18zM16 6h2v12h-2z")
}
pub fn step_back() -> Html {
    svg("M18 6l-8.5 6L18 18zM6 6h2v12H6z")
}
pub fn reset() -> Html {
    svg("M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z")
}
pub fn end() -> Html {
    svg("M4 6l7 6-7 6zm8 0l7 6-7 6zM19 6h2v12h-2z")
}
