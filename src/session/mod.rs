//! A running lesson behind a small command/snapshot interface.
//!
//! Front ends never touch a scenario directly: they send a [`Command`] and read a [`Snapshot`]. The
//! browser does this on the main thread today, in slices; because the interface is plain data, the
//! session can move into a Web Worker without the UI changing. The CLI uses the same type.
//!
//! Step back is restore-a-checkpoint-and-replay (see [`checkpoints`]), exact because a run is a pure
//! function of (lesson, parameters, seed).
//!
//! Every run has an event and memory [`budget`], enforced here rather than in each model: the budget
//! is checked at fixed steps (multiples of [`budget::MEMORY_CHECK_EVENTS`] for memory), so where a run
//! stops does not depend on how a front end slices its work.

pub mod budget;
pub mod checkpoints;
pub mod deadlock;
pub mod grade;
pub mod playground;
pub mod report;

use crate::lesson::Lesson;
use crate::models::{AnyEvent, AnyScenario, AnyView};
use crate::sim::figure::Figure;
use crate::sim::params::{ParamError, Params};
use crate::sim::scenario::{Halt, RunOutcome, Stepping};
use crate::sim::text::Lang;
use crate::sim::time::Nanos;
use budget::{Budget, Exceeded, Meter};
use checkpoints::Checkpoints;

/// Everything a front end can ask of a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Execute one event.
    Step,
    /// Go back `n` events (to step 0 at most).
    StepBack(u64),
    /// Go to exactly event `k` (forwards or backwards).
    Seek(u64),
    /// Advance virtual time by `dt`, executing at most `max_events` (one animation frame of play).
    Advance { dt: Nanos, max_events: u64 },
    /// Execute at most `max_events` towards the end of the run (run-to-end in slices).
    RunSlice { max_events: u64 },
    /// As `RunSlice`, without saving checkpoints on the way: for runs nobody will step back in
    /// (the CLI, grading). Seeking back afterwards still works, replaying from step 0.
    RunUnrecorded { max_events: u64 },
    /// Start again with new parameters and seed.
    Reset { params: Params, seed: u64 },
}

/// What a front end draws: plain, owned data.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub step: u64,
    pub now: Nanos,
    /// When the input stops (the end of the progress bar); the run may drain after it.
    pub horizon: Nanos,
    pub finished: bool,
    /// Why the run stopped early, if it hit a limit (the session's budget or the model's own).
    pub limit: Option<String>,
    /// The session budget the run used up, if that is what stopped it (the page offers to raise it).
    pub budget: Option<Exceeded>,
    pub narration: Option<String>,
    pub view: AnyView,
    pub summary: Vec<crate::sim::MetricPair>,
    pub figures: Vec<Figure>,
    pub state_hash: u64,
}

#[derive(Clone, Debug)]
pub struct Session {
    lesson: Lesson,
    params: Params,
    seed: u64,
    scenario: AnyScenario,
    checkpoints: Checkpoints<AnyScenario>,
    last_event: Option<AnyEvent>,
    meter: Meter,
}

impl Session {
    pub fn new(lesson: Lesson, params: Params, seed: u64) -> Result<Self, ParamError> {
        let scenario = lesson.build(&params, seed)?;
        let mut s = Self {
            checkpoints: Checkpoints::new(&scenario),
            lesson,
            params,
            seed,
            scenario,
            last_event: None,
            meter: Meter::new(Budget::default()),
        };
        s.check_budget();
        Ok(s)
    }

    /// The same session under another budget (the CLI's flags, grading's limit, tests).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.meter.set_budget(budget);
        self.check_budget();
        self
    }

    pub fn budget(&self) -> Budget {
        self.meter.budget()
    }

    /// The budget the run used up, if it did.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.meter.exceeded()
    }

    /// Doubles the part of the budget the run used up, so it can go on; false if it had not.
    pub fn raise_budget(&mut self) -> bool {
        let raised = self.meter.raise();
        self.check_budget();
        raised
    }

    /// Why the run stopped before its natural end, if it did: the budget or the model's own limit.
    pub fn stop_message(&self, lang: Lang) -> Option<String> {
        match (self.meter.exceeded(), self.scenario.halted()) {
            (Some(e), _) => Some(e.message(lang)),
            (None, Some(Halt::Limit(m))) => Some(m.clone()),
            _ => None,
        }
    }

    fn check_budget(&mut self) {
        let scenario = &self.scenario;
        self.meter
            .check(scenario.steps(), scenario.halted().is_some(), || {
                scenario.approx_bytes()
            });
    }

    fn room(&self) -> u64 {
        self.meter.room(self.step())
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn scenario(&self) -> &AnyScenario {
        &self.scenario
    }

    pub fn step(&self) -> u64 {
        self.scenario.steps()
    }

    /// Why the model stopped, once it has (the session's budget is [`Session::exceeded`]).
    pub fn halt(&self) -> Option<&Halt> {
        self.scenario.halted()
    }

    /// The run can go no further: the model halted or the budget is spent.
    pub fn is_done(&self) -> bool {
        self.scenario.halted().is_some() || self.meter.exceeded().is_some()
    }

    /// Carries out one command. Only `Reset` can fail (its parameters are checked).
    pub fn apply(&mut self, cmd: Command) -> Result<RunOutcome, ParamError> {
        Ok(match cmd {
            Command::Step => {
                if self.meter.exceeded().is_none() {
                    let ev = self.scenario.step();
                    self.after_progress();
                    if ev.is_some() {
                        self.last_event = ev;
                    }
                }
                self.outcome()
            }
            Command::StepBack(n) => {
                self.seek(self.step().saturating_sub(n));
                self.outcome()
            }
            Command::Seek(k) => {
                self.seek(k);
                self.outcome()
            }
            Command::Advance { dt, max_events } => {
                let target = self.scenario.now().saturating_add(dt);
                self.run_checkpointed(|s, budget| s.run_until(target, budget), max_events)
            }
            Command::RunSlice { max_events } => {
                self.run_checkpointed(|s, budget| s.run_events(budget), max_events)
            }
            Command::RunUnrecorded { max_events } => {
                let before = self.step();
                let out = loop {
                    if self.is_done() {
                        break RunOutcome::Halted;
                    }
                    let left = max_events.saturating_sub(self.step() - before);
                    if left == 0 {
                        break RunOutcome::Budget;
                    }
                    let chunk = left.min(self.room());
                    self.scenario.run_events(chunk);
                    self.check_budget();
                };
                if self.step() > before {
                    self.last_event = None;
                }
                out
            }
            Command::Reset { params, seed } => {
                let scenario = self.lesson.build(&params, seed)?;
                self.checkpoints = Checkpoints::new(&scenario);
                self.scenario = scenario;
                self.params = params;
                self.seed = seed;
                self.last_event = None;
                self.check_budget();
                self.outcome()
            }
        })
    }

    fn outcome(&self) -> RunOutcome {
        if self.is_done() {
            RunOutcome::Halted
        } else {
            RunOutcome::Budget
        }
    }

    /// Runs `f` in chunks that end on checkpoint boundaries, so step back stays cheap after play.
    fn run_checkpointed(
        &mut self,
        mut f: impl FnMut(&mut AnyScenario, u64) -> RunOutcome,
        max_events: u64,
    ) -> RunOutcome {
        let start = self.step();
        loop {
            if self.meter.exceeded().is_some() {
                if self.step() > start {
                    self.last_event = None;
                }
                return RunOutcome::Halted;
            }
            let done = self.step() - start;
            let left = max_events.saturating_sub(done);
            if left == 0 {
                return RunOutcome::Budget;
            }
            let chunk = left
                .min(self.checkpoints.until_next(self.step()))
                .min(self.room());
            let out = f(&mut self.scenario, chunk);
            self.after_progress();
            match out {
                RunOutcome::Budget
                    if self.step() - start < max_events || self.meter.exceeded().is_some() =>
                {
                    continue
                }
                other => {
                    if self.step() > start {
                        self.last_event = None;
                    }
                    return other;
                }
            }
        }
    }

    fn after_progress(&mut self) {
        self.checkpoints.offer(&self.scenario);
        self.check_budget();
    }

    /// Restores the nearest checkpoint at or before `k` and replays to `k` (or to the end); forwards,
    /// no further than the budget allows.
    fn seek(&mut self, k: u64) {
        let k = k.min(self.meter.budget().max_events);
        if k == self.step() {
            return;
        }
        if k < self.step() {
            self.last_event = self.checkpoints.seek(&mut self.scenario, k);
            self.check_budget();
            return;
        }
        while self.step() < k && !self.is_done() {
            let to = k.min(self.step() + self.room());
            if let Some(ev) = self.checkpoints.seek(&mut self.scenario, to) {
                self.last_event = Some(ev);
            }
            let stuck = self.step() < to;
            self.check_budget();
            if stuck {
                break;
            }
        }
    }

    /// The state to draw, in the learner's language.
    pub fn snapshot(&self, lang: Lang) -> Snapshot {
        Snapshot {
            step: self.step(),
            now: self.scenario.now(),
            horizon: self.scenario.horizon(),
            finished: self.is_done(),
            limit: self.stop_message(lang),
            budget: self.meter.exceeded(),
            narration: self.last_event.as_ref().map(|e| e.narrate(lang)),
            view: self.scenario.view(),
            summary: self.scenario.summary(),
            figures: self.scenario.figures(),
            state_hash: self.scenario.state_hash(),
        }
    }
}
