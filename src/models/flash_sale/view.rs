//! The stage diagram's data: each stage with its live queue and throughput, and the throughput
//! ceiling its parameters give it, from which the limiting stage is named.

use super::model::{describe, Sale};
use super::params::{Config, OrderPath, StockOp};
use crate::sim::time::{to_secs, Nanos};

/// One box of the stage diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct StageView {
    pub id: &'static str,
    pub on: bool,
    /// Part of it is down (a fault).
    pub down: bool,
    /// Requests waiting in front of it.
    pub queue: u64,
    /// Requests (or connections) in use, of `slots`.
    pub busy: u64,
    pub slots: u64,
    /// Recent throughput, per second.
    pub rate: f64,
    /// The most buy attempts per second it can pass, from its parameters (infinite: no limit).
    pub ceiling: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BucketView {
    pub stock: i64,
    pub queue: u32,
    pub up: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FlashSaleView {
    pub now: Nanos,
    pub stages: Vec<StageView>,
    pub buckets: Vec<BucketView>,
    pub stock: u64,
    pub stock_left: i64,
    pub sold: u64,
    pub oversold: u64,
    /// Stock taken with no order (not yet compensated or reconciled).
    pub leaked: u64,
    pub sold_out_at: Option<Nanos>,
    /// The stage whose ceiling is lowest, or "traffic" if the crowd is below every ceiling.
    pub limiting: &'static str,
    pub breaker: &'static str,
    pub stock_op: &'static str,
    pub order_path: &'static str,
    pub instances_up: usize,
}

/// Throughput ceilings of the hot path's stages, in buy attempts per second, from the parameters
/// alone: what each stage could pass if every other stage were infinitely fast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ceilings {
    pub edge: f64,
    pub app: f64,
    pub redis: f64,
    pub db: f64,
}

impl Ceilings {
    pub fn of(c: &Config) -> Self {
        let s = |n: Nanos| to_secs(n);
        let op = s(c.redis_op);
        let rtt = s(c.rtt);
        let race = s(c.race);
        let (ops, logic) = match c.stock_op {
            StockOp::Atomic => (1.0, 0.0),
            StockOp::Naive => (2.0, race),
            StockOp::Lock => (4.0, race),
        };
        let redis_time = ops * (rtt + op) + logic;
        let db = c.db_mean / 1e9;
        let order_time = match (c.tcc, c.order_path) {
            (true, _) => 2.0 * db + 2.0 * s(c.tcc_rpc),
            (false, OrderPath::Sync) => db,
            (false, OrderPath::Mq) => s(c.mq_publish),
        };
        let noncore = if c.noncore > 0 {
            s(c.noncore.min(c.noncore_timeout))
        } else {
            0.0
        };
        let hold = s(c.cpu) + noncore + redis_time + order_time;
        let instances = c.instances as f64;
        let app = instances * f64::from(c.workers) / hold.max(1e-12);
        let buckets = c.buckets as f64;
        let nodes = match c.stock_op {
            // The lock is held from its grant to the unlock: three round trips, the logic, three commands.
            StockOp::Lock => buckets / (3.0 * rtt + race + 3.0 * op).max(1e-12),
            _ => buckets / (ops * op).max(1e-12),
        };
        let pool = instances * f64::from(c.redis_pool) / redis_time.max(1e-12);
        let db_slots = f64::from(c.db_pool) / (db * if c.tcc { 2.0 } else { 1.0 }).max(1e-12);
        let db = if c.tcc || c.order_path == OrderPath::Sync {
            db_slots
        } else {
            f64::INFINITY
        };
        let edge = if c.edge_limit {
            c.edge_rate * c.hot_fraction
        } else {
            f64::INFINITY
        };
        Ceilings {
            edge,
            app,
            redis: nodes.min(pool),
            db,
        }
    }

    /// The stage with the lowest ceiling, or "traffic" when the crowd's buy attempts stay under
    /// all of them.
    pub fn limiting(&self, offered_hot: f64) -> &'static str {
        let all = [
            ("edge", self.edge),
            ("app", self.app),
            ("redis", self.redis),
            ("db", self.db),
        ];
        let (name, lowest) = all.iter().fold(("traffic", offered_hot), |best, &(n, c)| {
            if c < best.1 {
                (n, c)
            } else {
                best
            }
        });
        let _ = lowest;
        name
    }
}

pub(super) fn build(m: &Sale, now: Nanos) -> FlashSaleView {
    let c = &m.cfg;
    let mt = &m.metrics;
    let ceilings = Ceilings::of(c);
    let workers = c.instances as u64 * u64::from(c.workers);
    let up = m.instances.iter().filter(|i| i.up).count();
    let in_use: u64 = m.instances.iter().map(|i| u64::from(i.busy)).sum();
    let redis_queue: u64 = m
        .nodes
        .iter()
        .map(|n| u64::from(n.queued()) + n.lock_waiters.len() as u64)
        .sum::<u64>()
        + m.conn_waiting;
    let stage = |id, on, down, queue, busy, slots, rate, ceiling| StageView {
        id,
        on,
        down,
        queue,
        busy,
        slots,
        rate,
        ceiling,
    };
    let (op, path) = describe(c);
    let db_on = c.tcc || c.order_path == OrderPath::Sync || c.order_path == OrderPath::Mq;
    FlashSaleView {
        now,
        stages: vec![
            stage(
                "users",
                true,
                false,
                0,
                m.live,
                0,
                mt.offered_meter.rate(now),
                f64::INFINITY,
            ),
            stage(
                "edge",
                c.edge_limit,
                false,
                0,
                0,
                0,
                mt.edge_meter.rate(now),
                ceilings.edge,
            ),
            stage(
                "app",
                true,
                up < c.instances,
                m.app_queued,
                in_use,
                workers,
                mt.app_meter.rate(now),
                ceilings.app,
            ),
            stage(
                "local",
                c.local_stock,
                false,
                0,
                mt.local_meter.count,
                0,
                mt.local_meter.rate(now),
                f64::INFINITY,
            ),
            stage(
                "noncore",
                c.noncore > 0,
                m.noncore_slow,
                0,
                0,
                0,
                0.0,
                f64::INFINITY,
            ),
            stage(
                "redis",
                true,
                m.nodes.iter().any(|n| !n.up),
                redis_queue,
                0,
                c.buckets as u64,
                mt.redis_meter.rate(now),
                ceilings.redis,
            ),
            stage(
                "mq",
                c.order_path == OrderPath::Mq && !c.tcc,
                m.mq_losing,
                m.mq_backlog,
                0,
                0,
                mt.mq_meter.rate(now),
                f64::INFINITY,
            ),
            stage(
                "db",
                db_on,
                m.db_slow,
                m.db_req_waiting,
                u64::from(c.db_pool - m.db_free),
                u64::from(c.db_pool),
                mt.db_meter.rate(now),
                ceilings.db,
            ),
        ],
        buckets: m
            .nodes
            .iter()
            .map(|n| BucketView {
                stock: n.stock,
                queue: n.queued(),
                up: n.up,
            })
            .collect(),
        stock: c.stock,
        stock_left: m.stock_left(),
        sold: m.counts.sold(),
        oversold: m.oversold(),
        leaked: m.counts.missing,
        sold_out_at: mt.sold_out_at,
        limiting: ceilings.limiting(c.peak_rps * c.hot_fraction),
        breaker: if c.breaker {
            m.breaker.state_at(now).name()
        } else {
            "off"
        },
        stock_op: op,
        order_path: path,
        instances_up: up,
    }
}

impl Sale {
    /// The stage that limits how many buy attempts per second get through (see [`Ceilings`]).
    pub fn limiting_stage(&self) -> &'static str {
        Ceilings::of(&self.cfg).limiting(self.cfg.peak_rps * self.cfg.hot_fraction)
    }
}
