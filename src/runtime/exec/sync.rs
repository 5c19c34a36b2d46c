//! sync.Mutex, RWMutex, WaitGroup and Once operations: the objects' rules live in `runtime/sync.rs`
//! and `runtime/timers.rs`; this file parks and wakes the goroutines involved.

use super::*;

impl Runtime {
    pub(super) fn exec_sync(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::NewMutex { dst } => {
                let id = self.mutexes.len() as u32;
                self.mutexes.push(Default::default());
                self.set(g, *dst, Value::Mutex(MutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::NewRwMutex { dst } => {
                let id = self.rwmutexes.len() as u32;
                self.rwmutexes.push(Default::default());
                self.set(g, *dst, Value::RwMutex(RwMutexId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Lock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.mutexes.len() => {
                    let since = match self.gs[g as usize].resume {
                        Resume::RetryLock(s) => {
                            self.gs[g as usize].resume = Resume::Nothing;
                            Some(s)
                        }
                        _ => None,
                    };
                    let entries = self.mutexes[id as usize].starvation_entries;
                    match self.mutexes[id as usize].lock(g, self.now, since) {
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
                            if self.mutexes[id as usize].starvation_entries > entries {
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
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                    match self.rwmutexes[id as usize].lock(g) {
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
                            self.gs[g as usize].resume = Resume::Nothing;
                            self.park(p, g, WaitReason::RWMutexLock, None);
                            self.gs[g as usize].resume = Resume::Nothing;
                            Ok(Flow::Switch(self.rw_lock_cost()))
                        }
                    }
                }
                other => Err(format!("Lock of {}", other.kind())),
            },
            Op::Unlock { m } => match self.get(g, *m)? {
                Value::Mutex(MutexId(id)) if (id as usize) < self.mutexes.len() => {
                    match self.mutexes[id as usize].unlock(self.now) {
                        UnlockResult::NotLocked => {
                            self.fatal("sync: unlock of unlocked mutex");
                            Ok(Flow::Stop)
                        }
                        UnlockResult::Released => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: None,
                                    handoff: false,
                                },
                            });
                            Ok(Flow::Next(self.costs.mutex_unlock))
                        }
                        UnlockResult::Woke(w, since) => {
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: Some(w),
                                    handoff: false,
                                },
                            });
                            self.wake(p, g, w, Resume::RetryLock(since));
                            Ok(Flow::Next(self.costs.mutex_unlock))
                        }
                        UnlockResult::HandedOff(w) => {
                            // semrelease with handoff: the waiter owns the lock; the unlocker yields
                            // its P to it (goyield puts the unlocker on the local queue).
                            self.advance_pc(g)?;
                            self.emit(TraceEvent::Op {
                                g,
                                p,
                                what: OpEvent::Unlock {
                                    m: id,
                                    woke: Some(w),
                                    handoff: true,
                                },
                            });
                            self.wake(p, g, w, Resume::Done);
                            self.gs[g as usize].status = GStatus::Runnable;
                            let at = self.runqput(p, g, false);
                            self.emit(TraceEvent::GoYield { g, p, to: w, at });
                            Ok(Flow::Switch(self.costs.mutex_unlock))
                        }
                    }
                }
                Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                    match self.rwmutexes[id as usize].unlock() {
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
                other => Err(format!("Unlock of {}", other.kind())),
            },
            Op::RLock { m } => {
                let id = self.rw_id(g, *m)?;
                match self.rwmutexes[id].rlock(g) {
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
            Op::RUnlock { m } => {
                let id = self.rw_id(g, *m)?;
                match self.rwmutexes[id].runlock() {
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
            Op::NewWaitGroup { dst } => {
                let id = self.wgs.len() as u32;
                self.wgs.push(Default::default());
                self.set(g, *dst, Value::WaitGroup(WaitGroupId(id)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::WgAdd { wg, delta } => {
                let id = self.wg_id(g, *wg)?;
                let d = self.int(g, *delta)?;
                match self.wgs[id].add(d) {
                    Err(_) => {
                        self.begin_panic(p, g, Value::str("sync: negative WaitGroup counter"))
                    }
                    Ok(released) => {
                        self.advance_pc(g)?;
                        let counter = self.wgs[id].counter;
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
            Op::WgWait { wg } => {
                let id = self.wg_id(g, *wg)?;
                if self.wgs[id].counter == 0 {
                    self.advance_pc(g)?;
                    self.emit(TraceEvent::Op {
                        g,
                        p,
                        what: OpEvent::WgWait { wg: id as u32 },
                    });
                    return Ok(Flow::Next(self.costs.atomic));
                }
                self.wgs[id].waiters.push(g);
                self.park(p, g, WaitReason::WaitGroupWait, None);
                Ok(Flow::Switch(self.costs.atomic))
            }
            Op::NewOnce { dst } => {
                let id = self.onces.len() as u32;
                self.onces.push(crate::runtime::timers::Once {
                    state: crate::runtime::timers::OnceState::NotRun,
                    waiters: Vec::new(),
                });
                self.set(g, *dst, Value::Once(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::OnceDo { once, func: callee } => {
                let id = match self.get(g, *once)? {
                    Value::Once(o) if (o as usize) < self.onces.len() => o as usize,
                    other => return Err(format!("Do on {}", other.kind())),
                };
                match self.once_enter(id, g) {
                    Some(true) => {
                        let (fid, regs) = self.callee(g, callee)?;
                        self.advance_pc(g)?;
                        self.push_frame(g, fid, regs, None)?;
                        if let Some(f) = self.gs[g as usize].frames.last_mut() {
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
            other => Err(format!("{other:?} reached the sync operations")),
        }
    }

    pub(super) fn rw_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::RwMutex(RwMutexId(id)) if (id as usize) < self.rwmutexes.len() => {
                Ok(id as usize)
            }
            other => Err(format!("r{r} holds {}, not a *sync.RWMutex", other.kind())),
        }
    }

    pub(super) fn wg_id(&self, g: GoId, r: Reg) -> R<usize> {
        match self.get(g, r)? {
            Value::WaitGroup(WaitGroupId(id)) if (id as usize) < self.wgs.len() => Ok(id as usize),
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
