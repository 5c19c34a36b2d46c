//! Heap cells (escaping variables) and sync/atomic on them: plain loads and stores are visible to
//! other goroutines at their own time, so unsynchronised updates can be lost as in Go.

use super::*;

impl Runtime {
    /// A new heap cell (a variable that escapes), initialised from `init`.
    pub(super) fn new_cell(&mut self, g: GoId, dst: Reg, init: Reg) -> R<Flow> {
        let v = self.get(g, init)?;
        let id = self.store.cells.len() as u32;
        self.store.cells.push(v);
        self.set(g, dst, Value::Ptr(crate::runtime::ir::CellId(id)))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// *ptr.
    pub(super) fn load_cell(&mut self, g: GoId, dst: Reg, ptr: Reg) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        let v = self.store.cells[cell].clone();
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// *ptr = val: a plain store, visible to other goroutines (and racy as in Go).
    pub(super) fn store_cell(&mut self, p: PId, g: GoId, ptr: Reg, val: Reg) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        self.store.cells[cell] = self.get(g, val)?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Store { cell: cell as u32 },
        });
        Ok(Flow::Next(self.costs.mem))
    }

    /// atomic.AddInt64: the new value.
    pub(super) fn atomic_add(
        &mut self,
        p: PId,
        g: GoId,
        dst: Option<Reg>,
        ptr: Reg,
        delta: Reg,
    ) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        let d = self.int(g, delta)?;
        let new = match &self.store.cells[cell] {
            Value::Int(x) => x.wrapping_add(d),
            other => return Err(format!("atomic add on {}", other.kind())),
        };
        self.store.cells[cell] = Value::Int(new);
        if let Some(d) = dst {
            self.set(g, d, Value::Int(new))?;
        }
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Atomic { cell: cell as u32 },
        });
        Ok(Flow::Next(self.costs.atomic))
    }

    /// atomic.LoadInt64.
    pub(super) fn atomic_load(&mut self, g: GoId, dst: Reg, ptr: Reg) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        let v = self.store.cells[cell].clone();
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.atomic))
    }

    /// atomic.StoreInt64.
    pub(super) fn atomic_store(&mut self, p: PId, g: GoId, ptr: Reg, val: Reg) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        self.store.cells[cell] = self.get(g, val)?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Atomic { cell: cell as u32 },
        });
        Ok(Flow::Next(self.costs.atomic))
    }

    /// atomic.CompareAndSwapInt64: whether it swapped.
    pub(super) fn atomic_cas(
        &mut self,
        p: PId,
        g: GoId,
        dst: Reg,
        ptr: Reg,
        old: Reg,
        new: Reg,
    ) -> R<Flow> {
        let cell = self.cell_id(g, ptr)?;
        let (old, new) = (self.get(g, old)?, self.get(g, new)?);
        let swapped = self.store.cells[cell] == old;
        if swapped {
            self.store.cells[cell] = new;
        }
        self.set(g, dst, Value::Bool(swapped))?;
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Atomic { cell: cell as u32 },
        });
        Ok(Flow::Next(self.costs.atomic))
    }
}
