//! The flash sale's state hash: every field, every request slot, every order and every queue's
//! contents, and each pending event with its payload, so equal hashes mean equal states.

use crate::sim::kernel::Core;
use crate::sim::StateHasher;

use super::model::{Db, Ev, FaultAt, Instance, Job, OrderState, Req, Sale, Stage};
use super::redis::RedisOp;

impl Sale {
    pub(super) fn hash_all(&self, k: &Core<Ev>, h: &mut StateHasher) {
        // Destructured so that a new field cannot be left out of the hash unnoticed.
        let Sale {
            cfg: _, // fixed for the run
            arrival_rng,
            route_rng,
            service_rng,
            retry_rng,
            crowd,
            edge,
            reqs,
            free,
            live,
            instances,
            rr,
            app_queued,
            conn_waiting,
            nodes,
            all_buckets,
            breaker,
            noncore_limit,
            noncore_slow,
            db_free,
            db_waiters,
            db_req_waiting,
            mq_backlog,
            db_slow,
            mq_losing,
            orders,
            counts,
            app_area,
            app_since,
            app_busy,
            db_busy,
            next_sample,
            sample_every,
            metrics,
        } = self;
        h.u64(arrival_rng.draws())
            .u64(route_rng.draws())
            .u64(service_rng.draws())
            .u64(retry_rng.draws())
            .u64(k.scheduled())
            .u64(*live)
            .usize(*rr)
            .u64(*app_queued)
            .u64(*conn_waiting)
            .u64(*all_buckets)
            .u32(*db_free)
            .u64(*db_req_waiting)
            .u64(*mq_backlog)
            .bool(*db_slow)
            .bool(*mq_losing)
            .bool(*noncore_slow)
            .u128(*app_area)
            .u64(*app_since)
            .u64(*app_busy)
            .u128(*db_busy)
            .u64(*next_sample)
            .u64(*sample_every);
        crowd.hash_into(h);
        edge.hash_into(h);
        breaker.hash_into(h);
        match noncore_limit {
            Some(b) => {
                h.u8(1);
                b.hash_into(h);
            }
            None => {
                h.u8(0);
            }
        }
        k.hash_events(h, |ev, h| hash_ev(*ev, h));
        h.usize(reqs.len());
        for r in reqs {
            hash_req(r, h);
        }
        h.usize(free.len());
        for r in free {
            h.u32(*r);
        }
        for i in instances {
            hash_instance(i, h);
        }
        for n in nodes {
            n.hash_into(h);
        }
        h.usize(db_waiters.len());
        for j in db_waiters {
            hash_job(*j, h);
        }
        h.usize(orders.len());
        for (bucket, state) in orders {
            h.u8(*bucket).u8(order_code(*state));
        }
        for n in [
            counts.created,
            counts.written,
            counts.missing,
            counts.cancelled,
            counts.compensated,
            counts.reconciled,
            counts.repl_lost,
            counts.reconcile_oversold,
        ] {
            h.u64(n);
        }
        k.hash_halt(h);
        metrics.hash_into(h);
    }
}

fn hash_ev(ev: Ev, h: &mut StateHasher) {
    match ev {
        Ev::Arrive => h.u8(0),
        Ev::Retry { attempt, hot } => h.u8(1).u8(attempt).bool(hot),
        Ev::Forward { r } => h.u8(2).u32(r),
        Ev::Phase { r } => h.u8(3).u32(r),
        Ev::RedisRun { r, b, op, epoch } => h.u8(4).u32(r).u8(b).u8(op_code(op)).u32(epoch),
        Ev::RedisReply {
            r,
            b,
            op,
            value,
            ok,
        } => h
            .u8(5)
            .u32(r)
            .u8(b)
            .u8(op_code(op))
            .u64(value as u64)
            .bool(ok),
        Ev::DbDone { job, ok } => {
            h.u8(6);
            hash_job(job, h);
            h.bool(ok)
        }
        Ev::Verify { order } => h.u8(7).u32(order),
        Ev::Reconcile => h.u8(8),
        Ev::Fault(f) => h.u8(9).u8(fault_code(f)),
        Ev::Failover { b } => h.u8(10).u8(b),
    };
}

fn hash_req(r: &Req, h: &mut StateHasher) {
    let Req {
        arrival,
        mark,
        attempt,
        hot,
        live,
        admitted,
        instance,
        inst_epoch,
        worker,
        conn,
        killed,
        stage,
        bucket,
        tried,
        saw_empty,
        got,
        order,
        breaker_gen,
        noncore_ok,
    } = *r;
    h.u64(arrival)
        .u64(mark)
        .u8(attempt)
        .bool(hot)
        .bool(live)
        .bool(admitted)
        .u32(u32::from(instance))
        .u32(inst_epoch)
        .bool(worker)
        .bool(conn)
        .bool(killed)
        .u8(stage_code(stage))
        .u8(bucket)
        .u64(tried)
        .bool(saw_empty)
        .bool(got)
        .u32(order)
        .u64(breaker_gen)
        .bool(noncore_ok);
}

fn hash_instance(i: &Instance, h: &mut StateHasher) {
    let Instance {
        up,
        epoch,
        busy,
        queue,
        conns_free,
        conn_waiters,
        known_empty,
        local_left,
    } = i;
    h.bool(*up)
        .u32(*epoch)
        .u32(*busy)
        .u32(*conns_free)
        .u64(*known_empty)
        .u64(*local_left);
    for q in [queue, conn_waiters] {
        h.usize(q.len());
        for r in q {
            h.u32(*r);
        }
    }
}

fn hash_job(j: Job, h: &mut StateHasher) {
    match j {
        Job::Req(r) => h.u8(0).u32(r),
        Job::Msg(r) => h.u8(1).u32(r),
    };
}

fn op_code(op: RedisOp) -> u8 {
    match op {
        RedisOp::Get => 0,
        RedisOp::Decr => 1,
        RedisOp::DecrIfPositive => 2,
        RedisOp::Incr => 3,
        RedisOp::Lock => 4,
        RedisOp::Unlock => 5,
    }
}

fn db_code(db: Db) -> u8 {
    match db {
        Db::Write => 0,
        Db::Try => 1,
        Db::Confirm => 2,
    }
}

/// One byte per stage: the stage in the high nibble, its Redis op or database write in the low.
fn stage_code(s: Stage) -> u8 {
    match s {
        Stage::Edge => 0x00,
        Stage::Queued => 0x10,
        Stage::Cpu => 0x20,
        Stage::Noncore => 0x30,
        Stage::ConnWait => 0x40,
        Stage::Op(op) => 0x50 | op_code(op),
        Stage::Logic => 0x60,
        Stage::TccRpc(db) => 0x70 | db_code(db),
        Stage::Db(db) => 0x80 | db_code(db),
        Stage::Publish => 0x90,
    }
}

fn fault_code(f: FaultAt) -> u8 {
    match f {
        FaultAt::RedisDown => 0,
        FaultAt::DbSlow => 1,
        FaultAt::DbFast => 2,
        FaultAt::MqLoses => 3,
        FaultAt::ZoneDown => 4,
        FaultAt::ZoneBack => 5,
        FaultAt::NoncoreSlow => 6,
    }
}

fn order_code(s: OrderState) -> u8 {
    match s {
        OrderState::Pending => 0,
        OrderState::Written => 1,
        OrderState::Missing => 2,
        OrderState::Cancelled => 3,
        OrderState::Compensated => 4,
        OrderState::Reconciled => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::flash_sale::FlashSale;
    use crate::models::rate_breaker::TokenBucket;
    use crate::sim::kernel::{assert_hash_sees, mid_run};

    #[test]
    fn the_state_hash_sees_every_field_request_order_queue_and_event_payload() {
        let base: FlashSale = mid_run::<Sale>(&[], 1, 40_000);
        let m = base.model();
        assert!(m.live > 0 && !m.orders.is_empty(), "requests and orders in flight");
        let queued = m.instances.iter().position(|i| !i.queue.is_empty());
        assert_hash_sees!(base,
            "arrival_rng" => |_c, m| m.arrival_rng.next_f64(),
            "route_rng" => |_c, m| m.route_rng.next_f64(),
            "service_rng" => |_c, m| m.service_rng.next_f64(),
            "retry_rng" => |_c, m| m.retry_rng.next_f64(),
            "crowd" => |_c, m| m.crowd = crate::models::flash_sale::Crowd::new(1.0, 1.0, 1),
            "edge" => |c, m| m.edge.check(c.now()),
            "request arrival" => |_c, m| m.reqs[0].arrival += 1,
            "request mark" => |_c, m| m.reqs[0].mark += 1,
            "request attempt" => |_c, m| m.reqs[0].attempt += 1,
            "request hot" => |_c, m| m.reqs[0].hot = !m.reqs[0].hot,
            "request live" => |_c, m| m.reqs[0].live = !m.reqs[0].live,
            "request admitted" => |_c, m| m.reqs[0].admitted = !m.reqs[0].admitted,
            "request instance" => |_c, m| m.reqs[0].instance += 1,
            "request inst_epoch" => |_c, m| m.reqs[0].inst_epoch += 1,
            "request worker" => |_c, m| m.reqs[0].worker = !m.reqs[0].worker,
            "request conn" => |_c, m| m.reqs[0].conn = !m.reqs[0].conn,
            "request killed" => |_c, m| m.reqs[0].killed = !m.reqs[0].killed,
            "request stage" => |_c, m| m.reqs[0].stage = Stage::Op(RedisOp::Incr),
            "request bucket" => |_c, m| m.reqs[0].bucket += 1,
            "request tried" => |_c, m| m.reqs[0].tried += 1,
            "request saw_empty" => |_c, m| m.reqs[0].saw_empty = !m.reqs[0].saw_empty,
            "request got" => |_c, m| m.reqs[0].got = !m.reqs[0].got,
            "request order" => |_c, m| m.reqs[0].order = m.reqs[0].order.wrapping_add(1),
            "request breaker_gen" => |_c, m| m.reqs[0].breaker_gen += 1,
            "request noncore_ok" => |_c, m| m.reqs[0].noncore_ok = !m.reqs[0].noncore_ok,
            "free" => |_c, m| m.free.push(0),
            "live" => |_c, m| m.live += 1,
            "instance up" => |_c, m| m.instances[0].up = !m.instances[0].up,
            "instance epoch" => |_c, m| m.instances[0].epoch += 1,
            "instance busy" => |_c, m| m.instances[0].busy += 1,
            "instance queue" => |_c, m| match queued {
                Some(i) => m.instances[i].queue[0] += 1,
                None => m.instances[0].queue.push_back(0),
            },
            "instance conns_free" => |_c, m| m.instances[0].conns_free += 1,
            "instance conn_waiters" => |_c, m| m.instances[0].conn_waiters.push_back(0),
            "instance known_empty" => |_c, m| m.instances[0].known_empty ^= 1,
            "instance local_left" => |_c, m| m.instances[0].local_left ^= 1,
            "rr" => |_c, m| m.rr += 1,
            "app_queued" => |_c, m| m.app_queued += 1,
            "conn_waiting" => |_c, m| m.conn_waiting += 1,
            "node stock" => |_c, m| m.nodes[0].stock += 1,
            "node busy" => |_c, m| m.nodes[0].busy += 1,
            "node lock_waiters" => |_c, m| m.nodes[0].lock_waiters.push_back(0),
            "node recent" => |c, m| m.nodes[0].die(c.now(), 1),
            "all_buckets" => |_c, m| m.all_buckets ^= 1 << 63,
            "breaker" => |c, m| {
                let _ = m.breaker.before(c.now());
            },
            "noncore_limit" => |_c, m| m.noncore_limit = match m.noncore_limit {
                Some(_) => None,
                None => Some(TokenBucket::new(1.0, 1)),
            },
            "noncore_slow" => |_c, m| m.noncore_slow = !m.noncore_slow,
            "db_free" => |_c, m| m.db_free += 1,
            "db_waiters" => |_c, m| m.db_waiters.push_back(Job::Msg(0)),
            "db_req_waiting" => |_c, m| m.db_req_waiting += 1,
            "mq_backlog" => |_c, m| m.mq_backlog += 1,
            "db_slow" => |_c, m| m.db_slow = !m.db_slow,
            "mq_losing" => |_c, m| m.mq_losing = !m.mq_losing,
            "orders" => |_c, m| m.orders.push((0, OrderState::Pending)),
            "order state" => |_c, m| m.orders[0].1 = match m.orders[0].1 {
                OrderState::Missing => OrderState::Written,
                _ => OrderState::Missing,
            },
            "order bucket" => |_c, m| m.orders[0].0 ^= 1,
            "counts" => |_c, m| m.counts.reconcile_oversold += 1,
            "app_area" => |_c, m| m.app_area += 1,
            "app_since" => |_c, m| m.app_since += 1,
            "app_busy" => |_c, m| m.app_busy += 1,
            "db_busy" => |_c, m| m.db_busy += 1,
            "next_sample" => |_c, m| m.next_sample += 1,
            "sample_every" => |_c, m| m.sample_every += 1,
            "metrics" => |_c, m| m.metrics.offered += 1,
            "event payload" => |c, _m| {
                for e in c.payloads_mut() {
                    if let Ev::Phase { r } | Ev::Forward { r } | Ev::RedisRun { r, .. } = e {
                        *r += 1;
                        break;
                    }
                }
            },
        );
    }
}
