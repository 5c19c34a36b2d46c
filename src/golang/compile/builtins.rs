//! Builtins and conversions: the operations Go spells as calls but that call nothing. `len`,
//! `append`, `make`, `close`, `min` and the rest, and `T(x)`, each compile straight to the runtime
//! operation, with Go's own errors for a wrong argument count or type.

use std::rc::Rc;

use super::call::Arg;
use super::consts::{Const, ConstVal};
use super::{Compiler, Operand, R};
use crate::golang::types::{IntKind, Type};
use crate::runtime::ir::{BinOp, Conv, Op, Reg, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    /// `T(x)`.
    pub(super) fn conversion(&mut self, p: usize, to: Type, args: Vec<Arg>) -> R<Operand> {
        let [a] = args.as_slice() else {
            return Err(self.err(
                p,
                format!("wrong number of arguments in conversion to {to}"),
            ));
        };
        let op = self.arg_operand(a, Some(&to))?;
        let from = op.ty();
        let (tu, fu) = (to.underlying(), from.underlying());
        if let Operand::Const(c) = &op {
            // Constant conversions stay constant where Go's do.
            let c = &Const {
                val: if tu.is_integer() {
                    c.val.clone()
                } else {
                    c.val.floated()
                },
                ty: c.ty.clone(),
            };
            if let (ConstVal::Rat(n, d), true) = (&c.val, tu.is_integer()) {
                if n % d != 0 {
                    return Err(self.err(
                        p,
                        format!(
                            "cannot convert {} (untyped float constant) to type {to} (truncated)",
                            c.describe()
                        ),
                    ));
                }
                return Ok(Operand::Const(Const {
                    val: ConstVal::Int(n / d),
                    ty: to,
                }));
            }
            match (&c.val, &tu) {
                (ConstVal::Int(i), Type::Str) => {
                    let s = char::from_u32(*i as u32).unwrap_or('\u{FFFD}').to_string();
                    return Ok(Operand::Const(Const {
                        val: ConstVal::Str(Rc::from(s.as_str())),
                        ty: to,
                    }));
                }
                (ConstVal::Int(_) | ConstVal::Float(_), t) if t.is_numeric() => {
                    let c2 = match (&c.val, t.is_integer()) {
                        (ConstVal::Float(x), true) => Const {
                            val: ConstVal::Int(*x as i128),
                            ty: c.ty.clone(),
                        },
                        _ => c.clone(),
                    };
                    if let ConstVal::Float(x) = &c.val {
                        if t.is_integer() && x.fract() != 0.0 {
                            return Err(self.err(p, format!("cannot convert {x} (untyped float constant) to type {to} (truncated)")));
                        }
                    }
                    let mut k = self.convert_const(
                        p,
                        Const {
                            ty: if c.ty.is_untyped() {
                                c2.ty.clone()
                            } else {
                                Type::UntypedInt
                            },
                            ..c2
                        },
                        &to,
                    )?;
                    k.ty = to;
                    return Ok(Operand::Const(k));
                }
                (ConstVal::Str(_) | ConstVal::Bool(_), _)
                    if (tu.is_string() && c.ty.is_string()) || (tu.is_bool() && c.ty.is_bool()) =>
                {
                    return Ok(Operand::Const(Const {
                        val: c.val.clone(),
                        ty: to,
                    }));
                }
                _ => {}
            }
        }
        let (r, _) = self.materialize(p, op, None)?;
        let dst = self.reg(p)?;
        let conv = match (&fu, &tu) {
            (f, t) if f.is_integer() && t.is_float() => Some(Conv::IntToFloat),
            (f, t) if f.is_float() && t.is_integer() => Some(Conv::FloatToInt),
            (f, Type::Str) if f.is_integer() => Some(Conv::RuneToString),
            (Type::Str, Type::Slice(e)) if **e == Type::Int(IntKind::Uint8) => {
                Some(Conv::StringToBytes)
            }
            (Type::Str, Type::Slice(e)) if **e == Type::Int(IntKind::Int32) => {
                Some(Conv::StringToRunes)
            }
            (Type::Slice(e), Type::Str) if **e == Type::Int(IntKind::Uint8) => {
                Some(Conv::BytesToString)
            }
            (Type::Slice(e), Type::Str) if **e == Type::Int(IntKind::Int32) => {
                Some(Conv::RunesToString)
            }
            (f, t) if f.is_integer() && t.is_integer() => None,
            (f, t) if f.is_float() && t.is_float() => None,
            (f, t) if f == t => None,
            (_, t) if t.is_interface() => {
                let boxed = self.coerce(p, Operand::Val(r, from.clone()), &to, None)?;
                return Ok(Operand::Val(boxed, to));
            }
            _ => {
                return Err(self.err(
                    p,
                    format!(
                        "cannot convert {} (variable of type {from}) to type {to}",
                        self.arg_text(a)
                    ),
                ))
            }
        };
        match conv {
            Some(conv) => {
                self.emit(Op::Convert { dst, src: r, conv });
            }
            None => {
                self.emit(Op::Move { dst, src: r });
            }
        }
        if tu.is_integer() {
            self.wrap_int(p, dst, &to);
        }
        Ok(Operand::Val(dst, to))
    }

    pub(super) fn builtin(
        &mut self,
        p: usize,
        name: &str,
        args: Vec<Arg>,
        spread: bool,
        hint: Option<&Type>,
    ) -> R<Operand> {
        let n = args.len();
        let want = |c: &Self, k: usize| -> R<()> {
            if n != k {
                Err(c.err(
                    p,
                    format!(
                        "{} arguments for {name}(...) (expected {k}, found {n})",
                        if n < k { "not enough" } else { "too many" }
                    ),
                ))
            } else {
                Ok(())
            }
        };
        self.at(p);
        match name {
            "len" | "cap" => {
                want(self, 1)?;
                let op = self.arg_operand(&args[0], None)?;
                if let Operand::Const(Const {
                    val: ConstVal::Str(s),
                    ..
                }) = &op
                {
                    if name == "len" {
                        return Ok(Operand::Const(Const::int(s.len() as i128)));
                    }
                }
                let (r, t) = self.materialize(p, op, None)?;
                let ok = match t.underlying() {
                    Type::Slice(_) | Type::Array(..) | Type::Chan(..) => true,
                    Type::Str | Type::Map(..) => name == "len",
                    Type::Pointer(inner) => matches!(inner.underlying(), Type::Array(..)),
                    _ => false,
                };
                if !ok {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid argument: {} (variable of type {t}) for built-in {name}",
                            self.arg_text(&args[0])
                        ),
                    ));
                }
                if let Type::Array(len, _) = t.underlying() {
                    return Ok(Operand::Const(Const::int(len as i128)));
                }
                if let Type::Pointer(inner) = t.underlying() {
                    if let Type::Array(len, _) = inner.underlying() {
                        return Ok(Operand::Const(Const::int(len as i128)));
                    }
                }
                let dst = self.reg(p)?;
                if name == "len" {
                    self.emit(Op::LenOf { dst, v: r });
                } else {
                    self.emit(Op::CapOf { dst, v: r });
                }
                Ok(Operand::Val(dst, Type::int()))
            }
            "append" => {
                if n == 0 {
                    return Err(
                        self.err(p, "not enough arguments for append() (expected 1, found 0)")
                    );
                }
                let hint_ty = hint.cloned();
                let first = self.arg_operand(&args[0], hint_ty.as_ref())?;
                let (s, st) =
                    match first {
                        Operand::Const(Const {
                            val: ConstVal::Nil, ..
                        }) => match &hint_ty {
                            Some(h) => (self.konst(p, Value::Nil)?, h.clone()),
                            None => return Err(self.err(
                                p,
                                "first argument to append must be a typed slice; have untyped nil",
                            )),
                        },
                        other => self.materialize(p, other, None)?,
                    };
                let Type::Slice(el) = st.underlying() else {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid argument: {} (variable of type {st}) is not a slice",
                            self.arg_text(&args[0])
                        ),
                    ));
                };
                let dst = self.reg(p)?;
                if spread {
                    if n != 2 {
                        return Err(self.err(p, "can only use ... with final argument in list"));
                    }
                    let src = self.bytes_source(p, &args[1])?;
                    // append(s, t...) appends t's elements one by one.
                    self.emit(Op::Move { dst, src: s });
                    let len = self.reg(p)?;
                    self.emit(Op::LenOf { dst: len, v: src });
                    self.counted_loop(p, len, |c, i| {
                        let v = c.reg(p)?;
                        c.emit(Op::Index {
                            dst: v,
                            base: src,
                            idx: i,
                        });
                        c.emit(Op::Append {
                            dst,
                            slice: dst,
                            vals: vec![v],
                        });
                        Ok(())
                    })?;
                } else {
                    let mut vals = Vec::new();
                    for a in &args[1..] {
                        vals.push(self.arg_value(a, &el)?);
                    }
                    self.emit(Op::Append {
                        dst,
                        slice: s,
                        vals,
                    });
                }
                Ok(Operand::Val(dst, st))
            }
            "make" => {
                if n == 0 {
                    return Err(
                        self.err(p, "not enough arguments for make() (expected 1, found 0)")
                    );
                }
                let Arg::Expr(te) = &args[0] else {
                    unreachable!()
                };
                let t = self.type_expr(te)?;
                let dst = self.reg(p)?;
                match t.underlying() {
                    Type::Chan(_, el) => {
                        let cap = match args.get(1) {
                            Some(a) => self.arg_int(a)?,
                            None => self.konst(p, Value::Int(0))?,
                        };
                        self.emit(Op::MakeChan { dst, cap, zero: super::types_expr::zero_value(&el) });
                    }
                    Type::Slice(el) => {
                        let Some(la) = args.get(1) else {
                            return Err(self.err(p, format!("invalid operation: make({t}) expects 2 or 3 arguments; found 1")));
                        };
                        let len = self.arg_int(la)?;
                        let cap = match args.get(2) {
                            Some(a) => self.arg_int(a)?,
                            None => len,
                        };
                        if el.is_struct() {
                            // Each element is its own zero struct.
                            let zero = self.konst(p, Value::Int(0))?;
                            self.emit(Op::MakeSlice { dst, len: zero, cap, zero: Value::Nil });
                            let elt = (*el).clone();
                            self.counted_loop(p, len, |c, _| {
                                let z = c.zero(p, &elt)?;
                                c.emit(Op::Append { dst, slice: dst, vals: vec![z] });
                                Ok(())
                            })?;
                        } else {
                            self.emit(Op::MakeSlice { dst, len, cap, zero: super::types_expr::zero_value(&el) });
                        }
                    }
                    Type::Map(_, vt) => {
                        self.emit(Op::MakeMap { dst, zero: super::types_expr::zero_value(&vt) });
                    }
                    _ => return Err(self.err(p, format!("invalid argument: cannot make {t}; type must be slice, map, or channel"))),
                }
                Ok(Operand::Val(dst, t))
            }
            "new" => {
                want(self, 1)?;
                let Arg::Expr(te) = &args[0] else {
                    unreachable!()
                };
                let t = self.type_expr(te)?;
                let z = self.zero(p, &t)?;
                if t.is_struct() || matches!(t.underlying(), Type::Lib(_)) {
                    return Ok(Operand::Val(z, Type::Pointer(Rc::new(t))));
                }
                let dst = self.reg(p)?;
                self.emit(Op::NewCell { dst, init: z });
                Ok(Operand::Val(dst, Type::Pointer(Rc::new(t))))
            }
            "delete" => {
                want(self, 2)?;
                let (m, mt) = self.arg_rvalue(&args[0])?;
                let Type::Map(kt, _) = mt.underlying() else {
                    return Err(self.err(
                        p,
                        format!("invalid argument: {} is not a map", self.arg_text(&args[0])),
                    ));
                };
                let k = self.arg_value(&args[1], &kt)?;
                let k = self.map_key(p, k, &kt)?;
                self.emit(Op::MapDelete { m, key: k });
                Ok(self.no_value(p)?)
            }
            "copy" => {
                want(self, 2)?;
                let (to, _) = self.arg_rvalue(&args[0])?;
                let from = self.bytes_source(p, &args[1])?;
                let dst = self.reg(p)?;
                self.emit(Op::CopySlice {
                    n: Some(dst),
                    to,
                    from,
                });
                Ok(Operand::Val(dst, Type::int()))
            }
            "panic" => {
                want(self, 1)?;
                let v = self.arg_value(&args[0], &Type::any())?;
                self.at(p);
                self.emit(Op::Panic { val: v });
                Ok(self.no_value(p)?)
            }
            "recover" => {
                want(self, 0)?;
                let dst = self.reg(p)?;
                self.emit(Op::Recover { dst });
                Ok(Operand::Val(dst, Type::any()))
            }
            "close" => {
                want(self, 1)?;
                let (ch, ct) = self.arg_rvalue(&args[0])?;
                match ct.underlying() {
                    Type::Chan(ChanDir::Recv, _) => return Err(self.err(self.arg_pos(&args[0]), format!("invalid operation: cannot close receive-only channel {} (variable of type {ct})", self.arg_text(&args[0])))),
                    Type::Chan(..) => {}
                    _ => return Err(self.err(p, format!("invalid operation: non-chan argument {} (variable of type {ct})", self.arg_text(&args[0])))),
                }
                self.at(p);
                self.emit(Op::Close { ch });
                Ok(self.no_value(p)?)
            }
            "min" | "max" => {
                if n == 0 {
                    return Err(self.err(
                        p,
                        format!("invalid operation: not enough arguments for {name}() (expected 1, found 0)"),
                    ));
                }
                let mut ops = Vec::new();
                for a in &args {
                    ops.push(self.arg_operand(a, hint)?);
                }
                let ty = ops
                    .iter()
                    .map(|o| o.ty())
                    .find(|t| !t.is_untyped())
                    .unwrap_or_else(|| ops[0].ty().default_type());
                let mut regs = Vec::new();
                for o in ops {
                    regs.push(self.coerce(p, o, &ty, None)?);
                }
                let dst = self.reg(p)?;
                self.emit(Op::Move { dst, src: regs[0] });
                for r in &regs[1..] {
                    let c = self.reg(p)?;
                    let op = if name == "min" { BinOp::Lt } else { BinOp::Gt };
                    self.emit(Op::Bin {
                        op,
                        dst: c,
                        a: *r,
                        b: dst,
                    });
                    let skip = self.emit(Op::JumpIfNot { cond: c, to: 0 });
                    self.emit(Op::Move { dst, src: *r });
                    let here = self.here();
                    self.patch(skip, here);
                }
                Ok(Operand::Val(dst, ty))
            }
            "clear" => {
                want(self, 1)?;
                let (m, mt) = self.arg_rvalue(&args[0])?;
                if let Type::Slice(el) = mt.underlying() {
                    // Every element set to its zero value (structs get fresh ones).
                    let len = self.reg(p)?;
                    self.emit(Op::LenOf { dst: len, v: m });
                    self.counted_loop(p, len, |c, i| {
                        let z = c.zero(p, &el)?;
                        c.emit(Op::SetIndex {
                            base: m,
                            idx: i,
                            val: z,
                        });
                        Ok(())
                    })?;
                    return self.no_value(p);
                }
                if !matches!(mt.underlying(), Type::Map(..)) {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid argument: {} (variable of type {mt}) must be a map or slice",
                            self.arg_text(&args[0])
                        ),
                    ));
                }
                let keys = self.reg(p)?;
                self.emit(Op::MapKeys { dst: keys, m });
                let len = self.reg(p)?;
                self.emit(Op::LenOf { dst: len, v: keys });
                self.counted_loop(p, len, |c, i| {
                    let k = c.reg(p)?;
                    c.emit(Op::Index {
                        dst: k,
                        base: keys,
                        idx: i,
                    });
                    c.emit(Op::MapDelete { m, key: k });
                    Ok(())
                })?;
                Ok(self.no_value(p)?)
            }
            "print" | "println" => self.print_builtin(p, name == "println", &args),
            _ => Err(self.unsupported(p, &format!("the built-in {name}"))),
        }
    }

    /// The source of `append(s, x...)` and `copy(s, x)`: a slice, or a string's bytes.
    fn bytes_source(&mut self, p: usize, a: &Arg) -> R<Reg> {
        let (src, ty) = self.arg_rvalue(a)?;
        if !ty.is_string() {
            return Ok(src);
        }
        let b = self.reg(p)?;
        self.emit(Op::Convert {
            dst: b,
            src,
            conv: Conv::StringToBytes,
        });
        Ok(b)
    }
}

impl Compiler<'_> {
    /// The builtins print and println: their operands as the runtime's print writes them
    /// (println with spaces and a newline) to standard error.
    fn print_builtin(&mut self, p: usize, line: bool, args: &[Arg]) -> R<Operand> {
        let text = self.konst(p, Value::str(""))?;
        for (i, a) in args.iter().enumerate() {
            let ap = self.arg_pos(a);
            let op = self.arg_operand(a, None)?;
            let (r, t) = self.materialize(ap, op, None)?;
            let piece = if t.is_string() {
                r
            } else if t.is_integer() {
                let s = self.reg(ap)?;
                self.emit(Op::Convert {
                    dst: s,
                    src: r,
                    conv: Conv::Itoa,
                });
                s
            } else if t.is_bool() {
                let s = self.konst(ap, Value::str("false"))?;
                let skip = self.emit(Op::JumpIfNot { cond: r, to: 0 });
                self.emit(Op::Const {
                    dst: s,
                    val: Value::str("true"),
                });
                let here = self.here();
                self.patch(skip, here);
                s
            } else {
                return Err(self.unsupported(
                    ap,
                    &format!("{} of a {t}", if line { "println" } else { "print" }),
                ));
            };
            if line && i > 0 {
                let sp = self.konst(ap, Value::str(" "))?;
                self.emit(Op::Bin {
                    op: BinOp::Add,
                    dst: text,
                    a: text,
                    b: sp,
                });
            }
            self.emit(Op::Bin {
                op: BinOp::Add,
                dst: text,
                a: text,
                b: piece,
            });
        }
        if line {
            let nl = self.konst(p, Value::str("\n"))?;
            self.emit(Op::Bin {
                op: BinOp::Add,
                dst: text,
                a: text,
                b: nl,
            });
        }
        self.at(p);
        self.emit(Op::WriteErr { src: text });
        self.no_value(p)
    }
}
