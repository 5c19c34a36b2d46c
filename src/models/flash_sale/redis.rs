//! The stock in Redis: one single-threaded node per bucket, each with a replica.
//!
//! A node runs one command at a time in arrival order, so a command's completion time is known when
//! it is sent: `max(arrival, node free) + service`. Its effect is applied at that time, in the same
//! order the node would run it. A node that dies loses its in-flight commands; after the failover
//! time its replica takes over without the decrements of the last `repl_lag` (Redis replicates
//! asynchronously), so those items can be sold a second time.

use std::collections::VecDeque;

use crate::sim::time::Nanos;

/// A command the application sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedisOp {
    Get,
    Decr,
    /// The Lua script: `if GET > 0 then DECR; return 1 else return 0`.
    DecrIfPositive,
    /// Returning an item (TCC cancel).
    Incr,
    /// `SET lock NX PX`, or a place in the lock's wait queue.
    Lock,
    Unlock,
}

impl RedisOp {
    pub fn name(self) -> &'static str {
        match self {
            RedisOp::Get => "GET stock",
            RedisOp::Decr => "DECR stock",
            RedisOp::DecrIfPositive => "EVALSHA decr_if_positive",
            RedisOp::Incr => "INCR stock",
            RedisOp::Lock => "SET lock NX",
            RedisOp::Unlock => "DEL lock",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RedisNode {
    pub stock: i64,
    pub up: bool,
    /// Bumped when the node dies: commands sent to an earlier epoch fail.
    pub epoch: u32,
    free_at: Nanos,
    /// Commands sent and not yet run.
    pub in_flight: u32,
    /// Total service time, for utilisation.
    pub busy: Nanos,
    pub ops: u64,
    /// When each recent decrement happened, kept for `repl_lag`: what a failover would lose.
    recent: VecDeque<Nanos>,
    /// Decrements the replica will not have when it takes over.
    pub unreplicated: u64,
    /// The request holding this bucket's lock, and those queued for it.
    pub lock_holder: Option<u32>,
    pub lock_waiters: VecDeque<u32>,
}

impl RedisNode {
    pub fn new(stock: i64) -> Self {
        RedisNode {
            stock,
            up: true,
            epoch: 0,
            free_at: 0,
            in_flight: 0,
            busy: 0,
            ops: 0,
            recent: VecDeque::new(),
            unreplicated: 0,
            lock_holder: None,
            lock_waiters: VecDeque::new(),
        }
    }

    /// Sends a command that reaches the node at `arrive`; returns when it completes, or None if the
    /// node is down.
    pub fn send(&mut self, arrive: Nanos, service: Nanos) -> Option<Nanos> {
        if !self.up {
            return None;
        }
        let done = arrive.max(self.free_at).saturating_add(service);
        self.free_at = done;
        self.busy += service;
        self.in_flight += 1;
        Some(done)
    }

    /// Runs `op` at `now`; returns the reply (the stock for GET, 1 or 0 for the script).
    pub fn run(&mut self, op: RedisOp, now: Nanos, lag: Nanos) -> i64 {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.ops += 1;
        match op {
            RedisOp::Get => self.stock,
            RedisOp::Decr => {
                self.decrement(now, lag);
                self.stock
            }
            RedisOp::DecrIfPositive => {
                if self.stock > 0 {
                    self.decrement(now, lag);
                    1
                } else {
                    0
                }
            }
            RedisOp::Incr => {
                self.stock += 1;
                self.stock
            }
            RedisOp::Lock | RedisOp::Unlock => 1,
        }
    }

    fn decrement(&mut self, now: Nanos, lag: Nanos) {
        self.stock -= 1;
        if lag > 0 {
            while self.recent.front().is_some_and(|&t| t + lag <= now) {
                self.recent.pop_front();
            }
            self.recent.push_back(now);
        }
    }

    /// The primary dies at `now`: in-flight commands are lost, and the decrements of the last `lag`
    /// never reached the replica.
    pub fn die(&mut self, now: Nanos, lag: Nanos) {
        self.up = false;
        self.epoch += 1;
        self.in_flight = 0;
        self.free_at = now;
        self.unreplicated = self.recent.iter().filter(|&&t| t + lag > now).count() as u64;
        self.recent.clear();
        self.lock_holder = None;
    }

    /// The replica takes over; returns how many decrements it lacks (items back on sale).
    pub fn promote(&mut self, now: Nanos) -> u64 {
        self.up = true;
        self.free_at = now;
        let lost = std::mem::take(&mut self.unreplicated);
        self.stock += lost as i64;
        lost
    }

    /// Commands waiting at the node at `now` (at most the in-flight count).
    pub fn queued(&self) -> u32 {
        self.in_flight
    }

    /// Every field, the recent decrements and the lock queue by content.
    pub fn hash_into(&self, h: &mut crate::sim::StateHasher) {
        h.u64(self.stock as u64)
            .bool(self.up)
            .u32(self.epoch)
            .u64(self.free_at)
            .u32(self.in_flight)
            .u64(self.busy)
            .u64(self.ops)
            .u64(self.unreplicated)
            .u32(self.lock_holder.unwrap_or(u32::MAX));
        h.usize(self.recent.len());
        for t in &self.recent {
            h.u64(*t);
        }
        h.usize(self.lock_waiters.len());
        for r in &self.lock_waiters {
            h.u32(*r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_runs_commands_one_at_a_time_in_arrival_order() {
        let mut n = RedisNode::new(2);
        assert_eq!(n.send(100, 10), Some(110));
        assert_eq!(n.send(100, 10), Some(120), "queued behind the first");
        assert_eq!(n.send(500, 10), Some(510), "an idle node starts at arrival");
        assert_eq!(n.busy, 30);
    }

    #[test]
    fn the_script_never_takes_the_stock_below_zero_but_decr_does() {
        let mut n = RedisNode::new(1);
        assert_eq!(n.run(RedisOp::DecrIfPositive, 0, 0), 1);
        assert_eq!(n.run(RedisOp::DecrIfPositive, 0, 0), 0);
        assert_eq!(n.stock, 0);
        assert_eq!(n.run(RedisOp::Decr, 0, 0), -1);
    }

    #[test]
    fn a_failover_loses_the_decrements_inside_the_replication_lag() {
        let mut n = RedisNode::new(10);
        for t in [0, 50, 95, 99] {
            n.run(RedisOp::Decr, t, 10);
        }
        n.die(100, 10);
        assert!(!n.up);
        assert_eq!(n.send(100, 1), None);
        // 95 and 99 lie within 10 ns of the death; 0 and 50 were replicated.
        assert_eq!(n.promote(200), 2);
        assert_eq!(n.stock, 8);
    }
}
