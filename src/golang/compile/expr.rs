//! Expressions: names, literals, selectors, indexing and the conversions between an operand and a
//! register, checked and compiled in one go. Operators are in `operators.rs`, composite literals
//! and closures in `literals.rs`, assignment targets in `places.rs`.

use std::rc::Rc;

use go_parser::ast::Expr;
use go_parser::Token;

use super::consts::{Const, ConstVal};
use super::{Compiler, Operand, Storage, R};
use crate::golang::types::{assignable, IntKind, Lib, Type};
use crate::runtime::ir::{Op, Reg, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    /// Compiles `e`; `hint` is the type the context expects (it types composite literals with
    /// elided types and untyped nil).
    pub(super) fn expr(&mut self, e: &Expr, hint: Option<&Type>) -> R<Operand> {
        let p = self.expr_pos(e);
        self.at(p);
        match e {
            Expr::Ident(k) => self.ident(*k),
            Expr::BasicLit(b) => self.basic_lit(p, &b.token),
            Expr::Paren(x) => self.expr(&x.expr, hint),
            Expr::FuncLit(lit) => {
                let (r, t) = self.func_lit(lit)?;
                Ok(Operand::Val(r, t))
            }
            Expr::CompositeLit(c) => {
                let (r, t) = self.composite(p, c, hint)?;
                Ok(Operand::Val(r, t))
            }
            Expr::Selector(_) => self.selector(e),
            Expr::Index(_) | Expr::IndexList(_) if self.instance_base(e).is_some() => {
                let (id, sig) = self.func_instance(e)?;
                let dst = self.reg(p)?;
                self.emit(Op::MakeClosure {
                    dst,
                    func: id,
                    cells: vec![],
                });
                Ok(Operand::Val(dst, Type::Func(sig)))
            }
            Expr::IndexList(_) => Err(self.err(p, "invalid operation: more than one index")),
            Expr::Index(ix) => {
                let (base, bt) = self.rvalue(&ix.expr)?;
                match bt.underlying() {
                    Type::Map(k, v) => {
                        let key = self.value(&ix.index, &k)?;
                        let key = self.map_key(p, key, &k)?;
                        let dst = self.reg(p)?;
                        self.emit(Op::Index {
                            dst,
                            base,
                            idx: key,
                        });
                        Ok(Operand::Val(dst, (*v).clone()))
                    }
                    Type::Slice(el) | Type::Array(_, el) => {
                        let idx = self.int_value(&ix.index)?;
                        let dst = self.reg(p)?;
                        self.emit(Op::Index { dst, base, idx });
                        Ok(Operand::Val(dst, (*el).clone()))
                    }
                    Type::Pointer(inner) if matches!(inner.underlying(), Type::Array(..)) => {
                        let Type::Array(_, el) = inner.underlying() else {
                            unreachable!()
                        };
                        // The pointer is the array's cell: index what it holds.
                        let arr = self.reg(p)?;
                        self.emit(Op::Load {
                            dst: arr,
                            ptr: base,
                        });
                        let idx = self.int_value(&ix.index)?;
                        let dst = self.reg(p)?;
                        self.emit(Op::Index {
                            dst,
                            base: arr,
                            idx,
                        });
                        Ok(Operand::Val(dst, (*el).clone()))
                    }
                    Type::Str => {
                        let idx = self.int_value(&ix.index)?;
                        let dst = self.reg(p)?;
                        self.emit(Op::Index { dst, base, idx });
                        Ok(Operand::Val(dst, Type::Int(IntKind::Uint8)))
                    }
                    other => Err(self.err(
                        p,
                        format!(
                            "invalid operation: cannot index {} (variable of type {other})",
                            self.text(&ix.expr)
                        ),
                    )),
                }
            }
            Expr::Slice(s) => {
                let (base, bt) = self.rvalue(&s.expr)?;
                if s.slice3 {
                    return Err(self.unsupported(p, "a full slice expression a[lo:hi:max]"));
                }
                let rt = match bt.underlying() {
                    Type::Slice(_) | Type::Str => bt.clone(),
                    Type::Array(_, el) => Type::Slice(el),
                    Type::Pointer(inner) => match inner.underlying() {
                        Type::Array(_, el) => Type::Slice(el),
                        _ => return Err(self.err(p, format!("cannot slice {bt}"))),
                    },
                    _ => {
                        return Err(self.err(
                            p,
                            format!(
                                "cannot slice {} (variable of type {bt})",
                                self.text(&s.expr)
                            ),
                        ))
                    }
                };
                let lo = match &s.low {
                    Some(l) => self.int_value(l)?,
                    None => self.konst(p, Value::Int(0))?,
                };
                let hi = match &s.high {
                    Some(h) => Some(self.int_value(h)?),
                    None => None,
                };
                let dst = self.reg(p)?;
                self.emit(Op::SliceOf { dst, base, lo, hi });
                Ok(Operand::Val(dst, rt))
            }
            Expr::TypeAssert(ta) => {
                let Some(t) = &ta.typ else {
                    return Err(self.err(p, "use of .(type) outside type switch"));
                };
                let (src, st) = self.rvalue(&ta.expr)?;
                if !st.is_interface() {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid operation: {} (variable of type {st}) is not an interface",
                            self.text(&ta.expr)
                        ),
                    ));
                }
                let ty = self.type_expr(t)?;
                let dst = self.reg(p)?;
                self.emit(Op::Unbox {
                    dst,
                    ok: None,
                    src,
                    ty: Rc::new(ty.rtype()),
                });
                Ok(Operand::Val(dst, ty))
            }
            Expr::Call(c) => self.call(c, hint),
            Expr::Star(s) => {
                let (ptr, pt) = self.rvalue(&s.expr)?;
                let Type::Pointer(inner) = pt.underlying() else {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid operation: cannot indirect {} (variable of type {pt})",
                            self.text(&s.expr)
                        ),
                    ));
                };
                if inner.is_struct() || matches!(inner.underlying(), Type::Lib(_)) {
                    // *p of a struct pointer is the struct itself (copied where it is used).
                    return Ok(Operand::Val(ptr, (*inner).clone()));
                }
                let dst = self.reg(p)?;
                self.emit(Op::Load { dst, ptr });
                Ok(Operand::Val(dst, (*inner).clone()))
            }
            Expr::Unary(u) => self.unary(p, &u.op, &u.expr, hint),
            Expr::Binary(b) => self.binary(p, &b.op, &b.expr_a, &b.expr_b, hint),
            Expr::KeyValue(_) => {
                Err(self.err(p, "unexpected key:value outside a composite literal"))
            }
            _ => Err(self.err(p, format!("{} (type) is not an expression", self.text(e)))),
        }
    }

    /// A call's callee as Go names it in "x returns 2 values".
    pub(super) fn callee_text(&self, e: &Expr) -> String {
        match e {
            Expr::Call(c) => self.text(&c.func),
            Expr::Paren(p) => self.callee_text(&p.expr),
            other => self.text(other),
        }
    }

    /// The source text of an expression, for messages.
    pub(super) fn text(&self, e: &Expr) -> String {
        match e {
            Expr::Ident(k) => self.ident_name(*k).to_string(),
            Expr::Selector(s) => format!("{}.{}", self.text(&s.expr), self.ident_name(s.sel)),
            Expr::Paren(p) => format!("({})", self.text(&p.expr)),
            Expr::Star(s) => format!("*{}", self.text(&s.expr)),
            Expr::Index(i) => format!("{}[{}]", self.text(&i.expr), self.text(&i.index)),
            Expr::IndexList(i) => {
                let parts: Vec<String> = i.indices.iter().map(|x| self.text(x)).collect();
                format!("{}[{}]", self.text(&i.expr), parts.join(", "))
            }
            Expr::Unary(u) if u.op == go_parser::Token::TILDE => format!("~{}", self.text(&u.expr)),
            Expr::Array(a) if a.len.is_none() => format!("[]{}", self.text(&a.elt)),
            Expr::Map(m) => format!("map[{}]{}", self.text(&m.key), self.text(&m.val)),
            Expr::Interface(_) => "interface{...}".into(),
            Expr::Binary(b) if b.op == go_parser::Token::OR => {
                format!("{} | {}", self.text(&b.expr_a), self.text(&b.expr_b))
            }
            Expr::BasicLit(b) => b.token.get_literal().to_string(),
            Expr::Call(c) => format!("{}(...)", self.text(&c.func)),
            _ => "expression".into(),
        }
    }

    fn ident(&mut self, k: go_parser::IdentKey) -> R<Operand> {
        let name = self.ident_name(k);
        let p = self.objs.idents[k].pos;
        match name {
            "_" => return Err(self.err(p, "cannot use _ as value")),
            "true" | "false" if self.lookup(name).is_none() => {
                return Ok(Operand::Const(Const {
                    val: ConstVal::Bool(name == "true"),
                    ty: Type::UntypedBool,
                }))
            }
            "nil" if self.lookup(name).is_none() => {
                return Ok(Operand::Const(Const {
                    val: ConstVal::Nil,
                    ty: Type::UntypedNil,
                }))
            }
            "iota" if self.lookup(name).is_none() => {
                return match self.iota {
                    Some(i) => Ok(Operand::Const(Const::int(i))),
                    None => Err(self.err(p, "cannot use iota outside constant declaration")),
                }
            }
            _ => {}
        }
        let Some((storage, ty)) = self.lookup(name) else {
            if self.imports.contains_key(name) {
                return Err(self.err(p, format!("use of package {name} without selector")));
            }
            if self.generic_func(name).is_some() {
                return Err(self.err(
                    p,
                    format!("cannot use generic function {name} without instantiation"),
                ));
            }
            if self.generic_type(name).is_some() {
                return Err(self.err(
                    p,
                    format!("cannot use generic type {name} without instantiation"),
                ));
            }
            if self.generics.constraints.contains_key(name) {
                return Err(self.err(p, format!("{name} (type) is not an expression")));
            }
            return Err(self.err(p, format!("undefined: {name}")));
        };
        Ok(match storage {
            Storage::Reg(r) => Operand::Val(r, ty),
            Storage::Cell(c) => {
                let dst = self.reg(p)?;
                self.emit(Op::Load { dst, ptr: c });
                Operand::Val(dst, ty)
            }
            Storage::Global(cell) => {
                let ptr = self.konst(p, Value::Ptr(crate::runtime::ir::CellId(cell)))?;
                let dst = self.reg(p)?;
                self.emit(Op::Load { dst, ptr });
                Operand::Val(dst, ty)
            }
            Storage::Const(c) => Operand::Const(c),
            Storage::Func(id, sig) => {
                let dst = self.reg(p)?;
                self.emit(Op::MakeClosure {
                    dst,
                    func: id,
                    cells: vec![],
                });
                Operand::Val(dst, Type::Func(sig))
            }
            Storage::Type(t) => return Err(self.err(p, format!("{t} (type) is not an expression"))),
        })
    }

    fn basic_lit(&mut self, p: usize, tok: &Token) -> R<Operand> {
        let lit = tok.get_literal();
        Ok(Operand::Const(match tok {
            Token::INT(_) => {
                let clean = lit.replace('_', "");
                let v = if let Some(h) = clean.strip_prefix("0x").or(clean.strip_prefix("0X")) {
                    i128::from_str_radix(h, 16)
                } else if let Some(b) = clean.strip_prefix("0b").or(clean.strip_prefix("0B")) {
                    i128::from_str_radix(b, 2)
                } else if let Some(o) = clean.strip_prefix("0o").or(clean.strip_prefix("0O")) {
                    i128::from_str_radix(o, 8)
                } else if clean.len() > 1 && clean.starts_with('0') {
                    i128::from_str_radix(&clean[1..], 8)
                } else {
                    clean.parse::<i128>()
                };
                match v {
                    Ok(v) if v < (1i128 << 100) => Const::int(v),
                    _ => return Err(self.err(p, format!("integer constant {lit} is too large"))),
                }
            }
            Token::FLOAT(_) => match lit.replace('_', "").parse::<f64>() {
                Ok(x) => Const {
                    val: super::consts::parse_rat(&lit.replace('_', ""))
                        .unwrap_or(ConstVal::Float(x)),
                    ty: Type::UntypedFloat,
                },
                Err(_) => return Err(self.err(p, format!("malformed float constant {lit}"))),
            },
            Token::CHAR(data) => Const {
                val: ConstVal::Int(*data.as_str_char().1 as i128),
                ty: Type::UntypedRune,
            },
            Token::STRING(data) => Const {
                val: ConstVal::Str(Rc::from(data.as_str_str().1.as_str())),
                ty: Type::UntypedString,
            },
            Token::IMAG(_) => return Err(self.unsupported(p, "a complex number")),
            _ => return Err(self.err(p, format!("unexpected literal {lit}"))),
        }))
    }

    /// An operand in a register with a concrete type (untyped constants get their default type,
    /// or `want`'s).
    pub(super) fn materialize(
        &mut self,
        p: usize,
        op: Operand,
        want: Option<&Type>,
    ) -> R<(Reg, Type)> {
        match op {
            Operand::Val(r, t) => Ok((r, t)),
            Operand::Const(c) if c.val == ConstVal::Nil => match want {
                Some(w) if w.nillable() => Ok((self.konst(p, Value::Nil)?, w.clone())),
                _ => Err(self.err(p, "use of untyped nil in assignment")),
            },
            Operand::Const(c) => {
                let ty = match want {
                    Some(w) if !w.is_interface() => w.clone(),
                    _ => {
                        if c.ty == Type::UntypedNil {
                            return Err(self.err(p, "use of untyped nil in assignment"));
                        }
                        c.ty.default_type()
                    }
                };
                let c = if c.ty.is_untyped() {
                    self.convert_const(p, c, &ty)?
                } else {
                    c
                };
                let r = self.konst(p, c.value(&ty))?;
                Ok((r, c.ty))
            }
        }
    }

    /// `e` as a value of type `want`, checked for assignability; concrete values become
    /// interface values, and structs read from a variable are copied (Go's value semantics).
    pub(super) fn value(&mut self, e: &Expr, want: &Type) -> R<Reg> {
        let p = self.expr_pos(e);
        let op = self.expr(e, Some(want))?;
        let r = self.coerce(p, op, want, Some(e))?;
        Ok(r)
    }

    /// Converts an operand for assignment to `want` (with Go's message when it cannot be).
    pub(super) fn coerce(
        &mut self,
        p: usize,
        op: Operand,
        want: &Type,
        src: Option<&Expr>,
    ) -> R<Reg> {
        if let Type::Tuple(ts) = op.ty() {
            return Err(self.err(
                p,
                format!(
                    "multiple-value {} (value of type {}) in single-value context",
                    src.map(|e| self.text(e)).unwrap_or_default(),
                    Type::Tuple(ts)
                ),
            ));
        }
        let from = op.ty();
        if !assignable(&from, want) {
            let what = match (&op, src) {
                (Operand::Const(c), _) if from.is_untyped() => {
                    format!("{} ({from} constant)", c.describe())
                }
                (_, Some(e)) => format!("{} (variable of type {from})", self.text(e)),
                _ => format!("value of type {from}"),
            };
            let extra = match want.underlying() {
                Type::Interface(i) if !i.methods.is_empty() => {
                    let missing = i
                        .methods
                        .iter()
                        .find(|(m, _)| {
                            !from
                                .named()
                                .map(|n| n.methods.borrow().iter().any(|x| &x.name == m))
                                .unwrap_or(false)
                        })
                        .map(|(m, _)| m.clone());
                    match missing {
                        Some(m) => {
                            format!(": {from} does not implement {want} (missing method {m})")
                        }
                        None => format!(
                            ": {from} does not implement {want} (method has pointer receiver)"
                        ),
                    }
                }
                _ => String::new(),
            };
            let ctx = self
                .use_ctx
                .as_ref()
                .map(|c| format!(" in {c}"))
                .unwrap_or_default();
            return Err(self.err(p, format!("cannot use {what} as {want} value{ctx}{extra}")));
        }
        let (r, ty) = self.materialize(p, op, Some(want))?;
        if want.is_interface() && !ty.is_interface() {
            let dst = self.reg(p)?;
            self.emit(Op::Box {
                dst,
                src: r,
                ty: Rc::new(ty.rtype()),
            });
            return Ok(dst);
        }
        if ty.is_struct() && src.is_some_and(addressable) {
            let dst = self.reg(p)?;
            self.emit(Op::CloneObj { dst, src: r });
            return Ok(dst);
        }
        Ok(r)
    }

    /// `e` with its own (default) type.
    pub(super) fn rvalue(&mut self, e: &Expr) -> R<(Reg, Type)> {
        let p = self.expr_pos(e);
        let op = self.expr(e, None)?;
        if let Type::Tuple(_) = op.ty() {
            return Err(self.err(
                p,
                format!("multiple-value {} in single-value context", self.text(e)),
            ));
        }
        self.materialize(p, op, None)
    }

    /// `e` as a copied value of its own type (for `x := e`).
    pub(super) fn owned_value(&mut self, e: &Expr) -> R<(Reg, Type)> {
        let p = self.expr_pos(e);
        let op = self.expr(e, None)?;
        let ty = op.ty().default_type();
        if let Type::Tuple(_) = ty {
            return Err(self.err(
                p,
                format!(
                    "assignment mismatch: 1 variable but {} returns {} values",
                    self.callee_text(e),
                    match &ty {
                        Type::Tuple(t) => t.len(),
                        _ => 1,
                    }
                ),
            ));
        }
        if ty == Type::UntypedNil {
            return Err(self.err(p, "use of untyped nil in assignment"));
        }
        let r = self.coerce(p, op, &ty, Some(e))?;
        Ok((r, ty))
    }

    pub(super) fn int_value(&mut self, e: &Expr) -> R<Reg> {
        let p = self.expr_pos(e);
        let op = self.expr(e, Some(&Type::int()))?;
        if !op.ty().is_integer() {
            if let Operand::Const(Const {
                val: ConstVal::Float(x),
                ..
            }) = &op
            {
                if x.fract() == 0.0 {
                    return self.konst(p, Value::Int(*x as i64));
                }
            }
            return Err(self.err(
                p,
                format!(
                    "invalid argument: index {} (of type {}) must be integer",
                    self.text(e),
                    op.ty()
                ),
            ));
        }
        if let Operand::Const(Const {
            val: ConstVal::Int(i),
            ..
        }) = &op
        {
            if *i < 0 {
                return Err(self.err(
                    p,
                    format!(
                        "invalid argument: index {} (constant of type int) must not be negative",
                        i
                    ),
                ));
            }
        }
        let t = op.ty();
        Ok(self
            .materialize(p, op, Some(&if t.is_untyped() { Type::int() } else { t }))?
            .0)
    }

    pub(super) fn bool_value(&mut self, e: &Expr) -> R<Reg> {
        let p = self.expr_pos(e);
        let op = self.expr(e, Some(&Type::Bool))?;
        if !op.ty().is_bool() {
            return Err(self.err(
                p,
                format!(
                    "non-boolean {} (type {}) used as condition",
                    self.text(e),
                    op.ty()
                ),
            ));
        }
        Ok(self.materialize(p, op, Some(&Type::Bool))?.0)
    }

    fn selector(&mut self, e: &Expr) -> R<Operand> {
        let Expr::Selector(s) = e else { unreachable!() };
        let p = self.expr_pos(e);
        let sel = self.ident_name(s.sel).to_string();
        if let Expr::Ident(pk) = &s.expr {
            let pkg = self.ident_name(*pk);
            if self.lookup(pkg).is_none() {
                if let Some(path) = self.imports.get(pkg).cloned() {
                    self.used_imports.insert(pkg.to_string());
                    return self.package_member(p, &path, pkg, &sel);
                }
            }
        }
        if let Some(op) = self.method_expr(self.objs.idents[s.sel].pos, &s.expr, &sel)? {
            return Ok(op);
        }
        let (obj, ty) = self.rvalue(&s.expr)?;
        // Library types' fields: a timer's or ticker's channel.
        if matches!(ty.underlying(), Type::Lib(Lib::Timer | Lib::Ticker)) && sel == "C" {
            let dst = self.reg(p)?;
            self.emit(Op::TupleGet {
                dst,
                src: obj,
                index: 1,
            });
            return Ok(Operand::Val(
                dst,
                Type::Chan(ChanDir::Recv, Rc::new(Type::Lib(Lib::Time))),
            ));
        }
        match self.field_path(&ty, &sel) {
            Some((path, fty)) => {
                let mut cur = obj;
                for idx in path {
                    let dst = self.reg(p)?;
                    self.emit(Op::Field {
                        dst,
                        obj: cur,
                        index: idx,
                    });
                    cur = dst;
                }
                Ok(Operand::Val(cur, fty))
            }
            None => {
                if let Some(op) = self.method_value(p, obj, &ty, &sel)? {
                    return Ok(op);
                }
                Err(self.err(
                    self.objs.idents[s.sel].pos,
                    format!(
                        "{}.{sel} undefined (type {ty} has no field or method {sel})",
                        self.text(&s.expr)
                    ),
                ))
            }
        }
    }

    /// The field indexes from `ty` (a struct or pointer to one) to field `name`, through embedded
    /// structs, and the field's type.
    pub(super) fn field_path(&self, ty: &Type, name: &str) -> Option<(Vec<u16>, Type)> {
        let base = match ty.underlying() {
            Type::Pointer(inner) => (*inner).clone(),
            _ => ty.clone(),
        };
        let sd = base.struct_def()?;
        if let Some(i) = sd.fields.iter().position(|f| f.name == name) {
            return Some((vec![i as u16], sd.fields[i].ty.clone()));
        }
        for (i, f) in sd.fields.iter().enumerate() {
            if f.embedded {
                if let Some((mut path, t)) = self.field_path(&f.ty, name) {
                    path.insert(0, i as u16);
                    return Some((path, t));
                }
            }
        }
        None
    }

    /// A user-defined method of `ty` (or of an embedded field): its receiver path, and the method.
    pub(super) fn method_of(
        &self,
        ty: &Type,
        name: &str,
    ) -> Option<(Vec<u16>, crate::golang::types::Method, Type)> {
        if let Some(n) = ty.named() {
            if let Some(m) = n.methods.borrow().iter().find(|m| m.name == name) {
                return Some((vec![], m.clone(), ty.clone()));
            }
        }
        let base = match ty.underlying() {
            Type::Pointer(inner) => (*inner).clone(),
            _ => ty.clone(),
        };
        let sd = base.struct_def()?;
        for (i, f) in sd.fields.iter().enumerate() {
            if f.embedded {
                if let Some((mut path, m, rt)) = self.method_of(&f.ty, name) {
                    path.insert(0, i as u16);
                    return Some((path, m, rt));
                }
            }
        }
        None
    }
}

/// Whether an expression denotes a variable (so reading a struct from it must copy).
fn addressable(e: &Expr) -> bool {
    match e {
        Expr::Ident(_) | Expr::Selector(_) | Expr::Index(_) | Expr::Star(_) => true,
        Expr::Paren(p) => addressable(&p.expr),
        _ => false,
    }
}
