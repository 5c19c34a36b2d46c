//! Slices, maps and structs: indexing, append, slicing, copy, lookups and fields, with Go's runtime
//! panics for bad indexes and nil maps.

use super::*;

impl Runtime {
    pub(super) fn exec_heap(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::MakeSlice {
                dst,
                len,
                cap,
                zero,
            } => self.make_slice(p, g, *dst, *len, *cap, zero),
            Op::Index { dst, base, idx } => self.index(p, g, *dst, *base, *idx),
            Op::SetIndex { base, idx, val } => self.set_index(p, g, *base, *idx, *val),
            Op::Append { dst, slice, vals } => self.append(g, *dst, *slice, vals),
            Op::SliceOf { dst, base, lo, hi } => self.slice_of(p, g, *dst, *base, *lo, *hi),
            Op::CopySlice { n, to, from } => self.copy_slice(g, *n, *to, *from),
            Op::LenOf { dst, v } | Op::CapOf { dst, v } => {
                let cap = matches!(op, Op::CapOf { .. });
                let n = match self.get(g, *v)? {
                    Value::Slice(s) => (if cap { s.cap } else { s.len }) as i64,
                    Value::Str(s) => s.len() as i64,
                    Value::Map(m) => match self.store.heap.objs.get(m as usize) {
                        Some(crate::runtime::heap::Obj::Map { entries, .. }) => {
                            entries.len() as i64
                        }
                        _ => 0,
                    },
                    Value::Chan(c) => self
                        .store
                        .chans
                        .get(c.0 as usize)
                        .map(|ch| if cap { ch.cap() } else { ch.count() })
                        .unwrap_or(0) as i64,
                    Value::Nil => 0,
                    other => return Err(format!("len of {}", other.kind())),
                };
                self.set(g, *dst, Value::Int(n))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::MakeMap { dst, zero } => {
                let id = self.store.heap.alloc(crate::runtime::heap::Obj::Map {
                    entries: Default::default(),
                    zero: zero.clone(),
                });
                self.set(g, *dst, Value::Map(id))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::MapLookup { dst, ok, m, key } => self.map_lookup(g, *dst, *ok, *m, *key),
            Op::MapDelete { m, key } => self.map_delete(g, *m, *key),
            Op::MapKeys { dst, m } => self.map_keys(g, *dst, *m),
            Op::NewStruct {
                dst,
                type_name,
                fields,
            } => self.new_struct(g, *dst, type_name, fields),
            Op::Field { dst, obj, index } => self.field(p, g, *dst, *obj, *index),
            Op::SetField { obj, index, val } => self.set_field(p, g, *obj, *index, *val),
            Op::CloneObj { dst, src } => self.clone_obj(g, *dst, *src),
            other => Err(format!("{other:?} reached the heap operations")),
        }
    }

    /// make([]T, len, cap); a bad length or capacity panics as makeslice does.
    fn make_slice(
        &mut self,
        p: PId,
        g: GoId,
        dst: Reg,
        len: Reg,
        cap: Reg,
        zero: &Value,
    ) -> R<Flow> {
        let (len, cap) = (self.int(g, len)?, self.int(g, cap)?);
        if len < 0 || cap < len || cap > 1 << 26 {
            let msg = if len < 0 {
                "runtime error: makeslice: len out of range"
            } else {
                "runtime error: makeslice: cap out of range"
            };
            return self.begin_panic(p, g, Value::str(msg));
        }
        let s = self
            .store
            .heap
            .make_slice(len as u32, cap as u32, zero.clone());
        self.set(g, dst, Value::Slice(s))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.go_create / 4 + cap as Nanos / 4))
    }

    /// base[idx] for a slice, a string (a byte) or a map (its zero value if missing).
    fn index(&mut self, p: PId, g: GoId, dst: Reg, base: Reg, idx: Reg) -> R<Flow> {
        let b = self.get(g, base)?;
        let v = match b {
            Value::Slice(s) => {
                let i = self.int(g, idx)?;
                if i < 0 || i >= s.len as i64 {
                    return self.begin_panic(p, g, index_out_of_range(i, s.len as usize));
                }
                self.store.heap.elems(s)[i as usize].clone()
            }
            Value::Str(st) => {
                let i = self.int(g, idx)?;
                match st.as_bytes().get(i.max(0) as usize).filter(|_| i >= 0) {
                    Some(b) => Value::Int(*b as i64),
                    None => return self.begin_panic(p, g, index_out_of_range(i, st.len())),
                }
            }
            Value::Map(m) => {
                let k = self.get(g, idx)?;
                self.map_get(m, &k)?.0
            }
            Value::Nil => {
                // A nil map reads as empty; a nil slice has length 0.
                let i = self.get(g, idx)?;
                match i {
                    Value::Int(i) => return self.begin_panic(p, g, index_out_of_range(i, 0)),
                    _ => Value::Nil,
                }
            }
            other => return Err(format!("index of {}", other.kind())),
        };
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// base[idx] = val for a slice or a map; assignment to a nil map panics.
    fn set_index(&mut self, p: PId, g: GoId, base: Reg, idx: Reg, val: Reg) -> R<Flow> {
        let v = self.get(g, val)?;
        match self.get(g, base)? {
            Value::Slice(s) => {
                let i = self.int(g, idx)?;
                if i < 0 || i >= s.len as i64 {
                    return self.begin_panic(p, g, index_out_of_range(i, s.len as usize));
                }
                if let Some(a) = self.store.heap.array_mut(s.arr) {
                    a[(s.off as i64 + i) as usize] = v;
                }
            }
            Value::Map(m) => {
                let k = self.get(g, idx)?;
                let key = crate::runtime::heap::MapKey::of(&k)
                    .ok_or_else(|| format!("{} is not a valid map key", k.kind()))?;
                if let Some(crate::runtime::heap::Obj::Map { entries, .. }) =
                    self.store.heap.objs.get_mut(m as usize)
                {
                    if entries.insert(key, v).is_none() {
                        self.store.heap.values += 1;
                    }
                }
            }
            Value::Nil => {
                return self.begin_panic(p, g, Value::str("assignment to entry in nil map"))
            }
            other => return Err(format!("index assignment to {}", other.kind())),
        }
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Store { cell: u32::MAX },
        });
        Ok(Flow::Next(self.costs.mem))
    }

    /// append(slice, vals...).
    fn append(&mut self, g: GoId, dst: Reg, slice: Reg, vals: &[Reg]) -> R<Flow> {
        let s = match self.get(g, slice)? {
            Value::Slice(s) => Some(s),
            Value::Nil => None,
            other => return Err(format!("append to {}", other.kind())),
        };
        let mut vs = Vec::with_capacity(vals.len());
        for r in vals {
            vs.push(self.get(g, *r)?);
        }
        let out = self.store.heap.append(s, &vs);
        self.set(g, dst, Value::Slice(out))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem * (1 + vs.len() as Nanos)))
    }

    /// base[lo:hi] for a slice or a string, with Go's bounds panics.
    fn slice_of(
        &mut self,
        p: PId,
        g: GoId,
        dst: Reg,
        base: Reg,
        lo: Reg,
        hi: Option<Reg>,
    ) -> R<Flow> {
        let lo = self.int(g, lo)?;
        let b = self.get(g, base)?;
        let v = match b {
            Value::Slice(s) => {
                let hi = match hi {
                    Some(h) => self.int(g, h)?,
                    None => s.len as i64,
                };
                if lo < 0 || hi < lo || hi > s.cap as i64 {
                    let msg = slice_bounds(lo, hi, s.cap as i64, "capacity");
                    return self.begin_panic(p, g, msg);
                }
                Value::Slice(crate::runtime::ir::SliceRef {
                    arr: s.arr,
                    off: s.off + lo as u32,
                    len: (hi - lo) as u32,
                    cap: s.cap - lo as u32,
                })
            }
            Value::Str(st) => {
                let hi = match hi {
                    Some(h) => self.int(g, h)?,
                    None => st.len() as i64,
                };
                match st
                    .get(lo.max(0) as usize..hi.max(0) as usize)
                    .filter(|_| lo >= 0 && hi >= lo)
                {
                    Some(sub) => Value::str(sub),
                    None => {
                        let msg = slice_bounds(lo, hi, st.len() as i64, "length");
                        return self.begin_panic(p, g, msg);
                    }
                }
            }
            Value::Nil => {
                let hi = match hi {
                    Some(h) => self.int(g, h)?,
                    None => 0,
                };
                if lo != 0 || hi != 0 {
                    return self.begin_panic(p, g, slice_bounds(lo, hi, 0, "capacity"));
                }
                Value::Nil
            }
            other => return Err(format!("slicing {}", other.kind())),
        };
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.local_op))
    }

    /// copy(to, from): as many elements as the shorter has; `n` gets the count.
    fn copy_slice(&mut self, g: GoId, n: Option<Reg>, to: Reg, from: Reg) -> R<Flow> {
        let (Value::Slice(d), Value::Slice(s)) = (self.get(g, to)?, self.get(g, from)?) else {
            return Err("copy needs two slices".into());
        };
        let k = d.len.min(s.len) as usize;
        let src: Vec<Value> = self.store.heap.elems(s)[..k].to_vec();
        if let Some(a) = self.store.heap.array_mut(d.arr) {
            for (i, v) in src.into_iter().enumerate() {
                a[d.off as usize + i] = v;
            }
        }
        if let Some(n) = n {
            self.set(g, n, Value::Int(k as i64))?;
        }
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem * (1 + k as Nanos)))
    }

    /// v, ok := m[key] (a nil map reads as empty).
    fn map_lookup(&mut self, g: GoId, dst: Reg, ok: Reg, m: Reg, key: Reg) -> R<Flow> {
        let k = self.get(g, key)?;
        let (v, found) = match self.get(g, m)? {
            Value::Map(m) => self.map_get(m, &k)?,
            Value::Nil => (Value::Nil, false),
            other => return Err(format!("lookup in {}", other.kind())),
        };
        self.set(g, dst, v)?;
        self.set(g, ok, Value::Bool(found))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// delete(m, key).
    fn map_delete(&mut self, g: GoId, m: Reg, key: Reg) -> R<Flow> {
        let k = self.get(g, key)?;
        if let (Value::Map(m), Some(key)) = (self.get(g, m)?, crate::runtime::heap::MapKey::of(&k))
        {
            if let Some(crate::runtime::heap::Obj::Map { entries, .. }) =
                self.store.heap.objs.get_mut(m as usize)
            {
                entries.remove(&key);
            }
        }
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// A map's keys as a slice, shuffled with the run's RNG as Go randomises iteration order.
    fn map_keys(&mut self, g: GoId, dst: Reg, m: Reg) -> R<Flow> {
        let mut keys: Vec<Value> = match self.get(g, m)? {
            Value::Map(m) => match self.store.heap.objs.get(m as usize) {
                Some(crate::runtime::heap::Obj::Map { entries, .. }) => {
                    entries.keys().map(|k| k.value()).collect()
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        // Go randomises map iteration order: shuffle with the run's RNG.
        for i in (1..keys.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            keys.swap(i, j);
        }
        let n = keys.len() as u32;
        let s = self.store.heap.make_slice(0, n, Value::Nil);
        let s = self.store.heap.append(Some(s), &keys);
        self.set(g, dst, Value::Slice(s))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem * (1 + n as Nanos)))
    }

    /// A struct value of the named type.
    fn new_struct(&mut self, g: GoId, dst: Reg, type_name: &Rc<str>, fields: &[Reg]) -> R<Flow> {
        let mut vals = Vec::with_capacity(fields.len());
        for r in fields {
            vals.push(self.get(g, *r)?);
        }
        let id = self
            .store
            .heap
            .alloc(crate::runtime::heap::Obj::Struct(type_name.clone(), vals));
        self.set(g, dst, Value::Struct(id))?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// obj.field; a nil struct pointer panics.
    fn field(&mut self, p: PId, g: GoId, dst: Reg, obj: Reg, index: u16) -> R<Flow> {
        let v = match self.get(g, obj)? {
            Value::Struct(o) => match self.store.heap.objs.get(o as usize) {
                Some(crate::runtime::heap::Obj::Struct(_, f)) => f
                    .get(index as usize)
                    .cloned()
                    .ok_or_else(|| format!("no field {index}"))?,
                _ => return Err(format!("struct #{o} does not exist")),
            },
            Value::Nil => {
                return self.begin_panic(
                    p,
                    g,
                    Value::str("runtime error: invalid memory address or nil pointer dereference"),
                )
            }
            other => return Err(format!("field of {}", other.kind())),
        };
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// obj.field = val; a nil struct pointer panics.
    fn set_field(&mut self, p: PId, g: GoId, obj: Reg, index: u16, val: Reg) -> R<Flow> {
        let v = self.get(g, val)?;
        match self.get(g, obj)? {
            Value::Struct(o) => match self.store.heap.objs.get_mut(o as usize) {
                Some(crate::runtime::heap::Obj::Struct(_, f)) if (index as usize) < f.len() => {
                    f[index as usize] = v
                }
                _ => return Err(format!("no field {index} in struct #{o}")),
            },
            Value::Nil => {
                return self.begin_panic(
                    p,
                    g,
                    Value::str("runtime error: invalid memory address or nil pointer dereference"),
                )
            }
            other => return Err(format!("field of {}", other.kind())),
        }
        self.advance_pc(g)?;
        self.emit(TraceEvent::Op {
            g,
            p,
            what: OpEvent::Store { cell: u32::MAX },
        });
        Ok(Flow::Next(self.costs.mem))
    }

    /// A copy of a struct (Go's value semantics on assignment).
    fn clone_obj(&mut self, g: GoId, dst: Reg, src: Reg) -> R<Flow> {
        let v = match self.get(g, src)? {
            Value::Struct(o) => match self.store.heap.objs.get(o as usize).cloned() {
                Some(obj) => Value::Struct(self.store.heap.alloc(obj)),
                None => return Err(format!("struct #{o} does not exist")),
            },
            other => other,
        };
        self.set(g, dst, v)?;
        self.advance_pc(g)?;
        Ok(Flow::Next(self.costs.mem))
    }

    /// A map's value for `k` (its zero value if missing) and whether it was there.
    pub(super) fn map_get(&self, m: u32, k: &Value) -> R<(Value, bool)> {
        let key = crate::runtime::heap::MapKey::of(k)
            .ok_or_else(|| format!("{} is not a valid map key", k.kind()))?;
        match self.store.heap.objs.get(m as usize) {
            Some(crate::runtime::heap::Obj::Map { entries, zero }) => Ok(match entries.get(&key) {
                Some(v) => (v.clone(), true),
                None => (zero.clone(), false),
            }),
            _ => Err(format!("map #{m} does not exist")),
        }
    }
}

/// Go's panic value for bad slice bounds: the upper bound against the capacity (or a string's
/// length) first, then the order of the bounds.
fn slice_bounds(lo: i64, hi: i64, limit: i64, what: &str) -> Value {
    let msg = if hi > limit || hi < 0 {
        format!("runtime error: slice bounds out of range [:{hi}] with {what} {limit}")
    } else if lo < 0 {
        format!("runtime error: slice bounds out of range [{lo}:]")
    } else {
        format!("runtime error: slice bounds out of range [{lo}:{hi}]")
    };
    Value::str(&msg)
}

/// Go's panic value for a bad index.
fn index_out_of_range(i: i64, len: usize) -> Value {
    Value::str(&format!(
        "runtime error: index out of range [{i}] with length {len}"
    ))
}
