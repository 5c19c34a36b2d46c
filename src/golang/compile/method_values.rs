//! Method values (`inc := c.Inc`), method expressions (`(*Counter).Inc`) and library methods
//! promoted from embedded fields (`r.Lock()` on a struct embedding `sync.RWMutex`).
//!
//! A method value evaluates its receiver once, where it is written (a value receiver is copied
//! then), and is a closure over it: the generated function `T.M-fm`, named as Go names it, calls
//! the method with the saved receiver and its own arguments.

use std::rc::Rc;

use go_parser::ast::Expr;

use super::call::{Arg, Target};
use super::{Compiler, Operand, Storage, R};
use crate::golang::types::{Sig, Type};
use crate::runtime::ir::{Op, Reg};

/// Library methods that take and return nothing: the ones a method value can name.
const PLAIN_LIB_METHODS: &[&str] = &["Lock", "Unlock", "RLock", "RUnlock", "Done", "Wait"];

impl Compiler<'_> {
    /// `x.M` not called: a closure over the receiver, or None when `M` is no method of `ty`.
    pub(super) fn method_value(
        &mut self,
        p: usize,
        obj: Reg,
        ty: &Type,
        sel: &str,
    ) -> R<Option<Operand>> {
        if let Some((path, m, mrt)) = self.method_of(ty, sel) {
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
            let recv = if !m.ptr_recv && (mrt.is_struct() || matches!(mrt, Type::Pointer(_))) {
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
            let mut full = (*m.sig).clone();
            full.params.insert(0, recv_ty.clone());
            let short = recv_ty.to_string();
            let name = format!("{}.{sel}-fm", short.trim_start_matches('*'));
            let target = Target::Static(m.func, Rc::new(full));
            return self
                .bound_method(p, recv, recv_ty, target, Rc::clone(&m.sig), &name)
                .map(Some);
        }
        if let Type::Interface(i) = ty.underlying() {
            if let Some((_, sig)) = i.methods.iter().find(|(n, _)| n == sel) {
                let target = Target::LibMethod(ty.clone(), sel.to_string());
                let name = format!("{ty}.{sel}-fm");
                return self
                    .bound_method(p, obj, ty.clone(), target, Rc::clone(sig), &name)
                    .map(Some);
            }
        }
        if let Some((path, lt)) = self.promoted_lib(ty, sel) {
            let (recv, rt) = self.walk_fields(p, obj, &path, lt)?;
            return self.lib_method_value(p, recv, &rt, sel).map(Some);
        }
        if super::lib::has_lib_method(ty, sel) {
            return self.lib_method_value(p, obj, ty, sel).map(Some);
        }
        Ok(None)
    }

    fn lib_method_value(&mut self, p: usize, recv: Reg, ty: &Type, sel: &str) -> R<Operand> {
        if !PLAIN_LIB_METHODS.contains(&sel) {
            return Err(
                self.unsupported(p, &format!("the method value {ty}.{sel} (call it instead)"))
            );
        }
        let sig = Rc::new(Sig {
            params: vec![],
            results: vec![],
            variadic: false,
        });
        let target = Target::LibMethod(ty.clone(), sel.to_string());
        let name = format!("{}.{sel}-fm", ty.to_string().trim_start_matches('*'));
        self.bound_method(p, recv, ty.clone(), target, sig, &name)
    }

    /// Follows embedded fields from `obj`.
    pub(super) fn walk_fields(
        &mut self,
        p: usize,
        obj: Reg,
        path: &[u16],
        ty: Type,
    ) -> R<(Reg, Type)> {
        let mut cur = obj;
        for idx in path {
            let dst = self.reg(p)?;
            self.emit(Op::Field {
                dst,
                obj: cur,
                index: *idx,
            });
            cur = dst;
        }
        Ok((cur, ty))
    }

    /// A library method promoted from an embedded field (`sync.Mutex`, `*sync.RWMutex`, ...):
    /// the path of field indexes to it and the field's type.
    pub(super) fn promoted_lib(&self, ty: &Type, name: &str) -> Option<(Vec<u16>, Type)> {
        let base = match ty.underlying() {
            Type::Pointer(inner) => (*inner).clone(),
            _ => ty.clone(),
        };
        let sd = base.struct_def()?;
        for (i, f) in sd.fields.iter().enumerate() {
            if f.embedded && super::lib::has_lib_method(&f.ty, name) {
                return Some((vec![i as u16], f.ty.clone()));
            }
        }
        for (i, f) in sd.fields.iter().enumerate() {
            if f.embedded {
                if let Some((mut path, t)) = self.promoted_lib(&f.ty, name) {
                    path.insert(0, i as u16);
                    return Some((path, t));
                }
            }
        }
        None
    }

    /// The closure for a method value: a generated function over a cell holding the receiver.
    fn bound_method(
        &mut self,
        p: usize,
        recv: Reg,
        recv_ty: Type,
        target: Target,
        sig: Rc<Sig>,
        name: &str,
    ) -> R<Operand> {
        let cell = self.reg(p)?;
        self.emit(Op::NewCell {
            dst: cell,
            init: recv,
        });
        let id = self.declare_func(name);
        let mut f = self.new_fn(name, sig.results.clone());
        f.span = self.f().span;
        let n = sig.params.len() as u16;
        f.params = 1 + n;
        f.next_reg = 1 + n;
        self.fns.push(f);
        let r = self.reg(p)?;
        self.emit(Op::Load { dst: r, ptr: 0 });
        let mut args = vec![Arg::Val(r, recv_ty, p)];
        for (i, t) in sig.params.iter().enumerate() {
            args.push(Arg::Val(1 + i as u16, t.clone(), p));
        }
        let res = self.call_with(p, target, args, sig.variadic, None)?;
        if sig.results.is_empty() {
            self.emit(Op::Return { val: None });
        } else {
            let (v, _) = self.materialize(p, res, None)?;
            self.emit(Op::Return { val: Some(v) });
        }
        let f = self.fns.pop().expect("pushed above");
        self.finish_fn(id, f);
        let dst = self.reg(p)?;
        self.emit(Op::MakeClosure {
            dst,
            func: id,
            cells: vec![cell],
        });
        Ok(Operand::Val(dst, Type::Func(sig)))
    }

    /// `T.M` or `(*T).M`: the method as a function taking the receiver first, or None when `e`
    /// does not name a type.
    pub(super) fn method_expr(&mut self, p: usize, x: &Expr, sel: &str) -> R<Option<Operand>> {
        let mut inner = x;
        while let Expr::Paren(px) = inner {
            inner = &px.expr;
        }
        let (name_expr, ptr) = match inner {
            Expr::Star(s) => (&s.expr, true),
            other => (other, false),
        };
        let Expr::Ident(k) = name_expr else {
            return Ok(None);
        };
        let name = self.ident_name(*k).to_string();
        let t = match self.lookup(&name) {
            Some((Storage::Type(t), _)) => t,
            _ => return Ok(None),
        };
        let Some(named) = t.named() else {
            return Ok(None);
        };
        let Some(m) = named
            .methods
            .borrow()
            .iter()
            .find(|m| m.name == sel)
            .cloned()
        else {
            let shown = if ptr {
                format!("(*{t})")
            } else {
                t.to_string()
            };
            return Err(self.err(
                p,
                format!("{shown}.{sel} undefined (type {shown} has no method {sel})"),
            ));
        };
        if m.ptr_recv && !ptr {
            return Err(self.err(
                p,
                format!(
                    "invalid method expression {t}.{sel} (needs pointer receiver (*{t}).{sel})"
                ),
            ));
        }
        if ptr && !m.ptr_recv && !t.is_struct() {
            return Err(self.unsupported(
                p,
                "a method expression through a pointer for a value method",
            ));
        }
        let recv_ty = if ptr {
            Type::Pointer(Rc::new(t.clone()))
        } else {
            t.clone()
        };
        let mut full = (*m.sig).clone();
        full.params.insert(0, recv_ty);
        let dst = self.reg(p)?;
        self.emit(Op::MakeClosure {
            dst,
            func: m.func,
            cells: vec![],
        });
        Ok(Some(Operand::Val(dst, Type::Func(Rc::new(full)))))
    }
}
