//! Reading a lesson file: split the front matter from the body, deserialise the TOML with spans, and
//! check everything against the model the lesson names.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

use super::{Lesson, LessonError, LessonParam, Level, FORMAT_VERSION};
use crate::models;
use crate::sim::params::{fmt_num, ParamKind, ParamValue, Params, Range};
use crate::sim::text::I18n;

/// Lesson files larger than this are refused before parsing.
pub const MAX_LESSON_BYTES: usize = 512 * 1024;
/// More parameters than this is not a lesson anyone can use.
pub const MAX_PARAMS: usize = 64;

const FENCE: &str = "+++";
const LANG_EN: &str = "<!-- lang: en -->";
const LANG_ZH: &str = "<!-- lang: zh -->";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    format: Spanned<u32>,
    id: Spanned<String>,
    chapter: u32,
    level: Spanned<String>,
    minutes: u32,
    title: RawText,
    summary: RawText,
    model: Spanned<String>,
    /// A Go program of the conformance suite, by name (model "go").
    #[serde(default)]
    program: Option<Spanned<String>>,
    /// The charts to show, in order (default: all the model draws).
    #[serde(default)]
    charts: Option<Spanned<Vec<String>>>,
    /// The live views to show (default: all).
    #[serde(default)]
    views: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    params: Vec<Spanned<RawParam>>,
    #[serde(default)]
    fixed: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    questions: Vec<Spanned<super::parse_quiz::RawQuestion>>,
    #[serde(default)]
    challenges: Vec<Spanned<super::parse_quiz::RawChallenge>>,
    #[serde(default)]
    tour: Vec<Spanned<super::parse_quiz::RawTourStop>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub en: String,
    pub zh: String,
}

impl From<RawText> for I18n {
    fn from(t: RawText) -> Self {
        I18n::new(t.en, t.zh)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawUnit {
    Same(String),
    Both(RawText),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: String,
    en: String,
    zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    label: RawText,
    #[serde(default)]
    unit: Option<RawUnit>,
    min: Option<Spanned<f64>>,
    max: Option<Spanned<f64>>,
    step: Option<f64>,
    #[serde(default)]
    log: bool,
    default: Spanned<toml::Value>,
    #[serde(default)]
    choices: Vec<RawChoice>,
}

/// Maps byte offsets in the whole file to 1-based (line, column), columns counted in characters.
struct Positions<'a> {
    text: &'a str,
}

impl Positions<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let col = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }
}

pub(super) struct Ctx<'a> {
    origin: &'a str,
    pos: Positions<'a>,
    /// Byte offset of the TOML inside the file.
    toml_start: usize,
}

impl Ctx<'_> {
    /// The 1-based (line, column) of an offset into the TOML.
    pub(super) fn line_col(&self, toml_offset: usize) -> (usize, usize) {
        self.pos.at(self.toml_start + toml_offset)
    }

    pub(super) fn err_at(&self, toml_offset: usize, message: impl Into<String>) -> LessonError {
        let (line, col) = self.pos.at(self.toml_start + toml_offset);
        LessonError {
            origin: self.origin.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    pub(super) fn err_span<T>(&self, s: &Spanned<T>, message: impl Into<String>) -> LessonError {
        self.err_at(s.span().start, message)
    }
}

fn whole_file(origin: &str, message: impl Into<String>) -> LessonError {
    LessonError {
        origin: origin.to_string(),
        line: 0,
        col: 0,
        message: message.into(),
    }
}

/// Parses and validates a lesson file. `origin` names it in messages.
pub fn parse(source: &str, origin: &str) -> Result<Lesson, LessonError> {
    if source.len() > MAX_LESSON_BYTES {
        return Err(whole_file(
            origin,
            format!(
                "the file is {} KiB; lessons may be at most {} KiB",
                source.len() / 1024,
                MAX_LESSON_BYTES / 1024
            ),
        ));
    }
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bom = source.len() - src.len();
    let ctx0 = Ctx {
        origin,
        pos: Positions { text: source },
        toml_start: 0,
    };
    let first_line = src.lines().next().unwrap_or("");
    if first_line.trim_end() != FENCE {
        return Err(ctx0.err_at(
            bom,
            "a lesson starts with a line `+++`, then TOML front matter, then another `+++`",
        ));
    }
    let toml_start = bom + first_line.len() + 1;
    let rest = source.get(toml_start..).unwrap_or("");
    let close = find_fence(rest).ok_or_else(|| {
        ctx0.err_at(
            bom,
            "the front matter opened here is never closed by a `+++` line",
        )
    })?;
    let toml_text = &rest[..close];
    let body_start = toml_start + close + FENCE.len();
    let body = source.get(body_start..).unwrap_or("");
    let ctx = Ctx {
        origin,
        pos: Positions { text: source },
        toml_start,
    };

    let raw: RawLesson = toml::from_str(toml_text).map_err(|e| {
        let off = e.span().map(|s| s.start).unwrap_or(0);
        ctx.err_at(off, e.message().trim().to_string())
    })?;

    if *raw.format.get_ref() != FORMAT_VERSION {
        return Err(ctx.err_span(
            &raw.format,
            format!(
                "lesson format {} is not supported; this version of GMP Lab reads format {FORMAT_VERSION}",
                raw.format.get_ref()
            ),
        ));
    }
    let id = raw.id.get_ref();
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ctx.err_span(
            &raw.id,
            "an id is 1 to 64 characters of a-z, 0-9 and -, like \"worker-pool\"",
        ));
    }
    let level = Level::parse(raw.level.get_ref()).ok_or_else(|| {
        ctx.err_span(
            &raw.level,
            format!(
                "unknown level `{}`; use beginner, intermediate or advanced",
                raw.level.get_ref()
            ),
        )
    })?;
    let model = models::find(raw.model.get_ref()).ok_or_else(|| {
        ctx.err_span(
            &raw.model,
            format!(
                "unknown model `{}`; known models: {}",
                raw.model.get_ref(),
                models::MODELS
                    .iter()
                    .map(|m| m.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    for (what, t) in [("title", &raw.title), ("summary", &raw.summary)] {
        if t.en.trim().is_empty() || t.zh.trim().is_empty() {
            return Err(ctx.err_at(0, format!("the {what} needs both en and zh text")));
        }
    }
    if raw.params.len() > MAX_PARAMS {
        return Err(ctx.err_span(
            &raw.params[MAX_PARAMS],
            format!("a lesson may show at most {MAX_PARAMS} parameters"),
        ));
    }

    let mut params: Vec<LessonParam> = Vec::new();
    for p in &raw.params {
        let lp = check_param(&ctx, model, p.get_ref())?;
        if params.iter().any(|q| q.name() == lp.name()) {
            return Err(ctx.err_span(
                &p.get_ref().name,
                format!("parameter `{}` is listed twice", lp.name()),
            ));
        }
        params.push(lp);
    }

    let mut fixed = Vec::new();
    for (name, v) in &raw.fixed {
        // A Go lesson may also pin one of its program's constants, of the value's own kind.
        let program_const = || {
            if model.id != models::GO_MODEL {
                return None;
            }
            let (ty, choices) = match v.get_ref() {
                toml::Value::Integer(_) => ("int", vec![]),
                toml::Value::Float(_) => ("float", vec![]),
                toml::Value::Boolean(_) => ("bool", vec![]),
                toml::Value::String(s) => ("choice", vec![s.clone()]),
                _ => return None,
            };
            models::go_program::program_param(name, ty, &choices)
        };
        let spec = model
            .schema
            .iter()
            .find(|s| s.name == name)
            .or_else(program_const)
            .ok_or_else(|| {
                ctx.err_span(
                    v,
                    format!("`{name}` is not a parameter of model {}", model.id),
                )
            })?;
        if params.iter().any(|p| p.name() == name) {
            return Err(ctx.err_span(
                v,
                format!("`{name}` is both shown in [[params]] and fixed; pick one"),
            ));
        }
        let value = toml_to_value(v.get_ref())
            .and_then(|pv| spec.check(&pv, None).ok())
            .ok_or_else(|| ctx.err_span(v, format!("`{name}` cannot be {:?}", v.get_ref())))?;
        fixed.push((name.clone(), value));
    }

    for (old, new) in &raw.aliases {
        if !params.iter().any(|p| p.name() == new) {
            return Err(ctx.err_at(
                0,
                format!("alias `{old}` points to `{new}`, which is not a parameter of this lesson"),
            ));
        }
    }

    let program = match (&raw.program, model.id == models::GO_MODEL) {
        (None, false) => None,
        (Some(p), false) => {
            return Err(ctx.err_span(p, format!("model {} runs no Go program; use model = \"go\" to run one", model.id)))
        }
        (None, true) => {
            return Err(ctx.err_span(&raw.model, "model go runs a Go program: name one with program = \"NAME\" (a program of tests/go/programs)"))
        }
        (Some(p), true) => {
            let name = p.get_ref();
            let source = super::catalog::program(name).ok_or_else(|| {
                let known: Vec<&str> = super::catalog::program_names().collect();
                ctx.err_span(
                    p,
                    format!(
                        "no built-in Go program `{name}`; lessons run programs of tests/go/programs that some lesson names (built in now: {})",
                        known.join(", ")
                    ),
                )
            })?;
            Some(super::LessonProgram {
                name: name.clone(),
                source,
            })
        }
    };

    let mut lesson_params = Params::defaults(model.schema);
    for (name, v) in &fixed {
        lesson_params.insert(name, v.clone());
    }
    for lp in &params {
        lesson_params.insert(lp.name(), lp.default.clone());
    }
    let file = program.as_ref().map(|p| p.file());
    let source = program
        .as_ref()
        .zip(file.as_deref())
        .map(|(p, f)| (f, p.source));
    let charts: Vec<&'static str> = models::AnyScenario::build(model.id, source, &lesson_params, 1)
        .map(|s| s.figures().iter().map(|f| f.id).collect())
        .map_err(|e| {
            // A constant the program lacks, or of another kind, is the parameter's fault.
            let at = raw.params.iter().find(|p| {
                e.message
                    .contains(&format!("constant {} ", p.get_ref().name.get_ref()))
            });
            let msg = format!("the lesson's defaults do not build: {}", e.message);
            match (at, &raw.program) {
                (Some(p), _) => ctx.err_span(&p.get_ref().name, msg),
                (None, Some(pr)) => ctx.err_span(pr, msg),
                (None, None) => ctx.err_span(&raw.model, msg),
            }
        })?;
    let shown_charts = match &raw.charts {
        None => Vec::new(),
        Some(list) => {
            for c in list.get_ref() {
                if !charts.contains(&c.as_str()) {
                    return Err(ctx.err_span(
                        list,
                        format!(
                            "model {} draws no chart `{c}`; it draws {}",
                            model.id,
                            charts.join(", ")
                        ),
                    ));
                }
            }
            list.get_ref().clone()
        }
    };
    let views = match &raw.views {
        None => Vec::new(),
        Some(list) => {
            for v in list.get_ref() {
                if !super::VIEWS.contains(&v.as_str()) {
                    return Err(ctx.err_span(
                        list,
                        format!(
                            "there is no view `{v}`; views are {}",
                            super::VIEWS.join(", ")
                        ),
                    ));
                }
            }
            list.get_ref().clone()
        }
    };
    let questions = super::parse_quiz::questions(&ctx, &params, &raw.questions)?;
    let challenges = super::parse_quiz::challenges(&ctx, &params, &raw.challenges)?;
    let tour = super::parse_quiz::tour(&ctx, &params, &charts, &raw.tour)?;

    let body = split_body(body).map_err(|m| {
        let (line, _) = ctx.pos.at(body_start);
        LessonError {
            origin: origin.to_string(),
            line,
            col: 1,
            message: m,
        }
    })?;

    Ok(Lesson {
        id: id.clone(),
        chapter: raw.chapter,
        level,
        minutes: raw.minutes,
        title: raw.title.into(),
        summary: raw.summary.into(),
        model,
        params,
        fixed,
        aliases: raw.aliases,
        body,
        origin: origin.to_string(),
        questions,
        challenges,
        tour,
        program,
        charts: shown_charts,
        views,
    })
}

/// The offset of the closing `+++` line within `rest`.
fn find_fence(rest: &str) -> Option<usize> {
    let mut off = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            return Some(off);
        }
        off += line.len();
    }
    None
}

pub(super) fn toml_to_value(v: &toml::Value) -> Option<ParamValue> {
    match v {
        toml::Value::Integer(i) => Some(ParamValue::Num(*i as f64)),
        toml::Value::Float(f) => Some(ParamValue::Num(*f)),
        toml::Value::String(s) => Some(ParamValue::Choice(s.clone())),
        toml::Value::Boolean(b) => Some(ParamValue::Bool(*b)),
        _ => None,
    }
}

fn check_param(
    ctx: &Ctx<'_>,
    model: &'static models::ModelInfo,
    p: &RawParam,
) -> Result<LessonParam, LessonError> {
    let name = p.name.get_ref();
    let program_const = || {
        if model.id != models::GO_MODEL {
            return None;
        }
        let values: Vec<String> = p.choices.iter().map(|c| c.value.clone()).collect();
        models::go_program::program_param(name, p.kind.get_ref(), &values)
    };
    let spec = model
        .schema
        .iter()
        .find(|s| s.name == name)
        .or_else(program_const)
        .ok_or_else(|| {
            let known: Vec<&str> = model.schema.iter().map(|s| s.name).collect();
            ctx.err_span(
                &p.name,
                format!(
                    "model {} has no parameter `{name}`; it has {}",
                    model.id,
                    known.join(", ")
                ),
            )
        })?;
    let want = spec.kind.type_name();
    if p.kind.get_ref() != want {
        return Err(ctx.err_span(
            &p.kind,
            format!(
                "`{name}` is {} {want} parameter of model {}, not {}",
                if want.starts_with('i') { "an" } else { "a" },
                model.id,
                p.kind.get_ref()
            ),
        ));
    }
    if p.label.en.trim().is_empty() || p.label.zh.trim().is_empty() {
        return Err(ctx.err_span(&p.name, format!("`{name}` needs a label in both en and zh")));
    }
    let range = match spec.kind.range() {
        Some(hard) => {
            let (Some(min), Some(max)) = (&p.min, &p.max) else {
                return Err(ctx.err_span(
                    &p.name,
                    format!(
                        "`{name}` needs min and max (the model allows {} to {})",
                        fmt_num(hard.min),
                        fmt_num(hard.max)
                    ),
                ));
            };
            for b in [min, max] {
                let x = *b.get_ref();
                if !(x >= hard.min && x <= hard.max) {
                    return Err(ctx.err_span(
                        b,
                        format!(
                            "{} is outside what model {} allows for `{name}`: {} to {}",
                            fmt_num(x),
                            model.id,
                            fmt_num(hard.min),
                            fmt_num(hard.max)
                        ),
                    ));
                }
            }
            if min.get_ref() >= max.get_ref() {
                return Err(ctx.err_span(min, format!("`{name}`: min must be below max")));
            }
            if p.log && *min.get_ref() <= 0.0 {
                return Err(ctx.err_span(
                    min,
                    format!("`{name}` has a log scale, so min must be above 0"),
                ));
            }
            Some(Range {
                min: *min.get_ref(),
                max: *max.get_ref(),
            })
        }
        None => None,
    };
    let mut choices = Vec::new();
    if let ParamKind::Choice(allowed) = spec.kind {
        for c in &p.choices {
            if !allowed.contains(&c.value.as_str()) {
                return Err(ctx.err_span(
                    &p.name,
                    format!(
                        "`{name}` offers `{}`, which model {} does not know; it knows {}",
                        c.value,
                        model.id,
                        allowed.join(", ")
                    ),
                ));
            }
            choices.push((c.value.clone(), I18n::new(c.en.clone(), c.zh.clone())));
        }
    }
    let unit = match &p.unit {
        None => I18n::default(),
        Some(RawUnit::Same(s)) => I18n::new(s.clone(), s.clone()),
        Some(RawUnit::Both(t)) => I18n::new(t.en.clone(), t.zh.clone()),
    };
    let mut lp = LessonParam {
        spec,
        label: I18n::new(p.label.en.clone(), p.label.zh.clone()),
        unit,
        range,
        step: p.step,
        log: p.log,
        default: ParamValue::Bool(false),
        choices,
    };
    let default = toml_to_value(p.default.get_ref())
        .ok_or_else(|| ctx.err_span(&p.default, format!("`{name}`: unsupported default")))?;
    lp.default = lp
        .check(&default)
        .map_err(|e| ctx.err_span(&p.default, format!("`{name}` default: {}", e.message)))?;
    Ok(lp)
}

/// Splits the body into its English and Chinese parts; both must be present and non-empty.
fn split_body(body: &str) -> Result<I18n, String> {
    let en_at = body.find(LANG_EN);
    let zh_at = body.find(LANG_ZH);
    let (Some(en_at), Some(zh_at)) = (en_at, zh_at) else {
        return Err(format!(
            "the body needs an English part after a `{LANG_EN}` line and a Chinese part after a `{LANG_ZH}` line"
        ));
    };
    let part = |start: usize, end: usize| body[start..end].trim().to_string();
    let (en, zh) = if en_at < zh_at {
        (
            part(en_at + LANG_EN.len(), zh_at),
            part(zh_at + LANG_ZH.len(), body.len()),
        )
    } else {
        (
            part(en_at + LANG_EN.len(), body.len()),
            part(zh_at + LANG_ZH.len(), en_at),
        )
    };
    if en.is_empty() || zh.is_empty() {
        return Err("the body's English and Chinese parts must both have text".to_string());
    }
    Ok(I18n::new(en, zh))
}
