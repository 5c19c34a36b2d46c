//! Parameter specs for a Go program's constants. A model's schema is static, but which constants a
//! lesson exposes is written in the lesson file; so each distinct (name, type, choices) gets one
//! spec for the life of the process, shared by every parse of every lesson that uses it. The set is
//! bounded by the lesson text ever loaded, not by how often it is parsed.

use std::sync::Mutex;

use crate::sim::params::{DefaultValue, ParamKind, ParamSpec};
use crate::sim::text::Text;

/// Most distinct constant specs kept; beyond this a lesson's constant is refused.
const MAX_SPECS: usize = 4096;

/// Whole numbers a constant can be set to: wide, but exact in an f64.
const INT_LIMIT: i64 = 1 << 52;

static SPECS: Mutex<Vec<&'static ParamSpec>> = Mutex::new(Vec::new());

/// The spec of a program constant named `name` of lesson type `ty` ("int", "float", "bool" or
/// "choice" with `choices`), or None for an unknown type or when too many distinct specs exist.
pub fn program_param(name: &str, ty: &str, choices: &[String]) -> Option<&'static ParamSpec> {
    let kind_matches = |k: &ParamKind| match (k, ty) {
        (ParamKind::Int { .. }, "int") | (ParamKind::Float { .. }, "float") => true,
        (ParamKind::Bool, "bool") => true,
        (ParamKind::Choice(c), "choice") => {
            c.iter().copied().eq(choices.iter().map(String::as_str))
        }
        _ => false,
    };
    let mut specs = SPECS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = specs
        .iter()
        .find(|s| s.name == name && kind_matches(&s.kind))
    {
        return Some(s);
    }
    if specs.len() >= MAX_SPECS {
        return None;
    }
    let (kind, default) = match ty {
        "int" => (
            ParamKind::Int {
                min: -INT_LIMIT,
                max: INT_LIMIT,
            },
            DefaultValue::Num(0.0),
        ),
        "float" => (
            ParamKind::Float {
                min: -1e15,
                max: 1e15,
            },
            DefaultValue::Num(0.0),
        ),
        "bool" => (ParamKind::Bool, DefaultValue::Bool(false)),
        "choice" if !choices.is_empty() => {
            let leaked: Vec<&'static str> = choices
                .iter()
                .map(|c| &*Box::leak(c.clone().into_boxed_str()))
                .collect();
            let list: &'static [&'static str] = Box::leak(leaked.into_boxed_slice());
            (ParamKind::Choice(list), DefaultValue::Choice(list[0]))
        }
        _ => return None,
    };
    let spec: &'static ParamSpec = Box::leak(Box::new(ParamSpec {
        name: Box::leak(name.to_string().into_boxed_str()),
        kind,
        default,
        doc: Text::new(
            "A constant of the lesson's Go program.",
            "课程 Go 程序中的一个常量。",
        ),
    }));
    specs.push(spec);
    Some(spec)
}
