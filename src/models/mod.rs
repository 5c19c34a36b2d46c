//! Architecture scenarios built on the simulation kernel, and the one registry that maps a lesson's
//! `model = "..."` to a running scenario.

pub mod flash_sale;
pub mod go_program;
pub mod rate_breaker;
pub mod shared_map;
pub mod task_queue;
pub mod worker_pool;

use crate::sim::figure::Figure;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::scenario::{Halt, RunOutcome, Scenario, Stepping};
use crate::sim::text::{Lang, Text};
use crate::sim::time::Nanos;

use flash_sale::{FlashSale, FlashSaleEvent, FlashSaleView};
use go_program::GoProgram;
use rate_breaker::{RateBreaker, RateBreakerEvent, RateBreakerView};
use shared_map::{SharedMap, SharedMapEvent, SharedMapView};
use task_queue::{TaskQueue, TaskQueueEvent, TaskQueueView};
use worker_pool::{WorkerPool, WorkerPoolEvent, WorkerPoolView};

/// A model a lesson can name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelInfo {
    pub id: &'static str,
    pub title: Text,
    pub schema: &'static [ParamSpec],
}

pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        id: "worker_pool",
        title: Text::new(
            "Worker pool with a bounded queue",
            "带有界队列的 worker pool",
        ),
        schema: worker_pool::SCHEMA,
    },
    ModelInfo {
        id: "rate_breaker",
        title: Text::new(
            "Token-bucket rate limiter and circuit breaker",
            "令牌桶限流与熔断器",
        ),
        schema: rate_breaker::SCHEMA,
    },
    ModelInfo {
        id: "task_queue",
        title: Text::new(
            "Durable task queue with a write-ahead log",
            "带预写日志的持久化任务队列",
        ),
        schema: task_queue::SCHEMA,
    },
    ModelInfo {
        id: "shared_map",
        title: Text::new(
            "A map shared by goroutines: RWMutex, sharded, or sync.Map",
            "goroutine 共享的 map:RWMutex、分片或 sync.Map",
        ),
        schema: shared_map::SCHEMA,
    },
    ModelInfo {
        id: "flash_sale",
        title: Text::new(
            "A flash-sale pipeline: edge limit, app servers, Redis stock, orders",
            "秒杀链路:入口限流、应用服务器、Redis 库存、订单",
        ),
        schema: flash_sale::SCHEMA,
    },
    ModelInfo {
        id: GO_MODEL,
        title: Text::new(
            "A Go program on the simulated runtime",
            "在模拟 runtime 上运行的 Go 程序",
        ),
        schema: go_program::SCHEMA,
    },
];

/// The model of lessons that run a Go program (`program = "..."` in the lesson file).
pub const GO_MODEL: &str = "go";

/// The Go program a lesson runs: its file name (for messages) and source.
pub type ProgramSource<'a> = (&'a str, &'a str);

pub fn find(id: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.id == id)
}

/// Any model, behind one enum so the front ends can hold, clone (checkpoint) and step it.
#[derive(Clone, Debug)]
pub enum AnyScenario {
    WorkerPool(Box<WorkerPool>),
    Go(Box<GoProgram>),
    RateBreaker(Box<RateBreaker>),
    TaskQueue(Box<TaskQueue>),
    SharedMap(Box<SharedMap>),
    FlashSale(Box<FlashSale>),
}

/// Any model's step event.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyEvent {
    WorkerPool(WorkerPoolEvent),
    Go(crate::runtime::TraceEvent),
    RateBreaker(RateBreakerEvent),
    TaskQueue(TaskQueueEvent),
    SharedMap(SharedMapEvent),
    FlashSale(FlashSaleEvent),
}

/// Any model's view of its current state.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyView {
    WorkerPool(WorkerPoolView),
    Go(Box<crate::runtime::view::RuntimeView>),
    RateBreaker(RateBreakerView),
    TaskQueue(TaskQueueView),
    SharedMap(SharedMapView),
    FlashSale(Box<FlashSaleView>),
}

impl AnyEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        match self {
            AnyEvent::WorkerPool(e) => e.narrate(lang),
            AnyEvent::Go(e) => e.narrate(lang),
            AnyEvent::RateBreaker(e) => e.narrate(lang),
            AnyEvent::TaskQueue(e) => e.narrate(lang),
            AnyEvent::SharedMap(e) => e.narrate(lang),
            AnyEvent::FlashSale(e) => e.narrate(lang),
        }
    }
}

impl AnyScenario {
    /// Builds model `model` with checked parameters; the Go model also needs its program.
    pub fn build(
        model: &str,
        program: Option<ProgramSource<'_>>,
        params: &Params,
        seed: u64,
    ) -> Result<Self, ParamError> {
        match model {
            "worker_pool" => Ok(AnyScenario::WorkerPool(Box::new(WorkerPool::build(
                params, seed,
            )?))),
            "rate_breaker" => Ok(AnyScenario::RateBreaker(Box::new(RateBreaker::build(
                params, seed,
            )?))),
            "task_queue" => Ok(AnyScenario::TaskQueue(Box::new(TaskQueue::build(
                params, seed,
            )?))),
            "shared_map" => Ok(AnyScenario::SharedMap(Box::new(SharedMap::build(
                params, seed,
            )?))),
            "flash_sale" => Ok(AnyScenario::FlashSale(Box::new(FlashSale::build(
                params, seed,
            )?))),
            GO_MODEL => {
                let (name, src) = program.ok_or_else(|| {
                    ParamError::new("program", "the go model needs a program to run")
                })?;
                Ok(AnyScenario::Go(Box::new(GoProgram::build(
                    name, src, params, seed,
                )?)))
            }
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
            AnyScenario::Go(p) => p.summary(),
            AnyScenario::RateBreaker(p) => p.summary(),
            AnyScenario::TaskQueue(p) => p.summary(),
            AnyScenario::SharedMap(p) => p.summary(),
            AnyScenario::FlashSale(p) => p.summary(),
        }
    }

    pub fn figures(&self) -> Vec<Figure> {
        match self {
            AnyScenario::WorkerPool(p) => p.figures(),
            AnyScenario::Go(p) => p.figures(),
            AnyScenario::RateBreaker(p) => p.figures(),
            AnyScenario::TaskQueue(p) => p.figures(),
            AnyScenario::SharedMap(p) => p.figures(),
            AnyScenario::FlashSale(p) => p.figures(),
        }
    }

    pub fn view(&self) -> AnyView {
        match self {
            AnyScenario::WorkerPool(p) => AnyView::WorkerPool(p.view()),
            AnyScenario::Go(p) => AnyView::Go(Box::new(p.view())),
            AnyScenario::RateBreaker(p) => AnyView::RateBreaker(p.view()),
            AnyScenario::TaskQueue(p) => AnyView::TaskQueue(p.view()),
            AnyScenario::SharedMap(p) => AnyView::SharedMap(p.view()),
            AnyScenario::FlashSale(p) => AnyView::FlashSale(Box::new(p.view())),
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
            AnyScenario::Go(p) => p.horizon(),
            AnyScenario::RateBreaker(p) => p.config().duration,
            AnyScenario::TaskQueue(p) => p.horizon(),
            AnyScenario::SharedMap(p) => p.horizon(),
            AnyScenario::FlashSale(p) => p.horizon(),
        }
    }
}

impl Stepping for AnyScenario {
    type Event = AnyEvent;

    fn now(&self) -> Nanos {
        match self {
            AnyScenario::WorkerPool(p) => p.now(),
            AnyScenario::Go(p) => p.now(),
            AnyScenario::RateBreaker(p) => p.now(),
            AnyScenario::TaskQueue(p) => p.now(),
            AnyScenario::SharedMap(p) => p.now(),
            AnyScenario::FlashSale(p) => p.now(),
        }
    }
    fn steps(&self) -> u64 {
        match self {
            AnyScenario::WorkerPool(p) => p.steps(),
            AnyScenario::Go(p) => p.steps(),
            AnyScenario::RateBreaker(p) => p.steps(),
            AnyScenario::TaskQueue(p) => p.steps(),
            AnyScenario::SharedMap(p) => p.steps(),
            AnyScenario::FlashSale(p) => p.steps(),
        }
    }
    fn next_time(&self) -> Option<Nanos> {
        match self {
            AnyScenario::WorkerPool(p) => p.next_time(),
            AnyScenario::Go(p) => p.next_time(),
            AnyScenario::RateBreaker(p) => p.next_time(),
            AnyScenario::TaskQueue(p) => p.next_time(),
            AnyScenario::SharedMap(p) => p.next_time(),
            AnyScenario::FlashSale(p) => p.next_time(),
        }
    }
    fn step(&mut self) -> Option<AnyEvent> {
        match self {
            AnyScenario::WorkerPool(p) => p.step().map(AnyEvent::WorkerPool),
            AnyScenario::Go(p) => p.step().map(AnyEvent::Go),
            AnyScenario::RateBreaker(p) => p.step().map(AnyEvent::RateBreaker),
            AnyScenario::TaskQueue(p) => p.step().map(AnyEvent::TaskQueue),
            AnyScenario::SharedMap(p) => p.step().map(AnyEvent::SharedMap),
            AnyScenario::FlashSale(p) => p.step().map(AnyEvent::FlashSale),
        }
    }
    // The loops dispatch once and run the model's own monomorphic loop: stepping through the enum
    // would build (and drop) an `AnyEvent` per event, about a sixth of a fast model's time.
    fn run_events(&mut self, n: u64) -> RunOutcome {
        match self {
            AnyScenario::WorkerPool(p) => p.run_events(n),
            AnyScenario::Go(p) => p.run_events(n),
            AnyScenario::RateBreaker(p) => p.run_events(n),
            AnyScenario::TaskQueue(p) => p.run_events(n),
            AnyScenario::SharedMap(p) => p.run_events(n),
            AnyScenario::FlashSale(p) => p.run_events(n),
        }
    }
    fn run_until(&mut self, t: Nanos, max_events: u64) -> RunOutcome {
        match self {
            AnyScenario::WorkerPool(p) => p.run_until(t, max_events),
            AnyScenario::Go(p) => p.run_until(t, max_events),
            AnyScenario::RateBreaker(p) => p.run_until(t, max_events),
            AnyScenario::TaskQueue(p) => p.run_until(t, max_events),
            AnyScenario::SharedMap(p) => p.run_until(t, max_events),
            AnyScenario::FlashSale(p) => p.run_until(t, max_events),
        }
    }
    fn halted(&self) -> Option<&Halt> {
        match self {
            AnyScenario::WorkerPool(p) => p.halted(),
            AnyScenario::Go(p) => p.halted(),
            AnyScenario::RateBreaker(p) => p.halted(),
            AnyScenario::TaskQueue(p) => p.halted(),
            AnyScenario::SharedMap(p) => p.halted(),
            AnyScenario::FlashSale(p) => p.halted(),
        }
    }
    fn state_hash(&self) -> u64 {
        match self {
            AnyScenario::WorkerPool(p) => p.state_hash(),
            AnyScenario::Go(p) => p.state_hash(),
            AnyScenario::RateBreaker(p) => p.state_hash(),
            AnyScenario::TaskQueue(p) => p.state_hash(),
            AnyScenario::SharedMap(p) => p.state_hash(),
            AnyScenario::FlashSale(p) => p.state_hash(),
        }
    }
    fn advance_clock(&mut self, t: Nanos) {
        match self {
            AnyScenario::WorkerPool(p) => p.advance_clock(t),
            AnyScenario::Go(p) => p.advance_clock(t),
            AnyScenario::RateBreaker(p) => p.advance_clock(t),
            AnyScenario::TaskQueue(p) => p.advance_clock(t),
            AnyScenario::SharedMap(p) => p.advance_clock(t),
            AnyScenario::FlashSale(p) => p.advance_clock(t),
        }
    }
    fn approx_bytes(&self) -> usize {
        match self {
            AnyScenario::WorkerPool(p) => p.approx_bytes(),
            AnyScenario::Go(p) => p.approx_bytes(),
            AnyScenario::RateBreaker(p) => p.approx_bytes(),
            AnyScenario::TaskQueue(p) => p.approx_bytes(),
            AnyScenario::SharedMap(p) => p.approx_bytes(),
            AnyScenario::FlashSale(p) => p.approx_bytes(),
        }
    }
}
