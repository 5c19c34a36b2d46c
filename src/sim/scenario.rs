//! The one interface every simulated scenario implements, and the loops that drive it.
//!
//! A scenario advances one visible event at a time. Everything else (running to a time, running a
//! budget of events, seeking backwards by restoring a checkpoint and replaying) is built from `step`,
//! so the browser and the CLI drive every model the same way and a replay is exact.

use super::figure::Figure;
use super::metric::MetricPair;
use super::params::{ParamError, ParamSpec, Params};
use super::time::Nanos;
use std::fmt;

/// Why a scenario stopped on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Halt {
    /// It ran to its natural end (all work done, the configured duration passed and drained).
    Finished,
    /// It stopped at a safety limit; the message names the limit and how to stay under it.
    Limit(String),
}

impl fmt::Display for Halt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::Finished => f.write_str("finished"),
            Halt::Limit(m) => f.write_str(m),
        }
    }
}

/// How a bounded run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// The target time was reached; the scenario can go on.
    ReachedTime,
    /// The event budget ran out first; the scenario can go on.
    Budget,
    /// The scenario halted (see [`Scenario::halted`]).
    Halted,
}

/// The model interface: what a scenario accepts, how it is built, and what it shows. Stepping comes
/// from [`Stepping`].
pub trait Scenario: Stepping {
    /// The model's state as the views draw it.
    type View: Clone + fmt::Debug + PartialEq;

    /// Every parameter the model accepts, with its hard limits and default.
    fn schema() -> &'static [ParamSpec];

    /// Builds the scenario from checked parameters (missing ones take the schema's defaults).
    fn build(params: &Params, seed: u64) -> Result<Self, ParamError>;

    /// The view of the current state.
    fn view(&self) -> Self::View;

    /// Summary metrics in a fixed order.
    fn summary(&self) -> Vec<MetricPair>;

    /// Windowed metrics as chart data.
    fn figures(&self) -> Vec<Figure>;

    /// When the scenario's input stops (the end of a progress bar); it may drain after.
    fn horizon(&self) -> Nanos;
}

/// A deterministic simulation that advances one event at a time.
///
/// `Clone` is the checkpoint: a clone holds the whole state, and restoring it and stepping again
/// reproduces the same events, because every scenario is a pure function of (parameters, seed).
pub trait Stepping: Clone {
    /// What one step did, typed per model.
    type Event: Clone + fmt::Debug;

    /// Current virtual time.
    fn now(&self) -> Nanos;

    /// Number of events stepped so far.
    fn steps(&self) -> u64;

    /// The virtual time of the next event, or None if nothing is pending.
    fn next_time(&self) -> Option<Nanos>;

    /// Executes the next event. Returns None, doing nothing, once the scenario has halted.
    fn step(&mut self) -> Option<Self::Event>;

    /// Some(reason) once the scenario can step no more.
    fn halted(&self) -> Option<&Halt>;

    /// A hash of the whole state over a fixed byte encoding: equal hashes mean equal states.
    fn state_hash(&self) -> u64;

    /// Steps until the next event would lie beyond `t` (then the clock moves to `t`), or `max_events`
    /// events have run, or the scenario halts.
    fn run_until(&mut self, t: Nanos, max_events: u64) -> RunOutcome {
        let mut n = 0;
        loop {
            if self.halted().is_some() {
                return RunOutcome::Halted;
            }
            match self.next_time() {
                Some(next) if next <= t => {
                    if n == max_events {
                        return RunOutcome::Budget;
                    }
                    self.step();
                    n += 1;
                }
                _ => {
                    self.advance_clock(t);
                    return RunOutcome::ReachedTime;
                }
            }
        }
    }

    /// Runs at most `n` events.
    fn run_events(&mut self, n: u64) -> RunOutcome {
        for _ in 0..n {
            if self.step().is_none() {
                return RunOutcome::Halted;
            }
        }
        if self.halted().is_some() {
            RunOutcome::Halted
        } else {
            RunOutcome::Budget
        }
    }

    /// Moves the clock forward to `t` with no event (views of "now" between events); never backwards.
    fn advance_clock(&mut self, t: Nanos);

    /// Roughly how many bytes a clone (a checkpoint) takes, so checkpoints can stay within a memory
    /// budget when the state is large (a million goroutines).
    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
    }
}
