//! fmt: Print, Println, Printf, the Sprint family and Errorf. A format string must be a constant,
//! so each verb is known when compiling; operands whose type has an `Error() string` or
//! `String() string` method print as its result, as Go's fmt does, and Errorf's `%w` operand is
//! kept so errors.Is and errors.Unwrap can find it.

use std::rc::Rc;

use super::call::Arg;
use super::consts::{Const, ConstVal};
use super::lib::error_string;
use super::{Compiler, Operand, R};
use crate::golang::types::Type;
use crate::runtime::fmt::{FmtKind, FormatSpec};
use crate::runtime::ir::{Callee, Op, Reg, Value};
use crate::runtime::types::RType;

/// A call of `fmt.name` with `args`.
pub(super) fn fmt_call(
    c: &mut Compiler<'_>,
    p: usize,
    name: &str,
    args: &[Arg],
    spread: bool,
) -> R<Operand> {
    if spread {
        return Err(c.unsupported(p, "passing a slice with ... to fmt"));
    }
    // Errorf's %w operand: the error it wraps (for errors.Is and errors.Unwrap).
    let mut wrapped = None;
    let (kind, rest) = match name {
        "Println" | "Sprintln" => (FmtKind::Println, args),
        "Print" | "Sprint" => (FmtKind::Print, args),
        _ => {
            let Some(first) = args.first() else {
                return Err(c.err(p, format!("not enough arguments in call to fmt.{name}")));
            };
            let op = c.arg_operand(first, Some(&Type::Str))?;
            let Operand::Const(Const {
                val: ConstVal::Str(f),
                ..
            }) = op
            else {
                return Err(c.unsupported(p, "a format string that is not a constant"));
            };
            if name == "Errorf" {
                wrapped = wrapped_arg(&f);
            }
            let f = if name == "Errorf" {
                Rc::from(f.replace("%w", "%v").as_str())
            } else {
                f
            };
            (FmtKind::Printf(f), &args[1..])
        }
    };
    let verbs = match &kind {
        FmtKind::Printf(f) => arg_verbs(f),
        _ => Vec::new(),
    };
    let (originals, statics) = fmt_args(c, rest)?;
    // fmt calls an operand's Error or String method for the verbs that print strings.
    let wrapped = wrapped.and_then(|i| originals.get(i).copied());
    let (regs, types) = stringify_args(c, p, originals, statics, &verbs)?;
    let dst = c.reg(p)?;
    c.emit(Op::Format {
        dst,
        spec: Rc::new(FormatSpec { kind, types }),
        args: regs,
    });
    match name {
        "Println" | "Print" | "Printf" => {
            c.emit(Op::Write { src: dst });
            c.no_value(p)
        }
        "Errorf" => {
            let out = c.reg(p)?;
            let mut fields = vec![dst];
            fields.extend(wrapped);
            c.emit(Op::NewStruct {
                dst: out,
                type_name: Rc::from("*fmt.wrapError"),
                fields,
            });
            let e = c.reg(p)?;
            c.emit(Op::Box {
                dst: e,
                src: out,
                ty: error_string("*fmt.wrapError"),
            });
            Ok(Operand::Val(e, Type::error()))
        }
        _ => Ok(Operand::Val(dst, Type::Str)),
    }
}

/// The operands of a fmt call with their types; `fmt.Println(f())` with `f` returning several
/// values prints them all.
fn fmt_args(c: &mut Compiler<'_>, args: &[Arg]) -> R<(Vec<Reg>, Vec<Type>)> {
    let mut regs = Vec::new();
    let mut types = Vec::new();
    for a in args {
        let ap = c.arg_pos(a);
        let op = c.arg_operand(a, None)?;
        if let (Type::Tuple(ts), Operand::Val(r, _), 1) = (op.ty(), &op, args.len()) {
            if ts.len() > 1 {
                for (i, t) in ts.iter().enumerate() {
                    regs.push(c.tuple_part(ap, *r, i)?);
                    types.push(t.clone());
                }
                continue;
            }
        }
        if let Type::Tuple(ts) = op.ty() {
            let what = if ts.is_empty() {
                "(no value) used as value".to_string()
            } else {
                format!(
                    "(value of type {}) in single-value context",
                    Type::Tuple(ts)
                )
            };
            return Err(c.err(ap, format!("{} {what}", c.arg_text(a))));
        }
        let (r, t) = match op {
            Operand::Const(Const {
                val: ConstVal::Nil, ..
            }) => (c.konst(ap, Value::Nil)?, Type::any()),
            op => c.materialize(ap, op, None)?,
        };
        regs.push(r);
        types.push(t);
    }
    Ok((regs, types))
}

/// The verb each operand of a format string gets, in order (`%%` takes none).
fn arg_verbs(format: &str) -> Vec<char> {
    let mut chars = format.chars().peekable();
    let mut verbs = Vec::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        while let Some(&f) = chars.peek() {
            if "+-# 0123456789.".contains(f) {
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            Some('%') | None => {}
            Some(v) => verbs.push(v),
        }
    }
    verbs
}

/// The operands of a fmt call with Go's method rule applied: a value whose type has an
/// `Error() string` or `String() string` method (in its method set) prints as that method's result
/// under %v, %s and %q (and Print/Println). Interface values are checked at run time against the
/// program's types that have such a method.
fn stringify_args(
    c: &mut Compiler<'_>,
    p: usize,
    regs: Vec<Reg>,
    statics: Vec<Type>,
    verbs: &[char],
) -> R<(Vec<Reg>, Vec<RType>)> {
    let mut out = Vec::with_capacity(regs.len());
    let mut tys = Vec::with_capacity(regs.len());
    for (i, (r, t)) in regs.into_iter().zip(statics).enumerate() {
        let verb = verbs.get(i).copied().unwrap_or('v');
        let s = if matches!(verb, 'v' | 's' | 'q') {
            match stringify(c, p, r, &t)? {
                Some(s) => Some(s),
                None => c.display(p, r, &t, 0)?,
            }
        } else {
            None
        };
        match s {
            Some((s, st)) => {
                out.push(s);
                tys.push(st.rtype());
            }
            None => {
                out.push(r);
                tys.push(t.rtype());
            }
        }
    }
    Ok((out, tys))
}

/// Which operand of an Errorf format string its %w verb takes.
fn wrapped_arg(format: &str) -> Option<usize> {
    arg_verbs(format).iter().position(|v| *v == 'w')
}

fn stringer(m: &crate::golang::types::Method) -> bool {
    matches!(m.name.as_str(), "Error" | "String")
        && m.sig.params.is_empty()
        && m.sig.results == [Type::Str]
}

/// The Error (else String) method in a concrete type's method set, if it has one.
pub(super) fn stringer_method(ty: &Type) -> Option<crate::golang::types::Method> {
    let named = ty.named()?;
    let is_ptr = matches!(ty, Type::Pointer(_));
    let methods = named.methods.borrow();
    let pick = |n: &str| {
        methods
            .iter()
            .find(|m| m.name == n && stringer(m) && (is_ptr || !m.ptr_recv))
            .cloned()
    };
    pick("Error").or_else(|| pick("String"))
}

/// The string fmt prints for `r` (of static type `ty`) when its type has an `Error() string` or
/// `String() string` method: a call for a concrete type, a run-time type switch over the program's
/// types for an interface. None when no type can have such a method.
pub(super) fn stringify(
    c: &mut Compiler<'_>,
    p: usize,
    r: Reg,
    ty: &Type,
) -> R<Option<(Reg, Type)>> {
    if !ty.is_interface() {
        let Some(m) = stringer_method(ty) else {
            return Ok(None);
        };
        let dst = c.reg(p)?;
        c.emit(Op::Call {
            func: Callee::Static(m.func),
            args: vec![r],
            dst: Some(dst),
        });
        return Ok(Some((dst, Type::Str)));
    }
    // An interface: try each of the program's types whose method set has Error or String.
    let mut candidates = Vec::new();
    for g in c.globals.values() {
        if let super::Global::Type(Type::Named(n)) = g {
            let methods = n.methods.borrow();
            let pick = |ptr: bool| {
                let ok = |name: &str| {
                    methods
                        .iter()
                        .find(|m| m.name == name && stringer(m) && (ptr || !m.ptr_recv))
                        .map(|m| m.func)
                };
                ok("Error").or_else(|| ok("String"))
            };
            if let Some(f) = pick(true) {
                candidates.push((Type::Pointer(Rc::new(Type::Named(Rc::clone(n)))), f));
            }
            if let Some(f) = pick(false) {
                candidates.push((Type::Named(Rc::clone(n)), f));
            }
        }
    }
    if candidates.is_empty() {
        return Ok(None);
    }
    candidates.sort_by_key(|(t, f)| (*f, t.to_string()));
    let out = c.reg(p)?;
    c.emit(Op::Move { dst: out, src: r });
    let mut ends = Vec::new();
    for (ct, f) in candidates {
        let (v, ok) = (c.reg(p)?, c.reg(p)?);
        c.emit(Op::Unbox {
            dst: v,
            ok: Some(ok),
            src: r,
            ty: Rc::new(ct.rtype()),
        });
        let skip = c.emit(Op::JumpIfNot { cond: ok, to: 0 });
        let s = c.reg(p)?;
        c.emit(Op::Call {
            func: Callee::Static(f),
            args: vec![v],
            dst: Some(s),
        });
        c.emit(Op::Box {
            dst: out,
            src: s,
            ty: Rc::new(RType::String),
        });
        ends.push(c.emit(Op::Jump { to: 0 }));
        let next = c.here();
        c.patch(skip, next);
    }
    let end = c.here();
    for e in ends {
        c.patch(e, end);
    }
    Ok(Some((out, Type::any())))
}
