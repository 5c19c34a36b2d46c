//! A request's path: the edge, an application instance's worker, the local pre-check, the non-core
//! call, and the stock in Redis, up to the moment an item is taken (orders are in `orders.rs`).

use super::edge::EdgeVerdict;
use super::event::{EdgePass, Kind, Next};
use super::metrics::End;
use super::model::{Ev, Sale, Stage};
use super::params::{OrderPath, StockOp};
use super::redis::RedisOp;
use super::traffic::backoff;

type K = crate::sim::kernel::Core<Ev>;

impl Sale {
    /// A request (a first attempt or a retry) arrives at the edge.
    pub(super) fn arrive(&mut self, k: &mut K, attempt: u8, hot: bool) -> (u32, Kind) {
        let r = self.alloc(k, attempt, hot);
        self.metrics.arrived(k.now(), attempt > 0);
        let edge = if self.cfg.edge_limit {
            match self.edge.check(k.now()) {
                EdgeVerdict::Rejected => {
                    self.end(k, r, End::EdgeLimited);
                    EdgePass::Limited
                }
                EdgeVerdict::Pass(delay) if delay > 0 => {
                    k.schedule(k.now() + delay, Ev::Forward { r });
                    EdgePass::Delayed(delay)
                }
                EdgeVerdict::Pass(_) => EdgePass::Passed,
            }
        } else {
            EdgePass::Off
        };
        let next = matches!(edge, EdgePass::Off | EdgePass::Passed).then(|| self.forward(k, r));
        (
            r,
            Kind::Arrived {
                hot,
                attempt,
                edge,
                next,
            },
        )
    }

    /// limit_req's delay is over.
    pub(super) fn forwarded(&mut self, k: &mut K, r: u32) -> Kind {
        let (instance, next) = self.forward(k, r);
        Kind::Forwarded { instance, next }
    }

    /// The request leaves the edge for an instance, round robin over the instances that are up.
    fn forward(&mut self, k: &mut K, r: u32) -> (u16, Next) {
        let delay = k.now() - self.reqs[r as usize].arrival;
        self.reqs[r as usize].admitted = true;
        self.metrics.passed_edge(k.now(), delay);
        let n = self.instances.len();
        let Some(i) = (0..n)
            .map(|j| (self.rr + j) % n)
            .find(|&i| self.instances[i].up)
        else {
            self.end(k, r, End::Unavailable);
            return (0, Next::NoInstance);
        };
        self.rr = (i + 1) % n;
        let req = &mut self.reqs[r as usize];
        req.instance = i as u16;
        req.inst_epoch = self.instances[i].epoch;
        req.mark = k.now();
        let inst = &mut self.instances[i];
        if inst.busy < self.cfg.workers {
            self.start(k, r);
            return (i as u16, Next::Started);
        }
        if inst.queue.len() < self.cfg.app_queue {
            inst.queue.push_back(r);
            self.app_queued += 1;
            self.reqs[r as usize].stage = Stage::Queued;
            let depth = self.instances[i].queue.len() as u32;
            return (i as u16, Next::Queued { depth });
        }
        self.end(k, r, End::QueueFull);
        (i as u16, Next::QueueFull)
    }

    fn timed_out(&self, k: &K, r: u32) -> bool {
        k.now() - self.reqs[r as usize].arrival >= self.cfg.timeout
    }

    /// A worker takes the request, unless its user has already given up.
    fn start(&mut self, k: &mut K, r: u32) {
        if self.timed_out(k, r) {
            self.end(k, r, End::TimedOut);
            return;
        }
        let i = self.reqs[r as usize].instance as usize;
        self.instances[i].busy += 1;
        self.app_busy_change(k, 1);
        let req = &mut self.reqs[r as usize];
        self.metrics.app_wait.record(k.now() - req.mark);
        req.worker = true;
        req.stage = Stage::Cpu;
        k.schedule(k.now() + self.cfg.cpu, Ev::Phase { r });
    }

    /// Gives instance `i`'s free workers to the requests waiting for them.
    fn fill_workers(&mut self, k: &mut K, i: usize) {
        while self.instances[i].busy < self.cfg.workers {
            let Some(r) = self.instances[i].queue.pop_front() else {
                break;
            };
            self.app_queued -= 1;
            self.start(k, r);
        }
    }

    /// A request's timed stage is over.
    pub(super) fn phase(&mut self, k: &mut K, r: u32) -> Kind {
        if self.reqs[r as usize].killed {
            return self.abandon(k, r);
        }
        match self.reqs[r as usize].stage {
            Stage::Cpu => self.after_cpu(k, r),
            Stage::Noncore => self.after_noncore(k, r),
            Stage::Logic => {
                self.send(k, r, RedisOp::Decr);
                Kind::LogicDone
            }
            Stage::Publish => self.publish(k, r),
            Stage::TccRpc(db) => {
                self.db_request(k, r, db);
                Kind::TccRpc {
                    try_phase: db == super::model::Db::Try,
                }
            }
            // No other stage has a Phase event pending.
            _ => Kind::LogicDone,
        }
    }

    fn after_cpu(&mut self, k: &mut K, r: u32) -> Kind {
        let req = self.reqs[r as usize];
        if req.hot && self.cfg.local_stock {
            let inst = &mut self.instances[req.instance as usize];
            if inst.local_left == 0 || inst.known_empty == self.all_buckets {
                self.metrics.local_meter.hit(k.now());
                self.end(k, r, End::SoldOut);
                return Kind::LocalSoldOut;
            }
            inst.local_left -= 1;
        }
        self.noncore(k, r)
    }

    /// The non-core call, behind its rate rule and breaker; a skipped call costs nothing.
    fn noncore(&mut self, k: &mut K, r: u32) -> Kind {
        if self.cfg.noncore == 0 {
            return self.after_noncore_done(k, r);
        }
        let limited = self
            .noncore_limit
            .as_mut()
            .is_some_and(|l| !l.allow(k.now()));
        let gen = if limited || !self.cfg.breaker {
            Some(0)
        } else {
            self.breaker.before(k.now()).ok()
        };
        let Some(gen) = gen.filter(|_| !limited) else {
            self.metrics.noncore_skipped += 1;
            self.after_noncore_done(k, r);
            return Kind::Noncore {
                ok: true,
                skipped: true,
            };
        };
        let latency = if self.noncore_slow {
            self.cfg.noncore_slow
        } else {
            self.cfg.noncore
        };
        let ok = latency <= self.cfg.noncore_timeout;
        let req = &mut self.reqs[r as usize];
        req.breaker_gen = gen;
        req.noncore_ok = ok;
        req.stage = Stage::Noncore;
        k.schedule(
            k.now() + latency.min(self.cfg.noncore_timeout),
            Ev::Phase { r },
        );
        Kind::CallsNoncore
    }

    fn after_noncore(&mut self, k: &mut K, r: u32) -> Kind {
        let req = self.reqs[r as usize];
        if self.cfg.breaker {
            self.breaker
                .after(k.now(), req.breaker_gen, req.noncore_ok);
        }
        if !req.noncore_ok {
            self.metrics.noncore_failed += 1;
        }
        self.after_noncore_done(k, r);
        Kind::Noncore {
            ok: req.noncore_ok,
            skipped: false,
        }
    }

    fn after_noncore_done(&mut self, k: &mut K, r: u32) -> Kind {
        if !self.reqs[r as usize].hot {
            return self.end(k, r, End::Browsed);
        }
        self.redis_begin(k, r)
    }

    /// Picks a first bucket and takes a Redis connection (or queues for one).
    fn redis_begin(&mut self, k: &mut K, r: u32) -> Kind {
        let i = self.reqs[r as usize].instance as usize;
        let start = self.route_rng.below(self.nodes.len() as u64) as usize;
        let b = self.pick_bucket(i, 0, start).unwrap_or(start);
        let req = &mut self.reqs[r as usize];
        req.bucket = b as u8;
        req.mark = k.now();
        let inst = &mut self.instances[i];
        if inst.conns_free > 0 {
            inst.conns_free -= 1;
            req.conn = true;
            self.first_op(k, r);
            Kind::ToRedis { bucket: b as u8 }
        } else {
            inst.conn_waiters.push_back(r);
            self.conn_waiting += 1;
            req.stage = Stage::ConnWait;
            Kind::WaitsForConnection { instance: i as u16 }
        }
    }

    /// The next bucket from `start` not yet tried and not known to be empty.
    fn pick_bucket(&self, i: usize, tried: u64, start: usize) -> Option<usize> {
        let n = self.nodes.len();
        let skip = tried | self.instances[i].known_empty;
        (0..n)
            .map(|j| (start + j) % n)
            .find(|&b| skip & (1 << b) == 0)
    }

    fn first_op(&mut self, k: &mut K, r: u32) {
        let op = match self.cfg.stock_op {
            StockOp::Naive => RedisOp::Get,
            StockOp::Atomic => RedisOp::DecrIfPositive,
            StockOp::Lock => RedisOp::Lock,
        };
        self.send(k, r, op);
    }

    /// Sends `op` to the request's bucket: it runs when the node gets to it, or fails after the
    /// client's timeout if the node is down.
    pub(super) fn send(&mut self, k: &mut K, r: u32, op: RedisOp) {
        let b = self.reqs[r as usize].bucket;
        self.reqs[r as usize].stage = Stage::Op(op);
        let node = &mut self.nodes[b as usize];
        let epoch = node.epoch;
        match node.send(k.now() + self.cfg.rtt / 2, self.cfg.redis_op) {
            Some(done) => k.schedule(done, Ev::RedisRun { r, b, op, epoch }),
            None => k.schedule(
                k.now() + self.cfg.redis_timeout,
                Ev::RedisReply {
                    r,
                    b,
                    op,
                    value: 0,
                    ok: false,
                },
            ),
        }
    }

    /// A command runs on its node. None when nothing visible happened (a lock request queued
    /// behind the holder is reported; a command lost with its node is not).
    pub(super) fn redis_run(&mut self, k: &mut K, r: u32, b: u8, op: RedisOp, epoch: u32) -> Option<Kind> {
        let node = &mut self.nodes[b as usize];
        if node.epoch != epoch {
            // The node died with the command in flight: the client times out.
            k.schedule(
                k.now() + self.cfg.redis_timeout,
                Ev::RedisReply {
                    r,
                    b,
                    op,
                    value: 0,
                    ok: false,
                },
            );
            return None;
        }
        let value = node.run(op, k.now(), self.cfg.repl_lag);
        self.metrics.redis_meter.hit(k.now());
        let back = k.now() + self.cfg.rtt - self.cfg.rtt / 2;
        match op {
            RedisOp::Lock if node.lock_holder.is_some() => {
                node.lock_waiters.push_back(r);
                return Some(Kind::WaitsForLock { bucket: b });
            }
            RedisOp::Lock => node.lock_holder = Some(r),
            RedisOp::Unlock => {
                node.lock_holder = None;
                self.grant_lock(k, b as usize);
            }
            RedisOp::Decr | RedisOp::DecrIfPositive | RedisOp::Incr => self.note_stock(k),
            RedisOp::Get => {}
        }
        k.schedule(
            back,
            Ev::RedisReply {
                r,
                b,
                op,
                value,
                ok: true,
            },
        );
        Some(Kind::Redis {
            op,
            bucket: b,
            value,
            ok: true,
        })
    }

    /// Hands bucket `b`'s lock to the first waiter (notified one half round trip later).
    pub(super) fn grant_lock(&mut self, k: &mut K, b: usize) {
        if let Some(w) = self.nodes[b].lock_waiters.pop_front() {
            self.nodes[b].lock_holder = Some(w);
            let at = k.now() + self.cfg.rtt - self.cfg.rtt / 2;
            k.schedule(
                at,
                Ev::RedisReply {
                    r: w,
                    b: b as u8,
                    op: RedisOp::Lock,
                    value: 1,
                    ok: true,
                },
            );
        }
    }

    /// A reply reaches the application.
    pub(super) fn redis_reply(&mut self, k: &mut K, r: u32, b: u8, op: RedisOp, value: i64, ok: bool) -> Kind {
        let kind = Kind::Redis {
            op,
            bucket: b,
            value,
            ok,
        };
        if self.reqs[r as usize].killed {
            let took = ok && (op == RedisOp::Decr || (op == RedisOp::DecrIfPositive && value == 1));
            if took && !self.reqs[r as usize].got {
                // The node took the item, but the instance that asked died: an order nobody wrote.
                self.reqs[r as usize].got = true;
                self.create_order(k, r);
            }
            self.abandon(k, r);
            return kind;
        }
        if !ok {
            if op == RedisOp::Incr {
                // A TCC cancel that could not reach the node: the coordinator retries it.
                self.send(k, r, RedisOp::Incr);
                return kind;
            }
            let req = &mut self.reqs[r as usize];
            req.tried |= 1 << b;
            if req.got {
                // The stock was taken and only the unlock failed: the lock expires by itself.
                self.stock_taken(k, r);
            } else {
                self.next_bucket(k, r);
            }
            return kind;
        }
        let i = self.reqs[r as usize].instance as usize;
        match op {
            RedisOp::DecrIfPositive if value == 1 => self.stock_taken(k, r),
            RedisOp::DecrIfPositive => self.bucket_empty(k, r, i, b),
            RedisOp::Get if value > 0 => {
                self.reqs[r as usize].stage = Stage::Logic;
                k.schedule(k.now() + self.cfg.race, Ev::Phase { r });
            }
            RedisOp::Get => {
                self.instances[i].known_empty |= 1 << b;
                let req = &mut self.reqs[r as usize];
                req.saw_empty = true;
                req.tried |= 1 << b;
                if self.cfg.stock_op == StockOp::Lock {
                    self.send(k, r, RedisOp::Unlock);
                } else {
                    self.next_bucket(k, r);
                }
            }
            RedisOp::Decr => {
                // The naive code does not look at what DECR returned.
                self.reqs[r as usize].got = true;
                if self.cfg.stock_op == StockOp::Lock {
                    self.send(k, r, RedisOp::Unlock);
                } else {
                    self.stock_taken(k, r);
                }
            }
            RedisOp::Lock => self.send(k, r, RedisOp::Get),
            RedisOp::Unlock if self.reqs[r as usize].got => self.stock_taken(k, r),
            RedisOp::Unlock => self.next_bucket(k, r),
            RedisOp::Incr => self.cancelled(k, r),
        }
        kind
    }

    fn bucket_empty(&mut self, k: &mut K, r: u32, i: usize, b: u8) {
        self.instances[i].known_empty |= 1 << b;
        let req = &mut self.reqs[r as usize];
        req.saw_empty = true;
        req.tried |= 1 << b;
        self.next_bucket(k, r);
    }

    /// Tries another bucket, or gives up: "sold out" if a bucket said so, else "unavailable".
    fn next_bucket(&mut self, k: &mut K, r: u32) {
        let req = self.reqs[r as usize];
        let next = self.pick_bucket(req.instance as usize, req.tried, req.bucket as usize + 1);
        match next {
            Some(b) => {
                self.reqs[r as usize].bucket = b as u8;
                self.first_op(k, r);
            }
            None => {
                let end = if req.saw_empty {
                    End::SoldOut
                } else {
                    End::Unavailable
                };
                self.end(k, r, end);
            }
        }
    }

    /// The request took an item from bucket `req.bucket`: the Redis part is over, the order starts.
    fn stock_taken(&mut self, k: &mut K, r: u32) {
        self.reqs[r as usize].got = true;
        let mark = self.reqs[r as usize].mark;
        self.metrics.redis.record(k.now() - mark);
        self.release_conn(k, r);
        self.create_order(k, r);
        if self.cfg.tcc {
            self.reqs[r as usize].stage = Stage::TccRpc(super::model::Db::Try);
            k.schedule(k.now() + self.cfg.tcc_rpc, Ev::Phase { r });
        } else if self.cfg.order_path == OrderPath::Mq {
            self.reqs[r as usize].stage = Stage::Publish;
            k.schedule(k.now() + self.cfg.mq_publish, Ev::Phase { r });
        } else {
            self.db_request(k, r, super::model::Db::Write);
        }
    }

    /// Gives the request's Redis connection to the next waiter of its instance.
    fn release_conn(&mut self, k: &mut K, r: u32) {
        let req = self.reqs[r as usize];
        if !req.conn {
            return;
        }
        self.reqs[r as usize].conn = false;
        let i = req.instance as usize;
        if self.instances[i].epoch != req.inst_epoch {
            return;
        }
        self.instances[i].conns_free += 1;
        while self.instances[i].conns_free > 0 {
            let Some(w) = self.instances[i].conn_waiters.pop_front() else {
                break;
            };
            self.conn_waiting -= 1;
            if self.timed_out(k, w) {
                self.end(k, w, End::TimedOut);
                continue;
            }
            self.instances[i].conns_free -= 1;
            let wq = &mut self.reqs[w as usize];
            wq.conn = true;
            wq.mark = k.now();
            self.first_op(k, w);
        }
    }

    /// A request whose instance died: whatever it was doing is lost with the instance.
    pub(super) fn abandon(&mut self, k: &mut K, r: u32) -> Kind {
        let req = self.reqs[r as usize];
        let b = req.bucket as usize;
        if self.nodes[b].lock_holder == Some(r) {
            self.nodes[b].lock_holder = None;
            self.grant_lock(k, b);
        }
        self.order_missing(k, r);
        self.end(k, r, End::Unavailable)
    }

    /// Ends request `r`: frees what it holds, records how it ended, and maybe schedules its user's
    /// retry. A request that ends after its user gave up counts as timed out.
    pub(super) fn end(&mut self, k: &mut K, r: u32, end: End) -> Kind {
        let req = self.reqs[r as usize];
        let late =
            req.admitted && end != End::EdgeLimited && k.now() - req.arrival > self.cfg.timeout;
        let end = if late {
            if end == End::Bought {
                self.metrics.late_orders += 1;
            }
            End::TimedOut
        } else {
            end
        };
        self.release_conn(k, r);
        let i = req.instance as usize;
        let same_instance = self.instances[i].epoch == req.inst_epoch;
        if req.worker && same_instance {
            self.instances[i].busy -= 1;
            self.app_busy_change(k, -1);
            self.metrics.app_meter.hit(k.now());
        }
        let latency = req
            .admitted
            .then(|| (k.now() - req.arrival).min(self.cfg.timeout));
        self.metrics.ended(k.now(), end, latency);
        self.release_slot(r);
        if end.retryable()
            && req.attempt < self.cfg.max_retries
            && self.retry_rng.next_f64() < self.cfg.retry_p
        {
            let from = if end == End::TimedOut {
                k.now().max(req.arrival + self.cfg.timeout)
            } else {
                k.now()
            };
            let attempt = req.attempt + 1;
            let at = from + backoff(self.cfg.backoff, attempt, &mut self.retry_rng);
            k.schedule(
                at,
                Ev::Retry {
                    attempt,
                    hot: req.hot,
                },
            );
        }
        if req.worker && same_instance {
            self.fill_workers(k, i);
        }
        Kind::Ended { end }
    }
}
