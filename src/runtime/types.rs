//! Go types as a running program needs them: to print a value the way fmt does (`%v`, `%+v`, `%T`)
//! and to tell dynamic types apart inside interface values (type assertions and switches).
//!
//! Registers hold untyped [`Value`](super::ir::Value)s; the front end knows every static type and
//! attaches an `RType` wherever the type changes what happens at run time: a format call, a
//! conversion to an interface, an assertion.

use std::fmt;
use std::rc::Rc;

/// A Go type, as far as printing and interface values need it.
#[derive(Clone, Debug, PartialEq)]
pub enum RType {
    Bool,
    /// An integer type by its Go name: int, int64, int32, uint8, ...
    Int(&'static str),
    /// float64 or float32.
    Float(&'static str),
    String,
    /// time.Duration: an int64 of nanoseconds that prints as "1.5s".
    Duration,
    /// A defined type (`type Celsius float64`): its qualified name and underlying type.
    Named(Rc<str>, Rc<RType>),
    Slice(Rc<RType>),
    Array(u32, Rc<RType>),
    Map(Rc<RType>, Rc<RType>),
    Struct(Rc<StructType>),
    Pointer(Rc<RType>),
    Chan(ChanDir, Rc<RType>),
    /// A function type, by its Go spelling ("func(int) string").
    Func(Rc<str>),
    /// An interface type by its spelling: "interface {}" or "error".
    Interface(Rc<str>),
    /// The error values of errors.New and fmt.Errorf: a struct whose field 0 is the message.
    ErrorString(&'static str),
    /// Library types that print as a fixed shape: sync.Mutex, context.Context, *time.Timer, ...
    Opaque(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

/// A struct type: its qualified name ("main.Point"; empty for a struct literal type) and fields.
#[derive(Clone, Debug, PartialEq)]
pub struct StructType {
    pub name: Rc<str>,
    pub fields: Vec<(Rc<str>, RType)>,
}

/// A value converted to an interface: its dynamic type and value. Two interface values are equal
/// when both are.
#[derive(Clone, Debug, PartialEq)]
pub struct Boxed {
    pub ty: Rc<RType>,
    pub val: super::ir::Value,
}

impl RType {
    pub fn int() -> RType {
        RType::Int("int")
    }

    pub fn any() -> RType {
        RType::Interface(Rc::from("interface {}"))
    }

    /// The type with names peeled off (`type Celsius float64` is a float64 underneath).
    pub fn underlying(&self) -> &RType {
        match self {
            RType::Named(_, u) => u.underlying(),
            other => other,
        }
    }

    pub fn is_interface(&self) -> bool {
        matches!(self.underlying(), RType::Interface(_))
    }
}

impl fmt::Display for RType {
    /// The type as `%T` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RType::Bool => f.write_str("bool"),
            RType::Int(n) | RType::Float(n) => f.write_str(n),
            RType::String => f.write_str("string"),
            RType::Duration => f.write_str("time.Duration"),
            RType::Named(n, _) => f.write_str(n),
            RType::Slice(e) => write!(f, "[]{e}"),
            RType::Array(n, e) => write!(f, "[{n}]{e}"),
            RType::Map(k, v) => write!(f, "map[{k}]{v}"),
            RType::Struct(s) if !s.name.is_empty() => f.write_str(&s.name),
            RType::Struct(s) => {
                f.write_str("struct {")?;
                for (i, (name, ty)) in s.fields.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{name} {ty}")?;
                }
                f.write_str(if s.fields.is_empty() { "}" } else { " }" })
            }
            RType::Pointer(e) => write!(f, "*{e}"),
            RType::Chan(ChanDir::Both, e) => write!(f, "chan {e}"),
            RType::Chan(ChanDir::Send, e) => write!(f, "chan<- {e}"),
            RType::Chan(ChanDir::Recv, e) => write!(f, "<-chan {e}"),
            RType::Func(s) | RType::Interface(s) => f.write_str(s),
            RType::ErrorString(n) | RType::Opaque(n) => f.write_str(n),
        }
    }
}
