//! The lesson page's pieces. Each takes the app state (and, if it changes anything, the dispatcher).

pub mod charts;
pub mod clock_text;
pub mod code;
pub mod controls;
pub mod embed_page;
pub mod embed_snippet;
pub mod guard_stage;
pub mod header;
pub mod help;
pub mod icons;
pub mod lesson_text;
pub mod map_stage;
pub mod notices;
pub mod params;
pub mod questions;
pub mod sale_stage;
pub mod stage;
pub mod stats;
pub mod task_stage;
pub mod tour;

use super::app::Dispatch;
use super::state::AppState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StateProps {
    pub state: UseReducerHandle<AppState>,
}

#[derive(Properties, PartialEq)]
pub struct StateDispatchProps {
    pub state: UseReducerHandle<AppState>,
    pub dispatch: Dispatch,
}

/// Formats a duration in seconds with a unit a person would pick.
pub fn fmt_duration(secs: f64) -> String {
    let a = secs.abs();
    if a == 0.0 {
        "0 ms".into()
    } else if a < 1e-3 {
        format!("{:.1} µs", secs * 1e6)
    } else if a < 1.0 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{secs:.3} s")
    }
}

/// Formats a count with thousands separators.
pub fn fmt_count(n: f64) -> String {
    let n = n.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}
