//! Slices, maps and structs: objects in an arena that values refer to by index, so cloning the
//! runtime deep-copies them (a checkpoint) and goroutines share them exactly as Go shares the backing
//! array of a slice or a map.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::ir::{SliceRef, Value};

/// A map key: the comparable values, ordered so iteration can be made deterministic (then shuffled
/// by the run's RNG, as Go randomises map iteration).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MapKey {
    Bool(bool),
    Int(i64),
    /// Float keys by bit pattern (NaN keys are refused).
    Float(u64),
    Str(Rc<str>),
    /// Pointers, channels and other reference values by kind and index.
    Ref(u8, u32),
}

impl MapKey {
    pub fn of(v: &Value) -> Option<MapKey> {
        Some(match v {
            Value::Bool(b) => MapKey::Bool(*b),
            Value::Int(i) => MapKey::Int(*i),
            Value::Float(x) if !x.is_nan() => MapKey::Float(x.to_bits()),
            Value::Str(s) => MapKey::Str(s.clone()),
            Value::Chan(c) => MapKey::Ref(1, c.0),
            Value::Ptr(c) => MapKey::Ref(2, c.0),
            Value::Struct(o) => MapKey::Ref(3, *o),
            _ => return None,
        })
    }

    pub fn value(&self) -> Value {
        match self {
            MapKey::Bool(b) => Value::Bool(*b),
            MapKey::Int(i) => Value::Int(*i),
            MapKey::Float(b) => Value::Float(f64::from_bits(*b)),
            MapKey::Str(s) => Value::Str(s.clone()),
            MapKey::Ref(1, c) => Value::Chan(super::ir::ChanId(*c)),
            MapKey::Ref(2, c) => Value::Ptr(super::ir::CellId(*c)),
            MapKey::Ref(_, o) => Value::Struct(*o),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    Array(Vec<Value>),
    Map {
        entries: BTreeMap<MapKey, Value>,
        zero: Value,
    },
    /// A struct: its type's name (for %T and type switches) and its fields.
    Struct(Rc<str>, Vec<Value>),
}

/// The objects of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heap {
    pub objs: Vec<Obj>,
}

impl Heap {
    pub fn alloc(&mut self, o: Obj) -> u32 {
        self.objs.push(o);
        (self.objs.len() - 1) as u32
    }

    pub fn array(&self, id: u32) -> Option<&Vec<Value>> {
        match self.objs.get(id as usize) {
            Some(Obj::Array(a)) => Some(a),
            _ => None,
        }
    }

    pub fn array_mut(&mut self, id: u32) -> Option<&mut Vec<Value>> {
        match self.objs.get_mut(id as usize) {
            Some(Obj::Array(a)) => Some(a),
            _ => None,
        }
    }

    /// make([]T, len, cap).
    pub fn make_slice(&mut self, len: u32, cap: u32, zero: Value) -> SliceRef {
        let arr = self.alloc(Obj::Array(vec![zero; cap as usize]));
        SliceRef {
            arr,
            off: 0,
            len,
            cap,
        }
    }

    /// append(s, vals...): writes into the backing array while capacity lasts (so other slices of
    /// the same array see it, as in Go); otherwise copies into a new array of double the capacity.
    pub fn append(&mut self, s: Option<SliceRef>, vals: &[Value]) -> SliceRef {
        let s = s.unwrap_or_else(|| self.make_slice(0, 0, Value::Nil));
        let need = s.len as usize + vals.len();
        if need <= s.cap as usize {
            if let Some(a) = self.array_mut(s.arr) {
                for (i, v) in vals.iter().enumerate() {
                    a[(s.off + s.len) as usize + i] = v.clone();
                }
            }
            return SliceRef {
                len: need as u32,
                ..s
            };
        }
        let new_cap = need.max(2 * s.cap as usize).max(4);
        let mut data: Vec<Value> = self
            .array(s.arr)
            .map(|a| a[s.off as usize..(s.off + s.len) as usize].to_vec())
            .unwrap_or_default();
        data.extend(vals.iter().cloned());
        let zero = data.first().cloned().map(zero_like).unwrap_or(Value::Nil);
        data.resize(new_cap, zero);
        let arr = self.alloc(Obj::Array(data));
        SliceRef {
            arr,
            off: 0,
            len: need as u32,
            cap: new_cap as u32,
        }
    }

    /// The elements of a slice, for printing.
    pub fn elems(&self, s: SliceRef) -> &[Value] {
        self.array(s.arr)
            .and_then(|a| a.get(s.off as usize..(s.off + s.len) as usize))
            .unwrap_or(&[])
    }
}

/// The zero value of the same kind as `v`, for the unused tail of a grown array.
fn zero_like(v: Value) -> Value {
    match v {
        Value::Int(_) => Value::Int(0),
        Value::Float(_) => Value::Float(0.0),
        Value::Bool(_) => Value::Bool(false),
        Value::Str(_) => Value::str(""),
        _ => Value::Nil,
    }
}
