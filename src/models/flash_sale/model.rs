//! The flash-sale pipeline's state and what each event does to it (the kernel runs the clock). The request path lives in `path.rs`, orders,
//! faults and the background jobs in `orders.rs`; both are `impl Sale` blocks over this state.
//!
//! Invariant: a live request has exactly one pending event, or sits in exactly one queue (an
//! instance's accept queue, its Redis connection queue, a bucket's lock queue, or the database's).
//! That is what lets a slot be reused the moment its request ends.

use std::collections::VecDeque;

use crate::sim::figure::Figure;
use crate::sim::kernel::{Core, Kernel, Model};
use crate::sim::metric::MetricPair;
use crate::sim::rng::SimRng;
use crate::sim::scenario::Halt;
use crate::sim::time::{to_secs, Nanos};
use crate::sim::StateHasher;

use super::edge::LimitReq;
use super::event::FlashSaleEvent;
use super::view::FlashSaleView;
use super::metrics::Metrics;
use super::params::{Config, OrderPath, StockOp};
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
pub enum Ev {
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
pub enum Job {
    Req(u32),
    Msg(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultAt {
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

/// A running flash sale: the model on the kernel. `Clone` is its checkpoint.
pub type FlashSale = Kernel<Sale>;

/// The crowd, the edge, the instances, Redis, the database, the queue and the orders.
#[derive(Clone, Debug)]
pub struct Sale {
    pub(super) cfg: Config,
    pub(super) arrival_rng: SimRng,
    pub(super) route_rng: SimRng,
    pub(super) service_rng: SimRng,
    pub(super) retry_rng: SimRng,
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

type K = Core<Ev>;

impl Sale {
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

    pub(super) fn alloc(&mut self, k: &mut K, attempt: u8, hot: bool) -> u32 {
        let req = Req {
            arrival: k.now(),
            mark: k.now(),
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
    pub(super) fn app_busy_change(&mut self, k: &mut K, delta: i64) {
        self.app_area += u128::from(self.app_busy) * u128::from(k.now() - self.app_since);
        self.app_since = k.now();
        self.app_busy = self.app_busy.saturating_add_signed(delta);
    }

    pub(super) fn note_stock(&mut self, k: &mut K) {
        let left = self.stock_left();
        let sold = self.counts.sold();
        let over = self.oversold();
        self.metrics.stock(k.now(), left, sold, over);
    }

    fn sample(&mut self, k: &mut K) {
        if k.now() < self.next_sample {
            return;
        }
        self.next_sample = k.now() + self.sample_every;
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
            k.now(),
            self.app_queued,
            redis,
            self.db_req_waiting,
            self.mq_backlog,
        );
    }

    /// Utilisation so far: app workers busy, the busiest Redis node, database connections.
    pub fn utilisation(&self, k: &K) -> (f64, f64, f64) {
        let t = k.now().max(1) as f64;
        let workers = (self.cfg.instances as u64 * u64::from(self.cfg.workers)) as f64;
        let area =
            self.app_area + u128::from(self.app_busy) * u128::from(k.now() - self.app_since);
        let app = area as f64 / (workers * t);
        let redis = self
            .nodes
            .iter()
            .map(|n| n.busy as f64 / t)
            .fold(0.0, f64::max);
        let db = self.db_busy as f64 / (f64::from(self.cfg.db_pool) * t);
        (app.min(1.0), redis.min(1.0), db.min(1.0))
    }

    fn dispatch(&mut self, k: &mut K, ev: Ev) -> Option<FlashSaleEvent> {
        let (req, kind) = match ev {
            Ev::Arrive => {
                if let Some(t) = self.crowd.next(&mut self.arrival_rng) {
                    k.schedule(t, Ev::Arrive);
                }
                let hot = self.arrival_rng.next_f64() < self.cfg.hot_fraction;
                self.arrive(k, 0, hot)
            }
            Ev::Retry { attempt, hot } => self.arrive(k, attempt, hot),
            Ev::Forward { r } => (r, self.forwarded(k, r)),
            Ev::Phase { r } => (r, self.phase(k, r)),
            Ev::RedisRun { r, b, op, epoch } => (r, self.redis_run(k, r, b, op, epoch)?),
            Ev::RedisReply {
                r,
                b,
                op,
                value,
                ok,
            } => (r, self.redis_reply(k, r, b, op, value, ok)),
            Ev::DbDone { job, ok } => self.db_done(k, job, ok),
            Ev::Verify { order } => (order, self.verify(k, order)?),
            Ev::Reconcile => (0, self.reconcile(k)),
            Ev::Fault(f) => (0, self.fault(k, f)),
            Ev::Failover { b } => (u32::from(b), self.failover(k, b)),
        };
        Some(FlashSaleEvent {
            at: k.now(),
            req,
            kind,
        })
    }
}

impl Model for Sale {
    type Ev = Ev;
    type Event = FlashSaleEvent;
    type View = FlashSaleView;
    type Config = Config;
    const NAME: &'static str = "flash_sale";

    fn new(cfg: Config, seed: u64, k: &mut K) -> Self {
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
        let mut m = Sale {
            arrival_rng: SimRng::new(seed, STREAM_ARRIVAL),
            route_rng: SimRng::new(seed, STREAM_ROUTE),
            service_rng: SimRng::new(seed, STREAM_SERVICE),
            retry_rng: SimRng::new(seed, STREAM_RETRY),
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
        m.schedule_faults(k);
        if let Some(t) = m.crowd.next(&mut m.arrival_rng) {
            k.schedule(t, Ev::Arrive);
        }
        m
    }

    #[inline]
    fn handle(&mut self, k: &mut K, ev: Ev) -> Option<FlashSaleEvent> {
        let out = self.dispatch(k, ev);
        self.sample(k);
        out
    }

    fn limit(&self, k: &K) -> Option<Halt> {
        if self.live > MAX_IN_FLIGHT {
            return Some(Halt::Limit(format!(
                "stopped at {:.3} s: more than {MAX_IN_FLIGHT} requests were in flight at once (the flash sale's memory budget); lower peak_rps, app_queue or instances",
                to_secs(k.now())
            )));
        }
        (k.steps() >= MAX_EVENTS).then(|| {
            Halt::Limit(format!(
                "stopped after {MAX_EVENTS} events, the flash sale's event budget; shorten duration_s or lower peak_rps"
            ))
        })
    }

    fn hash_state(&self, k: &K, h: &mut StateHasher) {
        self.hash_all(k, h);
    }

    fn approx_bytes(&self, k: &K) -> usize {
        self.reqs.len() * std::mem::size_of::<Req>()
            + self.orders.len() * 2
            + k.pending() * 40
            + self.db_waiters.len() * 8
            + self
                .instances
                .iter()
                .map(|i| (i.queue.len() + i.conn_waiters.len()) * 4)
                .sum::<usize>()
            + 256 * 1024
    }

    fn view(&self, k: &K) -> FlashSaleView {
        super::view::build(self, k.now())
    }

    fn summary(&self, k: &K) -> Vec<MetricPair> {
        self.summary_at(k)
    }

    fn figures(&self, k: &K) -> Vec<Figure> {
        self.metrics.figures(k.now())
    }

    fn horizon(&self) -> Nanos {
        self.cfg.horizon()
    }
}

impl FlashSale {
    /// Utilisation so far: app workers busy, the busiest Redis node, database connections.
    pub fn utilisation(&self) -> (f64, f64, f64) {
        self.model().utilisation(self.core())
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
