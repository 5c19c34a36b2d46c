//! A durable asynchronous task queue: a producer submits tasks to a broker that appends each to a
//! write-ahead log and keeps a queue in memory; consumers apply each task's effect to an external
//! store. The WAL is synced every `fsync` interval, and a crash loses what was not yet synced.
//!
//! Three delivery settings show where tasks are lost or duplicated:
//! - `ack_before_fsync`: the producer is told "stored" before the record is durable; a crash loses it.
//! - `at_least_once`: acks wait for the fsync and the producer resends what was not acked, so nothing
//!   is lost; but a task whose effect was applied and whose "done" record was not synced is delivered
//!   again, and a resend of a task already logged is queued twice.
//! - `exactly_once`: at-least-once plus an idempotent producer (a resend whose sequence number is in
//!   the log is dropped, as Kafka's producer epochs and sequence numbers do) and an idempotency key
//!   the consumer's store checks before applying an effect.

mod event;
mod metrics;
mod model;
mod params;
mod view;

pub use event::TaskQueueEvent;
pub use model::{Broker, TaskQueue};
pub use params::{Config, Delivery, SCHEMA};
pub use view::TaskQueueView;
