//! Turning a lesson and a learner's settings into the checked parameters of one run.

use super::Lesson;
use crate::sim::params::{ParamError, ParamValue, Params};

impl Lesson {
    /// Builds the lesson's model with checked parameters (and its program, for a Go lesson).
    pub fn build(
        &self,
        params: &Params,
        seed: u64,
    ) -> Result<crate::models::AnyScenario, ParamError> {
        let file = self.program.as_ref().map(|p| p.file());
        let program = self
            .program
            .as_ref()
            .zip(file.as_deref())
            .map(|(p, f)| (f, p.source));
        crate::models::AnyScenario::build(self.model.id, program, params, seed)
    }

    /// The lesson's defaults, plus the values it fixes, plus the model's defaults for the rest.
    pub fn default_params(&self) -> Params {
        let mut p = Params::defaults(self.model.schema);
        for (name, v) in &self.fixed {
            p.insert(name, v.clone());
        }
        for lp in &self.params {
            p.insert(lp.name(), lp.default.clone());
        }
        p
    }

    /// The parameter a name refers to, following aliases left by renames.
    pub fn param(&self, name: &str) -> Option<&super::LessonParam> {
        let name = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.params.iter().find(|p| p.name() == name)
    }

    /// Applies `name=value` settings typed by a learner (CLI `--set`, a URL) on top of the defaults.
    /// An unknown name or a value out of the lesson's range is an error naming the parameter and what
    /// is allowed.
    pub fn resolve<'a>(
        &self,
        settings: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Params, ParamError> {
        let mut p = self.default_params();
        for (name, raw) in settings {
            let lp = self.param(name).ok_or_else(|| self.unknown(name))?;
            p.insert(lp.name(), lp.parse(raw)?);
        }
        Ok(p)
    }

    /// Sets one already-typed value (a slider), checked against the lesson's range.
    pub fn set(&self, params: &mut Params, name: &str, v: ParamValue) -> Result<(), ParamError> {
        let lp = self.param(name).ok_or_else(|| self.unknown(name))?;
        params.insert(lp.name(), lp.check(&v)?);
        Ok(())
    }

    fn unknown(&self, name: &str) -> ParamError {
        let names: Vec<&str> = self.params.iter().map(|p| p.name()).collect();
        ParamError::new(
            name,
            format!(
                "unknown parameter; lesson {} takes {}",
                self.id,
                names.join(", ")
            ),
        )
    }
}
