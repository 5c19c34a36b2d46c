//! Reading a lesson's `[[questions]]`, `[[challenges]]` and `[[tour]]` tables and checking what can
//! be checked without running anything: names of parameters, their values, seeds, tour targets.
//! Whether a question's metric exists and has a clear answer is found by running it
//! ([`super::grade`]), which `gmplab check` does for every lesson.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

use super::parse::{toml_to_value, Ctx, RawText};
use super::quiz::{
    Challenge, Choice, Cmp, Pick, Pos, Question, Target, TourAt, TourStop, CHALLENGE_SEEDS,
    MAX_CHOICES, MAX_SEEDS, QUESTION_SEEDS, TOUR_REGIONS,
};
use super::{LessonError, LessonParam};
use crate::sim::params::ParamValue;
use crate::sim::text::I18n;

/// More questions, challenges or tour stops than this is not a lesson anyone finishes.
pub const MAX_ITEMS: usize = 32;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    id: Spanned<String>,
    prompt: RawText,
    metric: Spanned<String>,
    pick: Spanned<String>,
    choices: Vec<Spanned<RawChoice>>,
    #[serde(default)]
    seeds: Option<Spanned<Vec<u64>>>,
    explain: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChoice {
    label: RawText,
    #[serde(default)]
    set: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChallenge {
    id: Spanned<String>,
    prompt: RawText,
    free: Spanned<Vec<String>>,
    #[serde(default)]
    setup: BTreeMap<String, Spanned<toml::Value>>,
    targets: Vec<Spanned<RawTarget>>,
    #[serde(default)]
    seeds: Option<Spanned<Vec<u64>>>,
    answer: BTreeMap<String, Spanned<toml::Value>>,
    explain: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    metric: String,
    op: Spanned<String>,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTourStop {
    #[serde(default)]
    at_step: Option<u64>,
    #[serde(default)]
    at_s: Option<Spanned<f64>>,
    highlight: Spanned<String>,
    say: RawText,
}

fn pos<T>(ctx: &Ctx<'_>, s: &Spanned<T>) -> Pos {
    let (line, col) = ctx.line_col(s.span().start);
    Pos { line, col }
}

fn text(ctx: &Ctx<'_>, at: usize, what: &str, t: &RawText) -> Result<I18n, LessonError> {
    if t.en.trim().is_empty() || t.zh.trim().is_empty() {
        return Err(ctx.err_at(at, format!("{what} needs both en and zh text")));
    }
    Ok(I18n::new(t.en.clone(), t.zh.clone()))
}

fn check_id(
    ctx: &Ctx<'_>,
    id: &Spanned<String>,
    seen: &mut Vec<String>,
) -> Result<String, LessonError> {
    let s = id.get_ref();
    if s.is_empty()
        || s.len() > 64
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ctx.err_span(id, "an id is 1 to 64 letters, digits, - or _"));
    }
    if seen.contains(s) {
        return Err(ctx.err_span(id, format!("id `{s}` is used twice in this lesson")));
    }
    seen.push(s.clone());
    Ok(s.clone())
}

fn seeds(
    ctx: &Ctx<'_>,
    raw: &Option<Spanned<Vec<u64>>>,
    default: &[u64],
) -> Result<Vec<u64>, LessonError> {
    match raw {
        None => Ok(default.to_vec()),
        Some(s) if s.get_ref().is_empty() || s.get_ref().len() > MAX_SEEDS => {
            Err(ctx.err_span(s, format!("give 1 to {MAX_SEEDS} seeds")))
        }
        Some(s) => Ok(s.get_ref().clone()),
    }
}

/// Checks `name = value` settings against the lesson's parameters and ranges.
fn settings(
    ctx: &Ctx<'_>,
    params: &[LessonParam],
    raw: &BTreeMap<String, Spanned<toml::Value>>,
) -> Result<Vec<(String, ParamValue)>, LessonError> {
    let mut out = Vec::new();
    for (name, v) in raw {
        let lp = params.iter().find(|p| p.name() == name).ok_or_else(|| {
            let names: Vec<&str> = params.iter().map(|p| p.name()).collect();
            ctx.err_span(
                v,
                format!(
                    "`{name}` is not a parameter of this lesson; it has {}",
                    names.join(", ")
                ),
            )
        })?;
        let value = toml_to_value(v.get_ref())
            .ok_or_else(|| ctx.err_span(v, format!("`{name}` cannot be {:?}", v.get_ref())))?;
        let value = lp
            .check(&value)
            .map_err(|e| ctx.err_span(v, format!("`{name}`: {}", e.message)))?;
        out.push((name.clone(), value));
    }
    Ok(out)
}

pub(super) fn questions(
    ctx: &Ctx<'_>,
    params: &[LessonParam],
    raw: &[Spanned<RawQuestion>],
) -> Result<Vec<Question>, LessonError> {
    if let Some(extra) = raw.get(MAX_ITEMS) {
        return Err(ctx.err_span(
            extra,
            format!("a lesson may ask at most {MAX_ITEMS} questions"),
        ));
    }
    let mut ids = Vec::new();
    let mut out = Vec::new();
    for sq in raw {
        let q = sq.get_ref();
        let at = sq.span().start;
        let id = check_id(ctx, &q.id, &mut ids)?;
        let pick = match q.pick.get_ref().as_str() {
            "min" => Pick::Min,
            "max" => Pick::Max,
            other => {
                return Err(ctx.err_span(
                    &q.pick,
                    format!("pick is `min` or `max` (the choice with the smallest or largest metric), not `{other}`"),
                ))
            }
        };
        if q.choices.len() < 2 || q.choices.len() > MAX_CHOICES {
            return Err(ctx.err_at(
                at,
                format!(
                    "question `{id}` needs 2 to {MAX_CHOICES} choices, not {}",
                    q.choices.len()
                ),
            ));
        }
        let mut choices = Vec::new();
        for c in &q.choices {
            let label = text(ctx, c.span().start, "a choice's label", &c.get_ref().label)?;
            let set = settings(ctx, params, &c.get_ref().set)?;
            if choices.iter().any(|d: &Choice| d.set == set) {
                return Err(ctx.err_span(
                    c,
                    format!("question `{id}` has two choices with the same settings"),
                ));
            }
            choices.push(Choice { label, set });
        }
        out.push(Question {
            prompt: text(ctx, at, &format!("question `{id}`'s prompt"), &q.prompt)?,
            explain: text(
                ctx,
                at,
                &format!("question `{id}`'s explanation"),
                &q.explain,
            )?,
            id,
            metric: q.metric.get_ref().clone(),
            pick,
            choices,
            seeds: seeds(ctx, &q.seeds, QUESTION_SEEDS)?,
            pos: pos(ctx, sq),
        });
    }
    Ok(out)
}

pub(super) fn challenges(
    ctx: &Ctx<'_>,
    params: &[LessonParam],
    raw: &[Spanned<RawChallenge>],
) -> Result<Vec<Challenge>, LessonError> {
    if let Some(extra) = raw.get(MAX_ITEMS) {
        return Err(ctx.err_span(
            extra,
            format!("a lesson may set at most {MAX_ITEMS} challenges"),
        ));
    }
    let mut ids = Vec::new();
    let mut out = Vec::new();
    for sc in raw {
        let c = sc.get_ref();
        let at = sc.span().start;
        let id = check_id(ctx, &c.id, &mut ids)?;
        for name in c.free.get_ref() {
            if !params.iter().any(|p| p.name() == name) {
                return Err(ctx.err_span(
                    &c.free,
                    format!(
                        "challenge `{id}` frees `{name}`, which is not a parameter of this lesson"
                    ),
                ));
            }
        }
        if c.free.get_ref().is_empty() {
            return Err(ctx.err_span(
                &c.free,
                format!("challenge `{id}` must leave at least one parameter free"),
            ));
        }
        let setup = settings(ctx, params, &c.setup)?;
        let answer = settings(ctx, params, &c.answer)?;
        for (name, _) in &answer {
            if !c.free.get_ref().contains(name) {
                return Err(ctx.err_at(
                    at,
                    format!("challenge `{id}`'s answer sets `{name}`, which the learner may not change (it is not in `free`)"),
                ));
            }
        }
        if c.targets.is_empty() {
            return Err(ctx.err_at(at, format!("challenge `{id}` needs at least one target")));
        }
        let mut targets = Vec::new();
        for t in &c.targets {
            let r = t.get_ref();
            let cmp = Cmp::parse(r.op.get_ref()).ok_or_else(|| {
                ctx.err_span(
                    &r.op,
                    format!("op is one of < <= > >=, not `{}`", r.op.get_ref()),
                )
            })?;
            if !r.value.is_finite() {
                return Err(ctx.err_span(t, "a target's value must be a finite number"));
            }
            targets.push(Target {
                metric: r.metric.clone(),
                cmp,
                value: r.value,
            });
        }
        out.push(Challenge {
            prompt: text(ctx, at, &format!("challenge `{id}`'s prompt"), &c.prompt)?,
            explain: text(
                ctx,
                at,
                &format!("challenge `{id}`'s explanation"),
                &c.explain,
            )?,
            id,
            free: c.free.get_ref().clone(),
            setup,
            targets,
            seeds: seeds(ctx, &c.seeds, CHALLENGE_SEEDS)?,
            answer,
            pos: pos(ctx, sc),
        });
    }
    Ok(out)
}

pub(super) fn tour(
    ctx: &Ctx<'_>,
    params: &[LessonParam],
    charts: &[&str],
    raw: &[Spanned<RawTourStop>],
) -> Result<Vec<TourStop>, LessonError> {
    if let Some(extra) = raw.get(MAX_ITEMS) {
        return Err(ctx.err_span(extra, format!("a tour may have at most {MAX_ITEMS} stops")));
    }
    let mut out: Vec<TourStop> = Vec::new();
    for st in raw {
        let s = st.get_ref();
        let at = match (s.at_step, &s.at_s) {
            (None, None) => TourAt::Start,
            (Some(n), None) => TourAt::Step(n),
            (None, Some(t))
                if t.get_ref().is_finite() && *t.get_ref() >= 0.0 && *t.get_ref() < 1e6 =>
            {
                TourAt::Time((t.get_ref() * 1e9).round() as u64)
            }
            (None, Some(t)) => {
                return Err(ctx.err_span(t, "at_s is a number of seconds from 0 to 1,000,000"))
            }
            (Some(_), Some(t)) => {
                return Err(ctx.err_span(t, "a tour stop has at_step or at_s, not both"))
            }
        };
        let h = s.highlight.get_ref();
        let known = if let Some(name) = h.strip_prefix("param:") {
            params.iter().any(|p| p.name() == name)
        } else if let Some(id) = h.strip_prefix("chart:") {
            charts.contains(&id)
        } else {
            TOUR_REGIONS.contains(&h.as_str())
        };
        if !known {
            return Err(ctx.err_span(
                &s.highlight,
                format!(
                    "the tour cannot point at `{h}`: use param:NAME (a lesson parameter), chart:ID ({}) or one of {}",
                    charts.join(", "),
                    TOUR_REGIONS.join(", ")
                ),
            ));
        }
        out.push(TourStop {
            at,
            highlight: h.clone(),
            say: text(ctx, st.span().start, "a tour stop", &s.say)?,
        });
    }
    Ok(out)
}
