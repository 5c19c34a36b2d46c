//! The flash-sale pipeline's parameters, grouped by stage, and the checked [`Config`] built from
//! them. Every stage can be switched off, and every fault is off at time 0.

use crate::sim::params::{DefaultValue, ParamError, ParamKind, ParamSpec, Params};
use crate::sim::text::Text;
use crate::sim::time::{from_f64_nanos, Nanos};

/// How the application takes an item from the stock in Redis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockOp {
    /// `GET stock`, some application logic, then `DECR stock`, without checking the result: two
    /// round trips with a race window between them.
    Naive,
    /// One Lua script that decrements only while the stock is positive: one round trip, no race.
    Atomic,
    /// A distributed lock per bucket (`SET lock NX PX`, waiters queued as Redisson's fair lock does),
    /// then GET, logic, DECR and unlock under the lock.
    Lock,
}

pub const STOCK_OPS: &[&str] = &["naive", "atomic", "lock"];

/// Where the order is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderPath {
    /// The request waits for the order row to be written to the database.
    Sync,
    /// The request publishes an order message and answers at once; consumers write the rows.
    Mq,
}

pub const ORDER_PATHS: &[&str] = &["sync", "mq"];

const fn choice(
    name: &'static str,
    choices: &'static [&'static str],
    default: &'static str,
    doc: Text,
) -> ParamSpec {
    ParamSpec {
        name,
        kind: ParamKind::Choice(choices),
        default: DefaultValue::Choice(default),
        doc,
    }
}

#[rustfmt::skip]
pub const SCHEMA: &[ParamSpec] = &[
    // Traffic.
    ParamSpec::float("peak_rps", 1.0, 1_000_000.0, 5000.0, Text::new("Peak requests per second of the flash crowd (first attempts).", "抢购人潮的峰值每秒请求数(首次请求)。")),
    ParamSpec::float("ramp_s", 0.0, 600.0, 1.0, Text::new("Seconds for the traffic to ramp linearly from 0 to the peak.", "流量从 0 线性爬升到峰值的秒数。")),
    ParamSpec::float("duration_s", 0.01, 600.0, 10.0, Text::new("How long new users keep arriving, s.", "新用户持续到达的秒数。")),
    ParamSpec::float("hot_fraction", 0.0, 1.0, 0.9, Text::new("Share of requests that try to buy the hot item (the rest browse).", "抢购热门商品的请求占比(其余为浏览)。")),
    ParamSpec::int("stock", 0, 100_000_000, 100, Text::new("Items on sale.", "在售的商品件数。")),
    ParamSpec::float("timeout_ms", 1.0, 600_000.0, 1000.0, Text::new("How long a user waits for an answer before giving up, ms.", "用户放弃等待前愿意等多久,毫秒。")),
    ParamSpec::float("retry_p", 0.0, 1.0, 0.5, Text::new("Chance a refused or timed-out user tries again.", "被拒绝或超时的用户再次尝试的概率。")),
    ParamSpec::int("max_retries", 0, 10, 2, Text::new("Most retries per user.", "每个用户最多重试次数。")),
    ParamSpec::float("backoff_ms", 0.0, 600_000.0, 200.0, Text::new("First retry backoff; it doubles each time, with jitter, ms.", "第一次重试的退避时间,之后每次翻倍并带抖动,毫秒。")),
    // Edge: nginx limit_req.
    ParamSpec::flag("edge_limit", false, Text::new("Rate-limit at the edge (nginx limit_req).", "在入口限流(nginx limit_req)。")),
    ParamSpec::float("edge_rate", 1.0, 10_000_000.0, 2000.0, Text::new("limit_req rate, requests per second.", "limit_req 的速率,每秒请求数。")),
    ParamSpec::int("edge_burst", 0, 1_000_000, 200, Text::new("limit_req burst: excess requests allowed beyond the rate.", "limit_req 的 burst:超出速率后还允许的请求数。")),
    ParamSpec::flag("edge_nodelay", true, Text::new("limit_req nodelay: pass burst requests at once instead of spacing them.", "limit_req nodelay:突发请求立即放行,而不是按速率排开。")),
    // Application servers.
    ParamSpec::int("instances", 1, 1000, 4, Text::new("Application server instances.", "应用服务器实例数。")),
    ParamSpec::int("workers", 1, 100_000, 200, Text::new("Requests each instance handles at once (worker goroutines).", "每个实例同时处理的请求数(worker goroutine)。")),
    ParamSpec::int("app_queue", 0, 1_000_000, 1000, Text::new("Requests each instance lets wait for a worker; more are refused.", "每个实例允许排队等待 worker 的请求数,超出即拒绝。")),
    ParamSpec::float("cpu_us", 0.0, 1_000_000.0, 200.0, Text::new("CPU time per request, µs.", "每个请求的 CPU 时间,微秒。")),
    ParamSpec::flag("local_stock", false, Text::new("Pre-check a local stock quota in each instance before Redis.", "访问 Redis 之前先在实例内检查本地库存配额。")),
    ParamSpec::float("local_factor", 1.0, 10.0, 1.0, Text::new("Local quota per instance as a multiple of stock ÷ instances.", "每个实例的本地配额,是 库存÷实例数 的几倍。")),
    // Non-core path, rate rule and circuit breaker.
    ParamSpec::float("noncore_ms", 0.0, 60_000.0, 5.0, Text::new("Latency of the non-core call each request makes (recommendations), ms; 0 for none.", "每个请求都要做的非核心调用(推荐服务)的延迟,毫秒;0 表示没有。")),
    ParamSpec::float("noncore_timeout_ms", 1.0, 600_000.0, 500.0, Text::new("Timeout of the non-core call, ms.", "非核心调用的超时,毫秒。")),
    ParamSpec::float("noncore_rate", 0.0, 10_000_000.0, 0.0, Text::new("Rate rule: non-core calls allowed per second (0: no rule); the rest skip the call.", "限流规则:每秒允许的非核心调用数(0:不限);超出的请求跳过这次调用。")),
    ParamSpec::flag("breaker", false, Text::new("Circuit breaker on the non-core call.", "非核心调用上的熔断器。")),
    ParamSpec::int("breaker_trip", 1, 10_000, 5, Text::new("Consecutive failures that open the breaker.", "连续失败几次后熔断器打开。")),
    ParamSpec::float("breaker_open_s", 0.001, 600.0, 1.0, Text::new("How long the breaker stays open before probing, s.", "熔断器打开后多久开始试探,秒。")),
    // Redis stock.
    choice("stock_op", STOCK_OPS, "atomic", Text::new("naive (GET then DECR), atomic (Lua decrement) or lock (distributed lock).", "naive(先 GET 再 DECR)、atomic(Lua 原子扣减)或 lock(分布式锁)。")),
    ParamSpec::int("buckets", 1, 64, 1, Text::new("Stock split into this many buckets, each on its own Redis node.", "库存拆成几个分桶,每个分桶在独立的 Redis 节点上。")),
    ParamSpec::float("redis_op_us", 0.1, 100_000.0, 10.0, Text::new("Time a Redis node spends on one command (single-threaded), µs.", "Redis 节点执行一条命令的时间(单线程),微秒。")),
    ParamSpec::float("rtt_us", 0.0, 1_000_000.0, 500.0, Text::new("Network round trip between app and Redis, µs.", "应用与 Redis 之间的网络往返时间,微秒。")),
    ParamSpec::int("redis_pool", 1, 100_000, 50, Text::new("Redis connections per instance.", "每个实例的 Redis 连接数。")),
    ParamSpec::float("race_us", 0.0, 1_000_000.0, 1000.0, Text::new("Application logic between reading and decrementing the stock, µs.", "读库存与扣库存之间的应用逻辑耗时,微秒。")),
    ParamSpec::float("redis_timeout_ms", 0.1, 60_000.0, 100.0, Text::new("How long a command to a dead Redis node takes to fail, ms.", "发往宕机 Redis 节点的命令多久后失败,毫秒。")),
    ParamSpec::float("repl_lag_ms", 0.0, 60_000.0, 10.0, Text::new("Replication lag: decrements this recent are lost when a replica takes over, ms.", "复制延迟:副本接管时,这么近的扣减会丢失,毫秒。")),
    ParamSpec::float("failover_s", 0.0, 600.0, 5.0, Text::new("Time until a replica is promoted after a Redis primary dies, s.", "Redis 主节点宕机后多久提升副本,秒。")),
    // Orders.
    choice("order_path", ORDER_PATHS, "sync", Text::new("sync (wait for the database) or mq (publish and answer).", "sync(等数据库写完)或 mq(发消息后立即返回)。")),
    ParamSpec::int("db_pool", 1, 100_000, 50, Text::new("Database connections for order writes.", "写订单用的数据库连接数。")),
    ParamSpec::float("db_ms", 0.01, 600_000.0, 5.0, Text::new("Mean time to write an order row, ms.", "写一行订单的平均时间,毫秒。")),
    ParamSpec::float("db_timeout_ms", 1.0, 600_000.0, 1000.0, Text::new("An order write that waits and runs longer than this fails, ms.", "订单写入(排队加执行)超过这个时间即失败,毫秒。")),
    ParamSpec::float("mq_publish_us", 0.0, 1_000_000.0, 300.0, Text::new("Time to publish an order message, µs.", "发布一条订单消息的时间,微秒。")),
    ParamSpec::flag("tcc", false, Text::new("TCC: try (reserve stock, pending order), then confirm, or cancel on failure.", "TCC:先 Try(冻结库存、预建订单),再 Confirm,失败则 Cancel。")),
    ParamSpec::float("tcc_rpc_ms", 0.0, 60_000.0, 2.0, Text::new("One TCC coordinator round trip, ms.", "TCC 协调器一次往返,毫秒。")),
    ParamSpec::flag("verify", false, Text::new("A delayed message checks each order and returns stock for lost ones.", "延迟消息检查每个订单,把丢失订单的库存补回。")),
    ParamSpec::float("verify_delay_s", 0.01, 86_400.0, 5.0, Text::new("Delay of the verification message, s.", "校验消息的延迟,秒。")),
    ParamSpec::flag("reconcile", false, Text::new("Run a reconciliation job that fixes every mismatch.", "运行对账任务,修正所有不一致。")),
    ParamSpec::float("reconcile_at_s", 0.0, 86_400.0, 30.0, Text::new("When the reconciliation job runs, s.", "对账任务运行的时间,秒。")),
    // Faults.
    ParamSpec::float("redis_down_at_s", 0.0, 3600.0, 0.0, Text::new("Kill the Redis primary of bucket 0 at this time, s (0: never).", "在这个时间让分桶 0 的 Redis 主节点宕机,秒(0:不发生)。")),
    ParamSpec::float("db_slow_at_s", 0.0, 3600.0, 0.0, Text::new("The database slows down at this time, s (0: never).", "数据库在这个时间开始变慢,秒(0:不发生)。")),
    ParamSpec::float("db_slow_s", 0.0, 3600.0, 5.0, Text::new("How long the slowdown lasts, s.", "变慢持续多久,秒。")),
    ParamSpec::float("db_slow_factor", 1.0, 1000.0, 20.0, Text::new("Writes take this many times longer during the slowdown.", "变慢期间写入耗时是平时的几倍。")),
    ParamSpec::float("mq_lose_at_s", 0.0, 3600.0, 0.0, Text::new("The message queue loses messages from this time, s (0: never).", "消息队列从这个时间开始丢消息,秒(0:不发生)。")),
    ParamSpec::int("mq_lose", 0, 1_000_000, 10, Text::new("Order messages lost.", "丢失的订单消息条数。")),
    ParamSpec::float("zone_down_at_s", 0.0, 3600.0, 0.0, Text::new("Availability zone 0 goes down at this time, s (0: never).", "可用区 0 在这个时间宕机,秒(0:不发生)。")),
    ParamSpec::float("zone_down_s", 0.0, 3600.0, 10.0, Text::new("How long the zone stays down, s.", "可用区宕机多久,秒。")),
    ParamSpec::int("zones", 1, 8, 2, Text::new("Availability zones; instances and Redis primaries are spread over them.", "可用区数量;实例和 Redis 主节点分布在其中。")),
    ParamSpec::float("noncore_slow_at_s", 0.0, 3600.0, 0.0, Text::new("The non-core service slows down at this time, s (0: never).", "非核心服务在这个时间开始变慢,秒(0:不发生)。")),
    ParamSpec::float("noncore_slow_ms", 0.0, 600_000.0, 2000.0, Text::new("The non-core call's latency once it is slow, ms.", "变慢后非核心调用的延迟,毫秒。")),
];

/// A fault's start, or `None` when it is off (a time of 0 in the parameters).
fn at(s: f64) -> Option<Nanos> {
    (s > 0.0).then(|| from_f64_nanos(s * 1e9))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub peak_rps: f64,
    pub ramp: f64,
    pub duration: Nanos,
    pub hot_fraction: f64,
    pub stock: u64,
    pub timeout: Nanos,
    pub retry_p: f64,
    pub max_retries: u8,
    pub backoff: f64,
    pub edge_limit: bool,
    pub edge_rate: f64,
    pub edge_burst: f64,
    pub edge_nodelay: bool,
    pub instances: usize,
    pub workers: u32,
    pub app_queue: usize,
    pub cpu: Nanos,
    pub local_stock: bool,
    pub local_factor: f64,
    pub noncore: Nanos,
    pub noncore_timeout: Nanos,
    pub noncore_rate: f64,
    pub breaker: bool,
    pub breaker_trip: u32,
    pub breaker_open: Nanos,
    pub stock_op: StockOp,
    pub buckets: usize,
    pub redis_op: Nanos,
    pub rtt: Nanos,
    pub redis_pool: u32,
    pub race: Nanos,
    pub redis_timeout: Nanos,
    pub repl_lag: Nanos,
    pub failover: Nanos,
    pub order_path: OrderPath,
    pub db_pool: u32,
    pub db_mean: f64,
    pub db_timeout: Nanos,
    pub mq_publish: Nanos,
    pub tcc: bool,
    pub tcc_rpc: Nanos,
    pub verify: bool,
    pub verify_delay: Nanos,
    pub reconcile_at: Option<Nanos>,
    pub redis_down_at: Option<Nanos>,
    pub db_slow_at: Option<Nanos>,
    pub db_slow: Nanos,
    pub db_slow_factor: f64,
    pub mq_lose_at: Option<Nanos>,
    pub mq_lose: u64,
    pub zone_down_at: Option<Nanos>,
    pub zone_down: Nanos,
    pub zones: usize,
    pub noncore_slow_at: Option<Nanos>,
    pub noncore_slow: Nanos,
}

impl Config {
    pub fn from_params(p: &Params) -> Result<Self, ParamError> {
        let all = Params::over_defaults(SCHEMA, p)?;
        let num = |n: &str| all.num(n);
        let flag = |n: &str| all.flag(n);
        let us = |n: &str| num(n).map(|x| from_f64_nanos(x * 1e3));
        let ms = |n: &str| num(n).map(|x| from_f64_nanos(x * 1e6));
        let s = |n: &str| num(n).map(|x| from_f64_nanos(x * 1e9));
        let stock_op = match all.choice("stock_op")? {
            "naive" => StockOp::Naive,
            "lock" => StockOp::Lock,
            _ => StockOp::Atomic,
        };
        let order_path = match all.choice("order_path")? {
            "mq" => OrderPath::Mq,
            _ => OrderPath::Sync,
        };
        let reconcile = flag("reconcile")?;
        Ok(Config {
            peak_rps: num("peak_rps")?,
            ramp: num("ramp_s")?,
            duration: s("duration_s")?,
            hot_fraction: num("hot_fraction")?,
            stock: num("stock")? as u64,
            timeout: ms("timeout_ms")?.max(1),
            retry_p: num("retry_p")?,
            max_retries: num("max_retries")? as u8,
            backoff: num("backoff_ms")? * 1e6,
            edge_limit: flag("edge_limit")?,
            edge_rate: num("edge_rate")?,
            edge_burst: num("edge_burst")?,
            edge_nodelay: flag("edge_nodelay")?,
            instances: num("instances")? as usize,
            workers: num("workers")? as u32,
            app_queue: num("app_queue")? as usize,
            cpu: us("cpu_us")?,
            local_stock: flag("local_stock")?,
            local_factor: num("local_factor")?,
            noncore: ms("noncore_ms")?,
            noncore_timeout: ms("noncore_timeout_ms")?.max(1),
            noncore_rate: num("noncore_rate")?,
            breaker: flag("breaker")?,
            breaker_trip: num("breaker_trip")? as u32,
            breaker_open: s("breaker_open_s")?.max(1),
            stock_op,
            buckets: num("buckets")? as usize,
            redis_op: us("redis_op_us")?.max(1),
            rtt: us("rtt_us")?,
            redis_pool: num("redis_pool")? as u32,
            race: us("race_us")?,
            redis_timeout: ms("redis_timeout_ms")?.max(1),
            repl_lag: ms("repl_lag_ms")?,
            failover: s("failover_s")?,
            order_path,
            db_pool: num("db_pool")? as u32,
            db_mean: num("db_ms")? * 1e6,
            db_timeout: ms("db_timeout_ms")?.max(1),
            mq_publish: us("mq_publish_us")?,
            tcc: flag("tcc")?,
            tcc_rpc: ms("tcc_rpc_ms")?,
            verify: flag("verify")?,
            verify_delay: s("verify_delay_s")?.max(1),
            reconcile_at: reconcile.then_some(s("reconcile_at_s")?),
            redis_down_at: at(num("redis_down_at_s")?),
            db_slow_at: at(num("db_slow_at_s")?),
            db_slow: s("db_slow_s")?,
            db_slow_factor: num("db_slow_factor")?,
            mq_lose_at: at(num("mq_lose_at_s")?),
            mq_lose: num("mq_lose")? as u64,
            zone_down_at: at(num("zone_down_at_s")?),
            zone_down: s("zone_down_s")?,
            zones: num("zones")? as usize,
            noncore_slow_at: at(num("noncore_slow_at_s")?),
            noncore_slow: ms("noncore_slow_ms")?,
        })
    }

    /// Whether instance `i` lives in availability zone 0 (the one a zone outage takes down).
    pub fn instance_in_zone0(&self, i: usize) -> bool {
        i % self.zones == 0
    }

    /// Whether bucket `b`'s Redis primary lives in zone 0.
    pub fn bucket_in_zone0(&self, b: usize) -> bool {
        b % self.zones == 0
    }

    /// The latest time anything is scheduled to happen on its own: traffic end, faults, jobs.
    pub fn horizon(&self) -> Nanos {
        let mut h = self.duration;
        for t in [
            self.reconcile_at,
            self.redis_down_at,
            self.db_slow_at,
            self.mq_lose_at,
            self.zone_down_at,
            self.noncore_slow_at,
        ]
        .into_iter()
        .flatten()
        {
            h = h.max(t);
        }
        h
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);
