//! Running a lesson to the end and reporting it as data: the CLI prints this, the wasm build
//! exposes it, and tests compare the two byte for byte.

use serde_json::{json, Map, Value};

use super::budget::Budget;
use super::{Command, Session};
use crate::lesson::Lesson;
use crate::sim::metric::Metric;
use crate::sim::params::{ParamValue, Params};
use crate::sim::text::Lang;
use crate::sim::time::to_secs;

/// Runs a lesson with checked parameters to its end. Fails with a message if the run uses up its
/// budget (saying where in simulated time it stopped) or hits one of the model's own limits.
pub fn run_to_end(
    lesson: Lesson,
    params: Params,
    seed: u64,
    budget: Budget,
) -> Result<Session, String> {
    let mut session = Session::new(lesson, params, seed)
        .map_err(|e| e.to_string())?
        .with_budget(budget);
    session
        .apply(Command::RunUnrecorded {
            max_events: u64::MAX,
        })
        .map_err(|e| e.to_string())?;
    if let Some(e) = session.exceeded() {
        return Err(format!(
            "{} (at {:.3} s of simulated time)",
            e.message(Lang::En),
            to_secs(session.scenario().now_ns())
        ));
    }
    if let Some(m) = session.stop_message(Lang::En) {
        return Err(m);
    }
    Ok(session)
}

/// `{"lesson", "model", "seed", "params", "metrics"}` for a session, with counts as integers.
pub fn to_json(session: &Session) -> Value {
    let params: Map<String, Value> = session
        .params()
        .iter()
        .map(|(k, v)| {
            let j = match v {
                ParamValue::Num(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(*x as i64),
                ParamValue::Num(x) => json!(x),
                ParamValue::Choice(s) => json!(s),
                ParamValue::Bool(b) => json!(b),
            };
            (k.clone(), j)
        })
        .collect();
    let metrics: Map<String, Value> = session
        .scenario()
        .summary()
        .into_iter()
        .map(|(k, m)| {
            let j = match m {
                Metric::Count(n) => json!(n),
                Metric::Real(x) => json!(x),
            };
            (k.to_string(), j)
        })
        .collect();
    json!({
        "lesson": session.lesson().id,
        "model": session.lesson().model.id,
        "seed": session.seed(),
        "params": params,
        "metrics": metrics,
    })
}

/// Runs a built-in lesson with `name=value&...` settings and returns its JSON report as text, exactly
/// as `gmplab run LESSON --set ... --seed N --json` prints it (without the trailing newline).
pub fn run_lesson_json(lesson: &str, settings: &str, seed: u64) -> Result<String, String> {
    let l = crate::lesson::catalog::get(lesson).ok_or_else(|| format!("no lesson `{lesson}`"))?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(settings.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let params = l
        .resolve(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| e.to_string())?;
    let s = run_to_end(l, params, seed, Budget::default())?;
    Ok(to_json(&s).to_string())
}
