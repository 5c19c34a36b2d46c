//! The discrete-event kernel: virtual time, an ordered event queue, seeded randomness, distributions,
//! bounded metrics and the [`Scenario`] interface every model implements.
//!
//! Nothing here does IO or reads a clock: a run is a pure function of its parameters and seed, and gives
//! bit-identical results natively and in wasm.

pub mod dist;
pub mod figure;
pub mod hash;
pub mod histogram;
pub mod kernel;
pub mod metric;
pub mod params;
pub mod queue;
pub mod rng;
pub mod scenario;
pub mod series;
pub mod text;
pub mod time;
pub mod ziggurat;

pub use dist::Dist;
pub use hash::StateHasher;
pub use histogram::{LatencyHistogram, Percentiles, WindowedLatency};
pub use kernel::{Core, Kernel, Model};
pub use metric::{Metric, MetricPair};
pub use params::{ParamError, ParamKind, ParamSpec, ParamValue, Params};
pub use queue::EventQueue;
pub use rng::SimRng;
pub use scenario::{Halt, RunOutcome, Scenario, Stepping};
pub use series::{Bucket, Series};
pub use text::{Lang, Text};
pub use time::{Nanos, NANOS_PER_MILLI, NANOS_PER_SEC};
