//! Lessons: files of TOML front matter and a bilingual Markdown body that choose a model, narrow and
//! label its parameters, and tell the story around it.
//!
//! ```text
//! +++
//! format = 1
//! id = "worker-pool"
//! model = "worker_pool"
//! ...
//! [[params]]
//! name = "workers"
//! ...
//! +++
//! <!-- lang: en -->
//! English Markdown...
//! <!-- lang: zh -->
//! 中文 Markdown……
//! ```
//!
//! Everything a learner or author can get wrong comes back as a [`LessonError`] with file:line:col.

pub mod catalog;
pub mod link;
pub mod markdown;
mod parse;
mod parse_quiz;
pub mod program_link;
pub mod quiz;
mod resolve;

use std::collections::BTreeMap;
use std::fmt;

use crate::models::ModelInfo;
use crate::sim::params::{ParamSpec, ParamValue, Range};
use crate::sim::text::I18n;

pub use parse::parse;

/// The lesson-file format this build reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    /// Chapter number in the course (the home page groups by it).
    pub chapter: u32,
    pub level: Level,
    pub minutes: u32,
    pub title: I18n,
    pub summary: I18n,
    pub model: &'static ModelInfo,
    pub params: Vec<LessonParam>,
    /// Model parameters the lesson pins without showing them.
    pub fixed: Vec<(String, ParamValue)>,
    /// Old parameter names that links made before a rename still use: old -> new.
    pub aliases: BTreeMap<String, String>,
    /// Markdown, per language.
    pub body: I18n,
    /// Where the lesson came from ("lessons/worker-pool.md"), for messages.
    pub origin: String,
    /// Predict-then-run questions, answered by running the simulation.
    pub questions: Vec<quiz::Question>,
    /// Goals graded by running the learner's settings over fixed seeds.
    pub challenges: Vec<quiz::Challenge>,
    /// The guided tour, in order.
    pub tour: Vec<quiz::TourStop>,
    /// The Go program the lesson runs (model `go`).
    pub program: Option<LessonProgram>,
    /// The charts shown, in order; empty: every chart the model draws.
    pub charts: Vec<String>,
    /// The live views shown; empty: all of them.
    pub views: Vec<String>,
}

/// The live views a lesson may choose from: the model's stage (or, for a Go lesson, the scheduler
/// board), the summary tiles, and a Go lesson's code with its goroutine profile.
pub const VIEWS: &[&str] = &["stage", "stats", "code"];

impl Lesson {
    /// Whether the lesson shows view `v`.
    pub fn shows_view(&self, v: &str) -> bool {
        self.views.is_empty() || self.views.iter().any(|x| x == v)
    }

    /// The ids of the charts shown, in order, among `available`.
    pub fn shown_charts<'a>(&self, available: &[&'a str]) -> Vec<&'a str> {
        if self.charts.is_empty() {
            return available.to_vec();
        }
        self.charts
            .iter()
            .filter_map(|c| available.iter().find(|a| **a == c.as_str()).copied())
            .collect()
    }
}

/// A lesson's Go program: a program of the conformance suite, by name.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgram {
    /// "mutex_vs_rwmutex"; the file shown is NAME.go.
    pub name: String,
    pub source: &'static str,
}

impl LessonProgram {
    pub fn file(&self) -> String {
        format!("{}.go", self.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "beginner" => Some(Level::Beginner),
            "intermediate" => Some(Level::Intermediate),
            "advanced" => Some(Level::Advanced),
            _ => None,
        }
    }

    pub fn label(self) -> I18n {
        match self {
            Level::Beginner => I18n::new("Beginner", "入门"),
            Level::Intermediate => I18n::new("Intermediate", "进阶"),
            Level::Advanced => I18n::new("Advanced", "高级"),
        }
    }
}

/// One parameter as a lesson presents it.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonParam {
    pub spec: &'static ParamSpec,
    pub label: I18n,
    /// The unit shown beside the value ("req/s", "ms").
    pub unit: I18n,
    /// The lesson's range (numeric parameters), within the model's own.
    pub range: Option<Range>,
    /// The slider's step; whole numbers default to 1.
    pub step: Option<f64>,
    /// A logarithmic slider (rates, sizes spanning decades).
    pub log: bool,
    pub default: ParamValue,
    /// Choice parameters: the values offered, each with its label.
    pub choices: Vec<(String, I18n)>,
}

impl LessonParam {
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Parses and checks a value typed by a learner against the lesson's range.
    pub fn parse(&self, raw: &str) -> Result<ParamValue, crate::sim::ParamError> {
        let v = self.spec.parse(raw, self.range)?;
        self.check_choice(v)
    }

    pub fn check(&self, v: &ParamValue) -> Result<ParamValue, crate::sim::ParamError> {
        let v = self.spec.check(v, self.range)?;
        self.check_choice(v)
    }

    fn check_choice(&self, v: ParamValue) -> Result<ParamValue, crate::sim::ParamError> {
        if let ParamValue::Choice(s) = &v {
            if !self.choices.is_empty() && !self.choices.iter().any(|(c, _)| c == s) {
                let names: Vec<&str> = self.choices.iter().map(|(c, _)| c.as_str()).collect();
                return Err(crate::sim::ParamError::new(
                    self.spec.name,
                    format!("`{s}` is not one of {}", names.join(", ")),
                ));
            }
        }
        Ok(v)
    }
}

/// A problem in a lesson file, at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub origin: String,
    /// 1-based line and column; 0 when the problem is the file as a whole.
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.origin, self.line, self.col, self.message
            )
        }
    }
}

impl std::error::Error for LessonError {}

/// The fuzzing entry point for lesson files: arbitrary bytes through the parser, and for a file
/// that parses, resolving its defaults and a few hostile settings. Must never panic.
pub fn fuzz_lesson(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(lesson) = parse(src, "fuzz.md") {
        let _ = lesson.resolve(Vec::<(&str, &str)>::new());
        let _ = lesson.resolve(vec![("workers", "1e308"), ("nope", "x"), ("policy", "")]);
    }
}

/// The fuzzing entry point for links: arbitrary bytes as a lesson link's query and as a
/// playground program parameter. Must never panic.
pub fn fuzz_link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (state, _notices) = link::LinkState::decode(&text);
    // Whatever was accepted survives a round trip: a shared link reopens as it was shared.
    let (again, notices) = link::LinkState::decode(&state.encode());
    assert_eq!(again, state, "a decoded link must re-encode to itself");
    assert!(
        notices.is_empty(),
        "a re-encoded link has nothing to ignore: {notices:?}"
    );
    // Parsed once: parsing every built-in lesson per input would leave the fuzzer ten runs a second.
    thread_local! {
        static LESSON: Option<Lesson> = catalog::get("worker-pool");
    }
    LESSON.with(|l| {
        if let Some(lesson) = l {
            let _ = lesson.resolve_lenient(&state.params);
        }
    });
    let _ = program_link::decode(&text);
}
