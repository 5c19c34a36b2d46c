//! Calls: user functions and methods (static where the callee is known, through the function
//! value otherwise), and the wrappers `go` and `defer` need for calls that are not plain Go
//! functions. What a call turns out to be decides where it is compiled: builtins and conversions,
//! which only look like calls, are in `builtins.rs`; library functions in `lib.rs`.

use std::rc::Rc;

use go_parser::ast::{CallExpr, Expr};

use super::{Compiler, Operand, Storage, R};
use crate::golang::types::{Lib, Sig, Type};
use crate::runtime::ir::{Callee, FuncId, Op, Reg, Value};

/// An argument: still an expression, or a value already evaluated (in a wrapper's parameters).
#[derive(Clone, Debug)]
pub(super) enum Arg {
    Expr(Expr),
    Val(Reg, Type, usize),
}

/// What a call calls.
#[derive(Clone, Debug)]
pub(super) enum Target {
    Builtin(String),
    Conversion(Type),
    /// A package function ("fmt", "Println").
    Package(String, String),
    /// A library type's method; the receiver is the first argument.
    LibMethod(Type, String),
    /// A user function or method (receiver first) known at compile time.
    Static(FuncId, Rc<Sig>),
    /// A function value in a register.
    Dynamic(Reg, Rc<Sig>),
}

impl Compiler<'_> {
    pub(super) fn arg_pos(&self, a: &Arg) -> usize {
        match a {
            Arg::Expr(e) => self.expr_pos(e),
            Arg::Val(_, _, p) => *p,
        }
    }

    pub(super) fn arg_operand(&mut self, a: &Arg, hint: Option<&Type>) -> R<Operand> {
        match a {
            Arg::Expr(e) => self.expr(e, hint),
            Arg::Val(r, t, _) => Ok(Operand::Val(*r, t.clone())),
        }
    }

    pub(super) fn arg_value(&mut self, a: &Arg, want: &Type) -> R<Reg> {
        match a {
            Arg::Expr(e) => self.value(e, want),
            Arg::Val(r, t, p) => self.coerce(*p, Operand::Val(*r, t.clone()), want, None),
        }
    }

    pub(super) fn arg_rvalue(&mut self, a: &Arg) -> R<(Reg, Type)> {
        match a {
            Arg::Expr(e) => self.rvalue(e),
            Arg::Val(r, t, _) => Ok((*r, t.clone())),
        }
    }

    pub(super) fn arg_text(&self, a: &Arg) -> String {
        match a {
            Arg::Expr(e) => self.text(e),
            Arg::Val(_, t, _) => format!("value of type {t}"),
        }
    }

    pub(super) fn call(&mut self, c: &CallExpr, hint: Option<&Type>) -> R<Operand> {
        let p = self.expr_pos(&c.func);
        let (target, args) = self.target_and_args(c)?;
        self.call_with(p, target, args, c.ellipsis.is_some(), hint)
    }

    /// What a call calls and its arguments (a method's receiver first; a generic function's
    /// arguments already evaluated where inferring its type arguments needed their types).
    fn target_and_args(&mut self, c: &CallExpr) -> R<(Target, Vec<Arg>)> {
        let mut args: Vec<Arg> = c.args.iter().cloned().map(Arg::Expr).collect();
        let mut func = &c.func;
        while let Expr::Paren(x) = func {
            func = &x.expr;
        }
        let generic = match func {
            Expr::Ident(k) => {
                let name = self.ident_name(*k);
                let site = super::generics::Site {
                    base: self.expr_pos(func),
                    args: vec![],
                    call: None,
                };
                self.generic_func(name).map(|g| (g, Vec::new(), site))
            }
            Expr::Index(_) | Expr::IndexList(_) => match self.instance_base(func) {
                Some(g) => {
                    let Some((_, explicit, site)) = self.type_args(func)? else {
                        unreachable!("an index expression")
                    };
                    Some((g, explicit, site))
                }
                None => None,
            },
            _ => None,
        };
        if let Some((g, explicit, mut site)) = generic {
            site.call = Some((g.name.clone(), c.l_paren));
            let (p, spread) = (site.base, c.ellipsis.is_some());
            if explicit.len() > g.tparams.len() {
                self.check_count(&site, &g, explicit.len())?;
            }
            let targs = self.infer(p, &g, explicit, &mut args, spread, c.l_paren)?;
            let (id, sig) = self.instantiate_func(&site, &g, targs)?;
            self.callee_name = Some(self.text(&c.func));
            return Ok((Target::Static(id, sig), args));
        }
        let (target, recv) = self.target(&c.func)?;
        self.callee_name = Some(self.text(&c.func));
        let mut all: Vec<Arg> = recv.into_iter().collect();
        all.append(&mut args);
        Ok((target, all))
    }

    /// Works out what `func` (the callee expression) is; for methods, also the receiver.
    fn target(&mut self, func: &Expr) -> R<(Target, Option<Arg>)> {
        let p = self.expr_pos(func);
        match func {
            Expr::Paren(x) => return self.target(&x.expr),
            Expr::Ident(k) => {
                let name = self.ident_name(*k);
                match self.lookup(name) {
                    None if BUILTINS.contains(&name) => {
                        return Ok((Target::Builtin(name.to_string()), None))
                    }
                    None if type_name(name) => {
                        return Ok((Target::Conversion(self.type_expr(func)?), None))
                    }
                    Some((Storage::Type(t), _)) => return Ok((Target::Conversion(t), None)),
                    Some((Storage::Func(id, sig), _)) => {
                        return Ok((Target::Static(id, sig), None))
                    }
                    _ => {}
                }
            }
            Expr::Selector(s) => {
                let sel = self.ident_name(s.sel).to_string();
                if let Expr::Ident(pk) = &s.expr {
                    let pkg = self.ident_name(*pk);
                    if self.lookup(pkg).is_none() {
                        if let Some(path) = self.imports.get(pkg).cloned() {
                            self.used_imports.insert(pkg.to_string());
                            if super::lib::lib_type(&path, &sel, self).is_some() {
                                return Ok((Target::Conversion(self.type_expr(func)?), None));
                            }
                            return Ok((Target::Package(path, sel), None));
                        }
                    }
                }
                // A method: user-defined (perhaps promoted from an embedded field) or a library
                // type's.
                let op = self.expr(&s.expr, None)?;
                let (recv, rty) = self.materialize(p, op, None)?;
                if let Some((path, m, mrt)) = self.method_of(&rty, &sel) {
                    let mut cur = recv;
                    for idx in path {
                        let dst = self.reg(p)?;
                        self.emit(Op::Field {
                            dst,
                            obj: cur,
                            index: idx,
                        });
                        cur = dst;
                    }
                    // Go copies the receiver for a value method.
                    let recv_reg =
                        if !m.ptr_recv && (mrt.is_struct() || matches!(mrt, Type::Pointer(_))) {
                            let dst = self.reg(p)?;
                            self.emit(Op::CloneObj { dst, src: cur });
                            dst
                        } else {
                            cur
                        };
                    let recv_ty = match (&mrt, m.ptr_recv) {
                        (Type::Pointer(_), _) => mrt.clone(),
                        (t, true) => Type::Pointer(Rc::new(t.clone())),
                        (t, false) => t.clone(),
                    };
                    let mut sig = (*m.sig).clone();
                    sig.params.insert(0, recv_ty.clone());
                    return Ok((
                        Target::Static(m.func, Rc::new(sig)),
                        Some(Arg::Val(recv_reg, recv_ty, p)),
                    ));
                }
                if let Type::Interface(i) = rty.underlying() {
                    if let Some((_, sig)) = i.methods.iter().find(|(n, _)| *n == sel) {
                        let _ = sig;
                        return Ok((
                            Target::LibMethod(rty.clone(), sel),
                            Some(Arg::Val(recv, rty, p)),
                        ));
                    }
                }
                if super::lib::has_lib_method(&rty, &sel) {
                    return Ok((
                        Target::LibMethod(rty.clone(), sel),
                        Some(Arg::Val(recv, rty, p)),
                    ));
                }
                if let Some((path, lt)) = self.promoted_lib(&rty, &sel) {
                    let (r, t) = self.walk_fields(p, recv, &path, lt)?;
                    return Ok((Target::LibMethod(t.clone(), sel), Some(Arg::Val(r, t, p))));
                }
                if let Some((path, fty)) = self.field_path(&rty, &sel) {
                    if let Type::Func(sig) = fty.underlying() {
                        let mut cur = recv;
                        for idx in path {
                            let dst = self.reg(p)?;
                            self.emit(Op::Field {
                                dst,
                                obj: cur,
                                index: idx,
                            });
                            cur = dst;
                        }
                        return Ok((Target::Dynamic(cur, sig), None));
                    }
                }
                return Err(self.err(
                    self.objs.idents[s.sel].pos,
                    format!(
                        "{}.{sel} undefined (type {rty} has no field or method {sel})",
                        self.text(&s.expr)
                    ),
                ));
            }
            Expr::Array(_)
            | Expr::Map(_)
            | Expr::Chan(_)
            | Expr::Func(_)
            | Expr::Interface(_)
            | Expr::Struct(_)
            | Expr::Star(_) => {
                if let Ok(t) = self.type_expr(func) {
                    return Ok((Target::Conversion(t), None));
                }
            }
            _ => {}
        }
        let (r, t) = self.rvalue(func)?;
        match t.underlying() {
            Type::Func(sig) => Ok((Target::Dynamic(r, sig), None)),
            Type::Lib(Lib::CancelFunc) => Ok((
                Target::LibMethod(t.clone(), "cancel".into()),
                Some(Arg::Val(r, t, p)),
            )),
            _ => Err(self.err(
                p,
                format!(
                    "invalid operation: cannot call {} (variable of type {t}): {t} is not a function",
                    self.text(func)
                ),
            )),
        }
    }

    pub(super) fn call_with(
        &mut self,
        p: usize,
        target: Target,
        args: Vec<Arg>,
        spread: bool,
        hint: Option<&Type>,
    ) -> R<Operand> {
        match target {
            Target::Builtin(name) => self.builtin(p, &name, args, spread, hint),
            Target::Conversion(t) => self.conversion(p, t, args),
            Target::Package(path, name) => {
                super::lib::package_call(self, p, &path, &name, args, spread)
            }
            Target::LibMethod(t, name) => super::lib_methods::method_call(self, p, &t, &name, args),
            Target::Static(_, ref sig) | Target::Dynamic(_, ref sig) => {
                let sig = Rc::clone(sig);
                let func = match target {
                    Target::Static(id, _) => Callee::Static(id),
                    Target::Dynamic(f, _) => Callee::Dynamic(f),
                    _ => unreachable!("matched above"),
                };
                let regs = self.call_args(p, &sig, &args, spread)?;
                self.at(p);
                let dst = self.reg(p)?;
                self.emit(Op::Call {
                    func,
                    args: regs,
                    dst: Some(dst),
                });
                Ok(Operand::Val(dst, result_type(&sig)))
            }
        }
    }

    /// Arguments checked against a signature: variadic extras packed into a slice, and a single
    /// multi-value call spread over the parameters.
    pub(super) fn call_args(
        &mut self,
        p: usize,
        sig: &Sig,
        args: &[Arg],
        spread: bool,
    ) -> R<Vec<Reg>> {
        let name = self.callee_name.take().unwrap_or_else(|| "function".into());
        self.with_ctx(format!("argument to {name}"), |c| {
            c.call_args_in(p, sig, args, spread)
        })
    }

    fn call_args_in(&mut self, p: usize, sig: &Sig, args: &[Arg], spread: bool) -> R<Vec<Reg>> {
        let np = sig.params.len();
        // f(g()) where g returns several values.
        if args.len() == 1 && np > 1 {
            if let Arg::Expr(e @ Expr::Call(_)) = &args[0] {
                let op = self.expr(e, None)?;
                if let Operand::Val(r, Type::Tuple(ts)) = &op {
                    if ts.len() == np {
                        let mut out = Vec::new();
                        for (i, (t, w)) in ts.iter().zip(&sig.params).enumerate() {
                            let part = self.tuple_part(p, *r, i)?;
                            out.push(self.coerce(p, Operand::Val(part, t.clone()), w, None)?);
                        }
                        return Ok(out);
                    }
                }
                return Err(self.err(
                    p,
                    format!(
                        "not enough arguments in call to {}",
                        self.arg_text(&args[0])
                    ),
                ));
            }
        }
        let fixed = if sig.variadic { np - 1 } else { np };
        if args.len() < fixed || (!sig.variadic && args.len() > np) || (spread && args.len() != np)
        {
            let have: Vec<String> = args.iter().map(|a| self.arg_text(a)).collect();
            return Err(self.err(
                p,
                format!(
                    "{} arguments in call\n\thave ({})\n\twant ({})",
                    if args.len() < fixed {
                        "not enough"
                    } else {
                        "too many"
                    },
                    have.join(", "),
                    sig.params
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let mut out = Vec::new();
        for (a, w) in args.iter().zip(&sig.params).take(fixed) {
            out.push(self.arg_value(a, w)?);
        }
        if sig.variadic {
            let slice_ty = sig.params[np - 1].clone();
            if spread {
                out.push(self.arg_value(&args[np - 1], &slice_ty)?);
            } else {
                let Type::Slice(el) = slice_ty.underlying() else {
                    unreachable!()
                };
                let mut vals = Vec::new();
                for a in &args[fixed..] {
                    vals.push(self.arg_value(a, &el)?);
                }
                let s = self.reg(p)?;
                if vals.is_empty() {
                    self.emit(Op::Const {
                        dst: s,
                        val: Value::Nil,
                    });
                } else {
                    let zero = self.konst(p, Value::Int(0))?;
                    let cap = self.konst(p, Value::Int(vals.len() as i64))?;
                    self.emit(Op::MakeSlice {
                        dst: s,
                        len: zero,
                        cap,
                        zero: super::types_expr::zero_value(&el),
                    });
                    self.emit(Op::Append {
                        dst: s,
                        slice: s,
                        vals,
                    });
                }
                out.push(s);
            }
        }
        Ok(out)
    }

    pub(super) fn arg_int(&mut self, a: &Arg) -> R<Reg> {
        match a {
            Arg::Expr(e) => self.int_value(e),
            Arg::Val(r, t, p) => self.coerce(*p, Operand::Val(*r, t.clone()), &Type::int(), None),
        }
    }

    /// The result of a call with no value.
    pub(super) fn no_value(&mut self, _p: usize) -> R<Operand> {
        Ok(Operand::Val(0, Type::Tuple(Rc::from(Vec::<Type>::new()))))
    }

    /// For `go` and `defer`: the function to run and its arguments, evaluated now.
    pub(super) fn deferred_call(&mut self, c: &CallExpr) -> R<(Callee, Vec<Reg>)> {
        let p = self.expr_pos(&c.func);
        let (target, args) = self.target_and_args(c)?;
        let spread = c.ellipsis.is_some();
        match target {
            Target::Static(id, sig) => {
                let regs = self.call_args(p, &sig, &args, spread)?;
                Ok((Callee::Static(id), regs))
            }
            Target::Dynamic(f, sig) => {
                let regs = self.call_args(p, &sig, &args, spread)?;
                Ok((Callee::Dynamic(f), regs))
            }
            Target::Conversion(_) => Err(self.err(p, "defer discards result of a conversion")),
            other => {
                // Evaluate the arguments now; a generated function makes the call later.
                let mut vals = Vec::new();
                for a in &args {
                    let ap = self.arg_pos(a);
                    let op = match a {
                        Arg::Expr(Expr::Ident(k)) if matches!(other, Target::Builtin(ref b) if b == "make" || b == "new") =>
                        {
                            let _ = k;
                            return Err(self.unsupported(ap, "go or defer of make or new"));
                        }
                        _ => self.arg_operand(a, None)?,
                    };
                    let (r, t) = self.materialize(ap, op, None)?;
                    vals.push((r, t, ap));
                }
                let parent = self.f().name.clone();
                let n = self.lit_count.entry(format!("{parent}#wrap")).or_insert(0);
                *n += 1;
                let name = format!("{parent}.deferwrap{n}");
                let id = self.declare_func(&name);
                let mut f = self.new_fn(&name, vec![]);
                f.span = self.f().span;
                f.params = vals.len() as u16;
                f.next_reg = vals.len() as u16;
                self.fns.push(f);
                let params: Vec<Arg> = vals
                    .iter()
                    .enumerate()
                    .map(|(i, (_, t, ap))| Arg::Val(i as Reg, t.clone(), *ap))
                    .collect();
                self.call_with(p, other, params, spread, None)?;
                self.emit(Op::Return { val: None });
                let f = self.fns.pop().expect("pushed above");
                self.finish_fn(id, f);
                Ok((
                    Callee::Static(id),
                    vals.into_iter().map(|(r, _, _)| r).collect(),
                ))
            }
        }
    }
}

/// Go's predeclared functions.
const BUILTINS: &[&str] = &[
    "len", "cap", "append", "make", "new", "delete", "copy", "panic", "recover", "close", "min",
    "max", "clear", "print", "println", "complex", "real", "imag",
];

fn type_name(name: &str) -> bool {
    matches!(
        name,
        "int"
            | "int64"
            | "int32"
            | "int16"
            | "int8"
            | "uint"
            | "uint64"
            | "uint32"
            | "uint16"
            | "uint8"
            | "byte"
            | "rune"
            | "float64"
            | "float32"
            | "string"
            | "bool"
            | "any"
            | "error"
    )
}

/// The type of a call's result: nothing, one value, or a tuple.
pub(super) fn result_type(sig: &Sig) -> Type {
    match sig.results.len() {
        1 => sig.results[0].clone(),
        _ => Type::Tuple(Rc::from(sig.results.clone())),
    }
}
