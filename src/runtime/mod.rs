//! A deterministic simulation of Go's runtime: goroutines (G), processors (P) and threads (M), the
//! scheduler of proc.go, channels, select, sync primitives, timers and syscalls, executing programs
//! written in a small IR ([`ir`]).
//!
//! Names follow Go's sources so a learner can find the same thing in proc.go or chan.go: runq,
//! runnext, schedtick, handoff, spinning, sendq, recvq, starvation mode. The behaviours modelled and
//! the ones left out are listed in ARCHITECTURE.md, each modelled one pinned by a test in
//! tests/runtime_*.rs.
//!
//! Time: every operation takes virtual time from the [`cost::CostModel`]. Goroutines on different Ps
//! run in parallel in virtual time, interleaving at operation granularity, so an unsynchronised
//! `x++` (a load, an add, a store) can lose updates just as it does in Go.

pub mod build;
pub mod chan;
pub mod cost;
mod exec;
pub mod fmt;
pub mod g;
mod hash;
pub mod heap;
mod invariants;
pub mod ir;
pub mod metrics;
mod proc;
pub mod profile;
mod store;
mod sync;
mod timers;
pub mod trace;
pub mod types;
pub mod view;
mod world;

pub use chan::Channel;
pub use cost::CostModel;
pub use g::{GStatus, GoId, Goroutine, WaitReason};
pub use ir::{Op, Program, Value};
pub use proc::{MState, Machine, PStatus, Processor, LOCAL_RUNQ_SIZE};
pub use sync::{Mutex, RwMutex, WaitGroup, STARVATION_THRESHOLD};
pub use trace::{MId, OpEvent, PId, Placement, Source, TraceEvent};
pub use world::{Config, Exit, Runtime, StepWithin};
