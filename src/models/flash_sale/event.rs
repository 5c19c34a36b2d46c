//! What one step of the flash-sale pipeline did, and how to say it.

use super::metrics::End;
use super::redis::RedisOp;
use crate::sim::text::Lang;
use crate::sim::time::{to_secs, Nanos};

/// One step. `req` is the request's slot (reused once it ends), or the order id for order events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlashSaleEvent {
    pub at: Nanos,
    pub req: u32,
    pub kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A user's request arrived (`attempt` 0 is the first try) and met the edge; `next` is what
    /// the instance did with it when it passed at once.
    Arrived {
        hot: bool,
        attempt: u8,
        edge: EdgePass,
        next: Option<(u16, Next)>,
    },
    /// limit_req's delay is over: the request reached instance `instance`.
    Forwarded {
        instance: u16,
        next: Next,
    },
    /// The request sends its first stock command to bucket `bucket`.
    ToRedis {
        bucket: u8,
    },
    /// The local quota or sold-out flag answered without Redis.
    LocalSoldOut,
    /// The request calls the non-core service.
    CallsNoncore,
    /// The non-core call finished: `ok`, failed (timed out), or was skipped (breaker open or rate
    /// rule).
    Noncore {
        ok: bool,
        skipped: bool,
    },
    /// It waits for one of its instance's Redis connections.
    WaitsForConnection {
        instance: u16,
    },
    /// A Redis command ran on bucket `bucket` and returned `value` (`ok` false: the node was down).
    Redis {
        op: RedisOp,
        bucket: u8,
        value: i64,
        ok: bool,
    },
    /// It waits for bucket `bucket`'s lock.
    WaitsForLock {
        bucket: u8,
    },
    /// The app finished its logic between reading and decrementing the stock.
    LogicDone,
    /// An order row was written (`ok`), or the write failed.
    OrderWrite {
        ok: bool,
    },
    /// The order message was published, or lost by the queue.
    Published {
        lost: bool,
    },
    /// A TCC phase finished: true for try, false for confirm.
    TccRpc {
        try_phase: bool,
    },
    /// The request ended.
    Ended {
        end: End,
    },
    /// A delayed verification message checked an order: `compensated` if it returned its stock.
    Verified {
        compensated: bool,
    },
    /// The reconciliation job fixed `fixed` orders and found `oversold` items sold twice.
    Reconciled {
        fixed: u64,
        oversold: u64,
    },
    Fault {
        fault: Fault,
    },
    /// A Redis replica took over bucket `bucket`; `lost` decrements had not reached it.
    Failover {
        bucket: u8,
        lost: u64,
    },
}

/// What the edge did with an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgePass {
    /// No edge limit configured.
    Off,
    Passed,
    /// Passed after this delay (limit_req without nodelay).
    Delayed(Nanos),
    /// Refused with 503.
    Limited,
}

/// What an instance did with a request that reached it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Started,
    Queued {
        depth: u32,
    },
    QueueFull,
    /// No instance was up.
    NoInstance,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    RedisDown,
    DbSlow,
    DbRecovered,
    MqLoses,
    ZoneDown,
    ZoneBack,
    NoncoreSlow,
}

impl FlashSaleEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = to_secs(self.at);
        let r = self.req;
        let what = match self.kind {
            Kind::Arrived { hot, attempt, edge, next } => {
                let who = match (zh, hot, attempt) {
                    (false, true, 0) => format!("request {r} arrives to buy the hot item"),
                    (false, false, 0) => format!("request {r} arrives to browse"),
                    (false, _, k) => format!("request {r} arrives: a user's retry number {k}"),
                    (true, true, 0) => format!("请求 {r} 到达,要抢购热门商品"),
                    (true, false, 0) => format!("请求 {r} 到达,只是浏览"),
                    (true, _, k) => format!("请求 {r} 到达:某个用户的第 {k} 次重试"),
                };
                let gate = match (zh, edge) {
                    (_, EdgePass::Off) => String::new(),
                    (false, EdgePass::Passed) => "; limit_req passes it".into(),
                    (false, EdgePass::Limited) => "; limit_req refuses it (503)".into(),
                    (false, EdgePass::Delayed(d)) => format!("; limit_req holds it {:.1} ms (no nodelay)", d as f64 / 1e6),
                    (true, EdgePass::Passed) => ",limit_req 放行".into(),
                    (true, EdgePass::Limited) => ",limit_req 拒绝(503)".into(),
                    (true, EdgePass::Delayed(d)) => format!(",limit_req 让它等 {:.1} ms(没有 nodelay)", d as f64 / 1e6),
                };
                let then = next.map(|(i, n)| next_text(i, n, zh)).unwrap_or_default();
                format!("{who}{gate}{then}")
            }
            Kind::Forwarded { instance, next } => {
                let then = next_text(instance, next, zh);
                if zh {
                    format!("请求 {r} 等够了 limit_req 的延迟{then}")
                } else {
                    format!("request {r} has waited out limit_req's delay{then}")
                }
            }
            Kind::ToRedis { bucket } => {
                if zh {
                    format!("请求 {r} 拿到 Redis 连接,把扣库存命令发往分桶 {bucket}")
                } else {
                    format!("request {r} takes a Redis connection and sends its stock command to bucket {bucket}")
                }
            }
            Kind::LocalSoldOut => {
                if zh {
                    format!("本地预检查:请求 {r} 直接得到“已售罄”,没有访问 Redis")
                } else {
                    format!("local pre-check: request {r} is told \"sold out\" without touching Redis")
                }
            }
            Kind::CallsNoncore => {
                if zh {
                    format!("请求 {r} 调用非核心服务(推荐),worker 在等它返回")
                } else {
                    format!("request {r} calls the non-core service (recommendations); its worker waits")
                }
            }
            Kind::Noncore { ok, skipped } => match (zh, ok, skipped) {
                (false, _, true) => format!("request {r} skips the non-core call (breaker open or rate rule): degraded, but fast"),
                (false, true, _) => format!("request {r}'s non-core call returns"),
                (false, false, _) => format!("request {r}'s non-core call times out"),
                (true, _, true) => format!("请求 {r} 跳过非核心调用(熔断打开或限流规则):降级,但很快"),
                (true, true, _) => format!("请求 {r} 的非核心调用返回"),
                (true, false, _) => format!("请求 {r} 的非核心调用超时"),
            },
            Kind::WaitsForConnection { instance } => {
                if zh {
                    format!("实例 {instance} 的 Redis 连接用完了,请求 {r} 等待连接")
                } else {
                    format!("instance {instance}'s Redis connections are all in use: request {r} waits for one")
                }
            }
            Kind::Redis { op, bucket, value, ok } => {
                let op = op.name();
                match (zh, ok) {
                    (false, true) => format!("Redis bucket {bucket} runs {op} for request {r}: {value}"),
                    (false, false) => format!("{op} from request {r} fails: bucket {bucket}'s Redis node is down"),
                    (true, true) => format!("Redis 分桶 {bucket} 为请求 {r} 执行 {op}:返回 {value}"),
                    (true, false) => format!("请求 {r} 的 {op} 失败:分桶 {bucket} 的 Redis 节点宕机"),
                }
            }
            Kind::WaitsForLock { bucket } => {
                if zh {
                    format!("请求 {r} 排队等待分桶 {bucket} 的分布式锁")
                } else {
                    format!("request {r} queues for bucket {bucket}'s distributed lock")
                }
            }
            Kind::LogicDone => {
                if zh {
                    format!("请求 {r} 读完库存后的业务逻辑结束,准备扣减")
                } else {
                    format!("request {r} finishes the logic between reading and decrementing the stock")
                }
            }
            Kind::OrderWrite { ok } => match (zh, ok) {
                (false, true) => format!("order {r} is written to the database"),
                (false, false) => format!("writing order {r} fails: the database took too long"),
                (true, true) => format!("订单 {r} 写入数据库"),
                (true, false) => format!("订单 {r} 写入失败:数据库太慢"),
            },
            Kind::Published { lost } => match (zh, lost) {
                (false, false) => format!("order {r}'s message is published; the user is told it is placed"),
                (false, true) => format!("order {r}'s message is lost by the queue: the stock is taken, but no order will be written"),
                (true, false) => format!("订单 {r} 的消息已发布;用户得到“下单成功”"),
                (true, true) => format!("订单 {r} 的消息被队列弄丢了:库存已扣,订单却不会被写入"),
            },
            Kind::TccRpc { try_phase } => match (zh, try_phase) {
                (false, true) => format!("TCC try for request {r}: stock reserved, the pending order goes to the database"),
                (false, false) => format!("TCC confirm for request {r}"),
                (true, true) => format!("请求 {r} 的 TCC Try:库存已冻结,待确认订单写入数据库"),
                (true, false) => format!("请求 {r} 的 TCC Confirm"),
            },
            Kind::Ended { end } => end_text(end, r, zh),
            Kind::Verified { compensated } => match (zh, compensated) {
                (false, true) => format!("a delayed check finds order {r} missing and returns its item to the stock (compensation)"),
                (false, false) => format!("a delayed check finds order {r} in place"),
                (true, true) => format!("延迟校验发现订单 {r} 不存在,把库存补回(补偿)"),
                (true, false) => format!("延迟校验确认订单 {r} 正常"),
            },
            Kind::Reconciled { fixed, oversold } => {
                if zh {
                    format!("对账任务:修正 {fixed} 个扣了库存却没有订单的记录,发现 {oversold} 件超卖需要退款")
                } else {
                    format!("reconciliation: {fixed} decrements without an order fixed, {oversold} oversold items to refund")
                }
            }
            Kind::Fault { fault } => fault_text(fault, zh).to_string(),
            Kind::Failover { bucket, lost } => {
                if zh {
                    format!("分桶 {bucket} 的副本被提升为主节点;它缺少 {lost} 次尚未复制的扣减,这些商品会被再卖一次")
                } else {
                    format!("a replica takes over bucket {bucket}; it lacks {lost} decrements that had not been replicated, so those items can be sold again")
                }
            }
        };
        if zh {
            format!("{t:.4} 秒:{what}。")
        } else {
            format!("{t:.4} s: {what}.")
        }
    }
}

fn next_text(i: u16, n: Next, zh: bool) -> String {
    match (zh, n) {
        (false, Next::Started) => format!("; a worker of instance {i} starts it"),
        (false, Next::Queued { depth }) => {
            format!("; instance {i} has no free worker, so it waits ({depth} queued)")
        }
        (false, Next::QueueFull) => format!("; instance {i}'s accept queue is full: refused"),
        (false, Next::NoInstance) => "; no instance is up: refused".into(),
        (true, Next::Started) => format!(",实例 {i} 的一个 worker 开始处理"),
        (true, Next::Queued { depth }) => {
            format!(",实例 {i} 的 worker 全忙,排队等待(队列 {depth})")
        }
        (true, Next::QueueFull) => format!(",实例 {i} 的接入队列已满:拒绝"),
        (true, Next::NoInstance) => ",没有可用实例:拒绝".into(),
    }
}

fn end_text(end: End, r: u32, zh: bool) -> String {
    let (en, zh_s) = match end {
        End::Bought => ("gets an order", "抢到了,下单成功"),
        End::SoldOut => ("is told the item is sold out", "得到“已售罄”"),
        End::Browsed => ("gets its page", "拿到了页面"),
        End::EdgeLimited => ("is refused by limit_req (503)", "被 limit_req 拒绝(503)"),
        End::QueueFull => (
            "is refused: the accept queue is full",
            "被拒绝:接入队列已满",
        ),
        End::Unavailable => (
            "fails: nothing could serve it",
            "失败:没有可用的实例或 Redis 节点",
        ),
        End::OrderFailed => ("fails: its order could not be written", "失败:订单写不进去"),
        End::TimedOut => ("ends: the user gave up waiting", "结束:用户等不及放弃了"),
    };
    if zh {
        format!("请求 {r} {zh_s}")
    } else {
        format!("request {r} {en}")
    }
}

fn fault_text(f: Fault, zh: bool) -> &'static str {
    match (f, zh) {
        (Fault::RedisDown, false) => "fault: bucket 0's Redis primary dies",
        (Fault::RedisDown, true) => "故障:分桶 0 的 Redis 主节点宕机",
        (Fault::DbSlow, false) => "fault: the order database slows down",
        (Fault::DbSlow, true) => "故障:订单数据库变慢",
        (Fault::DbRecovered, false) => "the order database is fast again",
        (Fault::DbRecovered, true) => "订单数据库恢复正常",
        (Fault::MqLoses, false) => "fault: the message queue starts losing order messages",
        (Fault::MqLoses, true) => "故障:消息队列开始丢失订单消息",
        (Fault::ZoneDown, false) => {
            "fault: availability zone 0 goes down with its instances and Redis primaries"
        }
        (Fault::ZoneDown, true) => "故障:可用区 0 宕机,连同其中的实例和 Redis 主节点",
        (Fault::ZoneBack, false) => "availability zone 0 is back; its instances rejoin",
        (Fault::ZoneBack, true) => "可用区 0 恢复,其中的实例重新加入",
        (Fault::NoncoreSlow, false) => "fault: the non-core service becomes slow",
        (Fault::NoncoreSlow, true) => "故障:非核心服务变慢",
    }
}
