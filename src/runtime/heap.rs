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
    /// A struct or array key, by its fields or elements (see `Op::KeyOf`).
    Tuple(Vec<MapKey>),
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
            // An interface key (sync.Map, map[any]T) is keyed by its dynamic value.
            Value::Iface(b) => return MapKey::of(&b.val),
            Value::Tuple(vals) => {
                MapKey::Tuple(vals.iter().map(MapKey::of).collect::<Option<_>>()?)
            }
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
            MapKey::Tuple(keys) => Value::Tuple(keys.iter().map(MapKey::value).collect()),
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
    /// Values held by all objects ever allocated (there is no garbage collector): what the memory
    /// budget counts.
    pub values: u64,
}

impl Heap {
    pub fn alloc(&mut self, o: Obj) -> u32 {
        self.values += match &o {
            Obj::Array(a) | Obj::Struct(_, a) => a.len() as u64,
            Obj::Map { entries, .. } => entries.len() as u64 + 1,
        };
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
        let elem_size = vals.first().map(elem_size).unwrap_or(8);
        let new_cap = grow_cap(need, s.cap as usize, elem_size);
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

/// Bytes per element as Go lays them out, guessed from a value (for growslice's rounding).
fn elem_size(v: &Value) -> usize {
    match v {
        Value::Str(_) | Value::Iface(_) => 16,
        Value::Slice(_) => 24,
        _ => 8,
    }
}

/// Go's growslice: double small slices, grow large ones by about 1.25x, then round the allocation
/// up to a malloc size class (which is why a slice of ints grows 512 → 848).
fn grow_cap(need: usize, old: usize, elem: usize) -> usize {
    const THRESHOLD: usize = 256;
    let mut cap = if need > 2 * old {
        need
    } else if old < THRESHOLD {
        2 * old
    } else {
        let mut c = old;
        while c < need {
            c += (c + 3 * THRESHOLD) >> 2;
        }
        c
    };
    cap = cap.max(32 / elem.max(1)).max(need);
    let bytes = round_up_size(cap * elem);
    bytes / elem
}

/// malloc's size classes up to 32 KB; larger allocations round up to whole 8 KB pages.
fn round_up_size(n: usize) -> usize {
    const CLASSES: [usize; 67] = [
        8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
        352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
        2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
        9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
        28672, 32768,
    ];
    match CLASSES.iter().find(|&&c| c >= n) {
        Some(c) => *c,
        None => n.div_ceil(8192) * 8192,
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
