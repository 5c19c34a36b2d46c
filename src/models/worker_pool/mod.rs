//! The worker pool from the source article: a buffered task channel feeding `workers` goroutines, with
//! a producer that either drops a task when the buffer is full (`select` with `default`) or blocks.
//!
//! ```go
//! tasks := make(chan Task, buffer)
//! for i := 0; i < workers; i++ {
//!     go func() { for t := range tasks { t.Run() } }()
//! }
//! select {
//! case tasks <- t:        // a parked worker takes it directly, or it waits in the buffer
//! default:                // buffer full: policy "drop"
//! }
//! ```
//!
//! With exponential arrivals and service this is exactly M/M/c/K with K = workers + buffer (policy
//! drop), and M/M/c (policy block: every blocked producer waits in line, so the queue is the buffer
//! plus the parked senders). That is what the tests check it against.
//!
//! Go's channel rules are kept: a send to a channel with a parked receiver hands the value straight to
//! the receiver that has waited longest (recvq is FIFO); a worker that finishes takes the head of the
//! buffer, and the first parked sender's value moves into the freed slot, so order stays FIFO.

mod event;
mod metrics;
mod model;
mod params;
mod view;

pub use event::{ArrivalOutcome, WorkerPoolEvent};
pub use metrics::{Summary, WorkerPoolMetrics};
pub use model::{Pool, WorkerPool, MAX_WAITING};
pub use params::{Config, Policy, SCHEMA};
pub use view::WorkerPoolView;
