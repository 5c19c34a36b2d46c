//! Function bodies: parameters and named results bound as locals, the body compiled, gotos
//! resolved, and main's package prologue (package variables, then the init functions).

use go_parser::ast::{Decl, Expr};
use go_parser::IdentKey;

use super::*;

impl<'a> Compiler<'a> {
    /// Compiles a declared function's body (main also gets the package's variable set-up and the
    /// init functions first).
    pub(super) fn func_body(
        &mut self,
        fk: go_parser::FuncDeclKey,
        id: FuncId,
        recv: Option<Type>,
        prologue: bool,
        inits: &[FuncId],
        bind: &[(String, Type)],
    ) -> R<()> {
        let fd = &self.objs.fdecls[fk];
        let name = self.funcs[id as usize]
            .as_ref()
            .map(|f| f.name.to_string())
            .unwrap_or_default();
        let sig = self.with_bind(bind, |c| c.signature(fd.typ))?;
        let mut f = self.new_fn(&name, sig.results.clone());
        let body = fd.body.clone().expect("checked when declared");
        f.span = {
            let (l, c) = self.pos(body.l_brace);
            Span {
                line: l as u32,
                col: c as u32,
            }
        };
        self.fns.push(f);
        for (n, t) in bind {
            self.declare_local(n, Storage::Type(t.clone()), t.clone(), None);
        }
        let mut params: Vec<(Option<IdentKey>, Type)> = Vec::new();
        if let (Some(rt), Some(rl)) = (recv, &fd.recv) {
            let names = rl
                .list
                .first()
                .map(|f| self.objs.fields[*f].names.clone())
                .unwrap_or_default();
            params.push((names.first().copied(), rt));
        }
        let ft = &self.objs.ftypes[fd.typ];
        params.extend(self.param_names(&ft.params.list, &sig.params));
        self.bind_params(&params)?;
        if prologue {
            self.package_prologue(inits)?;
        }
        self.bind_named_results(ft.results.as_ref().map(|r| r.list.clone()), &sig)?;
        self.block(&body.list)?;
        self.finish_body(body.r_brace, &body.list, &sig)?;
        let f = self.fns.pop().expect("pushed above");
        self.finish_fn(id, f);
        Ok(())
    }

    /// The methods declared on the generic type `name`.
    pub(super) fn generic_methods(
        &self,
        file: &go_parser::ast::File,
        name: &str,
    ) -> Vec<go_parser::FuncDeclKey> {
        file.decls
            .iter()
            .filter_map(|d| match d {
                Decl::Func(fk) => Some(*fk),
                _ => None,
            })
            .filter(|fk| {
                self.objs.fdecls[*fk]
                    .recv
                    .as_ref()
                    .and_then(|r| self.recv_base(r))
                    .is_some_and(|(b, _, _)| b == name)
            })
            .collect()
    }

    /// Whether a type declaration's type is an interface with type elements (`~int | string`),
    /// which only a constraint may be.
    pub(super) fn is_constraint(&self, e: &Expr) -> bool {
        let Expr::Interface(i) = e else { return false };
        i.methods.list.iter().any(|fk| {
            let f = &self.objs.fields[*fk];
            f.names.is_empty()
                && match &f.typ {
                    Expr::Ident(k) => {
                        let n = self.ident_name(*k);
                        n == "comparable"
                            || self.generics.constraints.contains_key(n)
                            || !matches!(
                                self.globals.get(n),
                                Some(Global::Type(t)) if t.is_interface()
                            ) && n != "error"
                    }
                    Expr::Selector(_) => false,
                    _ => true,
                }
        })
    }

    /// Registers for the parameters (0..n), moved into cells where they escape.
    pub(super) fn bind_params(&mut self, params: &[(Option<IdentKey>, Type)]) -> R<()> {
        let n = params.len() as u16;
        let base = self.f().next_reg;
        self.f().params = base + n;
        self.f().next_reg = base + n;
        for (i, (ident, ty)) in params.iter().enumerate() {
            let r = base + i as u16;
            match ident {
                Some(k) if self.escapes(*k, ty) => {
                    let p = self.objs.idents[*k].pos;
                    let dst = self.reg(p)?;
                    self.emit(Op::NewCell { dst, init: r });
                    let name = self.ident_name(*k).to_string();
                    self.declare_local(&name, Storage::Cell(dst), ty.clone(), Some(*k));
                    self.mark_used(&name);
                }
                Some(k) => {
                    let name = self.ident_name(*k).to_string();
                    self.declare_local(&name, Storage::Reg(r), ty.clone(), Some(*k));
                    self.mark_used(&name);
                }
                None => {}
            }
        }
        Ok(())
    }

    pub(super) fn mark_used(&mut self, name: &str) {
        if let Some(l) = self
            .f()
            .scopes
            .last_mut()
            .and_then(|s| s.iter_mut().rev().find(|l| l.name == name))
        {
            l.used = true;
        }
    }

    /// Named results start at their zero values.
    pub(super) fn bind_named_results(
        &mut self,
        list: Option<Vec<go_parser::FieldKey>>,
        sig: &Sig,
    ) -> R<()> {
        let Some(list) = list else { return Ok(()) };
        let named = self.param_names(&list, &sig.results);
        for (ident, ty) in named {
            if let Some(k) = ident {
                let p = self.objs.idents[k].pos;
                let z = self.zero(p, &ty)?;
                self.new_var(k, ty, z)?;
                let name = self.ident_name(k).to_string();
                self.mark_used(&name);
                let storage = match self.lookup(&name) {
                    Some((Storage::Reg(r), _)) => (r, false),
                    Some((Storage::Cell(c), _)) => (c, true),
                    _ => continue,
                };
                self.f()
                    .named_storage
                    .get_or_insert_with(Vec::new)
                    .push(storage);
                self.f().named_results.push(name);
            }
        }
        Ok(())
    }

    /// The end of a body: falling off the end returns (a function with results must end in a
    /// terminating statement, as Go requires).
    pub(super) fn finish_body(
        &mut self,
        r_brace: usize,
        body: &[go_parser::ast::Stmt],
        sig: &Sig,
    ) -> R<()> {
        self.at(r_brace);
        if sig.results.is_empty() {
            self.return_named(r_brace)?;
        } else if !self.terminating_list(body) {
            return Err(self.err(r_brace, "missing return"));
        }
        self.resolve_gotos()?;
        self.pop_scope()
    }

    /// Points each goto at its label (labels are per function).
    pub(super) fn resolve_gotos(&mut self) -> R<()> {
        let gotos = std::mem::take(&mut self.f().gotos);
        for (label, at, pos) in gotos {
            let Some(to) = self.f().labels.get(&label).copied() else {
                return Err(self.err(pos, format!("label {label} not defined")));
            };
            if let Some(Op::Jump { to: t }) = self.f().ops.get_mut(at as usize) {
                *t = to;
            }
        }
        Ok(())
    }

    /// Package variables and init functions, at the start of main.
    pub(super) fn package_prologue(&mut self, inits: &[FuncId]) -> R<()> {
        let specs = std::mem::take(&mut self.global_inits);
        for v in &specs {
            let ty = match &v.typ {
                Some(t) => Some(self.type_expr(t)?),
                None => None,
            };
            let pos = self.objs.idents[v.names[0]].pos;
            self.at(pos);
            let vals = self.spec_values(pos, &v.names, ty.as_ref(), &v.values)?;
            for (n, (r, _)) in v.names.iter().zip(vals) {
                let _ = n;
                let dst = self.reg(pos)?;
                self.emit(Op::NewCell { dst, init: r });
            }
        }
        for id in inits {
            self.emit(Op::Call {
                func: crate::runtime::ir::Callee::Static(*id),
                args: vec![],
                dst: None,
            });
        }
        Ok(())
    }

    /// Names for a parameter list (None for unnamed ones), matching the signature's types.
    pub(super) fn param_names(
        &self,
        list: &[go_parser::FieldKey],
        types: &[Type],
    ) -> Vec<(Option<IdentKey>, Type)> {
        let mut out = Vec::new();
        let mut i = 0;
        for f in list {
            let field = &self.objs.fields[*f];
            if field.names.is_empty() {
                out.push((None, types.get(i).cloned().unwrap_or(Type::any())));
                i += 1;
            } else {
                for n in &field.names {
                    out.push((Some(*n), types.get(i).cloned().unwrap_or(Type::any())));
                    i += 1;
                }
            }
        }
        out
    }
}
