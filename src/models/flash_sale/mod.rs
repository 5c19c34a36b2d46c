//! A flash sale (秒杀): a crowd of users fights over a few items, and the architecture that serves it
//! grows stage by stage, each switchable, so a learner sees what breaks without it:
//!
//! users → edge rate limit (nginx limit_req) → application instances (workers, accept queue, local
//! stock pre-check, a non-core call behind a rate rule and a circuit breaker) → the stock in Redis
//! (naive GET-then-DECR, an atomic Lua decrement, or a distributed lock; split into buckets, each on
//! its own node with an async replica) → the order (written inline, through TCC, or through a
//! message queue) → a delayed verification that compensates lost orders, and a reconciliation job.
//!
//! Faults can be injected at chosen times: a Redis primary dies, the database slows down, the queue
//! loses messages, an availability zone goes down, the non-core service slows down.
//!
//! Granularity is one request, fast enough for 500,000 requests per second of simulated traffic.
//! Simplifications, said in the lessons: an instance's workers do not compete for CPU cores (the
//! per-request CPU time is a delay); load balancing is round robin over healthy instances; the
//! database is one pool of connections with exponential write times and survives a zone outage.

mod edge;
mod event;
mod metrics;
mod model;
mod orders;
mod params;
mod path;
mod redis;
mod state_hash;
mod traffic;
mod view;

pub use edge::{EdgeVerdict, LimitReq};
pub use event::{EdgePass, Fault, FlashSaleEvent, Kind, Next};
pub use metrics::End;
pub use model::{FlashSale, OrderCounts, Sale, MAX_EVENTS, MAX_IN_FLIGHT};
pub use params::{Config, OrderPath, StockOp, SCHEMA};
pub use redis::RedisOp;
pub use traffic::Crowd;
pub use view::{BucketView, Ceilings, FlashSaleView, StageView};
