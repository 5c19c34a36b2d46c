//! Scenario parameters: what a model accepts (its hard limits), the values a run is given, and the
//! errors a learner reads when a value is refused.
//!
//! A model declares [`ParamSpec`]s with the widest range it can simulate safely. A lesson narrows that
//! range and adds labels and units; both the browser's sliders and the CLI's `--set` parse through here.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

use super::text::Text;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A real number in [min, max].
    Float {
        min: f64,
        max: f64,
    },
    /// A whole number in [min, max].
    Int {
        min: i64,
        max: i64,
    },
    /// One of a fixed set of names.
    Choice(&'static [&'static str]),
    Bool,
}

/// One parameter a model accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: DefaultValue,
    /// What it means, for the CLI's help and for lesson authors.
    pub doc: Text,
}

impl ParamSpec {
    /// A real-valued parameter in [min, max] (for `const` schemas).
    pub const fn float(name: &'static str, min: f64, max: f64, default: f64, doc: Text) -> Self {
        ParamSpec {
            name,
            kind: ParamKind::Float { min, max },
            default: DefaultValue::Num(default),
            doc,
        }
    }

    /// A whole-number parameter in [min, max].
    pub const fn int(name: &'static str, min: i64, max: i64, default: i64, doc: Text) -> Self {
        ParamSpec {
            name,
            kind: ParamKind::Int { min, max },
            default: DefaultValue::Num(default as f64),
            doc,
        }
    }

    /// An on/off parameter.
    pub const fn flag(name: &'static str, default: bool, doc: Text) -> Self {
        ParamSpec {
            name,
            kind: ParamKind::Bool,
            default: DefaultValue::Bool(default),
            doc,
        }
    }
}

/// A `const`-friendly default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    Num(f64),
    Choice(&'static str),
    Bool(bool),
}

impl DefaultValue {
    pub fn to_value(self) -> ParamValue {
        match self {
            DefaultValue::Num(x) => ParamValue::Num(x),
            DefaultValue::Choice(s) => ParamValue::Choice(s.to_string()),
            DefaultValue::Bool(b) => ParamValue::Bool(b),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Num(f64),
    Choice(String),
    Bool(bool),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Num(x) => write!(f, "{}", fmt_num(*x)),
            ParamValue::Choice(s) => f.write_str(s),
            ParamValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Formats a number the shortest way that reads back exactly ("800", "0.5", "1e-7").
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A refused parameter: which one, what was wrong, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub param: String,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}`: {}", self.param, self.message)
    }
}

impl std::error::Error for ParamError {}

impl ParamError {
    pub fn new(param: &str, message: impl Into<String>) -> Self {
        Self {
            param: param.to_string(),
            message: message.into(),
        }
    }
}

/// The range a value is checked against: the model's, or a lesson's narrower one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl ParamKind {
    /// The model's own numeric range, if the parameter is numeric.
    pub fn range(&self) -> Option<Range> {
        match *self {
            ParamKind::Float { min, max } => Some(Range { min, max }),
            ParamKind::Int { min, max } => Some(Range {
                min: min as f64,
                max: max as f64,
            }),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            ParamKind::Float { .. } => "float",
            ParamKind::Int { .. } => "int",
            ParamKind::Choice(_) => "choice",
            ParamKind::Bool => "bool",
        }
    }
}

impl ParamSpec {
    /// Parses text typed by a learner (`--set workers=4`, a URL) and checks it against `range`
    /// (defaults to the model's own).
    pub fn parse(&self, raw: &str, range: Option<Range>) -> Result<ParamValue, ParamError> {
        let raw = raw.trim();
        match self.kind {
            ParamKind::Float { .. } | ParamKind::Int { .. } => {
                let x: f64 = raw
                    .parse()
                    .map_err(|_| ParamError::new(self.name, format!("`{raw}` is not a number")))?;
                self.check(&ParamValue::Num(x), range)
            }
            ParamKind::Choice(choices) => {
                if choices.contains(&raw) {
                    Ok(ParamValue::Choice(raw.to_string()))
                } else {
                    Err(ParamError::new(
                        self.name,
                        format!("`{raw}` is not one of {}", choices.join(", ")),
                    ))
                }
            }
            ParamKind::Bool => match raw {
                "true" | "1" | "on" | "yes" => Ok(ParamValue::Bool(true)),
                "false" | "0" | "off" | "no" => Ok(ParamValue::Bool(false)),
                _ => Err(ParamError::new(
                    self.name,
                    format!("`{raw}` is not true or false"),
                )),
            },
        }
    }

    /// Checks a value's type and range; whole-number parameters refuse fractions.
    pub fn check(&self, v: &ParamValue, range: Option<Range>) -> Result<ParamValue, ParamError> {
        match (&self.kind, v) {
            (ParamKind::Float { .. } | ParamKind::Int { .. }, ParamValue::Num(x)) => {
                let r = range.or(self.kind.range()).unwrap_or(Range {
                    min: f64::MIN,
                    max: f64::MAX,
                });
                if !x.is_finite() {
                    return Err(ParamError::new(self.name, "must be a finite number"));
                }
                if matches!(self.kind, ParamKind::Int { .. }) && x.fract() != 0.0 {
                    return Err(ParamError::new(
                        self.name,
                        format!("{} is not a whole number", fmt_num(*x)),
                    ));
                }
                if *x < r.min || *x > r.max {
                    return Err(ParamError::new(
                        self.name,
                        format!(
                            "{} is outside the allowed range {} to {}",
                            fmt_num(*x),
                            fmt_num(r.min),
                            fmt_num(r.max)
                        ),
                    ));
                }
                Ok(v.clone())
            }
            (ParamKind::Choice(choices), ParamValue::Choice(s)) => {
                if choices.contains(&s.as_str()) {
                    Ok(v.clone())
                } else {
                    Err(ParamError::new(
                        self.name,
                        format!("`{s}` is not one of {}", choices.join(", ")),
                    ))
                }
            }
            (ParamKind::Bool, ParamValue::Bool(_)) => Ok(v.clone()),
            (kind, other) => Err(ParamError::new(
                self.name,
                format!("expected a {} value, got `{other}`", kind.type_name()),
            )),
        }
    }
}

/// A complete, checked set of parameter values for one run, in name order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Params(BTreeMap<String, ParamValue>);

impl Params {
    /// The model's defaults for every parameter.
    pub fn defaults(schema: &[ParamSpec]) -> Self {
        Params(
            schema
                .iter()
                .map(|s| (s.name.to_string(), s.default.to_value()))
                .collect(),
        )
    }

    /// The schema's defaults overlaid with `given`'s values for the schema's parameters, each checked
    /// against the schema's limits; names outside the schema are ignored.
    pub fn over_defaults(schema: &[ParamSpec], given: &Params) -> Result<Self, ParamError> {
        let mut all = Params::defaults(schema);
        for (k, v) in given.iter() {
            if let Some(spec) = schema.iter().find(|s| s.name == k.as_str()) {
                all.insert(k, spec.check(v, None)?);
            }
        }
        Ok(all)
    }

    pub fn insert(&mut self, name: &str, v: ParamValue) {
        self.0.insert(name.to_string(), v);
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &ParamValue)> {
        self.0.iter()
    }

    pub fn num(&self, name: &str) -> Result<f64, ParamError> {
        match self.0.get(name) {
            Some(ParamValue::Num(x)) => Ok(*x),
            Some(other) => Err(ParamError::new(
                name,
                format!("expected a number, got `{other}`"),
            )),
            None => Err(ParamError::new(name, "missing")),
        }
    }

    pub fn flag(&self, name: &str) -> Result<bool, ParamError> {
        match self.0.get(name) {
            Some(ParamValue::Bool(b)) => Ok(*b),
            Some(other) => Err(ParamError::new(
                name,
                format!("expected true or false, got `{other}`"),
            )),
            None => Err(ParamError::new(name, "missing")),
        }
    }

    pub fn choice(&self, name: &str) -> Result<&str, ParamError> {
        match self.0.get(name) {
            Some(ParamValue::Choice(s)) => Ok(s),
            Some(other) => Err(ParamError::new(
                name,
                format!("expected a choice, got `{other}`"),
            )),
            None => Err(ParamError::new(name, "missing")),
        }
    }

    /// Checks every value against the schema; names the first unknown or invalid parameter.
    pub fn validate(&self, schema: &[ParamSpec]) -> Result<(), ParamError> {
        for (name, v) in &self.0 {
            let spec = schema
                .iter()
                .find(|s| s.name == name)
                .ok_or_else(|| unknown_param(name, schema))?;
            spec.check(v, None)?;
        }
        Ok(())
    }
}

/// "unknown parameter `x`; this model takes: a, b, c".
pub fn unknown_param(name: &str, schema: &[ParamSpec]) -> ParamError {
    let names: Vec<&str> = schema.iter().map(|s| s.name).collect();
    ParamError::new(
        name,
        format!(
            "unknown parameter; this scenario takes {}",
            names.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKERS: ParamSpec = ParamSpec {
        name: "workers",
        kind: ParamKind::Int { min: 1, max: 256 },
        default: DefaultValue::Num(4.0),
        doc: Text::new("workers", "worker 数"),
    };

    #[test]
    fn out_of_range_names_the_parameter_and_the_range() {
        let err = WORKERS.parse("0", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parameter `workers`: 0 is outside the allowed range 1 to 256"
        );
        let err = WORKERS
            .parse(
                "64",
                Some(Range {
                    min: 1.0,
                    max: 32.0,
                }),
            )
            .unwrap_err();
        assert!(err.to_string().contains("1 to 32"));
    }

    #[test]
    fn whole_numbers_refuse_fractions_and_junk() {
        assert!(WORKERS.parse("2.5", None).is_err());
        assert!(WORKERS.parse("four", None).is_err());
        assert!(WORKERS.parse("NaN", None).is_err());
        assert!(WORKERS.parse("inf", None).is_err());
        assert_eq!(WORKERS.parse(" 8 ", None), Ok(ParamValue::Num(8.0)));
    }

    #[test]
    fn numbers_print_back_the_way_they_were_typed() {
        assert_eq!(fmt_num(800.0), "800");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(-3.0), "-3");
    }
}
