//! What a lesson asks of a learner: predict-then-run questions, graded challenges, and a guided tour.
//!
//! None of these carries a hard-coded answer. A question names a metric and whether the right choice
//! is the one that makes it smallest or largest; the answer is whichever choice's runs say so (see
//! [`super::grade`]). A challenge names targets on metrics and is graded by running the learner's
//! settings over the challenge's own seeds.

use crate::sim::params::ParamValue;
use crate::sim::text::I18n;

/// Seeds a question is run with when the lesson does not say.
pub const QUESTION_SEEDS: &[u64] = &[1, 2, 3];
/// Seeds a challenge is graded over when the lesson does not say (never the learner's own seed).
pub const CHALLENGE_SEEDS: &[u64] = &[101, 102, 103];
/// At most this many seeds per question or challenge, so grading stays quick.
pub const MAX_SEEDS: usize = 10;
/// At most this many choices per question.
pub const MAX_CHOICES: usize = 6;
/// Two choices whose means differ by less than this fraction are a tie: the simulation cannot say
/// which is right, so `gmplab check` refuses the question.
pub const TIE_FRACTION: f64 = 0.02;

/// Regions of the lesson page a tour stop may point at, besides `param:NAME` and `chart:ID`.
pub const TOUR_REGIONS: &[&str] = &[
    "controls",
    "params",
    "stats",
    "narration",
    "stage",
    "board",
    "code",
    "channels",
    "mutexes",
    "console",
    "questions",
    "challenges",
];

/// Where in the file something was written, for messages after parsing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Which choice a question's answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The choice whose runs give the smallest mean of the metric.
    Min,
    /// The choice whose runs give the largest mean.
    Max,
}

/// Predict, then run: "which of these makes p99 worst?"
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub prompt: I18n,
    /// A summary metric of the lesson's model ("sojourn_p99_s").
    pub metric: String,
    pub pick: Pick,
    pub choices: Vec<Choice>,
    pub seeds: Vec<u64>,
    /// Shown after answering: why the runs came out the way they did.
    pub explain: I18n,
    pub pos: Pos,
}

/// One answer a learner can pick: a label and the settings its runs use, on top of the defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub label: I18n,
    pub set: Vec<(String, ParamValue)>,
}

/// A goal graded by the simulation: "p99 under 20 ms with under 1 % drops".
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub id: String,
    pub prompt: I18n,
    /// The parameters the learner may change; the rest stay at the lesson's defaults.
    pub free: Vec<String>,
    /// Settings that make the challenge's situation (heavier traffic, say), applied before grading.
    pub setup: Vec<(String, ParamValue)>,
    pub targets: Vec<Target>,
    pub seeds: Vec<u64>,
    /// A setting of the free parameters that passes (checked by `gmplab check`), shown after success.
    pub answer: Vec<(String, ParamValue)>,
    pub explain: I18n,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "<" => Some(Cmp::Lt),
            "<=" => Some(Cmp::Le),
            ">" => Some(Cmp::Gt),
            ">=" => Some(Cmp::Ge),
            _ => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "≤",
            Cmp::Gt => ">",
            Cmp::Ge => "≥",
        }
    }

    pub fn holds(self, x: f64, bound: f64) -> bool {
        match self {
            Cmp::Lt => x < bound,
            Cmp::Le => x <= bound,
            Cmp::Gt => x > bound,
            Cmp::Ge => x >= bound,
        }
    }
}

/// One condition of a challenge: `metric op value`, on every graded seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub metric: String,
    pub cmp: Cmp,
    pub value: f64,
}

/// When a tour stop shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TourAt {
    /// Before anything runs.
    Start,
    /// Once the run has executed this many events.
    Step(u64),
    /// Once virtual time reaches this many nanoseconds.
    Time(u64),
}

/// A guided-tour stop: at a moment, point at part of the page and say something about it.
#[derive(Clone, Debug, PartialEq)]
pub struct TourStop {
    pub at: TourAt,
    /// `param:NAME`, `chart:ID`, or one of [`TOUR_REGIONS`].
    pub highlight: String,
    pub say: I18n,
}

impl TourStop {
    /// Whether the stop is due at (step, virtual time).
    pub fn due(&self, step: u64, now_ns: u64) -> bool {
        match self.at {
            TourAt::Start => true,
            TourAt::Step(s) => step >= s,
            TourAt::Time(t) => now_ns >= t,
        }
    }
}
