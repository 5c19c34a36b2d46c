//! The time readout: where the run stands against how long it is, in one unit a person would pick
//! for that length ("1.250 ms / 2.000 ms", "4.021 s / 30 s"), never a current time past the total.
//!
//! A model's horizon is the planned length (a scenario's duration); some runs drain past it (the
//! flash sale finishes requests in flight), and a Go program has none (it runs until it exits). So:
//! finished, the total is where the run ended; past the horizon, the readout says it is draining;
//! a Go program's horizon is only its lesson's estimate, shown with "~" until the run passes it.

use crate::sim::text::Lang;
use crate::sim::time::Nanos;

/// Seconds per unit and the unit's name, chosen from the larger of the two times shown.
fn unit_for(ns: Nanos) -> (f64, &'static str) {
    if ns >= 1_000_000_000 {
        (1e9, "s")
    } else if ns >= 1_000_000 {
        (1e6, "ms")
    } else {
        (1e3, "µs")
    }
}

/// A time in the unit chosen: three decimals for the current time so that it moves visibly.
fn fmt_in(ns: Nanos, (div, unit): (f64, &'static str)) -> String {
    format!("{:.3} {unit}", ns as f64 / div)
}

/// A planned length in the unit chosen, without trailing zeros ("30 s", "2.5 ms").
fn fmt_total(ns: Nanos, (div, unit): (f64, &'static str)) -> String {
    let s = format!("{:.3}", ns as f64 / div);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} {unit}")
}

/// "4.021 s / 30 s": the readout for a run at `now` with planned length `horizon` (0: none).
/// `estimate`: the horizon is a guess (a Go program's expected length), shown as "~5 ms" and
/// dropped once the run passes it.
pub fn clock_text(
    now: Nanos,
    horizon: Nanos,
    finished: bool,
    estimate: bool,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    if finished {
        let u = unit_for(now.max(1));
        return format!("{} / {}", fmt_in(now, u), fmt_in(now, u));
    }
    if horizon == 0 || (estimate && now >= horizon) {
        return fmt_in(now, unit_for(now.max(1)));
    }
    let u = unit_for(now.max(horizon));
    let total = fmt_total(horizon, u);
    if now > horizon {
        return if zh {
            format!("{}(计划 {total},收尾中)", fmt_in(now, u))
        } else {
            format!("{} ({total} planned, draining)", fmt_in(now, u))
        };
    }
    let about = if estimate { "~" } else { "" };
    format!("{} / {about}{total}", fmt_in(now, u))
}
