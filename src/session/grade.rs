//! Answering a lesson's questions and grading its challenges by running the simulation.
//!
//! Both are a [`Batch`] of runs (settings × seeds) that advances in slices, so the browser can show
//! a progress bar and never freeze, while the CLI and tests run a batch to the end in one call. The
//! answer is whatever the runs say; nothing in a lesson file says which choice is right.

use super::budget::{Budget, Exceeded};
use super::report::run_to_end;
use super::{Command, Session};
use crate::lesson::quiz::{Challenge, Pick, Question, Target, TIE_FRACTION};
use crate::lesson::{Lesson, LessonError};
use crate::sim::params::{ParamValue, Params};
use crate::sim::scenario::{Halt, RunOutcome};
use crate::sim::text::Lang;
use crate::sim::MetricPair;

/// Events one graded run may take before it is reported as too long.
pub const MAX_EVENTS_PER_RUN: u64 = 100_000_000;

/// Runs to do, one after another, keeping each one's summary.
#[derive(Clone, Debug)]
pub struct Batch {
    lesson: Lesson,
    specs: Vec<(Params, u64)>,
    results: Vec<Vec<MetricPair>>,
    current: Option<Session>,
}

impl Batch {
    fn new(lesson: &Lesson, specs: Vec<(Params, u64)>) -> Self {
        Batch {
            lesson: lesson.clone(),
            specs,
            results: Vec::new(),
            current: None,
        }
    }

    /// Runs at most about `max_events` events; true once every run has finished.
    pub fn advance(&mut self, max_events: u64) -> Result<bool, String> {
        let mut left = max_events.max(1);
        while self.results.len() < self.specs.len() && left > 0 {
            let session = match &mut self.current {
                Some(s) => s,
                None => {
                    let (params, seed) = self.specs[self.results.len()].clone();
                    let s = Session::new(self.lesson.clone(), params, seed)
                        .map_err(|e| e.to_string())?
                        .with_budget(Budget::events(MAX_EVENTS_PER_RUN));
                    self.current.insert(s)
                }
            };
            let before = session.step();
            let out = session
                .apply(Command::RunUnrecorded { max_events: left })
                .map_err(|e| e.to_string())?;
            left = left.saturating_sub(session.step() - before);
            match session.exceeded() {
                // Grading cannot raise its budget: the challenge itself has to be shorter.
                Some(Exceeded::Events { .. }) => {
                    return Err(format!(
                        "a graded run took more than {MAX_EVENTS_PER_RUN} events; make the scenario shorter"
                    ))
                }
                Some(e @ Exceeded::Memory { .. }) => return Err(e.message(Lang::En)),
                None => {}
            }
            if let Some(Halt::Limit(m)) = session.halt() {
                return Err(m.clone());
            }
            if out == RunOutcome::Budget {
                continue;
            }
            self.results.push(session.scenario().summary());
            self.current = None;
        }
        Ok(self.done())
    }

    pub fn done(&self) -> bool {
        self.results.len() == self.specs.len()
    }

    /// Finished runs plus the current run's share, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.specs.is_empty() {
            return 1.0;
        }
        let partial = self.current.as_ref().map_or(0.0, |s| {
            let h = s.scenario().horizon().max(1) as f64;
            (s.scenario().now_ns() as f64 / h).min(1.0)
        });
        (self.results.len() as f64 + partial) / self.specs.len() as f64
    }

    /// Runs everything to the end.
    pub fn finish(&mut self) -> Result<(), String> {
        while !self.advance(u64::MAX)? {}
        Ok(())
    }
}

fn metric_of(summary: &[MetricPair], name: &str) -> Option<f64> {
    summary
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, m)| m.as_f64())
}

fn err(lesson: &Lesson, pos: crate::lesson::quiz::Pos, message: String) -> LessonError {
    LessonError {
        origin: lesson.origin.clone(),
        line: pos.line,
        col: pos.col,
        message,
    }
}

fn unknown_metric(lesson: &Lesson, summary: &[MetricPair], what: &str, metric: &str) -> String {
    let names: Vec<&str> = summary.iter().map(|(k, _)| k.as_ref()).collect();
    format!(
        "{what} uses metric `{metric}`, which lesson {}'s runs do not report; they report {}",
        lesson.id,
        names.join(", ")
    )
}

fn with_settings(
    lesson: &Lesson,
    base: Params,
    set: &[(String, ParamValue)],
) -> Result<Params, String> {
    let mut p = base;
    for (name, v) in set {
        lesson
            .set(&mut p, name, v.clone())
            .map_err(|e| e.to_string())?;
    }
    Ok(p)
}

/// The runs that answer question `q`: every choice over every seed.
pub fn question_batch(lesson: &Lesson, q: &Question) -> Result<Batch, LessonError> {
    let mut specs = Vec::new();
    for c in &q.choices {
        let p = with_settings(lesson, lesson.default_params(), &c.set)
            .map_err(|m| err(lesson, q.pos, format!("question `{}`: {m}", q.id)))?;
        for &seed in &q.seeds {
            specs.push((p.clone(), seed));
        }
    }
    Ok(Batch::new(lesson, specs))
}

/// A question's answer as the runs gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Index of the right choice.
    pub correct: usize,
    /// Each choice's mean of the metric over the seeds.
    pub means: Vec<f64>,
}

/// Reads the answer out of a finished question batch. Fails, at the question's line, when the metric
/// does not exist or two leading choices are too close to call.
pub fn question_answer(
    lesson: &Lesson,
    q: &Question,
    batch: &Batch,
) -> Result<Answer, LessonError> {
    let per = q.seeds.len();
    let mut means = Vec::new();
    for (i, _) in q.choices.iter().enumerate() {
        let mut sum = 0.0;
        for s in &batch.results[i * per..(i + 1) * per] {
            let v = metric_of(s, &q.metric).ok_or_else(|| {
                err(
                    lesson,
                    q.pos,
                    unknown_metric(lesson, s, &format!("question `{}`", q.id), &q.metric),
                )
            })?;
            if !v.is_finite() {
                return Err(err(
                    lesson,
                    q.pos,
                    format!(
                        "question `{}`: metric `{}` is not a number in choice {}",
                        q.id,
                        q.metric,
                        i + 1
                    ),
                ));
            }
            sum += v;
        }
        means.push(sum / per as f64);
    }
    let mut order: Vec<usize> = (0..means.len()).collect();
    order.sort_by(|&a, &b| means[a].total_cmp(&means[b]));
    if q.pick == Pick::Max {
        order.reverse();
    }
    let (best, second) = (order[0], order[1]);
    let (a, b) = (means[best], means[second]);
    let scale = a.abs().max(b.abs());
    if (a - b).abs() <= TIE_FRACTION * scale {
        return Err(err(
            lesson,
            q.pos,
            format!(
                "question `{}`: choices {} and {} give nearly the same {} ({} and {}), so the simulation cannot say which is right; make the choices differ more",
                q.id,
                best + 1,
                second + 1,
                q.metric,
                short(a),
                short(b)
            ),
        ));
    }
    Ok(Answer {
        correct: best,
        means,
    })
}

/// Runs question `q` to the end and returns its answer.
pub fn answer_question(lesson: &Lesson, q: &Question) -> Result<Answer, LessonError> {
    let mut b = question_batch(lesson, q)?;
    b.finish()
        .map_err(|m| err(lesson, q.pos, format!("question `{}`: {m}", q.id)))?;
    question_answer(lesson, q, &b)
}

/// The parameters a challenge grades: the lesson's defaults, the challenge's setup, then the
/// learner's values of the free parameters only.
pub fn challenge_params(
    lesson: &Lesson,
    ch: &Challenge,
    learner: &Params,
) -> Result<Params, String> {
    let mut p = with_settings(lesson, lesson.default_params(), &ch.setup)?;
    for name in &ch.free {
        if let Some(v) = learner.get(name) {
            lesson
                .set(&mut p, name, v.clone())
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(p)
}

/// The runs that grade `learner`'s settings for challenge `ch`.
pub fn challenge_batch(lesson: &Lesson, ch: &Challenge, learner: &Params) -> Result<Batch, String> {
    let p = challenge_params(lesson, ch, learner)?;
    Ok(Batch::new(
        lesson,
        ch.seeds.iter().map(|&s| (p.clone(), s)).collect(),
    ))
}

/// One target on one seed.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub seed: u64,
    pub target: Target,
    pub value: f64,
    pub ok: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// Every target held on every seed.
    pub passed: bool,
    pub results: Vec<TargetResult>,
}

impl Grade {
    /// The first failed target, worded for the learner.
    pub fn first_failure(&self) -> Option<&TargetResult> {
        self.results.iter().find(|r| !r.ok)
    }
}

/// Grades a finished challenge batch.
pub fn challenge_grade(
    lesson: &Lesson,
    ch: &Challenge,
    batch: &Batch,
) -> Result<Grade, LessonError> {
    let mut results = Vec::new();
    for (summary, &seed) in batch.results.iter().zip(&ch.seeds) {
        for t in &ch.targets {
            let value = metric_of(summary, &t.metric).ok_or_else(|| {
                err(
                    lesson,
                    ch.pos,
                    unknown_metric(
                        lesson,
                        summary,
                        &format!("challenge `{}`", ch.id),
                        &t.metric,
                    ),
                )
            })?;
            results.push(TargetResult {
                seed,
                target: t.clone(),
                value,
                ok: t.cmp.holds(value, t.value),
            });
        }
    }
    Ok(Grade {
        passed: results.iter().all(|r| r.ok),
        results,
    })
}

/// Grades `learner`'s settings for challenge `ch`, running to the end.
pub fn grade_challenge(
    lesson: &Lesson,
    ch: &Challenge,
    learner: &Params,
) -> Result<Grade, LessonError> {
    let mut b = challenge_batch(lesson, ch, learner)
        .map_err(|m| err(lesson, ch.pos, format!("challenge `{}`: {m}", ch.id)))?;
    b.finish()
        .map_err(|m| err(lesson, ch.pos, format!("challenge `{}`: {m}", ch.id)))?;
    challenge_grade(lesson, ch, &b)
}

/// Everything `gmplab check` verifies by running a lesson: it runs once at its defaults, every
/// question has a clear answer, every challenge's model answer passes and the defaults do not.
pub fn check_lesson(lesson: &Lesson) -> Result<CheckReport, LessonError> {
    let whole = |m: String| LessonError {
        origin: lesson.origin.clone(),
        line: 0,
        col: 0,
        message: m,
    };
    let defaults = lesson.default_params();
    let s = run_to_end(
        lesson.clone(),
        defaults.clone(),
        1,
        super::budget::Budget::events(MAX_EVENTS_PER_RUN),
    )
    .map_err(|m| whole(format!("the lesson does not run at its defaults: {m}")))?;
    let mut report = CheckReport {
        events: s.step(),
        answers: Vec::new(),
    };
    for q in &lesson.questions {
        let a = answer_question(lesson, q)?;
        report.answers.push((q.id.clone(), a));
    }
    for ch in &lesson.challenges {
        let mut answer = defaults.clone();
        for (name, v) in &ch.answer {
            answer.insert(name, v.clone());
        }
        let g = grade_challenge(lesson, ch, &answer)?;
        if let Some(f) = g.first_failure() {
            return Err(err(
                lesson,
                ch.pos,
                format!(
                    "challenge `{}`: its own answer fails: {} = {} on seed {}, wanted {} {}",
                    ch.id,
                    f.target.metric,
                    short(f.value),
                    f.seed,
                    f.target.cmp.symbol(),
                    short(f.target.value)
                ),
            ));
        }
        if grade_challenge(lesson, ch, &defaults)?.passed {
            return Err(err(
                lesson,
                ch.pos,
                format!("challenge `{}` already passes at the lesson's defaults, so there is nothing to solve", ch.id),
            ));
        }
    }
    Ok(report)
}

/// What a successful check found.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    /// Events in the run at the defaults.
    pub events: u64,
    /// Each question's id and computed answer.
    pub answers: Vec<(String, Answer)>,
}

/// A number the short way for messages: 4 significant digits.
pub fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 9) as usize;
    format!("{x:.digits$}")
}
