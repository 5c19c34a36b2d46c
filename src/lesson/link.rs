//! The state a shared link carries: lesson, parameters, seed and step, with a format version so links
//! pasted into course pages keep working after later renames.
//!
//! `?v=1&lesson=worker-pool&seed=7&step=120&lang=zh&p.workers=8&p.policy=block`
//!
//! Decoding never fails: whatever cannot be used is dropped with a notice the page shows, and the
//! rest of the link still applies.

use super::Lesson;
use crate::sim::params::{ParamError, Params};
use crate::sim::text::Lang;

/// The link format this build writes. Version 1 is the first; older versions would be upgraded here.
pub const LINK_VERSION: u32 = 1;
/// Longer query strings are not read at all.
pub const MAX_LINK_BYTES: usize = 16 * 1024;
/// The default seed when a link names none.
pub const DEFAULT_SEED: u64 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkState {
    pub lesson: Option<String>,
    pub seed: u64,
    pub step: u64,
    pub lang: Option<Lang>,
    /// Parameter settings as typed: (name, raw value).
    pub params: Vec<(String, String)>,
    /// The run's event budget, when the link sets one (a course page may lower it; a learner who
    /// raised it shares the raised one). Always within [`BUDGET_RANGE`].
    pub budget: Option<u64>,
}

/// Event budgets a link may set: from a thousand events to ten billion (hours of work in a tab).
pub const BUDGET_RANGE: std::ops::RangeInclusive<u64> = 1_000..=10_000_000_000;

impl Default for LinkState {
    fn default() -> Self {
        Self {
            lesson: None,
            seed: DEFAULT_SEED,
            step: 0,
            lang: None,
            params: Vec::new(),
            budget: None,
        }
    }
}

impl LinkState {
    /// The query string (without `?`) for this state.
    pub fn encode(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("v", &LINK_VERSION.to_string());
        if let Some(l) = &self.lesson {
            s.append_pair("lesson", l);
        }
        s.append_pair("seed", &self.seed.to_string());
        if self.step > 0 {
            s.append_pair("step", &self.step.to_string());
        }
        if let Some(lang) = self.lang {
            s.append_pair("lang", lang.code());
        }
        if let Some(b) = self.budget {
            s.append_pair("budget", &b.to_string());
        }
        for (k, v) in &self.params {
            s.append_pair(&format!("p.{k}"), v);
        }
        s.finish()
    }

    /// Reads a query string (with or without `?`). Returns the usable state and a notice for each
    /// part that was ignored.
    pub fn decode(query: &str) -> (LinkState, Vec<String>) {
        let mut st = LinkState::default();
        let mut notes = Vec::new();
        let q = query.strip_prefix('?').unwrap_or(query);
        if q.len() > MAX_LINK_BYTES {
            notes.push(format!(
                "The link's settings are {} KB long (the limit is {} KB), so they were ignored and the defaults are shown.",
                q.len() / 1024,
                MAX_LINK_BYTES / 1024
            ));
            return (st, notes);
        }
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            match k.as_ref() {
                "v" => match v.parse::<u32>() {
                    Ok(LINK_VERSION) => {}
                    _ => notes.push(format!(
                        "This link was made by a different version of GMP Lab (v={v}); settings that no longer exist were skipped."
                    )),
                },
                "lesson" => st.lesson = Some(v.into_owned()),
                "seed" => match v.parse::<u64>() {
                    Ok(s) => st.seed = s,
                    Err(_) => notes.push(format!(
                        "The seed `{}` in the link is not a whole number from 0 to {}; using seed {DEFAULT_SEED}.",
                        short(&v),
                        u64::MAX
                    )),
                },
                "step" => match v.parse::<u64>() {
                    Ok(s) => st.step = s,
                    Err(_) => notes.push(format!(
                        "The step `{}` in the link is not a whole number; starting at step 0.",
                        short(&v)
                    )),
                },
                "lang" => st.lang = Lang::parse(&v),
                "budget" => match v.parse::<u64>() {
                    Ok(b) if BUDGET_RANGE.contains(&b) => st.budget = Some(b),
                    _ => notes.push(format!(
                        "The event budget `{}` in the link is not a whole number from {} to {}; the usual budget is used.",
                        short(&v),
                        BUDGET_RANGE.start(),
                        BUDGET_RANGE.end()
                    )),
                },
                key => {
                    if let Some(name) = key.strip_prefix("p.") {
                        if st.params.len() < 256 {
                            st.params.push((name.to_string(), v.into_owned()));
                        }
                    }
                    // Unknown keys (tracking parameters and the like) are ignored silently.
                }
            }
        }
        (st, notes)
    }
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(24).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

impl Lesson {
    /// Applies a link's parameter settings, keeping the default for any that is unknown or out of
    /// range, and saying so.
    pub fn resolve_lenient(&self, settings: &[(String, String)]) -> (Params, Vec<ParamError>) {
        let mut p = self.default_params();
        let mut errors = Vec::new();
        for (name, raw) in settings {
            match self.resolve([(name.as_str(), raw.as_str())]) {
                Ok(one) => {
                    if let Some(lp) = self.param(name) {
                        if let Some(v) = one.get(lp.name()) {
                            p.insert(lp.name(), v.clone());
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        (p, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips() {
        let st = LinkState {
            lesson: Some("worker-pool".into()),
            seed: 42,
            step: 120,
            lang: Some(Lang::Zh),
            params: vec![
                ("workers".into(), "8".into()),
                ("policy".into(), "block".into()),
            ],
            budget: Some(2_000_000),
        };
        let q = st.encode();
        assert_eq!(
            q,
            "v=1&lesson=worker-pool&seed=42&step=120&lang=zh&budget=2000000&p.workers=8&p.policy=block"
        );
        assert_eq!(LinkState::decode(&format!("?{q}")), (st, vec![]));
    }

    #[test]
    fn hostile_links_fall_back_with_notices() {
        let (st, notes) = LinkState::decode("seed=-1&step=%FF%FE&v=99&lesson=%3Cscript%3E");
        assert_eq!(st.seed, DEFAULT_SEED);
        assert_eq!(st.step, 0);
        assert_eq!(st.lesson.as_deref(), Some("<script>"));
        assert_eq!(notes.len(), 3, "{notes:?}");
        let huge = "p.x=".to_string() + &"9".repeat(100_000);
        let (st, notes) = LinkState::decode(&huge);
        assert_eq!(st, LinkState::default());
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn a_budget_outside_its_range_is_ignored_with_a_notice() {
        for bad in ["0", "999", "10000000001", "-5", "1e9", "lots"] {
            let (st, notes) = LinkState::decode(&format!("budget={bad}"));
            assert_eq!(st.budget, None, "{bad}");
            assert!(notes[0].contains("event budget"), "{notes:?}");
        }
        let (st, notes) = LinkState::decode("budget=1000");
        assert_eq!((st.budget, notes.len()), (Some(1_000), 0));
    }
}
