//! Channel operations and select, after chan.go and select.go: the channel's own rules live in
//! `runtime/chan.rs`; this file parks and wakes the goroutines involved.

use super::*;

impl Runtime {
    pub(super) fn exec_chan(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::MakeChan { dst, cap, zero } => self.makechan(p, g, *dst, *cap, zero),
            Op::Send { ch, val } => self.chansend(p, g, *ch, *val),
            Op::Recv { ch, dst, ok } => self.chanrecv(p, g, *ch, *dst, *ok),
            Op::Close { ch } => self.closechan(p, g, *ch),
            Op::Len { dst, ch } | Op::Cap { dst, ch } => {
                let n = match self.chan_id(g, *ch)? {
                    None => 0,
                    Some(id) => {
                        let chan = &self.store.chans[id.0 as usize];
                        if matches!(op, Op::Len { .. }) {
                            chan.count()
                        } else {
                            chan.cap()
                        }
                    }
                };
                self.set(g, *dst, Value::Int(n as i64))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.chan_op))
            }
            Op::Select {
                cases,
                default,
                dst,
            } => self.select(p, g, cases, *default, *dst),
            other => Err(format!("{other:?} reached the chan operations")),
        }
    }

    /// `makechan`: a channel with a buffer of `cap`; a size out of range panics.
    fn makechan(&mut self, p: PId, g: GoId, dst: Reg, cap: Reg, zero: &Value) -> R<Flow> {
        let cap = self.int(g, cap)?;
        if !(0..=(1 << 30)).contains(&cap) {
            return self.begin_panic(p, g, Value::str("makechan: size out of range"));
        }
        let id = ChanId(self.store.chans.len() as u32);
        self.store
            .chans
            .push(Channel::new(cap as usize, zero.clone(), g));
        self.set(g, dst, Value::Chan(id))?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::MakeChan {
                ch: id,
                cap: cap as usize,
            },
        });
        Ok(Flow::Next(self.costs.chan_op))
    }

    /// `chansend`: hand the value to a parked receiver, buffer it, or park on sendq; a nil channel blocks forever.
    fn chansend(&mut self, p: PId, g: GoId, ch: Reg, val: Reg) -> R<Flow> {
        let v = self.get(g, val)?;
        let Some(id) = self.chan_id(g, ch)? else {
            self.park(p, g, WaitReason::ChanSendNilChan, None);
            return Ok(Flow::Switch(0));
        };
        match self.store.chans[id.0 as usize].send(v.clone()) {
            SendResult::Handoff(w) => {
                let to = match &w {
                    Wake::Receiver { g, .. } => Some(*g),
                    _ => None,
                };
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Send { ch: id, to },
                });
                self.apply_wake(p, g, w);
                Ok(Flow::Next(self.costs.chan_handoff))
            }
            SendResult::Buffered => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Send { ch: id, to: None },
                });
                Ok(Flow::Next(self.costs.chan_op))
            }
            SendResult::MustPark => {
                self.store.chans[id.0 as usize].enqueue_sender(Waiter {
                    g,
                    val: v,
                    case: None,
                });
                self.park(p, g, WaitReason::ChanSend, Some(id));
                Ok(Flow::Switch(self.costs.chan_op))
            }
            SendResult::Closed => self.begin_panic(p, g, Value::str("send on closed channel")),
        }
    }

    /// `chanrecv`: take from the buffer or a parked sender, or park on recvq; a nil channel blocks forever.
    fn chanrecv(&mut self, p: PId, g: GoId, ch: Reg, dst: Option<Reg>, ok: Option<Reg>) -> R<Flow> {
        let Some(id) = self.chan_id(g, ch)? else {
            self.park(p, g, WaitReason::ChanReceiveNilChan, None);
            return Ok(Flow::Switch(0));
        };
        match self.store.chans[id.0 as usize].recv() {
            RecvResult::Got { val, ok: okv, woke } => {
                self.deliver(g, dst, ok, val, okv)?;
                self.advance_pc(g)?;
                let from = match &woke {
                    Some(Wake::Sender { g, .. }) => Some(*g),
                    _ => None,
                };
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Recv {
                        ch: id,
                        from,
                        ok: okv,
                    },
                });
                let cost = self.wake_sender(p, g, woke);
                Ok(Flow::Next(cost))
            }
            RecvResult::MustPark => {
                self.store.chans[id.0 as usize].enqueue_receiver(Waiter {
                    g,
                    val: Value::Nil,
                    case: None,
                });
                self.park(p, g, WaitReason::ChanReceive, Some(id));
                Ok(Flow::Switch(self.costs.chan_op))
            }
        }
    }

    /// `closechan`: every parked receiver gets the zero value and every parked sender panics.
    fn closechan(&mut self, p: PId, g: GoId, ch: Reg) -> R<Flow> {
        let Some(id) = self.chan_id(g, ch)? else {
            return self.begin_panic(p, g, Value::str("close of nil channel"));
        };
        match self.store.chans[id.0 as usize].close() {
            Err(_) => self.begin_panic(p, g, Value::str("close of closed channel")),
            Ok(wakes) => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Close {
                        ch: id,
                        woke: wakes.len() as u32,
                    },
                });
                for w in wakes {
                    self.apply_wake(p, g, w);
                }
                Ok(Flow::Next(self.costs.chan_op))
            }
        }
    }

    /// A receive that took a parked sender's value wakes it and costs a handoff; otherwise it costs
    /// a buffered operation.
    pub(super) fn wake_sender(&mut self, p: PId, g: GoId, woke: Option<Wake>) -> Nanos {
        match woke {
            Some(w) => {
                self.apply_wake(p, g, w);
                self.costs.chan_handoff
            }
            None => self.costs.chan_op,
        }
    }

    /// Applies a channel wake-up: a parked select is withdrawn from its other channels first.
    pub(super) fn apply_wake(&mut self, p: PId, by: GoId, w: Wake) {
        let (target, resume) = w.into_resume();
        if matches!(resume, Resume::Selected(..)) {
            self.withdraw_select(target);
        }
        self.wake(p, by, target, resume);
    }

    pub(crate) fn withdraw_select_pub(&mut self, g: GoId) {
        self.withdraw_select(g)
    }

    /// Removes a parked select's waiters from every channel it was parked on.
    pub(super) fn withdraw_select(&mut self, g: GoId) {
        let chans: Vec<ChanId> = self.select_chans(g);
        for c in chans {
            if let Some(ch) = self.store.chans.get_mut(c.0 as usize) {
                ch.forget(g);
            }
        }
    }

    pub(super) fn select_chans(&self, g: GoId) -> Vec<ChanId> {
        let Some(f) = self.store.allgs[g as usize].top() else {
            return vec![];
        };
        let Some(Op::Select { cases, .. }) = self
            .program
            .func(f.func)
            .and_then(|fu| fu.ops.get(f.pc as usize))
        else {
            return vec![];
        };
        cases
            .iter()
            .filter_map(|c| {
                let r = match c {
                    SelectCase::Send { ch, .. } | SelectCase::Recv { ch, .. } => *ch,
                };
                match f.regs.get(r as usize) {
                    Some(Value::Chan(c)) => Some(*c),
                    _ => None,
                }
            })
            .collect()
    }

    pub(super) fn chan_id(&self, g: GoId, r: Reg) -> R<Option<ChanId>> {
        match self.get(g, r)? {
            Value::Chan(c) if (c.0 as usize) < self.store.chans.len() => Ok(Some(c)),
            Value::Chan(c) => Err(format!("channel #{} does not exist", c.0)),
            Value::Nil => Ok(None),
            other => Err(format!("r{r} holds {}, not a channel", other.kind())),
        }
    }

    /// `selectgo`: poll the cases in a uniformly random order and take the first ready one; else take
    /// default; else park on every channel until one fires.
    pub(super) fn select(
        &mut self,
        p: PId,
        g: GoId,
        cases: &[SelectCase],
        default: bool,
        dst: Reg,
    ) -> R<Flow> {
        // Resolve channels; nil channels' cases never proceed.
        let mut live: Vec<(usize, ChanId)> = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let r = match case {
                SelectCase::Send { ch, .. } | SelectCase::Recv { ch, .. } => *ch,
            };
            if let Some(id) = self.chan_id(g, r)? {
                live.push((i, id));
            }
        }
        // Poll order: a Fisher-Yates shuffle (Go's cheaprandn per position).
        for i in (1..live.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            live.swap(i, j);
        }
        for &(i, id) in &live {
            match &cases[i] {
                SelectCase::Send { val, .. } => {
                    if !self.store.chans[id.0 as usize].can_send() {
                        continue;
                    }
                    let v = self.get(g, *val)?;
                    match self.store.chans[id.0 as usize].send(v) {
                        SendResult::Closed => {
                            return self.begin_panic(p, g, Value::str("send on closed channel"));
                        }
                        SendResult::Handoff(w) => {
                            self.select_done(p, g, dst, i)?;
                            self.apply_wake(p, g, w);
                            return Ok(Flow::Next(self.costs.chan_handoff));
                        }
                        SendResult::Buffered => {
                            self.select_done(p, g, dst, i)?;
                            return Ok(Flow::Next(self.costs.chan_op));
                        }
                        SendResult::MustPark => continue,
                    }
                }
                SelectCase::Recv { dst: d, ok, .. } => {
                    if !self.store.chans[id.0 as usize].can_recv() {
                        continue;
                    }
                    if let RecvResult::Got { val, ok: okv, woke } =
                        self.store.chans[id.0 as usize].recv()
                    {
                        self.deliver(g, *d, *ok, val, okv)?;
                        self.select_done(p, g, dst, i)?;
                        let cost = self.wake_sender(p, g, woke);
                        return Ok(Flow::Next(cost));
                    }
                }
            }
        }
        if default {
            self.set(g, dst, Value::Int(cases.len() as i64))?;
            self.advance_pc(g)?;
            self.emit(TraceEvent::Op {
                g,
                p,
                what: OpEvent::Select { case: None },
            });
            return Ok(Flow::Next(self.costs.chan_op));
        }
        if live.is_empty() {
            self.park(p, g, WaitReason::SelectNoCases, None);
            return Ok(Flow::Switch(0));
        }
        // Park on every channel, in case order.
        live.sort_by_key(|(i, _)| *i);
        for &(i, id) in &live {
            match &cases[i] {
                SelectCase::Send { val, .. } => {
                    let v = self.get(g, *val)?;
                    self.store.chans[id.0 as usize].enqueue_sender(Waiter {
                        g,
                        val: v,
                        case: Some(i as u32),
                    });
                }
                SelectCase::Recv { .. } => {
                    self.store.chans[id.0 as usize].enqueue_receiver(Waiter {
                        g,
                        val: Value::Nil,
                        case: Some(i as u32),
                    });
                }
            }
        }
        self.park(p, g, WaitReason::Select, None);
        Ok(Flow::Switch(self.costs.chan_op))
    }

    pub(super) fn select_done(&mut self, p: PId, g: GoId, dst: Reg, i: usize) -> R<()> {
        self.set(g, dst, Value::Int(i as i64))?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Select { case: Some(i) },
        });
        Ok(())
    }
}
