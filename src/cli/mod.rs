//! The CLI's commands as functions from arguments to output text, so tests call them directly.
//! Only `src/bin/gmplab.rs` prints and exits.

mod check;
mod render;

use std::fmt::Write as _;

use clap::Args;

use crate::lesson::{self, catalog, Lesson};
use crate::session::budget::Budget;
use crate::session::{report, Session};
use crate::sim::metric::Metric;
use crate::sim::text::Lang;

pub use crate::session::budget::{DEFAULT_MAX_BYTES, DEFAULT_MAX_EVENTS};
pub use check::check;
pub use render::{render, RenderArgs};

#[derive(Args, Debug, Clone)]
pub struct GoRunArgs {
    /// The Go file to run (package main).
    pub file: String,
    /// The random seed (scheduling choices, select, map order, math/rand).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// GOMAXPROCS for the run (a program may change it with runtime.GOMAXPROCS).
    #[arg(long, default_value_t = 4)]
    pub gomaxprocs: u32,
    /// Stop after this many simulated steps.
    #[arg(long, default_value_t = crate::golang::run::DEFAULT_MAX_STEPS)]
    pub max_steps: u64,
    /// Stop after the program executes this many operations.
    #[arg(long, default_value_t = crate::golang::run::DEFAULT_MAX_OPS)]
    pub max_ops: u64,
    /// Stop when more goroutines than this are alive at once.
    #[arg(long, default_value_t = crate::golang::run::DEFAULT_MAX_GOROUTINES)]
    pub max_goroutines: usize,
}

/// `gmplab go run FILE.go`: the program's stdout and stderr, and its exit status.
pub fn go_run(args: &GoRunArgs) -> Result<crate::golang::run::RunResult, String> {
    let src = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file))?;
    let src =
        String::from_utf8(src).map_err(|_| format!("{}: the file is not UTF-8 text", args.file))?;
    let name = std::path::Path::new(&args.file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| args.file.clone());
    let opts = crate::golang::run::RunOptions {
        seed: args.seed,
        gomaxprocs: args.gomaxprocs,
        max_steps: args.max_steps,
        max_ops: args.max_ops,
        max_goroutines: args.max_goroutines,
    };
    Ok(crate::golang::run::run_source(&name, &src, &opts))
}

#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    /// A built-in lesson id (see `gmplab lessons`) or the path of a lesson file.
    pub lesson: String,
    /// Set a parameter: --set name=value (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// The random seed; the same seed gives the same run.
    #[arg(long, default_value_t = lesson::link::DEFAULT_SEED)]
    pub seed: u64,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Print the data behind one chart as CSV (the same data the browser's chart shows).
    #[arg(long, value_name = "CHART")]
    pub csv: Option<String>,
    /// The run's event budget: stop after this many simulated events.
    #[arg(long, default_value_t = DEFAULT_MAX_EVENTS)]
    pub max_events: u64,
    /// The run's memory budget: stop if the model's state grows past this many MiB.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES >> 20)]
    pub max_memory_mb: u64,
    /// Language of the text summary: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

/// Loads a lesson by built-in id or by path.
pub fn load_lesson(name: &str) -> Result<Lesson, String> {
    if let Some(l) = catalog::get(name) {
        return Ok(l);
    }
    let looks_like_path = name.contains('/') || name.ends_with(".md");
    if looks_like_path {
        let src = std::fs::read_to_string(name).map_err(|e| format!("cannot read {name}: {e}"))?;
        return lesson::parse(&src, name).map_err(|e| e.to_string());
    }
    let ids: Vec<String> = catalog::lessons().into_iter().map(|l| l.id).collect();
    Err(format!(
        "no lesson `{name}`; built-in lessons: {} (or give the path of a lesson file)",
        ids.join(", ")
    ))
}

/// `--set NAME=VALUE` arguments as (name, value) pairs, trimmed.
pub(crate) fn parse_settings(set: &[String]) -> Result<Vec<(&str, &str)>, String> {
    set.iter()
        .map(|s| {
            s.split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .ok_or_else(|| format!("--set expects NAME=VALUE, got `{s}`"))
        })
        .collect()
}

/// Runs a lesson to the end (or to the event budget) and returns what to print.
pub fn run(args: &RunArgs) -> Result<String, String> {
    let lesson = load_lesson(&args.lesson)?;
    let lang = Lang::parse(&args.lang)
        .ok_or_else(|| format!("unknown language `{}`; use en or zh", args.lang))?;
    let params = lesson
        .resolve(parse_settings(&args.set)?)
        .map_err(|e| e.to_string())?;
    let budget = Budget {
        max_events: args.max_events,
        max_bytes: args.max_memory_mb.saturating_mul(1 << 20),
    };
    let session = report::run_to_end(lesson, params, args.seed, budget)?;
    let snap = session.snapshot(lang);
    if let Some(chart) = &args.csv {
        let fig = snap.figures.iter().find(|f| f.id == chart).ok_or_else(|| {
            let ids: Vec<&str> = snap.figures.iter().map(|f| f.id).collect();
            format!("no chart `{chart}`; this lesson has {}", ids.join(", "))
        })?;
        return Ok(fig.to_csv());
    }
    if args.json {
        Ok(report::to_json(&session).to_string() + "\n")
    } else {
        Ok(run_text(&session, &snap.summary, lang))
    }
}

fn run_text(session: &Session, summary: &[crate::sim::MetricPair], lang: Lang) -> String {
    let l = session.lesson();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}), seed {}",
        l.title.get(lang),
        l.id,
        session.seed()
    );
    let settings: Vec<String> = session
        .params()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(s, "  {}", settings.join(" "));
    for (k, m) in summary {
        let v = m.as_f64();
        let shown = if let Metric::Count(n) = m {
            format!("{n}")
        } else if k.ends_with("_s") && !k.ends_with("per_s") {
            format!("{:.3} ms", v * 1e3)
        } else if k.contains("ratio") {
            format!("{:.3} %", v * 100.0)
        } else {
            format!("{v:.3}")
        };
        let _ = writeln!(s, "  {k:<24} {shown}");
    }
    s
}

/// `gmplab lessons`: id, chapter and title of every built-in lesson.
pub fn list_lessons() -> String {
    let mut s = String::new();
    for r in catalog::all() {
        match r {
            Ok(l) => {
                let _ = writeln!(
                    s,
                    "{:<20} ch.{:<3} {}  /  {}",
                    l.id, l.chapter, l.title.en, l.title.zh
                );
            }
            Err(e) => {
                let _ = writeln!(s, "(broken) {e}");
            }
        }
    }
    s
}

/// `gmplab lessons --json`: every built-in lesson with its parameters, questions, challenges (with
/// their model answers) and tour length, for course pages and scripts.
pub fn list_lessons_json() -> String {
    use serde_json::{json, Map, Value};
    let value = |v: &crate::sim::params::ParamValue| match v {
        crate::sim::params::ParamValue::Num(x) => json!(x),
        crate::sim::params::ParamValue::Choice(c) => json!(c),
        crate::sim::params::ParamValue::Bool(b) => json!(b),
    };
    let settings = |set: &[(String, crate::sim::params::ParamValue)]| -> Value {
        Value::Object(
            set.iter()
                .map(|(k, v)| (k.clone(), value(v)))
                .collect::<Map<_, _>>(),
        )
    };
    let lessons: Vec<Value> = catalog::lessons()
        .iter()
        .map(|l| {
            json!({
                "id": l.id,
                "chapter": l.chapter,
                "model": l.model.id,
                "program": l.program.as_ref().map(|p| p.name.clone()),
                "title": { "en": l.title.en, "zh": l.title.zh },
                "params": l.params.iter().map(|p| json!({ "name": p.name(), "default": value(&p.default) })).collect::<Vec<_>>(),
                "questions": l.questions.iter().map(|q| json!({
                    "id": q.id, "metric": q.metric, "choices": q.choices.len(),
                })).collect::<Vec<_>>(),
                "challenges": l.challenges.iter().map(|c| json!({
                    "id": c.id, "free": c.free, "setup": settings(&c.setup), "answer": settings(&c.answer),
                })).collect::<Vec<_>>(),
                "tour": l.tour.len(),
            })
        })
        .collect();
    format!("{}\n", Value::Array(lessons))
}
