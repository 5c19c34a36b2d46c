//! After the stock is taken: the order write (inline, through TCC, or through the message queue),
//! the delayed verification that compensates lost orders, the reconciliation job, and the faults.

use super::event::{Fault, Kind};
use super::metrics::End;
use super::model::{Db, Ev, FaultAt, Sale, Job, OrderState, Stage};
use super::redis::RedisOp;

type K = crate::sim::kernel::Core<Ev>;

impl Sale {
    pub(super) fn schedule_faults(&mut self, k: &mut K) {
        let c = &self.cfg;
        let mut at = Vec::new();
        if let Some(t) = c.redis_down_at {
            at.push((t, Ev::Fault(FaultAt::RedisDown)));
        }
        if let Some(t) = c.db_slow_at {
            at.push((t, Ev::Fault(FaultAt::DbSlow)));
            at.push((t.saturating_add(c.db_slow), Ev::Fault(FaultAt::DbFast)));
        }
        if let Some(t) = c.mq_lose_at {
            at.push((t, Ev::Fault(FaultAt::MqLoses)));
        }
        if let Some(t) = c.zone_down_at {
            at.push((t, Ev::Fault(FaultAt::ZoneDown)));
            at.push((t.saturating_add(c.zone_down), Ev::Fault(FaultAt::ZoneBack)));
        }
        if let Some(t) = c.noncore_slow_at {
            at.push((t, Ev::Fault(FaultAt::NoncoreSlow)));
        }
        if let Some(t) = c.reconcile_at {
            at.push((t, Ev::Reconcile));
        }
        for (t, ev) in at {
            k.schedule(t, ev);
        }
    }

    pub(super) fn create_order(&mut self, k: &mut K, r: u32) {
        let id = self.orders.len() as u32;
        let b = self.reqs[r as usize].bucket;
        self.orders.push((b, OrderState::Pending));
        self.counts.created += 1;
        self.reqs[r as usize].order = id;
        if self.cfg.verify {
            k.schedule(k.now() + self.cfg.verify_delay, Ev::Verify { order: id });
        }
        self.note_stock(k);
    }

    /// The request's order exists only in Redis's count: the write failed, or the message or the
    /// instance was lost.
    pub(super) fn order_missing(&mut self, k: &mut K, r: u32) {
        let id = self.reqs[r as usize].order;
        if let Some(o) = self.orders.get_mut(id as usize) {
            if o.1 == OrderState::Pending {
                o.1 = OrderState::Missing;
                self.counts.missing += 1;
                self.note_stock(k);
            }
        }
    }

    fn order_written(&mut self, id: u32) {
        if let Some(o) = self.orders.get_mut(id as usize) {
            if o.1 == OrderState::Pending {
                o.1 = OrderState::Written;
                self.counts.written += 1;
            }
        }
    }

    pub(super) fn db_request(&mut self, k: &mut K, r: u32, db: Db) {
        let req = &mut self.reqs[r as usize];
        req.stage = Stage::Db(db);
        req.mark = k.now();
        self.db_waiters.push_back(Job::Req(r));
        self.db_req_waiting += 1;
        self.db_pump(k);
    }

    /// Gives free database connections to the jobs waiting for them, in order.
    fn db_pump(&mut self, k: &mut K) {
        while self.db_free > 0 {
            let Some(job) = self.db_waiters.pop_front() else {
                break;
            };
            if let Job::Req(r) = job {
                self.db_req_waiting -= 1;
                let req = self.reqs[r as usize];
                if req.killed {
                    self.abandon(k, r);
                    continue;
                }
                let gave_up = k.now() - req.mark >= self.cfg.db_timeout;
                if gave_up && req.stage != Stage::Db(Db::Confirm) {
                    self.write_failed(k, r);
                    continue;
                }
            } else {
                self.mq_backlog -= 1;
            }
            self.db_free -= 1;
            let slow = if self.db_slow {
                self.cfg.db_slow_factor
            } else {
                1.0
            };
            let w = -self.service_rng.next_f64_open0().ln() * self.cfg.db_mean * slow;
            let w = crate::sim::time::from_f64_nanos(w).max(1);
            self.db_busy += u128::from(w);
            let ok = match job {
                Job::Req(r) => {
                    let req = self.reqs[r as usize];
                    req.stage == Stage::Db(Db::Confirm)
                        || k.now() - req.mark + w <= self.cfg.db_timeout
                }
                Job::Msg(_) => true,
            };
            k.schedule(k.now() + w, Ev::DbDone { job, ok });
        }
    }

    pub(super) fn db_done(&mut self, k: &mut K, job: Job, ok: bool) -> (u32, Kind) {
        self.db_free += 1;
        self.metrics.db_meter.hit(k.now());
        let out = match job {
            Job::Msg(id) => {
                self.order_written(id);
                self.metrics.mq_meter.hit(k.now());
                (id, Kind::OrderWrite { ok: true })
            }
            Job::Req(r) => {
                let req = self.reqs[r as usize];
                self.metrics.db.record(k.now() - req.mark);
                if req.killed {
                    // The database finished the transaction; nobody is left to answer.
                    if ok {
                        self.order_written(req.order);
                    }
                    self.abandon(k, r);
                } else if !ok {
                    self.write_failed(k, r);
                } else {
                    match req.stage {
                        Stage::Db(Db::Try) => {
                            self.reqs[r as usize].stage = Stage::TccRpc(Db::Confirm);
                            k.schedule(k.now() + self.cfg.tcc_rpc, Ev::Phase { r });
                        }
                        _ => {
                            self.order_written(req.order);
                            self.end(k, r, End::Bought);
                        }
                    }
                }
                (req.order, Kind::OrderWrite { ok })
            }
        };
        self.db_pump(k);
        out
    }

    /// The order write failed: TCC cancels (returning the stock); otherwise the stock stays taken
    /// with no order.
    fn write_failed(&mut self, k: &mut K, r: u32) {
        if self.reqs[r as usize].stage == Stage::Db(Db::Try) {
            self.send(k, r, RedisOp::Incr);
        } else {
            self.order_missing(k, r);
            self.end(k, r, End::OrderFailed);
        }
    }

    /// TCC cancel's INCR came back.
    pub(super) fn cancelled(&mut self, k: &mut K, r: u32) {
        let id = self.reqs[r as usize].order;
        if let Some(o) = self.orders.get_mut(id as usize) {
            if o.1 == OrderState::Pending {
                o.1 = OrderState::Cancelled;
                self.counts.cancelled += 1;
            }
        }
        let b = self.reqs[r as usize].bucket;
        self.forget_empty(b);
        self.note_stock(k);
        self.end(k, r, End::OrderFailed);
    }

    /// The order message goes to the queue (or is lost); the user is answered either way.
    pub(super) fn publish(&mut self, k: &mut K, r: u32) -> Kind {
        let id = self.reqs[r as usize].order;
        let lost = self.mq_losing && self.metrics.lost_messages < self.cfg.mq_lose;
        if lost {
            self.metrics.lost_messages += 1;
            self.order_missing(k, r);
        } else {
            self.db_waiters.push_back(Job::Msg(id));
            self.mq_backlog += 1;
            self.db_pump(k);
        }
        self.end(k, r, End::Bought);
        Kind::Published { lost }
    }

    /// Instances learn that bucket `b` has stock again.
    fn forget_empty(&mut self, b: u8) {
        for i in &mut self.instances {
            i.known_empty &= !(1 << b);
        }
    }

    fn return_stock(&mut self, b: u8) {
        self.nodes[b as usize].stock += 1;
        self.forget_empty(b);
    }

    pub(super) fn verify(&mut self, k: &mut K, id: u32) -> Option<Kind> {
        let (b, state) = self.orders[id as usize];
        match state {
            OrderState::Pending => {
                // Still in the queue or being written: look again later.
                k.schedule(k.now() + self.cfg.verify_delay, Ev::Verify { order: id });
                None
            }
            OrderState::Missing => {
                self.orders[id as usize].1 = OrderState::Compensated;
                self.counts.missing -= 1;
                self.counts.compensated += 1;
                self.return_stock(b);
                self.note_stock(k);
                Some(Kind::Verified { compensated: true })
            }
            _ => Some(Kind::Verified { compensated: false }),
        }
    }

    pub(super) fn reconcile(&mut self, k: &mut K) -> Kind {
        let mut fixed = 0;
        for id in 0..self.orders.len() {
            let (b, state) = self.orders[id];
            if state == OrderState::Missing {
                self.orders[id].1 = OrderState::Reconciled;
                self.return_stock(b);
                fixed += 1;
            }
        }
        self.counts.missing -= fixed;
        self.counts.reconciled += fixed;
        self.counts.reconcile_oversold = self.oversold();
        self.note_stock(k);
        Kind::Reconciled {
            fixed,
            oversold: self.counts.reconcile_oversold,
        }
    }

    pub(super) fn fault(&mut self, k: &mut K, f: FaultAt) -> Kind {
        let fault = match f {
            FaultAt::RedisDown => {
                self.kill_node(k, 0);
                Fault::RedisDown
            }
            FaultAt::DbSlow => {
                self.db_slow = true;
                Fault::DbSlow
            }
            FaultAt::DbFast => {
                self.db_slow = false;
                Fault::DbRecovered
            }
            FaultAt::MqLoses => {
                self.mq_losing = true;
                Fault::MqLoses
            }
            FaultAt::ZoneDown => {
                for i in 0..self.instances.len() {
                    if self.cfg.instance_in_zone0(i) {
                        self.kill_instance(k, i);
                    }
                }
                for b in 0..self.nodes.len() {
                    if self.cfg.bucket_in_zone0(b) {
                        self.kill_node(k, b);
                    }
                }
                Fault::ZoneDown
            }
            FaultAt::ZoneBack => {
                for i in 0..self.instances.len() {
                    if self.cfg.instance_in_zone0(i) && !self.instances[i].up {
                        // A restarted process starts afresh: a full connection pool, its local
                        // quota recomputed from the configuration, nothing known empty.
                        let quota = self.local_quota();
                        let inst = &mut self.instances[i];
                        inst.up = true;
                        inst.conns_free = self.cfg.redis_pool;
                        inst.local_left = quota;
                        inst.known_empty = 0;
                    }
                }
                Fault::ZoneBack
            }
            FaultAt::NoncoreSlow => {
                self.noncore_slow = true;
                Fault::NoncoreSlow
            }
        };
        Kind::Fault { fault }
    }

    /// Bucket `b`'s primary dies: queued lock waiters fail after the client timeout, and the replica
    /// takes over after the failover time.
    fn kill_node(&mut self, k: &mut K, b: usize) {
        if !self.nodes[b].up {
            return;
        }
        self.nodes[b].die(k.now(), self.cfg.repl_lag);
        let waiters: Vec<u32> = self.nodes[b].lock_waiters.drain(..).collect();
        for w in waiters {
            k.schedule(
                k.now() + self.cfg.redis_timeout,
                Ev::RedisReply {
                    r: w,
                    b: b as u8,
                    op: RedisOp::Lock,
                    value: 0,
                    ok: false,
                },
            );
        }
        k.schedule(k.now() + self.cfg.failover, Ev::Failover { b: b as u8 });
    }

    pub(super) fn failover(&mut self, k: &mut K, b: u8) -> Kind {
        let lost = self.nodes[b as usize].promote(k.now());
        self.counts.repl_lost += lost;
        self.forget_empty(b);
        self.note_stock(k);
        Kind::Failover { bucket: b, lost }
    }

    /// Instance `i` dies with its zone: what waits in its queues fails now; what is in progress
    /// fails when its next step comes.
    fn kill_instance(&mut self, k: &mut K, i: usize) {
        let old = self.instances[i].epoch;
        let busy = self.instances[i].busy;
        self.app_busy_change(k, -i64::from(busy));
        let inst = &mut self.instances[i];
        inst.up = false;
        inst.epoch += 1;
        inst.busy = 0;
        inst.conns_free = 0;
        let queued: Vec<u32> = inst.queue.drain(..).collect();
        let waiting: Vec<u32> = inst.conn_waiters.drain(..).collect();
        self.app_queued -= queued.len() as u64;
        self.conn_waiting -= waiting.len() as u64;
        for r in queued.into_iter().chain(waiting) {
            self.end(k, r, End::Unavailable);
        }
        for req in &mut self.reqs {
            if req.live && req.admitted && usize::from(req.instance) == i && req.inst_epoch == old {
                req.killed = true;
            }
        }
    }
}
