//! Architecture scenarios built on the simulation kernel, and the one registry that maps a lesson's
//! `model = "..."` to a running scenario.
//!
//! Registering a model is one line in the `registry!` invocation below: its variant name, its module
//! (declared by the macro), the type that runs it, its id and its title. The macro generates
//! `MODELS`, the `AnyScenario`, `AnyEvent` and `AnyView` enums and every delegating `match`, so
//! nothing else in this file names a model. The Go program, which runs on the Go runtime rather than
//! on the model kernel, is the one hand-written variant.

pub mod go_program;

use crate::sim::figure::Figure;
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::scenario::{Halt, RunOutcome, Scenario, Stepping};
use crate::sim::text::{Lang, Text};
use crate::sim::time::Nanos;

use go_program::GoProgram;

/// A model a lesson can name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelInfo {
    pub id: &'static str,
    pub title: Text,
    pub schema: &'static [ParamSpec],
}

/// The model of lessons that run a Go program (`program = "..."` in the lesson file).
pub const GO_MODEL: &str = "go";

/// The Go program a lesson runs: its file name (for messages) and source.
pub type ProgramSource<'a> = (&'a str, &'a str);

pub fn find(id: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.id == id)
}

/// Generates the registry from one list of models. Each entry:
/// `Variant(module::Type) = "id", "English title", "中文标题";` where `module` exports `SCHEMA`
/// and `Type` is a `Scenario` (in practice `Kernel<M>` for a `Model` M) whose `Event` has
/// `narrate(Lang)`.
macro_rules! registry {
    ($($(#[$attr:meta])* $variant:ident($module:ident::$ty:ident) = $id:literal, $en:literal, $zh:literal;)*) => {
        $($(#[$attr])* pub mod $module;)*

        pub const MODELS: &[ModelInfo] = &[
            $($(#[$attr])* ModelInfo {
                id: $id,
                title: Text::new($en, $zh),
                schema: $module::SCHEMA,
            },)*
            ModelInfo {
                id: GO_MODEL,
                title: Text::new(
                    "A Go program on the simulated runtime",
                    "在模拟 runtime 上运行的 Go 程序",
                ),
                schema: go_program::SCHEMA,
            },
        ];

        /// Any model, behind one enum so the front ends can hold, clone (checkpoint) and step it.
        #[derive(Clone, Debug)]
        pub enum AnyScenario {
            $($(#[$attr])* $variant(Box<$module::$ty>),)*
            Go(Box<GoProgram>),
        }

        /// Any model's step event.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyEvent {
            $($(#[$attr])* $variant(<$module::$ty as Stepping>::Event),)*
            Go(crate::runtime::TraceEvent),
        }

        /// Any model's view of its current state.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyView {
            $($(#[$attr])* $variant(Box<<$module::$ty as Scenario>::View>),)*
            Go(Box<crate::runtime::view::RuntimeView>),
        }

        impl AnyEvent {
            pub fn narrate(&self, lang: Lang) -> String {
                match self {
                    $($(#[$attr])* AnyEvent::$variant(e) => e.narrate(lang),)*
                    AnyEvent::Go(e) => e.narrate(lang),
                }
            }
        }

        /// Runs `$body` with `$p` bound to the model inside `$s`, whichever it is.
        macro_rules! each {
            ($s:expr, $p:ident => $body:expr) => {
                match $s {
                    $($(#[$attr])* AnyScenario::$variant($p) => $body,)*
                    AnyScenario::Go($p) => $body,
                }
            };
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
                    $($(#[$attr])* $id => Ok(AnyScenario::$variant(Box::new(
                        <$module::$ty as Scenario>::build(params, seed)?,
                    ))),)*
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

            pub fn view(&self) -> AnyView {
                match self {
                    $($(#[$attr])* AnyScenario::$variant(p) => AnyView::$variant(Box::new(p.view())),)*
                    AnyScenario::Go(p) => AnyView::Go(Box::new(p.view())),
                }
            }
        }

        impl Stepping for AnyScenario {
            type Event = AnyEvent;

            fn step(&mut self) -> Option<AnyEvent> {
                match self {
                    $($(#[$attr])* AnyScenario::$variant(p) => p.step().map(AnyEvent::$variant),)*
                    AnyScenario::Go(p) => p.step().map(AnyEvent::Go),
                }
            }

            fn now(&self) -> Nanos {
                each!(self, p => p.now())
            }
            fn steps(&self) -> u64 {
                each!(self, p => p.steps())
            }
            fn next_time(&self) -> Option<Nanos> {
                each!(self, p => p.next_time())
            }
            // The loops dispatch once and run the model's own monomorphic loop: stepping through
            // the enum would build (and drop) an `AnyEvent` per event, about a sixth of a fast
            // model's time.
            fn run_events(&mut self, n: u64) -> RunOutcome {
                each!(self, p => p.run_events(n))
            }
            fn run_until(&mut self, t: Nanos, max_events: u64) -> RunOutcome {
                each!(self, p => p.run_until(t, max_events))
            }
            fn halted(&self) -> Option<&Halt> {
                each!(self, p => p.halted())
            }
            fn state_hash(&self) -> u64 {
                each!(self, p => p.state_hash())
            }
            fn advance_clock(&mut self, t: Nanos) {
                each!(self, p => p.advance_clock(t))
            }
            fn approx_bytes(&self) -> usize {
                each!(self, p => p.approx_bytes())
            }
        }
    };
}

registry! {
    WorkerPool(worker_pool::WorkerPool) = "worker_pool",
        "Worker pool with a bounded queue", "带有界队列的 worker pool";
    RateBreaker(rate_breaker::RateBreaker) = "rate_breaker",
        "Token-bucket rate limiter and circuit breaker", "令牌桶限流与熔断器";
    TaskQueue(task_queue::TaskQueue) = "task_queue",
        "Durable task queue with a write-ahead log", "带预写日志的持久化任务队列";
    SharedMap(shared_map::SharedMap) = "shared_map",
        "A map shared by goroutines: RWMutex, sharded, or sync.Map",
        "goroutine 共享的 map:RWMutex、分片或 sync.Map";
    FlashSale(flash_sale::FlashSale) = "flash_sale",
        "A flash-sale pipeline: edge limit, app servers, Redis stock, orders",
        "秒杀链路:入口限流、应用服务器、Redis 库存、订单";
    #[cfg(all(test, not(target_arch = "wasm32")))] ToyMm1(toy_mm1::Mm1) = "toy_mm1", "A toy M/M/1 queue", "玩具 M/M/1 队列";
}

impl AnyScenario {
    /// The summary metrics, in a fixed order.
    pub fn summary(&self) -> Vec<crate::sim::MetricPair> {
        each!(self, p => p.summary())
    }

    pub fn figures(&self) -> Vec<Figure> {
        each!(self, p => p.figures())
    }

    /// Current virtual time (the same as `Scenario::now`, without importing the trait).
    pub fn now_ns(&self) -> Nanos {
        self.now()
    }

    /// The virtual time at which the run's input stops (for progress bars); the run may drain after.
    pub fn horizon(&self) -> Nanos {
        each!(self, p => p.horizon())
    }
}
