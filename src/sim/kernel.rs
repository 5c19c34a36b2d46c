//! The model kernel: the clock, step count, event queue and halt every event-driven model shares, and
//! the [`Model`] trait a model implements to run on it.
//!
//! A model is only its own state and what one event does to it (`Model::handle`). [`Kernel`] owns
//! virtual time, the number of visible steps, the future-event list and why the run stopped, and
//! implements [`Stepping`] and [`Scenario`] once for every model, so the loop (pop the earliest event,
//! move the clock, handle it, halt when nothing is pending) is written here and nowhere else.
//!
//! The kernel is generic, not boxed: `Kernel<M>` is monomorphised per model and `handle` inlines into
//! the step loop, so the per-event cost is the model's own.

use std::fmt;

use super::figure::Figure;
use super::hash::StateHasher;
use super::metric::MetricPair;
use super::params::{ParamError, ParamSpec, Params};
use super::queue::EventQueue;
use super::scenario::{Halt, Scenario, Stepping};
use super::time::Nanos;

/// The kernel's own state, lent to the model while it handles an event: what time it is, and how to
/// schedule an event or stop the run.
#[derive(Clone, Debug)]
pub struct Core<E> {
    now: Nanos,
    steps: u64,
    events: EventQueue<E>,
    halted: Option<Halt>,
}

impl<E: Copy> Core<E> {
    fn new() -> Self {
        Self {
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            halted: None,
        }
    }

    /// Current virtual time: the time of the event being handled.
    #[inline]
    pub fn now(&self) -> Nanos {
        self.now
    }

    /// Visible steps taken so far (an event whose `handle` returns None is not a step).
    #[inline]
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Schedules `event` at virtual time `at` (events at the same time run in scheduling order).
    #[inline]
    pub fn schedule(&mut self, at: Nanos, event: E) {
        self.events.push(at, event);
    }

    /// Stops the run at a safety limit; the message says which and how to stay under it. The first
    /// halt stands.
    pub fn halt(&mut self, why: Halt) {
        if self.halted.is_none() {
            self.halted = Some(why);
        }
    }

    pub fn halted(&self) -> Option<&Halt> {
        self.halted.as_ref()
    }

    /// Events pending.
    pub fn pending(&self) -> usize {
        self.events.len()
    }

    /// How many events were ever scheduled (their sequence numbers are part of the state).
    pub fn scheduled(&self) -> u64 {
        self.events.scheduled()
    }

    /// Hashes every pending event: its time, its sequence number and, through `payload`, what it
    /// carries. Two states whose queues differ only in a payload hash differently.
    pub fn hash_events(&self, h: &mut StateHasher, mut payload: impl FnMut(&E, &mut StateHasher)) {
        for (at, seq, ev) in self.events.sorted() {
            h.u64(at).u64(seq);
            payload(ev, h);
        }
    }

    /// Hashes the halt: 0 running, 1 finished, 2 stopped at a limit (with its message).
    pub fn hash_halt(&self, h: &mut StateHasher) {
        match &self.halted {
            None => h.u8(0),
            Some(Halt::Finished) => h.u8(1),
            Some(Halt::Limit(m)) => h.u8(2).str(m),
        };
    }

    /// Rough bytes of the pending events, for checkpoint budgets.
    pub fn approx_bytes(&self) -> usize {
        self.events.len() * (std::mem::size_of::<E>() + 16)
    }

    /// Test support: the pending events' payloads, in no particular order, to change one in a
    /// hash test (the queue's order depends on time and sequence only, so it stays valid).
    #[cfg(test)]
    pub fn payloads_mut(&mut self) -> impl Iterator<Item = &mut E> {
        self.events.payloads_mut()
    }
}

/// A model's configuration: its parameter schema, and how checked parameters become the
/// configuration. Implemented with [`configure!`] next to the schema.
pub trait Configure: Sized {
    /// Every parameter the model accepts, with its hard limits and default.
    const SCHEMA: &'static [ParamSpec];

    /// Reads checked parameters (missing ones take the schema's defaults).
    fn configure(params: &Params) -> Result<Self, ParamError>;
}

/// `configure!(Config, SCHEMA)`: `Config` is read by its own `Config::from_params`.
macro_rules! configure {
    ($config:ty, $schema:expr) => {
        impl $crate::sim::kernel::Configure for $config {
            const SCHEMA: &'static [$crate::sim::params::ParamSpec] = $schema;
            fn configure(
                params: &$crate::sim::params::Params,
            ) -> Result<Self, $crate::sim::params::ParamError> {
                <$config>::from_params(params)
            }
        }
    };
}
pub(crate) use configure;

/// An event-driven model: its state and what each event does. Everything about time, stepping and
/// halting is the kernel's.
pub trait Model: Clone + fmt::Debug + Sized {
    /// A pending event: small and `Copy` (tags and indices), as the queue stores it.
    type Ev: Copy + fmt::Debug;
    /// What one visible step did, for narration.
    type Event: Clone + fmt::Debug;
    /// The state as the views draw it.
    type View: Clone + fmt::Debug + PartialEq;
    /// The model's checked configuration, read from its parameters.
    type Config: Configure;

    /// The model's id, also the first thing its state hash writes.
    const NAME: &'static str;

    /// The initial state, scheduling its first events on `k`.
    fn new(cfg: Self::Config, seed: u64, k: &mut Core<Self::Ev>) -> Self;

    /// Handles one event at `k.now()`. None means the event turned out to be stale (a timer that no
    /// longer matters): it is not a step, and the kernel goes on to the next event.
    fn handle(&mut self, k: &mut Core<Self::Ev>, ev: Self::Ev) -> Option<Self::Event>;

    /// An event that must run now, before anything queued (a crash injected at a given step).
    #[inline]
    fn interrupt(&self, _k: &Core<Self::Ev>) -> Option<Self::Ev> {
        None
    }

    /// A limit checked before each event (a budget of the model's own); Some stops the run.
    #[inline]
    fn limit(&self, _k: &Core<Self::Ev>) -> Option<Halt> {
        None
    }

    /// Called once when the run finishes naturally (nothing left pending): flush what is buffered.
    fn finished(&mut self) {}

    /// Hashes the whole model state. The kernel has already written the name, the time and the step
    /// count; the model writes the rest of `k` where its encoding puts it ([`Core::scheduled`],
    /// [`Core::hash_events`] with every payload, [`Core::hash_halt`]).
    fn hash_state(&self, k: &Core<Self::Ev>, h: &mut StateHasher);

    /// Rough bytes a checkpoint of the model takes beyond its inline size.
    fn approx_bytes(&self, k: &Core<Self::Ev>) -> usize;

    fn view(&self, k: &Core<Self::Ev>) -> Self::View;
    fn summary(&self, k: &Core<Self::Ev>) -> Vec<MetricPair>;
    fn figures(&self, k: &Core<Self::Ev>) -> Vec<Figure>;
    /// When the model's input stops (the end of a progress bar); it may drain after.
    fn horizon(&self) -> Nanos;
}

/// A model running on the kernel. `Clone` is its checkpoint.
#[derive(Clone, Debug)]
pub struct Kernel<M: Model> {
    core: Core<M::Ev>,
    model: M,
}

impl<M: Model> Kernel<M> {
    /// Builds the model from its configuration and seed.
    pub fn new(cfg: M::Config, seed: u64) -> Self {
        let mut core = Core::new();
        let model = M::new(cfg, seed, &mut core);
        let mut k = Self { core, model };
        k.check_finished();
        k
    }

    /// The model's state (its own accessors: configuration, counters).
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The kernel's state (time, steps, queue, halt).
    pub fn core(&self) -> &Core<M::Ev> {
        &self.core
    }

    /// Test support: both halves, to change one field and see the state hash move.
    #[cfg(test)]
    pub fn parts_mut(&mut self) -> (&mut Core<M::Ev>, &mut M) {
        (&mut self.core, &mut self.model)
    }

    #[inline]
    fn check_finished(&mut self) {
        if self.core.halted.is_none() && self.core.events.is_empty() {
            self.core.halted = Some(Halt::Finished);
            self.model.finished();
        }
    }
}

/// A model's own accessors (its configuration, its counters) read straight off the running kernel:
/// `pool.config()` rather than `pool.model().config()`. Read-only: only events change a model.
impl<M: Model> std::ops::Deref for Kernel<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M: Model> Stepping for Kernel<M> {
    type Event = M::Event;

    fn now(&self) -> Nanos {
        self.core.now
    }

    fn steps(&self) -> u64 {
        self.core.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if self.core.halted.is_some() {
            None
        } else if self.model.interrupt(&self.core).is_some() {
            Some(self.core.now)
        } else {
            self.core.events.peek_time()
        }
    }

    #[inline]
    fn step(&mut self) -> Option<M::Event> {
        loop {
            if self.core.halted.is_some() {
                return None;
            }
            if let Some(why) = self.model.limit(&self.core) {
                self.core.halted = Some(why);
                return None;
            }
            let ev = match self.model.interrupt(&self.core) {
                Some(ev) => ev,
                None => {
                    let (at, ev) = self.core.events.pop()?;
                    self.core.now = at;
                    ev
                }
            };
            let out = self.model.handle(&mut self.core, ev);
            self.check_finished();
            if out.is_some() {
                self.core.steps += 1;
                return out;
            }
        }
    }

    fn halted(&self) -> Option<&Halt> {
        self.core.halted.as_ref()
    }

    fn advance_clock(&mut self, t: Nanos) {
        if t > self.core.now {
            self.core.now = t;
        }
    }

    fn state_hash(&self) -> u64 {
        let mut h = StateHasher::new();
        h.str(M::NAME).u64(self.core.now).u64(self.core.steps);
        self.model.hash_state(&self.core, &mut h);
        h.finish()
    }

    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.model.approx_bytes(&self.core)
    }
}

impl<M: Model> Scenario for Kernel<M> {
    type View = M::View;

    fn schema() -> &'static [ParamSpec] {
        <M::Config as Configure>::SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(
            <M::Config as Configure>::configure(params)?,
            seed,
        ))
    }

    fn view(&self) -> M::View {
        self.model.view(&self.core)
    }

    fn summary(&self) -> Vec<MetricPair> {
        self.model.summary(&self.core)
    }

    fn figures(&self) -> Vec<Figure> {
        self.model.figures(&self.core)
    }

    fn horizon(&self) -> Nanos {
        self.model.horizon()
    }
}

/// Test support for the state-hash contract: each named change, made to a copy of `base`, must move
/// the state hash. `name => |core, model| change` per field, so a failure names the field missed.
#[cfg(test)]
macro_rules! assert_hash_sees {
    ($base:expr, $($name:literal => |$c:pat_param, $m:pat_param| $body:expr),* $(,)?) => {{
        use $crate::sim::scenario::Stepping as _;
        let base = &$base;
        let before = base.state_hash();
        $({
            let mut changed = base.clone();
            #[allow(unused_variables)]
            let ($c, $m) = changed.parts_mut();
            $body;
            assert_ne!(
                changed.state_hash(),
                before,
                "changing `{}` left the state hash as it was",
                $name
            );
        })*
    }};
}
#[cfg(test)]
pub(crate) use assert_hash_sees;

/// Test support: model `M` built from its defaults with `overrides`, after `steps` events.
#[cfg(test)]
pub fn mid_run<M: Model>(
    overrides: &[(&str, super::params::ParamValue)],
    seed: u64,
    steps: u64,
) -> Kernel<M> {
    let mut p = Params::defaults(<M::Config as Configure>::SCHEMA);
    for (name, v) in overrides {
        p.insert(name, v.clone());
    }
    let mut k = <Kernel<M> as Scenario>::build(&p, seed).expect("test parameters are valid");
    k.run_events(steps);
    assert!(
        k.halted().is_none(),
        "{} halted before the mid-run state",
        M::NAME
    );
    k
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::models::toy_mm1::{Ev, Mm1, Queue};

    #[test]
    fn the_kernel_hashes_its_own_state_time_steps_sequence_and_halt() {
        let base: Mm1 = mid_run::<Queue>(&[], 1, 500);
        assert_hash_sees!(base,
            "now" => |c, _m| c.now += 1,
            "steps" => |c, _m| c.steps += 1,
            "events" => |c, _m| c.schedule(c.now, Ev::Arrival),
            "halted" => |c, _m| c.halt(Halt::Finished),
            "halt message" => |c, _m| c.halted = Some(Halt::Limit("x".into())),
        );
        let mut limited = base.clone();
        limited.core.halted = Some(Halt::Limit("a".into()));
        let mut other = base.clone();
        other.core.halted = Some(Halt::Limit("b".into()));
        assert_ne!(limited.state_hash(), other.state_hash());
    }

    #[test]
    fn a_run_counts_its_steps_and_finishes_when_nothing_is_pending() {
        let three = [("customers", crate::sim::params::ParamValue::Num(3.0))];
        let mut k: Mm1 = mid_run::<Queue>(&three, 2, 0);
        let mut steps = 0;
        while k.step().is_some() {
            steps += 1;
        }
        assert_eq!(steps, 6, "three arrivals and three departures");
        assert_eq!(k.steps(), 6);
        assert_eq!(k.halted(), Some(&Halt::Finished));
        assert_eq!(k.next_time(), None);
    }
}
