//! Constants: literals, `const` declarations with iota, and constant folding, exact as Go's
//! untyped constants are (integers as i128 here, enough for the subset).

use std::rc::Rc;

use go_parser::ast::{Expr, GenDecl, Spec};
use go_parser::Token;

use super::{Compiler, Operand, R};
use crate::golang::types::Type;
use crate::runtime::ir::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum ConstVal {
    Int(i128),
    Float(f64),
    /// An untyped float constant known exactly, as numerator and positive denominator (Go's
    /// constants are exact: 0.1 + 0.2 is 0.3 before it becomes a float64).
    Rat(i128, i128),
    Str(Rc<str>),
    Bool(bool),
    Nil,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Const {
    pub val: ConstVal,
    pub ty: Type,
}

impl ConstVal {
    /// Exact rationals as the float64 they round to; other values unchanged.
    pub fn floated(&self) -> ConstVal {
        match self {
            ConstVal::Rat(n, d) => ConstVal::Float(rat_to_f64(*n, *d)),
            other => other.clone(),
        }
    }

    /// The value as an exact fraction, if it is an integer or an exact rational.
    fn exact(&self) -> Option<(i128, i128)> {
        match self {
            ConstVal::Int(i) => Some((*i, 1)),
            ConstVal::Rat(n, d) => Some((*n, *d)),
            _ => None,
        }
    }
}

/// A fraction reduced, with a positive denominator; an integral one becomes an Int.
pub fn rat(n: i128, d: i128) -> Option<ConstVal> {
    if d == 0 {
        return None;
    }
    let g = gcd(n.unsigned_abs(), d.unsigned_abs()) as i128;
    let (mut n, mut d) = (n / g.max(1), d / g.max(1));
    if d < 0 {
        n = n.checked_neg()?;
        d = d.checked_neg()?;
    }
    Some(ConstVal::Rat(n, d))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// n/d correctly rounded when both fit in 53 bits (the common case); close otherwise.
fn rat_to_f64(n: i128, d: i128) -> f64 {
    n as f64 / d as f64
}

/// A decimal float literal as an exact fraction, when it is small enough to be one.
pub fn parse_rat(lit: &str) -> Option<ConstVal> {
    let lit = lit.to_ascii_lowercase();
    if lit.starts_with("0x") {
        return None;
    }
    let (mant, exp) = match lit.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().ok()?),
        None => (lit.clone(), 0),
    };
    let (int_part, frac) = mant.split_once('.').unwrap_or((&mant, ""));
    let digits = format!("{int_part}{frac}");
    if digits.len() > 30 {
        return None;
    }
    let n: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let scale = exp - frac.len() as i32;
    if scale.abs() > 30 {
        return None;
    }
    if scale >= 0 {
        rat(n.checked_mul(10i128.checked_pow(scale as u32)?)?, 1)
    } else {
        rat(n, 10i128.checked_pow((-scale) as u32)?)
    }
}

impl Const {
    pub fn int(i: i128) -> Const {
        Const {
            val: ConstVal::Int(i),
            ty: Type::UntypedInt,
        }
    }

    /// The runtime value of the constant as type `ty`.
    pub fn value(&self, ty: &Type) -> Value {
        match &self.val.floated() {
            ConstVal::Int(i) if ty.is_float() => Value::Float(*i as f64),
            ConstVal::Int(i) => Value::Int(*i as i64),
            ConstVal::Float(x) if ty.is_integer() => Value::Int(*x as i64),
            ConstVal::Float(x) => Value::Float(*x),
            ConstVal::Str(s) => Value::Str(Rc::clone(s)),
            ConstVal::Bool(b) => Value::Bool(*b),
            ConstVal::Nil | ConstVal::Rat(..) => Value::Nil,
        }
    }

    pub fn describe(&self) -> String {
        match &self.val.floated() {
            ConstVal::Int(i) => i.to_string(),
            ConstVal::Float(x) => format!("{x}"),
            ConstVal::Str(s) => format!("{s:?}"),
            ConstVal::Bool(b) => b.to_string(),
            ConstVal::Nil | ConstVal::Rat(..) => "nil".into(),
        }
    }
}

/// Whether an integer constant fits the integer type `ty`.
pub fn fits(i: i128, ty: &Type) -> bool {
    use crate::golang::types::IntKind::*;
    let Type::Int(k) = ty.underlying() else {
        return true;
    };
    let (lo, hi): (i128, i128) = match k {
        Int | Int64 => (i64::MIN as i128, i64::MAX as i128),
        Int32 => (i32::MIN as i128, i32::MAX as i128),
        Int16 => (i16::MIN as i128, i16::MAX as i128),
        Int8 => (i8::MIN as i128, i8::MAX as i128),
        Uint | Uint64 => (0, u64::MAX as i128),
        Uint32 => (0, u32::MAX as i128),
        Uint16 => (0, u16::MAX as i128),
        Uint8 => (0, u8::MAX as i128),
    };
    (lo..=hi).contains(&i)
}

impl Compiler<'_> {
    /// A `const (...)` declaration: names and their constants, with iota and implicit repetition
    /// of the previous expression list.
    /// Compiles and declares a `const` declaration, each constant visible to the ones after it; at
    /// package level (`package_level`), constants named in the compiler's overrides take the
    /// overriding value, so constants declared after them see it.
    pub(super) fn const_decl(
        &mut self,
        g: &GenDecl,
        package_level: bool,
    ) -> R<Vec<(String, super::Const)>> {
        let mut out = Vec::new();
        let mut last: Option<(Option<Expr>, Vec<Expr>)> = None;
        for (iota, s) in g.specs.iter().enumerate() {
            let Spec::Value(v) = &self.objs.specs[*s] else {
                continue;
            };
            let (typ, values) = if v.values.is_empty() {
                match &last {
                    Some(l) => l.clone(),
                    None => {
                        let p = self.objs.idents[v.names[0]].pos;
                        return Err(self.err(p, "missing init expr for const declaration"));
                    }
                }
            } else {
                (v.typ.clone(), v.values.clone())
            };
            last = Some((typ.clone(), values.clone()));
            let ty = match &typ {
                Some(t) => Some(self.type_expr(t)?),
                None => None,
            };
            for (i, n) in v.names.iter().enumerate() {
                let p = self.objs.idents[*n].pos;
                let Some(e) = values.get(i) else {
                    return Err(self.err(p, "missing init expr for const declaration"));
                };
                let saved = self.iota.replace(iota as i128);
                let op = self.expr(e, ty.as_ref());
                self.iota = saved;
                let Operand::Const(mut c) = op? else {
                    let ep = self.expr_pos(e);
                    return Err(self.err(ep, "value is not constant"));
                };
                if let Some(t) = &ty {
                    c = self.convert_const(ep_of(self, e), c, t)?;
                }
                let name = self.ident_name(*n).to_string();
                // Declared at once, so later constants of the same group can use it.
                if package_level {
                    if let Some(o) = self.overrides.remove(&name) {
                        c = self.override_const(p, &name, c, o)?;
                    }
                    self.globals
                        .insert(name.clone(), super::Global::Const(c.clone()));
                } else {
                    let ty = c.ty.clone();
                    self.declare_local(&name, super::Storage::Const(c.clone()), ty, None);
                }
                out.push((name, c));
            }
        }
        Ok(out)
    }

    /// " in assignment" and the like, where the value is being used.
    fn ctx_suffix(&self) -> String {
        self.use_ctx
            .as_ref()
            .map(|c| format!(" in {c}"))
            .unwrap_or_default()
    }

    /// A constant given type `ty` (Go's representability rules for the subset).
    pub(super) fn convert_const(&self, p: usize, c: Const, ty: &Type) -> R<Const> {
        if ty.is_interface() {
            return Ok(c);
        }
        let bad = || {
            self.err(
                p,
                format!(
                    "cannot use {} (untyped {} constant) as {ty} value",
                    c.describe(),
                    kind_word(&c.ty)
                ),
            )
        };
        if let (ConstVal::Rat(n, d), true) = (&c.val, ty.is_integer()) {
            if n % d != 0 {
                return Err(self.err(
                    p,
                    format!(
                        "cannot use {} (untyped float constant) as {ty} value{} (truncated)",
                        c.describe(),
                        self.ctx_suffix()
                    ),
                ));
            }
            return self.convert_const(
                p,
                Const {
                    val: ConstVal::Int(n / d),
                    ty: Type::UntypedInt,
                },
                ty,
            );
        }
        let val = match (&c.val.floated(), ty.underlying()) {
            (ConstVal::Int(i), t) if t.is_integer() => {
                if !fits(*i, ty) {
                    return Err(self.err(
                        p,
                        format!("cannot use {i} (untyped int constant) as {ty} value (overflows)"),
                    ));
                }
                ConstVal::Int(*i)
            }
            (ConstVal::Int(i), t) if t.is_float() => ConstVal::Float(*i as f64),
            (ConstVal::Float(x), t) if t.is_float() => ConstVal::Float(*x),
            (ConstVal::Float(x), t) if t.is_integer() => {
                if x.fract() != 0.0 {
                    return Err(self.err(
                        p,
                        format!(
                            "cannot use {x} (untyped float constant) as {ty} value{} (truncated)",
                            self.ctx_suffix()
                        ),
                    ));
                }
                ConstVal::Int(*x as i128)
            }
            (ConstVal::Str(s), t) if t.is_string() => ConstVal::Str(Rc::clone(s)),
            (ConstVal::Bool(b), t) if t.is_bool() => ConstVal::Bool(*b),
            (ConstVal::Nil, _) if ty.nillable() => ConstVal::Nil,
            _ => return Err(bad()),
        };
        Ok(Const {
            val,
            ty: ty.clone(),
        })
    }

    /// Folds a binary operation on two constants.
    pub(super) fn fold(&self, p: usize, op: &Token, a: &Const, b: &Const) -> R<Const> {
        use ConstVal::*;
        let ty = if a.ty.is_untyped() {
            b.ty.clone()
        } else {
            a.ty.clone()
        };
        let ty = match (&a.ty, &b.ty) {
            (Type::UntypedFloat, Type::UntypedInt | Type::UntypedRune)
            | (Type::UntypedInt | Type::UntypedRune, Type::UntypedFloat) => Type::UntypedFloat,
            (Type::UntypedRune, Type::UntypedInt) | (Type::UntypedInt, Type::UntypedRune) => {
                Type::UntypedRune
            }
            _ => ty,
        };
        let cmp = |o: std::cmp::Ordering| -> Option<bool> {
            use std::cmp::Ordering::*;
            Some(match op {
                Token::EQL => o == Equal,
                Token::NEQ => o != Equal,
                Token::LSS => o == Less,
                Token::LEQ => o != Greater,
                Token::GTR => o == Greater,
                Token::GEQ => o != Less,
                _ => return None,
            })
        };
        let boolean = |b: bool| Const {
            val: Bool(b),
            ty: Type::UntypedBool,
        };
        // Exact arithmetic on untyped float constants.
        if let (Some((an, ad)), Some((bn, bd)), true) = (
            a.val.exact(),
            b.val.exact(),
            matches!(a.val, Rat(..)) || matches!(b.val, Rat(..)),
        ) {
            let (l, r) = (an.checked_mul(bd), bn.checked_mul(ad));
            if let (Some(l), Some(r)) = (l, r) {
                if let Some(res) = cmp(l.cmp(&r)) {
                    return Ok(boolean(res));
                }
            }
            let exact = match op {
                Token::ADD => l
                    .zip(r)
                    .and_then(|(l, r)| l.checked_add(r))
                    .zip(ad.checked_mul(bd)),
                Token::SUB => l
                    .zip(r)
                    .and_then(|(l, r)| l.checked_sub(r))
                    .zip(ad.checked_mul(bd)),
                Token::MUL => an.checked_mul(bn).zip(ad.checked_mul(bd)),
                Token::QUO if bn == 0 => {
                    return Err(self.err(p, "invalid operation: division by zero"))
                }
                Token::QUO => an.checked_mul(bd).zip(ad.checked_mul(bn)),
                _ => None,
            };
            if let Some(v) = exact.and_then(|(n, d)| rat(n, d)) {
                return Ok(Const {
                    val: v,
                    ty: if ty.is_untyped() {
                        Type::UntypedFloat
                    } else {
                        ty
                    },
                });
            }
        }
        let (av, bv) = (a.val.floated(), b.val.floated());
        let val = match (&av, &bv) {
            (Int(x), Int(y)) if !ty.is_float() => {
                if let Some(r) = cmp(x.cmp(y)) {
                    return Ok(boolean(r));
                }
                let v = match op {
                    Token::ADD => x.checked_add(*y),
                    Token::SUB => x.checked_sub(*y),
                    Token::MUL => x.checked_mul(*y),
                    Token::QUO | Token::REM if *y == 0 => {
                        return Err(self.err(p, "invalid operation: division by zero"))
                    }
                    Token::QUO => Some(x / y),
                    Token::REM => Some(x % y),
                    Token::AND => Some(x & y),
                    Token::OR => Some(x | y),
                    Token::XOR => Some(x ^ y),
                    Token::AND_NOT => Some(x & !y),
                    Token::SHL if (0..=126).contains(y) => x.checked_shl(*y as u32),
                    Token::SHR if *y >= 0 => Some(x >> (*y).min(127)),
                    _ => None,
                };
                match v {
                    Some(v) if v.unsigned_abs() < (1u128 << 100) => Int(v),
                    _ => return Err(self.err(p, format!("constant {} overflow", op.text()))),
                }
            }
            (Int(_) | Float(_), Int(_) | Float(_)) => {
                let f = |v: &ConstVal| match v {
                    Int(i) => *i as f64,
                    Float(x) => *x,
                    _ => 0.0,
                };
                let (x, y) = (f(&av), f(&bv));
                if let Some(r) = x.partial_cmp(&y).and_then(cmp) {
                    return Ok(boolean(r));
                }
                match op {
                    Token::ADD => Float(x + y),
                    Token::SUB => Float(x - y),
                    Token::MUL => Float(x * y),
                    Token::QUO if y == 0.0 => {
                        return Err(self.err(p, "invalid operation: division by zero"))
                    }
                    Token::QUO => Float(x / y),
                    _ => {
                        return Err(self.err(
                            p,
                            format!(
                                "invalid operation: operator {} not defined on untyped float",
                                op.text()
                            ),
                        ))
                    }
                }
            }
            (Str(x), Str(y)) => {
                if let Some(r) = cmp(x.cmp(y)) {
                    return Ok(boolean(r));
                }
                match op {
                    Token::ADD => Str(Rc::from(format!("{x}{y}"))),
                    _ => {
                        return Err(self.err(
                            p,
                            format!(
                                "invalid operation: operator {} not defined on string",
                                op.text()
                            ),
                        ))
                    }
                }
            }
            (Bool(x), Bool(y)) => {
                return Ok(boolean(match op {
                    Token::LAND => *x && *y,
                    Token::LOR => *x || *y,
                    Token::EQL => x == y,
                    Token::NEQ => x != y,
                    _ => {
                        return Err(self.err(
                            p,
                            format!(
                                "invalid operation: operator {} not defined on bool",
                                op.text()
                            ),
                        ))
                    }
                }))
            }
            _ => {
                return Err(self.err(
                    p,
                    format!("invalid operation: mismatched types {} and {}", a.ty, b.ty),
                ))
            }
        };
        let ty = if matches!(val, Float(_)) && ty.is_untyped() {
            Type::UntypedFloat
        } else {
            ty
        };
        Ok(Const { val, ty })
    }
}

fn ep_of(c: &Compiler<'_>, e: &Expr) -> usize {
    c.expr_pos(e)
}

fn kind_word(t: &Type) -> &'static str {
    match t {
        Type::UntypedInt => "int",
        Type::UntypedFloat => "float",
        Type::UntypedRune => "rune",
        Type::UntypedString => "string",
        Type::UntypedBool => "bool",
        Type::UntypedNil => "nil",
        _ => "typed",
    }
}

impl Compiler<'_> {
    /// `c` with the value `o`, which must be of the same kind (a whole number for an integer
    /// constant, a number for a float, a string, a bool).
    fn override_const(
        &self,
        p: usize,
        name: &str,
        c: super::Const,
        o: super::ConstOverride,
    ) -> R<super::Const> {
        use super::ConstOverride as O;
        let val = match (&c.val, o) {
            (ConstVal::Int(_), O::Int(i)) => ConstVal::Int(i as i128),
            (ConstVal::Float(_) | ConstVal::Rat(..), O::Float(x)) => ConstVal::Float(x),
            (ConstVal::Float(_) | ConstVal::Rat(..), O::Int(i)) => ConstVal::Float(i as f64),
            (ConstVal::Str(_), O::Str(s)) => ConstVal::Str(s.into()),
            (ConstVal::Bool(_), O::Bool(b)) => ConstVal::Bool(b),
            (_, o) => {
                return Err(self.err(
                    p,
                    format!("constant {name} cannot be set to {o:?}: it is {}", c.ty),
                ))
            }
        };
        Ok(super::Const { val, ty: c.ty })
    }
}
