//! Runtime values and the ids of the objects they refer to.

use std::fmt;
use std::rc::Rc;

use super::{Boxed, FuncId};

/// Identifiers of runtime objects, stable for a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChanId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MutexId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RwMutexId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WaitGroupId(pub u32);
/// A heap cell: a variable shared by reference (captured by a closure, pointed to, or global).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId(pub u32);

/// A slice header: backing array object, offset, length and capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceRef {
    pub arr: u32,
    pub off: u32,
    pub len: u32,
    pub cap: u32,
}

/// A runtime value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// nil: a nil channel, pointer, func or interface.
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Chan(ChanId),
    Mutex(MutexId),
    RwMutex(RwMutexId),
    WaitGroup(WaitGroupId),
    /// A pointer to a heap cell.
    Ptr(CellId),
    /// A *time.Timer or *time.Ticker.
    Timer(u32),
    /// A context.Context (and, with ContextCancel, its cancel function).
    Context(u32),
    /// A *sync.Once.
    Once(u32),
    /// A slice: a window onto a backing array in the object arena.
    Slice(SliceRef),
    /// A map (an object in the arena; nil maps are Nil).
    Map(u32),
    /// A struct held by reference in the arena; the front end copies it (CloneObj) where Go copies
    /// the value.
    Struct(u32),
    /// A function value with the cells it captured by reference.
    Func(FuncId, Rc<[CellId]>),
    /// A non-nil interface value: a dynamic type and value (nil interfaces are Nil).
    Iface(Rc<Boxed>),
    /// The results of a call returning several values.
    Tuple(Rc<[Value]>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn truthy(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Go's name for the value's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Chan(_) => "chan",
            Value::Mutex(_) => "*sync.Mutex",
            Value::RwMutex(_) => "*sync.RWMutex",
            Value::WaitGroup(_) => "*sync.WaitGroup",
            Value::Ptr(_) => "pointer",
            Value::Timer(_) => "*time.Timer",
            Value::Context(_) => "context.Context",
            Value::Once(_) => "*sync.Once",
            Value::Slice(_) => "slice",
            Value::Map(_) => "map",
            Value::Struct(_) => "struct",
            Value::Func(..) => "func",
            Value::Iface(_) => "interface",
            Value::Tuple(_) => "tuple",
        }
    }
}

impl fmt::Display for Value {
    /// As fmt.Print shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("<nil>"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(s),
            Value::Chan(c) => write!(f, "0xc{:09x}", 0x1000 + c.0 as u64 * 0x60),
            Value::Mutex(m) => write!(f, "&{{{} 0}}", m.0),
            Value::RwMutex(m) => write!(f, "&{{{} 0}}", m.0),
            Value::WaitGroup(w) => write!(f, "&{{{}}}", w.0),
            Value::Ptr(c) => write!(f, "0xc{:09x}", 0x8000 + c.0 as u64 * 8),
            Value::Timer(t) => write!(f, "&{{timer {t}}}"),
            Value::Context(0) => f.write_str("context.Background"),
            Value::Context(c) => write!(f, "context.WithCancel#{c}"),
            Value::Once(o) => write!(f, "&{{once {o}}}"),
            // Slices, maps and structs print through the runtime, which can see their contents.
            Value::Slice(s) => write!(f, "[slice {} len {}]", s.arr, s.len),
            Value::Map(m) => write!(f, "map#{m}"),
            Value::Struct(o) => write!(f, "struct#{o}"),
            Value::Func(id, _) => write!(f, "0x{:x}", 0x47_0000 + *id as u64 * 0x20),
            Value::Iface(b) => f.write_str(&crate::runtime::fmt::boxed_text(b)),
            Value::Tuple(vals) => {
                for (i, v) in vals.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
        }
    }
}
