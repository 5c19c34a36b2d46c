//! sync.Mutex, RWMutex, WaitGroup and Once operations: the objects' rules live in `runtime/sync.rs`
//! and `runtime/timers.rs`; this file parks and wakes the goroutines involved.

use super::*;

impl Runtime {
    pub(super) fn exec_sync(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::NewMutex { dst } => {
                let id = self.store.mutexes.len() as u32;
                self.store.mutexes.push(Default::default());
                self.set(g, *dst, Value::Mutex(MutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::NewRwMutex { dst } => {
                let id = self.store.rwmutexes.len() as u32;
                self.store.rwmutexes.push(Default::default());
                self.set(g, *dst, Value::RwMutex(RwMutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Lock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.store.mutexes.len() => {
                    self.mutex_lock(p, g, id)
                }
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.store.rwmutexes.len() => {
                    self.rw_lock(p, g, id)
                }
                other => Err(format!("Lock of {}", other.kind())),
            },
            Op::Unlock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.store.mutexes.len() => {
                    self.mutex_unlock(p, g, id)
                }
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.store.rwmutexes.len() => {
                    self.rw_unlock(p, g, id)
                }
                other => Err(format!("Unlock of {}", other.kind())),
            },
            Op::RLock { m } => self.rw_rlock(p, g, *m),
            Op::RUnlock { m } => self.rw_runlock(p, g, *m),
            Op::NewWaitGroup { dst } => {
                let id = self.store.wgs.len() as u32;
                self.store.wgs.push(Default::default());
                self.set(g, *dst, Value::WaitGroup(WaitGroupId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::WgAdd { wg, delta } => self.wg_add(p, g, *wg, *delta),
            Op::WgWait { wg } => self.wg_wait(p, g, *wg),
            Op::NewOnce { dst } => {
                let id = self.store.onces.len() as u32;
                self.store.onces.push(crate::runtime::timers::Once {
                    state: crate::runtime::timers::OnceState::NotRun,
                    waiters: Vec::new(),
                });
                self.set(g, *dst, Value::Once(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::OnceDo { once, func: callee } => self.once_do(p, g, *once, callee),
            other => Err(format!("{other:?} reached the sync operations")),
        }
    }

    /// Mutex.Lock: acquire, or park (a woken waiter retrying keeps its first wait time).
    fn mutex_lock(&mut self, p: PId, g: GoId, id: u32) -> R<Flow> {
        let since = match self.store.allgs[g as usize].resume {
            Resume::RetryLock(s) => {
                self.store.allgs[g as usize].resume = Resume::Nothing;
                Some(s)
            }
            _ => None,
        };
        let entries = self.store.mutexes[id as usize].starvation_entries();
        match self.store.mutexes[id as usize].lock(g, self.now, since) {
            LockResult::Acquired => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Lock { m: id },
                });
                Ok(Flow::Next(self.costs.mutex_lock))
            }
            LockResult::MustPark { .. } => {
                if self.store.mutexes[id as usize].starvation_entries() > entries {
                    self.emit(TraceEvent::Op {
                        g,
                        p,
                        what: OpEvent::StarvationMode { m: id },
                    });
                }
                self.park(p, g, WaitReason::MutexLock, None);
                Ok(Flow::Switch(self.costs.mutex_lock))
            }
        }
    }

    /// RWMutex.Lock.
    fn rw_lock(&mut self, p: PId, g: GoId, id: u32) -> R<Flow> {
        match self.store.rwmutexes[id as usize].lock(g) {
            RwResult::Acquired => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Lock { m: id },
                });
                Ok(Flow::Next(self.rw_lock_cost()))
            }
            _ => {
                self.store.allgs[g as usize].resume = Resume::Nothing;
                self.park(p, g, WaitReason::RWMutexLock, None);
                self.store.allgs[g as usize].resume = Resume::Nothing;
                Ok(Flow::Switch(self.rw_lock_cost()))
            }
        }
    }

    /// Mutex.Unlock: release, wake a waiter to compete, or (starvation mode) hand the lock over.
    fn mutex_unlock(&mut self, p: PId, g: GoId, id: u32) -> R<Flow> {
        let (woke, handoff) = match self.store.mutexes[id as usize].unlock(self.now) {
            UnlockResult::NotLocked => {
                self.fatal("sync: unlock of unlocked mutex");
                return Ok(Flow::Stop);
            }
            UnlockResult::Released => (None, false),
            UnlockResult::Woke(w, since) => (Some((w, Resume::RetryLock(since))), false),
            UnlockResult::HandedOff(w) => (Some((w, Resume::Done)), true),
        };
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Unlock {
                m: id,
                woke: woke.as_ref().map(|(w, _)| *w),
                handoff,
            },
        });
        let Some((w, resume)) = woke else {
            return Ok(Flow::Next(self.costs.mutex_unlock));
        };
        self.wake(p, g, w, resume);
        if !handoff {
            return Ok(Flow::Next(self.costs.mutex_unlock));
        }
        // semrelease with handoff: the waiter owns the lock; the unlocker yields its P to it
        // (goyield puts the unlocker on the local queue).
        self.store.allgs[g as usize].status = GStatus::Runnable;
        let at = self.sched.runqput(p, g, false);
        self.emit(TraceEvent::GoYield { g, p, to: w, at });
        Ok(Flow::Switch(self.costs.mutex_unlock))
    }

    /// RWMutex.Unlock: the readers queued behind the writer go first, else the next writer.
    fn rw_unlock(&mut self, p: PId, g: GoId, id: u32) -> R<Flow> {
        match self.store.rwmutexes[id as usize].unlock() {
            RwResult::NotLocked => {
                self.fatal("sync: Unlock of unlocked RWMutex");
                Ok(Flow::Stop)
            }
            RwResult::Woke(ws) => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::Unlock {
                        m: id,
                        woke: ws.first().copied(),
                        handoff: false,
                    },
                });
                for w in ws {
                    self.wake(p, g, w, Resume::Done);
                }
                Ok(Flow::Next(self.rw_unlock_cost()))
            }
            _ => Ok(Flow::Next(self.rw_unlock_cost())),
        }
    }

    /// RWMutex.RLock: in, unless a writer holds or waits for the lock.
    fn rw_rlock(&mut self, p: PId, g: GoId, m: Reg) -> R<Flow> {
        let id = self.rw_id(g, m)?;
        match self.store.rwmutexes[id].rlock(g) {
            RwResult::Acquired => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::RLock { m: id as u32 },
                });
                Ok(Flow::Next(self.costs.atomic))
            }
            _ => {
                self.park(p, g, WaitReason::RWMutexRLock, None);
                Ok(Flow::Switch(self.costs.atomic))
            }
        }
    }

    /// RWMutex.RUnlock: the last reader a writer waits for wakes it.
    fn rw_runlock(&mut self, p: PId, g: GoId, m: Reg) -> R<Flow> {
        let id = self.rw_id(g, m)?;
        match self.store.rwmutexes[id].runlock() {
            RwResult::NotLocked => {
                self.fatal("sync: RUnlock of unlocked RWMutex");
                Ok(Flow::Stop)
            }
            RwResult::Woke(ws) => {
                self.advance_pc(g)?;
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::RUnlock { m: id as u32 },
                });
                for w in ws {
                    self.wake(p, g, w, Resume::Done);
                }
                Ok(Flow::Next(self.costs.atomic))
            }
            _ => Ok(Flow::Next(self.costs.atomic)),
        }
    }

    /// WaitGroup.Add: at zero every waiter is released; below zero it panics.
    fn wg_add(&mut self, p: PId, g: GoId, wg: Reg, delta: Reg) -> R<Flow> {
        let id = self.wg_id(g, wg)?;
        let d = self.int(g, delta)?;
        match self.store.wgs[id].add(d) {
            Err(_) => self.begin_panic(p, g, Value::str("sync: negative WaitGroup counter")),
            Ok(released) => {
                self.advance_pc(g)?;
                let counter = self.store.wgs[id].counter();
                self.emit(TraceEvent::Op {
                    g,
                    p,
                    what: OpEvent::WgAdd {
                        wg: id as u32,
                        counter,
                    },
                });
                for w in released {
                    self.wake(p, g, w, Resume::Done);
                }
                Ok(Flow::Next(self.costs.atomic))
            }
        }
    }

    /// WaitGroup.Wait: returns at once on a zero counter, else parks.
    fn wg_wait(&mut self, p: PId, g: GoId, wg: Reg) -> R<Flow> {
        let id = self.wg_id(g, wg)?;
        if self.store.wgs[id].counter() == 0 {
            self.advance_pc(g)?;
            self.emit(TraceEvent::Op {
                g,
                p,
                what: OpEvent::WgWait { wg: id as u32 },
            });
            return Ok(Flow::Next(self.costs.atomic));
        }
        self.store.wgs[id].add_waiter(g);
        self.park(p, g, WaitReason::WaitGroupWait, None);
        Ok(Flow::Switch(self.costs.atomic))
    }

    /// Once.Do: the first caller runs the function; the others wait until it returns.
    fn once_do(&mut self, p: PId, g: GoId, once: Reg, callee: &Callee) -> R<Flow> {
        let id = match self.get(g, once)? {
            Value::Once(o) if (o as usize) < self.store.onces.len() => o as usize,
            other => return Err(format!("Do on {}", other.kind())),
        };
        match self.once_enter(id, g) {
            Some(true) => {
                let (fid, regs) = self.callee(g, callee)?;
                self.advance_pc(g)?;
                self.push_frame(g, fid, regs, None)?;
                if let Some(f) = self.store.allgs[g as usize].frames.last_mut() {
                    f.extra_mut().once = Some(id as u32);
                }
                Ok(Flow::Next(self.costs.call))
            }
            Some(false) => {
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.atomic))
            }
            None => {
                self.park(p, g, WaitReason::MutexLock, None);
                Ok(Flow::Switch(self.costs.mutex_lock))
            }
        }
    }

    pub(super) fn rw_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::RwMutex(RwMutexId(id)) if (id as usize) < self.store.rwmutexes.len() => {
                Ok(id as usize)
            }
            other => Err(format!("r{r} holds {}, not a *sync.RWMutex", other.kind())),
        }
    }

    pub(super) fn wg_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::WaitGroup(WaitGroupId(id)) if (id as usize) < self.store.wgs.len() => {
                Ok(id as usize)
            }
            other => Err(format!(
                "r{r} holds {}, not a *sync.WaitGroup",
                other.kind()
            )),
        }
    }
}

impl Runtime {
    /// RWMutex.Lock is its inner Mutex's Lock plus an atomic update of the reader count (Go's
    /// rwmutex.go), so a writer pays for the readers' bookkeeping even when there are none.
    fn rw_lock_cost(&self) -> Nanos {
        self.costs.mutex_lock + self.costs.atomic
    }

    /// RWMutex.Unlock: an atomic update of the reader count, then the inner Mutex's Unlock.
    fn rw_unlock_cost(&self) -> Nanos {
        self.costs.mutex_unlock + self.costs.atomic
    }
}
