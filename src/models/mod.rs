//! Architecture scenarios built on the simulation kernel, and the one registry that maps a lesson's
//! `model = "..."` to a running scenario.

pub mod worker_pool;

use crate::sim::figure::Figure;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::text::{Lang, Text};
use crate::sim::time::Nanos;

use worker_pool::{WorkerPool, WorkerPoolEvent, WorkerPoolView};

/// A model a lesson can name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelInfo {
    pub id: &'static str,
    pub title: Text,
    pub schema: &'static [ParamSpec],
}

pub const MODELS: &[ModelInfo] = &[ModelInfo {
    id: "worker_pool",
    title: Text::new(
        "Worker pool with a bounded queue",
        "带有界队列的 worker pool",
    ),
    schema: worker_pool::SCHEMA,
}];

pub fn find(id: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.id == id)
}

/// Any model, behind one enum so the front ends can hold, clone (checkpoint) and step it.
#[derive(Clone, Debug)]
pub enum AnyScenario {
    WorkerPool(WorkerPool),
}

/// Any model's step event.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyEvent {
    WorkerPool(WorkerPoolEvent),
}

/// Any model's view of its current state.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyView {
    WorkerPool(WorkerPoolView),
}

impl AnyEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        match self {
            AnyEvent::WorkerPool(e) => e.narrate(lang),
        }
    }
}

impl AnyScenario {
    /// Builds model `model` with checked parameters.
    pub fn build(model: &str, params: &Params, seed: u64) -> Result<Self, ParamError> {
        match model {
            "worker_pool" => Ok(AnyScenario::WorkerPool(WorkerPool::build(params, seed)?)),
            other => Err(ParamError::new(
                "model",
                format!(
                    "unknown model `{other}`; known models: {}",
                    MODELS.iter().map(|m| m.id).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// The summary metrics, in a fixed order.
    pub fn summary(&self) -> Vec<crate::sim::MetricPair> {
        match self {
            AnyScenario::WorkerPool(p) => p.summary(),
        }
    }

    pub fn figures(&self) -> Vec<Figure> {
        match self {
            AnyScenario::WorkerPool(p) => p.figures(),
        }
    }

    pub fn view(&self) -> AnyView {
        match self {
            AnyScenario::WorkerPool(p) => AnyView::WorkerPool(p.view()),
        }
    }

    /// Current virtual time (the same as `Scenario::now`, without importing the trait).
    pub fn now_ns(&self) -> Nanos {
        self.now()
    }

    /// The virtual time at which the run's input stops (for progress bars); the run may drain after.
    pub fn horizon(&self) -> Nanos {
        match self {
            AnyScenario::WorkerPool(p) => p.config().duration,
        }
    }
}

impl Stepping for AnyScenario {
    type Event = AnyEvent;

    fn now(&self) -> Nanos {
        match self {
            AnyScenario::WorkerPool(p) => p.now(),
        }
    }
    fn steps(&self) -> u64 {
        match self {
            AnyScenario::WorkerPool(p) => p.steps(),
        }
    }
    fn next_time(&self) -> Option<Nanos> {
        match self {
            AnyScenario::WorkerPool(p) => p.next_time(),
        }
    }
    fn step(&mut self) -> Option<AnyEvent> {
        match self {
            AnyScenario::WorkerPool(p) => p.step().map(AnyEvent::WorkerPool),
        }
    }
    fn halted(&self) -> Option<&Halt> {
        match self {
            AnyScenario::WorkerPool(p) => p.halted(),
        }
    }
    fn state_hash(&self) -> u64 {
        match self {
            AnyScenario::WorkerPool(p) => p.state_hash(),
        }
    }
    fn advance_clock(&mut self, t: Nanos) {
        match self {
            AnyScenario::WorkerPool(p) => p.advance_clock(t),
        }
    }
    fn approx_bytes(&self) -> usize {
        match self {
            AnyScenario::WorkerPool(p) => p.approx_bytes(),
        }
    }
}
