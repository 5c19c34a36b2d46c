//! Static Go types as the checker sees them, with Go's spelling for messages and the runtime type
//! (`RType`) the compiled program carries where printing or interfaces need it.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::runtime::types::{ChanDir, RType, StructType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    Int,
    Int64,
    Int32,
    Int16,
    Int8,
    Uint,
    Uint64,
    Uint32,
    Uint16,
    Uint8,
}

impl IntKind {
    pub fn name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int64 => "int64",
            IntKind::Int32 => "int32",
            IntKind::Int16 => "int16",
            IntKind::Int8 => "int8",
            IntKind::Uint => "uint",
            IntKind::Uint64 => "uint64",
            IntKind::Uint32 => "uint32",
            IntKind::Uint16 => "uint16",
            IntKind::Uint8 => "uint8",
        }
    }

    /// Bits and signedness when narrower than 64 bits (values are kept wrapped to them).
    pub fn narrow(self) -> Option<(u8, bool)> {
        match self {
            IntKind::Int32 => Some((32, true)),
            IntKind::Int16 => Some((16, true)),
            IntKind::Int8 => Some((8, true)),
            IntKind::Uint32 => Some((32, false)),
            IntKind::Uint16 => Some((16, false)),
            IntKind::Uint8 => Some((8, false)),
            _ => None,
        }
    }
}

/// Library types with behaviour of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    Mutex,
    RwMutex,
    WaitGroup,
    Once,
    SyncMap,
    AtomicInt64,
    AtomicInt32,
    AtomicBool,
    AtomicValue,
    Time,
    Timer,
    Ticker,
    Context,
    CancelFunc,
    Builder,
}

impl Lib {
    pub fn name(self) -> &'static str {
        match self {
            Lib::Mutex => "sync.Mutex",
            Lib::RwMutex => "sync.RWMutex",
            Lib::WaitGroup => "sync.WaitGroup",
            Lib::Once => "sync.Once",
            Lib::SyncMap => "sync.Map",
            Lib::AtomicInt64 => "atomic.Int64",
            Lib::AtomicInt32 => "atomic.Int32",
            Lib::AtomicBool => "atomic.Bool",
            Lib::AtomicValue => "atomic.Value",
            Lib::Time => "time.Time",
            Lib::Timer => "*time.Timer",
            Lib::Ticker => "*time.Ticker",
            Lib::Context => "context.Context",
            Lib::CancelFunc => "context.CancelFunc",
            Lib::Builder => "strings.Builder",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Bool,
    Int(IntKind),
    Float,
    Str,
    UntypedInt,
    UntypedFloat,
    UntypedRune,
    UntypedBool,
    UntypedString,
    UntypedNil,
    Named(Rc<Named>),
    Slice(Rc<Type>),
    Array(u32, Rc<Type>),
    Map(Rc<Type>, Rc<Type>),
    Chan(ChanDir, Rc<Type>),
    Pointer(Rc<Type>),
    Func(Rc<Sig>),
    Struct(Rc<StructDef>),
    Interface(Rc<Iface>),
    Tuple(Rc<[Type]>),
    Lib(Lib),
}

/// A defined type: `type Point struct{...}`, or a library one like time.Duration.
#[derive(Debug)]
pub struct Named {
    pub id: u32,
    /// As %T prints it: "main.Point", "time.Duration".
    pub name: String,
    pub underlying: RefCell<Type>,
    pub methods: RefCell<Vec<Method>>,
}

impl PartialEq for Named {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

#[derive(Clone, Debug)]
pub struct Method {
    pub name: String,
    pub func: crate::runtime::ir::FuncId,
    pub ptr_recv: bool,
    pub sig: Rc<Sig>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sig {
    pub params: Vec<Type>,
    pub results: Vec<Type>,
    pub variadic: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    pub embedded: bool,
}

/// An interface: its spelling and methods ("interface {}" and "error" are the common ones).
#[derive(Clone, Debug, PartialEq)]
pub struct Iface {
    pub name: String,
    pub methods: Vec<(String, Rc<Sig>)>,
}

impl Type {
    pub fn int() -> Type {
        Type::Int(IntKind::Int)
    }

    pub fn any() -> Type {
        Type::Interface(Rc::new(Iface {
            name: "interface {}".into(),
            methods: Vec::new(),
        }))
    }

    pub fn error() -> Type {
        Type::Interface(Rc::new(Iface {
            name: "error".into(),
            methods: vec![(
                "Error".into(),
                Rc::new(Sig {
                    params: vec![],
                    results: vec![Type::Str],
                    variadic: false,
                }),
            )],
        }))
    }

    /// The type with defined names peeled off.
    pub fn underlying(&self) -> Type {
        match self {
            Type::Named(n) => n.underlying.borrow().underlying(),
            other => other.clone(),
        }
    }

    pub fn is_untyped(&self) -> bool {
        matches!(
            self,
            Type::UntypedInt
                | Type::UntypedFloat
                | Type::UntypedRune
                | Type::UntypedBool
                | Type::UntypedString
                | Type::UntypedNil
        )
    }

    /// The type an untyped constant takes when nothing else decides (`x := 1` is an int).
    pub fn default_type(&self) -> Type {
        match self {
            Type::UntypedInt => Type::int(),
            Type::UntypedRune => Type::Int(IntKind::Int32),
            Type::UntypedFloat => Type::Float,
            Type::UntypedBool => Type::Bool,
            Type::UntypedString => Type::Str,
            other => other.clone(),
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(
            self.underlying(),
            Type::Int(_) | Type::UntypedInt | Type::UntypedRune
        )
    }

    pub fn is_float(&self) -> bool {
        matches!(self.underlying(), Type::Float | Type::UntypedFloat)
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || self.is_float()
    }

    pub fn is_string(&self) -> bool {
        matches!(self.underlying(), Type::Str | Type::UntypedString)
    }

    pub fn is_bool(&self) -> bool {
        matches!(self.underlying(), Type::Bool | Type::UntypedBool)
    }

    pub fn is_interface(&self) -> bool {
        matches!(self.underlying(), Type::Interface(_))
    }

    /// Struct values live in the runtime's arena and are copied where Go copies them.
    pub fn is_struct(&self) -> bool {
        matches!(self.underlying(), Type::Struct(_))
    }

    /// Types whose nil is a valid value.
    pub fn nillable(&self) -> bool {
        matches!(
            self.underlying(),
            Type::Slice(_)
                | Type::Map(..)
                | Type::Chan(..)
                | Type::Pointer(_)
                | Type::Func(_)
                | Type::Interface(_)
                | Type::Lib(Lib::Context | Lib::CancelFunc | Lib::Timer | Lib::Ticker)
        )
    }

    pub fn struct_def(&self) -> Option<Rc<StructDef>> {
        match self.underlying() {
            Type::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The named type behind `T` or `*T`, for method lookup.
    pub fn named(&self) -> Option<Rc<Named>> {
        match self {
            Type::Named(n) => Some(Rc::clone(n)),
            Type::Pointer(inner) => match &**inner {
                Type::Named(n) => Some(Rc::clone(n)),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_duration(&self) -> bool {
        matches!(self, Type::Named(n) if n.name == "time.Duration")
    }

    /// The runtime's view of the type.
    pub fn rtype(&self) -> RType {
        self.rtype_at(0)
    }

    /// Recursive types (`type Node struct { Next *Node }`) are expanded a few levels deep only;
    /// fmt prints pointers below the top level as addresses, so the cut never shows.
    fn rtype_at(&self, depth: u32) -> RType {
        let d = depth + 1;
        if depth > 6 {
            return match self {
                Type::Named(n) => {
                    RType::Named(Rc::from(n.name.as_str()), Rc::new(RType::Opaque("...")))
                }
                _ => RType::Opaque("..."),
            };
        }
        match self {
            Type::Bool | Type::UntypedBool => RType::Bool,
            Type::Int(k) => RType::Int(k.name()),
            Type::UntypedInt => RType::int(),
            Type::UntypedRune => RType::Int("int32"),
            Type::Float | Type::UntypedFloat => RType::Float("float64"),
            Type::Str | Type::UntypedString => RType::String,
            Type::UntypedNil => RType::any(),
            Type::Named(n) if n.name == "time.Duration" => RType::Duration,
            Type::Named(n) => {
                let under = n.underlying.borrow().clone();
                match under {
                    Type::Struct(s) => RType::Struct(Rc::new(StructType {
                        name: Rc::from(n.name.as_str()),
                        fields: s
                            .fields
                            .iter()
                            .map(|f| (Rc::from(f.name.as_str()), f.ty.rtype_at(d)))
                            .collect(),
                    })),
                    other => RType::Named(Rc::from(n.name.as_str()), Rc::new(other.rtype_at(d))),
                }
            }
            Type::Slice(e) => RType::Slice(Rc::new(e.rtype_at(d))),
            Type::Array(n, e) => RType::Array(*n, Rc::new(e.rtype_at(d))),
            Type::Map(k, v) => RType::Map(Rc::new(k.rtype_at(d)), Rc::new(v.rtype_at(d))),
            Type::Chan(dir, e) => RType::Chan(*dir, Rc::new(e.rtype_at(d))),
            Type::Pointer(e) => RType::Pointer(Rc::new(e.rtype_at(d))),
            Type::Func(_) => RType::Func(Rc::from(self.to_string().as_str())),
            Type::Struct(s) => RType::Struct(Rc::new(StructType {
                name: Rc::from(""),
                fields: s
                    .fields
                    .iter()
                    .map(|f| (Rc::from(f.name.as_str()), f.ty.rtype_at(d)))
                    .collect(),
            })),
            Type::Interface(i) => RType::Interface(Rc::from(i.name.as_str())),
            Type::Tuple(_) => RType::any(),
            Type::Lib(l) => RType::Opaque(l.name()),
        }
    }
}

impl fmt::Display for Type {
    /// Go's spelling, as in compiler messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int(k) => f.write_str(k.name()),
            Type::Float => f.write_str("float64"),
            Type::Str => f.write_str("string"),
            Type::UntypedInt => f.write_str("untyped int"),
            Type::UntypedFloat => f.write_str("untyped float"),
            Type::UntypedRune => f.write_str("untyped rune"),
            Type::UntypedBool => f.write_str("untyped bool"),
            Type::UntypedString => f.write_str("untyped string"),
            Type::UntypedNil => f.write_str("untyped nil"),
            Type::Named(n) => f.write_str(n.name.strip_prefix("main.").unwrap_or(&n.name)),
            Type::Slice(e) => write!(f, "[]{e}"),
            Type::Array(n, e) => write!(f, "[{n}]{e}"),
            Type::Map(k, v) => write!(f, "map[{k}]{v}"),
            Type::Chan(ChanDir::Both, e) => write!(f, "chan {e}"),
            Type::Chan(ChanDir::Send, e) => write!(f, "chan<- {e}"),
            Type::Chan(ChanDir::Recv, e) => write!(f, "<-chan {e}"),
            Type::Pointer(e) => write!(f, "*{e}"),
            Type::Func(s) => {
                f.write_str("func(")?;
                for (i, p) in s.params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}")?;
                }
                f.write_str(")")?;
                match s.results.len() {
                    0 => Ok(()),
                    1 => write!(f, " {}", s.results[0]),
                    _ => {
                        f.write_str(" (")?;
                        for (i, r) in s.results.iter().enumerate() {
                            if i > 0 {
                                f.write_str(", ")?;
                            }
                            write!(f, "{r}")?;
                        }
                        f.write_str(")")
                    }
                }
            }
            Type::Struct(s) => {
                f.write_str("struct{")?;
                for (i, fl) in s.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{} {}", fl.name, fl.ty)?;
                }
                f.write_str("}")
            }
            Type::Interface(i) if i.name == "interface {}" => f.write_str("any"),
            Type::Interface(i) => f.write_str(&i.name),
            Type::Tuple(ts) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Type::Lib(l) => f.write_str(l.name()),
        }
    }
}

/// Whether a value of type `from` can be assigned to `to` (Go's assignability, for the subset).
pub fn assignable(from: &Type, to: &Type) -> bool {
    if from == to {
        return true;
    }
    if to.is_interface() {
        return match to.underlying() {
            Type::Interface(i) => i.methods.is_empty() || implements(from, &i),
            _ => false,
        } || matches!(from, Type::UntypedNil);
    }
    match from {
        Type::UntypedNil => to.nillable(),
        Type::UntypedInt | Type::UntypedRune => to.is_numeric(),
        // An untyped float constant with an integral value is a valid integer (1e3, 1e8).
        Type::UntypedFloat => to.is_numeric(),
        Type::UntypedBool => to.is_bool(),
        Type::UntypedString => to.is_string(),
        _ => {
            // Identical underlying types where one side is unnamed, and channel direction.
            let (fu, tu) = (from.underlying(), to.underlying());
            let unnamed = !matches!(from, Type::Named(_)) || !matches!(to, Type::Named(_));
            match (&fu, &tu) {
                (Type::Chan(ChanDir::Both, a), Type::Chan(_, b)) => a == b,
                _ => {
                    unnamed
                        && fu == tu
                        && !matches!(fu, Type::Int(_) | Type::Float | Type::Str | Type::Bool)
                }
            }
        }
    }
}

/// Whether `t` has the interface's methods.
pub fn implements(t: &Type, iface: &Iface) -> bool {
    if let Type::Interface(other) = t.underlying() {
        return iface
            .methods
            .iter()
            .all(|(m, _)| other.methods.iter().any(|(n, _)| n == m));
    }
    let Some(named) = t.named() else {
        return false;
    };
    let is_ptr = matches!(t, Type::Pointer(_));
    let methods = named.methods.borrow();
    iface.methods.iter().all(|(name, sig)| {
        methods
            .iter()
            .any(|m| &m.name == name && (is_ptr || !m.ptr_recv) && m.sig == *sig)
    })
}
