//! The flash-sale pipeline's state and event loop. The request path lives in `path.rs`, orders,
//! faults and the background jobs in `orders.rs`; both are `impl FlashSale` blocks over this state.
//!
//! Invariant: a live request has exactly one pending event, or sits in exactly one queue (an
//! instance's accept queue, its Redis connection queue, a bucket's lock queue, or the database's).
//! That is what lets a slot be reused the moment its request ends.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::metric::{Metric, MetricPair};
use crate::sim::params::{ParamError, ParamSpec, Params};
use crate::sim::queue::EventQueue;
use crate::sim::rng::SimRng;
use crate::sim::scenario::{Halt, Scenario, Stepping};
use crate::sim::time::{to_secs, Nanos};
use crate::sim::StateHasher;

use super::edge::LimitReq;
use super::event::FlashSaleEvent;
use super::metrics::{End, Metrics};
use super::params::{Config, OrderPath, StockOp, SCHEMA};
use super::redis::{RedisNode, RedisOp};
use super::traffic::Crowd;
use crate::models::rate_breaker::{Breaker, TokenBucket};

const STREAM_ARRIVAL: u64 = 1;
const STREAM_ROUTE: u64 = 2;
const STREAM_SERVICE: u64 = 3;
const STREAM_RETRY: u64 = 4;

/// Events a run may step before it stops with a message (a budget, not a model limit).
pub const MAX_EVENTS: u64 = 400_000_000;
/// Requests in flight at once before a run stops with a message: the memory budget (each costs
/// about 80 bytes, in the request table and the queues; 4 million is about 320 MB).
pub const MAX_IN_FLIGHT: u64 = 4_000_000;

/// Where a request is in its path; says what its pending event or queue means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    /// Held by limit_req (pending Forward).
    Edge,
    /// In an instance's accept queue.
    Queued,
    /// On a worker's CPU (pending Phase).
    Cpu,
    /// Waiting for the non-core call (pending Phase).
    Noncore,
    /// In its instance's queue for a Redis connection.
    ConnWait,
    /// A Redis command in flight (pending run or reply), or parked in a lock queue.
    Op(RedisOp),
    /// The application logic between GET and DECR (pending Phase).
    Logic,
    /// A TCC coordinator round trip (pending Phase).
    TccRpc(Db),
    /// Waiting for, or holding, a database connection.
    Db(Db),
    /// Publishing the order message (pending Phase).
    Publish,
}

/// Which database write a request is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Db {
    /// The plain order insert.
    Write,
    /// TCC try: the pending order.
    Try,
    /// TCC confirm: retried until it succeeds, as TCC requires.
    Confirm,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Req {
    pub arrival: Nanos,
    /// When the current stage began (for per-stage latency).
    pub mark: Nanos,
    pub attempt: u8,
    pub hot: bool,
    pub live: bool,
    /// Passed the edge (its latency counts).
    pub admitted: bool,
    pub instance: u16,
    /// The instance's epoch when the request reached it: a zone outage bumps it.
    pub inst_epoch: u32,
    pub worker: bool,
    pub conn: bool,
    pub killed: bool,
    pub stage: Stage,
    pub bucket: u8,
    /// Buckets already tried for this request.
    pub tried: u64,
    /// A bucket answered "empty" (so "sold out" rather than "unavailable" if none is left).
    pub saw_empty: bool,
    /// The stock was taken (the order exists).
    pub got: bool,
    pub order: u32,
    pub breaker_gen: u64,
    pub noncore_ok: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ev {
    /// The next first attempt of the crowd.
    Arrive,
    Retry {
        attempt: u8,
        hot: bool,
    },
    /// limit_req's delay is over.
    Forward {
        r: u32,
    },
    /// The request's timed stage (CPU, non-core call, logic, RPC, publish) is over.
    Phase {
        r: u32,
    },
    /// A command runs on bucket `b`'s node (sent in node epoch `epoch`).
    RedisRun {
        r: u32,
        b: u8,
        op: RedisOp,
        epoch: u32,
    },
    /// The reply reaches the application.
    RedisReply {
        r: u32,
        b: u8,
        op: RedisOp,
        value: i64,
        ok: bool,
    },
    /// A database write ends (for a request, or for an order message when `r` is None).
    DbDone {
        job: Job,
        ok: bool,
    },
    Verify {
        order: u32,
    },
    Reconcile,
    Fault(FaultAt),
    Failover {
        b: u8,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Job {
    Req(u32),
    Msg(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FaultAt {
    RedisDown,
    DbSlow,
    DbFast,
    MqLoses,
    ZoneDown,
    ZoneBack,
    NoncoreSlow,
}

/// What became of an order (one per successful decrement).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OrderState {
    /// Being written (inline or via the queue).
    Pending,
    Written,
    /// The write failed or the message was lost: stock taken, no order. A leak until fixed.
    Missing,
    /// TCC cancel returned the stock.
    Cancelled,
    /// A delayed verification returned the stock.
    Compensated,
    /// Reconciliation returned the stock.
    Reconciled,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Instance {
    pub up: bool,
    pub epoch: u32,
    pub busy: u32,
    pub queue: VecDeque<u32>,
    pub conns_free: u32,
    pub conn_waiters: VecDeque<u32>,
    /// Buckets this instance has seen empty.
    pub known_empty: u64,
    /// What is left of its local stock quota.
    pub local_left: u64,
}

/// A running flash sale. `Clone` is its checkpoint.
#[derive(Clone, Debug)]
pub struct FlashSale {
    pub(super) cfg: Config,
    pub(super) arrival_rng: SimRng,
    pub(super) route_rng: SimRng,
    pub(super) service_rng: SimRng,
    pub(super) retry_rng: SimRng,
    pub(super) now: Nanos,
    pub(super) steps: u64,
    pub(super) events: EventQueue<Ev>,
    pub(super) halted: Option<Halt>,
    pub(super) crowd: Crowd,
    pub(super) edge: LimitReq,
    pub(super) reqs: Vec<Req>,
    pub(super) free: Vec<u32>,
    pub(super) live: u64,
    pub(super) instances: Vec<Instance>,
    pub(super) rr: usize,
    pub(super) app_queued: u64,
    pub(super) conn_waiting: u64,
    pub(super) nodes: Vec<RedisNode>,
    pub(super) all_buckets: u64,
    pub(super) breaker: Breaker,
    pub(super) noncore_limit: Option<TokenBucket>,
    pub(super) noncore_slow: bool,
    pub(super) db_free: u32,
    pub(super) db_waiters: VecDeque<Job>,
    pub(super) db_req_waiting: u64,
    pub(super) mq_backlog: u64,
    pub(super) db_slow: bool,
    pub(super) mq_losing: bool,
    pub(super) orders: Vec<(u8, OrderState)>,
    pub(super) counts: OrderCounts,
    /// Worker-nanoseconds busy, and the time the busy count last changed.
    pub(super) app_area: u128,
    pub(super) app_since: Nanos,
    pub(super) app_busy: u64,
    pub(super) db_busy: u128,
    pub(super) next_sample: Nanos,
    pub(super) sample_every: Nanos,
    pub(super) metrics: Metrics,
}

/// Orders by what became of them, and items the replicas lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderCounts {
    pub created: u64,
    pub written: u64,
    pub missing: u64,
    pub cancelled: u64,
    pub compensated: u64,
    pub reconciled: u64,
    /// Decrements lost in failovers (items back on sale that were already sold).
    pub repl_lost: u64,
    /// Oversold items the reconciliation job found.
    pub reconcile_oversold: u64,
}

impl OrderCounts {
    /// Orders that stand (written or being written).
    pub fn sold(&self) -> u64 {
        self.created - self.missing - self.cancelled - self.compensated - self.reconciled
    }
}

impl FlashSale {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let buckets = cfg.buckets.clamp(1, 64);
        let per_bucket = cfg.stock / buckets as u64;
        let extra = cfg.stock % buckets as u64;
        let nodes = (0..buckets as u64)
            .map(|b| RedisNode::new((per_bucket + u64::from(b < extra)) as i64))
            .collect();
        let local_quota = local_quota(&cfg);
        let instances = (0..cfg.instances)
            .map(|_| Instance {
                up: true,
                epoch: 0,
                busy: 0,
                queue: VecDeque::new(),
                conns_free: cfg.redis_pool,
                conn_waiters: VecDeque::new(),
                known_empty: 0,
                local_left: local_quota,
            })
            .collect();
        let span = cfg.horizon().max(1);
        let noncore_limit = (cfg.noncore_rate > 0.0).then(|| {
            TokenBucket::new(
                cfg.noncore_rate,
                (cfg.noncore_rate / 10.0).ceil().max(1.0) as u64,
            )
        });
        let mut m = FlashSale {
            arrival_rng: SimRng::new(seed, STREAM_ARRIVAL),
            route_rng: SimRng::new(seed, STREAM_ROUTE),
            service_rng: SimRng::new(seed, STREAM_SERVICE),
            retry_rng: SimRng::new(seed, STREAM_RETRY),
            now: 0,
            steps: 0,
            events: EventQueue::new(),
            halted: None,
            crowd: Crowd::new(cfg.peak_rps, cfg.ramp, cfg.duration),
            edge: LimitReq::new(cfg.edge_rate, cfg.edge_burst, cfg.edge_nodelay),
            reqs: Vec::new(),
            free: Vec::new(),
            live: 0,
            instances,
            rr: 0,
            app_queued: 0,
            conn_waiting: 0,
            nodes,
            all_buckets: if buckets == 64 {
                u64::MAX
            } else {
                (1u64 << buckets) - 1
            },
            breaker: Breaker::new(cfg.breaker_trip, cfg.breaker_open, 1),
            noncore_limit,
            noncore_slow: false,
            db_free: cfg.db_pool,
            db_waiters: VecDeque::new(),
            db_req_waiting: 0,
            mq_backlog: 0,
            db_slow: false,
            mq_losing: false,
            orders: Vec::new(),
            counts: OrderCounts::default(),
            app_area: 0,
            app_since: 0,
            app_busy: 0,
            db_busy: 0,
            next_sample: 0,
            sample_every: span.div_ceil(960).max(1),
            metrics: Metrics::new(span, cfg.stock),
            cfg,
        };
        m.schedule_faults();
        if let Some(t) = m.crowd.next(&mut m.arrival_rng) {
            m.events.push(t, Ev::Arrive);
        }
        m.check_finished();
        m
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    pub(super) fn local_quota(&self) -> u64 {
        local_quota(&self.cfg)
    }

    pub fn orders(&self) -> OrderCounts {
        self.counts
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The stock Redis holds, summed over buckets (negative once naive decrements overshoot).
    pub fn stock_left(&self) -> i64 {
        self.nodes.iter().map(|n| n.stock).sum()
    }

    pub fn oversold(&self) -> u64 {
        self.counts.sold().saturating_sub(self.cfg.stock)
    }

    /// Requests that have not ended yet.
    pub fn in_flight(&self) -> u64 {
        self.live
    }

    pub(super) fn alloc(&mut self, attempt: u8, hot: bool) -> u32 {
        let req = Req {
            arrival: self.now,
            mark: self.now,
            attempt,
            hot,
            live: true,
            admitted: false,
            instance: 0,
            inst_epoch: 0,
            worker: false,
            conn: false,
            killed: false,
            stage: Stage::Edge,
            bucket: 0,
            tried: 0,
            saw_empty: false,
            got: false,
            order: u32::MAX,
            breaker_gen: 0,
            noncore_ok: true,
        };
        self.live += 1;
        match self.free.pop() {
            Some(r) => {
                self.reqs[r as usize] = req;
                r
            }
            None => {
                self.reqs.push(req);
                (self.reqs.len() - 1) as u32
            }
        }
    }

    pub(super) fn release_slot(&mut self, r: u32) {
        self.reqs[r as usize].live = false;
        self.live -= 1;
        self.free.push(r);
    }

    /// The app's busy worker count changed by `delta`: integrate for utilisation.
    pub(super) fn app_busy_change(&mut self, delta: i64) {
        self.app_area += u128::from(self.app_busy) * u128::from(self.now - self.app_since);
        self.app_since = self.now;
        self.app_busy = self.app_busy.saturating_add_signed(delta);
    }

    pub(super) fn note_stock(&mut self) {
        let left = self.stock_left();
        let sold = self.counts.sold();
        let over = self.oversold();
        self.metrics.stock(self.now, left, sold, over);
    }

    fn sample(&mut self) {
        if self.now < self.next_sample {
            return;
        }
        self.next_sample = self.now + self.sample_every;
        let redis: u64 = self
            .nodes
            .iter()
            .map(|n| u64::from(n.queued()))
            .sum::<u64>()
            + self.conn_waiting
            + self
                .nodes
                .iter()
                .map(|n| n.lock_waiters.len() as u64)
                .sum::<u64>();
        self.metrics.queues(
            self.now,
            self.app_queued,
            redis,
            self.db_req_waiting,
            self.mq_backlog,
        );
    }

    /// Utilisation so far: app workers busy, the busiest Redis node, database connections.
    pub fn utilisation(&self) -> (f64, f64, f64) {
        let t = self.now.max(1) as f64;
        let workers = (self.cfg.instances as u64 * u64::from(self.cfg.workers)) as f64;
        let area =
            self.app_area + u128::from(self.app_busy) * u128::from(self.now - self.app_since);
        let app = area as f64 / (workers * t);
        let redis = self
            .nodes
            .iter()
            .map(|n| n.busy as f64 / t)
            .fold(0.0, f64::max);
        let db = self.db_busy as f64 / (f64::from(self.cfg.db_pool) * t);
        (app.min(1.0), redis.min(1.0), db.min(1.0))
    }

    fn check_finished(&mut self) {
        if self.halted.is_none() && self.events.is_empty() {
            self.halted = Some(Halt::Finished);
        }
    }

    fn dispatch(&mut self, ev: Ev) -> Option<FlashSaleEvent> {
        let (req, kind) = match ev {
            Ev::Arrive => {
                if let Some(t) = self.crowd.next(&mut self.arrival_rng) {
                    self.events.push(t, Ev::Arrive);
                }
                let hot = self.arrival_rng.next_f64() < self.cfg.hot_fraction;
                self.arrive(0, hot)
            }
            Ev::Retry { attempt, hot } => self.arrive(attempt, hot),
            Ev::Forward { r } => (r, self.forwarded(r)),
            Ev::Phase { r } => (r, self.phase(r)),
            Ev::RedisRun { r, b, op, epoch } => (r, self.redis_run(r, b, op, epoch)?),
            Ev::RedisReply {
                r,
                b,
                op,
                value,
                ok,
            } => (r, self.redis_reply(r, b, op, value, ok)),
            Ev::DbDone { job, ok } => self.db_done(job, ok),
            Ev::Verify { order } => (order, self.verify(order)?),
            Ev::Reconcile => (0, self.reconcile()),
            Ev::Fault(f) => (0, self.fault(f)),
            Ev::Failover { b } => (u32::from(b), self.failover(b)),
        };
        Some(FlashSaleEvent {
            at: self.now,
            req,
            kind,
        })
    }
}

impl Scenario for FlashSale {
    type View = super::FlashSaleView;

    fn schema() -> &'static [ParamSpec] {
        SCHEMA
    }

    fn build(params: &Params, seed: u64) -> Result<Self, ParamError> {
        Ok(Self::new(Config::from_params(params)?, seed))
    }

    fn view(&self) -> super::FlashSaleView {
        super::view::build(self)
    }

    fn summary(&self) -> Vec<MetricPair> {
        use Metric::{Count, Real};
        let m = &self.metrics;
        let c = &self.counts;
        let (app_util, redis_util, db_util) = self.utilisation();
        let p = |h: &crate::sim::histogram::LatencyHistogram, q| Real(h.quantile(q) / 1e9);
        let sell_out = m.sold_out_at.unwrap_or(self.now);
        let secs = to_secs(self.cfg.duration).max(1e-9);
        vec![
            // The numbers a learner watches first (the stats panel shows the first sixteen).
            ("sold".into(), Count(c.sold())),
            ("oversold".into(), Count(self.oversold())),
            ("stock_left".into(), Real(self.stock_left() as f64)),
            ("sell_out_s".into(), Real(to_secs(sell_out))),
            ("latency_p99_s".into(), p(&m.e2e, 0.99)),
            ("offered".into(), Count(m.offered)),
            ("admitted".into(), Count(m.admitted())),
            ("served".into(), Count(m.served())),
            ("rejected".into(), Count(m.rejected())),
            ("timed_out".into(), Count(m.count(End::TimedOut))),
            ("leaked".into(), Count(c.missing)),
            ("compensated".into(), Count(c.compensated)),
            ("cancelled".into(), Count(c.cancelled)),
            ("orders_per_s".into(), Real(c.created as f64 / secs)),
            ("latency_p50_s".into(), p(&m.e2e, 0.5)),
            ("breaker_trips".into(), Count(self.breaker.trips)),
            // Everything else, for questions, challenges and the CLI.
            ("stock".into(), Count(self.cfg.stock)),
            (
                "oversell_ratio".into(),
                Real(self.oversold() as f64 / self.cfg.stock.max(1) as f64),
            ),
            ("first_attempts".into(), Count(m.first_attempts)),
            ("retries".into(), Count(m.retries)),
            ("bought".into(), Count(m.count(End::Bought))),
            ("sold_out_answers".into(), Count(m.count(End::SoldOut))),
            ("rejected_edge".into(), Count(m.count(End::EdgeLimited))),
            ("rejected_queue_full".into(), Count(m.count(End::QueueFull))),
            (
                "rejected_unavailable".into(),
                Count(m.count(End::Unavailable)),
            ),
            (
                "rejected_order_failed".into(),
                Count(m.count(End::OrderFailed)),
            ),
            ("in_flight".into(), Count(self.live)),
            ("reconciled".into(), Count(c.reconciled)),
            ("repl_lost".into(), Count(c.repl_lost)),
            ("lost_messages".into(), Count(m.lost_messages)),
            ("late_orders".into(), Count(m.late_orders)),
            ("edge_p99_s".into(), p(&m.edge, 0.99)),
            ("app_wait_p99_s".into(), p(&m.app_wait, 0.99)),
            ("redis_p50_s".into(), p(&m.redis, 0.5)),
            ("redis_p99_s".into(), p(&m.redis, 0.99)),
            ("db_p50_s".into(), p(&m.db, 0.5)),
            ("db_p99_s".into(), p(&m.db, 0.99)),
            ("app_util".into(), Real(app_util)),
            ("redis_util".into(), Real(redis_util)),
            ("db_util".into(), Real(db_util)),
            ("noncore_failed".into(), Count(m.noncore_failed)),
            ("noncore_skipped".into(), Count(m.noncore_skipped)),
        ]
    }

    fn figures(&self) -> Vec<Figure> {
        self.metrics.figures(self.now)
    }

    fn horizon(&self) -> Nanos {
        self.cfg.horizon()
    }
}

impl Stepping for FlashSale {
    type Event = FlashSaleEvent;

    fn now(&self) -> Nanos {
        self.now
    }

    fn steps(&self) -> u64 {
        self.steps
    }

    fn next_time(&self) -> Option<Nanos> {
        if self.halted.is_some() {
            None
        } else {
            self.events.peek_time()
        }
    }

    fn step(&mut self) -> Option<FlashSaleEvent> {
        loop {
            if self.halted.is_some() {
                return None;
            }
            if self.live > MAX_IN_FLIGHT {
                self.halted = Some(Halt::Limit(format!(
                    "stopped at {:.3} s: more than {MAX_IN_FLIGHT} requests were in flight at once (the flash sale's memory budget); lower peak_rps, app_queue or instances",
                    to_secs(self.now)
                )));
                return None;
            }
            if self.steps >= MAX_EVENTS {
                self.halted = Some(Halt::Limit(format!(
                    "stopped after {MAX_EVENTS} events, the flash sale's event budget; shorten duration_s or lower peak_rps"
                )));
                return None;
            }
            let (at, ev) = self.events.pop()?;
            self.now = at;
            let out = self.dispatch(ev);
            self.sample();
            self.check_finished();
            if let Some(e) = out {
                self.steps += 1;
                return Some(e);
            }
        }
    }

    fn halted(&self) -> Option<&Halt> {
        self.halted.as_ref()
    }

    fn advance_clock(&mut self, t: Nanos) {
        if t > self.now {
            self.now = t;
        }
    }

    fn state_hash(&self) -> u64 {
        let mut h = StateHasher::new();
        h.str("flash_sale")
            .u64(self.now)
            .u64(self.steps)
            .u64(self.arrival_rng.draws())
            .u64(self.route_rng.draws())
            .u64(self.service_rng.draws())
            .u64(self.retry_rng.draws())
            .u64(self.events.scheduled())
            .u64(self.live)
            .u64(self.app_queued)
            .u64(self.conn_waiting)
            .u32(self.db_free)
            .usize(self.db_waiters.len())
            .u64(self.mq_backlog)
            .bool(self.db_slow)
            .bool(self.mq_losing)
            .bool(self.noncore_slow);
        self.crowd.hash_into(&mut h);
        self.edge.hash_into(&mut h);
        self.breaker.hash_into(&mut h);
        for (at, seq, _) in self.events.sorted() {
            h.u64(at).u64(seq);
        }
        for n in &self.nodes {
            n.hash_into(&mut h);
        }
        for i in &self.instances {
            h.bool(i.up)
                .u32(i.busy)
                .usize(i.queue.len())
                .u32(i.conns_free)
                .u64(i.known_empty)
                .u64(i.local_left);
        }
        let c = &self.counts;
        for n in [
            c.created,
            c.written,
            c.missing,
            c.cancelled,
            c.compensated,
            c.reconciled,
            c.repl_lost,
        ] {
            h.u64(n);
        }
        h.bool(self.halted.is_some());
        self.metrics.hash_into(&mut h);
        h.finish()
    }

    fn approx_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.reqs.len() * std::mem::size_of::<Req>()
            + self.orders.len() * 2
            + self.events.len() * 40
            + self.db_waiters.len() * 8
            + self
                .instances
                .iter()
                .map(|i| (i.queue.len() + i.conn_waiters.len()) * 4)
                .sum::<usize>()
            + 256 * 1024
    }
}

/// Each instance's share of the stock for the local pre-check (unlimited when it is off).
fn local_quota(cfg: &Config) -> u64 {
    if cfg.local_stock {
        (cfg.stock as f64 * cfg.local_factor / cfg.instances as f64).ceil() as u64
    } else {
        u64::MAX
    }
}

/// Which order path and stock op the configuration uses, for the view.
pub(super) fn describe(cfg: &Config) -> (&'static str, &'static str) {
    let op = match cfg.stock_op {
        StockOp::Naive => "GET + DECR",
        StockOp::Atomic => "Lua DECR",
        StockOp::Lock => "lock + DECR",
    };
    let path = match (cfg.tcc, cfg.order_path) {
        (true, _) => "TCC",
        (false, OrderPath::Sync) => "sync",
        (false, OrderPath::Mq) => "MQ",
    };
    (op, path)
}
