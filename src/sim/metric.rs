//! A summary metric's value: a count stays an integer in JSON, a measurement stays a float.

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Metric {
    Count(u64),
    Real(f64),
}

impl Metric {
    pub fn as_f64(self) -> f64 {
        match self {
            Metric::Count(n) => n as f64,
            Metric::Real(x) => x,
        }
    }
}

/// A named metric, in a model's fixed order. Most names are fixed by the model; a Go program's
/// `lab.Count` counters bring their own.
pub type MetricPair = (std::borrow::Cow<'static, str>, Metric);
