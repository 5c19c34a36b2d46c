//! Composite literals (structs, slices, arrays, maps, with elided inner types) and function
//! literals, which become closures over the cells of the variables they capture.

use std::rc::Rc;

use go_parser::ast::{CompositeLit, Expr, FuncLit};

use super::{Compiler, Storage, R};
use crate::golang::types::Type;
use crate::runtime::ir::{Op, Reg, Value};

impl Compiler<'_> {
    /// A composite literal: struct, slice, array or map.
    pub(super) fn composite(
        &mut self,
        p: usize,
        c: &CompositeLit,
        hint: Option<&Type>,
    ) -> R<(Reg, Type)> {
        let ty = match &c.typ {
            Some(Expr::Array(a)) if matches!(a.len, Some(Expr::Ellipsis(_))) => {
                let el = self.type_expr(&a.elt)?;
                Type::Array(c.elts.len() as u32, Rc::new(el))
            }
            Some(t) => self.type_expr(t)?,
            None => match hint {
                Some(h) => match h.underlying() {
                    Type::Pointer(inner) => (*inner).clone(),
                    _ => h.clone(),
                },
                None => return Err(self.err(p, "invalid composite literal type: missing type")),
            },
        };
        self.at(p);
        match ty.underlying() {
            Type::Struct(sd) => {
                let keyed = c.elts.iter().any(|e| matches!(e, Expr::KeyValue(_)));
                let mut regs: Vec<Option<Reg>> = vec![None; sd.fields.len()];
                if keyed {
                    for e in &c.elts {
                        let Expr::KeyValue(kv) = e else {
                            return Err(self.err(
                                self.expr_pos(e),
                                "mixture of field:value and value elements in struct literal",
                            ));
                        };
                        let Expr::Ident(k) = &kv.key else {
                            return Err(self.err(
                                self.expr_pos(&kv.key),
                                "invalid field name in struct literal",
                            ));
                        };
                        let name = self.ident_name(*k);
                        let Some(i) = sd.fields.iter().position(|f| f.name == name) else {
                            return Err(self.err(
                                self.objs.idents[*k].pos,
                                format!("unknown field {name} in struct literal of type {ty}"),
                            ));
                        };
                        let fty = sd.fields[i].ty.clone();
                        regs[i] = Some(self.value(&kv.val, &fty)?);
                    }
                } else if !c.elts.is_empty() {
                    if c.elts.len() != sd.fields.len() {
                        return Err(self.err(
                            c.r_brace,
                            format!(
                                "too {} values in struct literal of type {ty}",
                                if c.elts.len() < sd.fields.len() {
                                    "few"
                                } else {
                                    "many"
                                }
                            ),
                        ));
                    }
                    for (i, e) in c.elts.iter().enumerate() {
                        let fty = sd.fields[i].ty.clone();
                        regs[i] = Some(self.value(e, &fty)?);
                    }
                }
                let mut fields = Vec::with_capacity(regs.len());
                for (i, r) in regs.into_iter().enumerate() {
                    fields.push(match r {
                        Some(r) => r,
                        None => {
                            let fty = sd.fields[i].ty.clone();
                            self.zero(p, &fty)?
                        }
                    });
                }
                let name = match &ty {
                    Type::Named(n) => n.name.clone(),
                    _ => "struct {}".into(),
                };
                let dst = self.reg(p)?;
                self.emit(Op::NewStruct {
                    dst,
                    type_name: Rc::from(name.as_str()),
                    fields,
                });
                Ok((dst, ty))
            }
            Type::Slice(el) | Type::Array(_, el) => {
                let is_array = matches!(ty.underlying(), Type::Array(..));
                let n = c.elts.len();
                let mut vals = Vec::with_capacity(n);
                for e in &c.elts {
                    if let Expr::KeyValue(kv) = e {
                        return Err(self.unsupported(
                            self.expr_pos(&kv.key),
                            "an indexed element in a slice literal",
                        ));
                    }
                    vals.push(self.value(e, &el)?);
                }
                if let Type::Array(len, _) = ty.underlying() {
                    if n > len as usize {
                        return Err(self.err(p, format!("index {len} out of bounds [0:{len}]")));
                    }
                    for _ in n..len as usize {
                        vals.push(self.zero(p, &el)?);
                    }
                }
                let zero = super::types_expr::zero_value(&el);
                let len0 = self.konst(p, Value::Int(0))?;
                let cap = self.konst(p, Value::Int(vals.len() as i64))?;
                let dst = self.reg(p)?;
                self.emit(Op::MakeSlice {
                    dst,
                    len: len0,
                    cap,
                    zero,
                });
                if !vals.is_empty() {
                    self.emit(Op::Append {
                        dst,
                        slice: dst,
                        vals,
                    });
                }
                let _ = is_array;
                Ok((dst, ty))
            }
            Type::Map(kt, vt) => {
                let dst = self.reg(p)?;
                self.emit(Op::MakeMap {
                    dst,
                    zero: super::types_expr::zero_value(&vt),
                });
                for e in &c.elts {
                    let Expr::KeyValue(kv) = e else {
                        return Err(self.err(self.expr_pos(e), "missing key in map literal"));
                    };
                    let k = self.value(&kv.key, &kt)?;
                    let k = self.map_key(p, k, &kt)?;
                    let v = self.value(&kv.val, &vt)?;
                    self.emit(Op::SetIndex {
                        base: dst,
                        idx: k,
                        val: v,
                    });
                }
                Ok((dst, ty))
            }
            _ => Err(self.err(p, format!("invalid composite literal type {ty}"))),
        }
    }

    /// A function literal: a closure over the cells of the variables it captures.
    pub(super) fn func_lit(&mut self, lit: &Rc<FuncLit>) -> R<(Reg, Type)> {
        let p = self.expr_pos(&Expr::FuncLit(Rc::clone(lit)));
        let sig = Rc::new(self.signature(lit.typ)?);
        let (outer, cell_regs, fixed) =
            self.closure_captures(p, crate::golang::escape::Escapes::lit_key(lit))?;
        let parent = self.f().name.clone();
        let n = self.lit_count.entry(parent.clone()).or_insert(0);
        *n += 1;
        let name = format!("{parent}.func{n}");
        let id = self.declare_func(&name);
        let mut f = self.new_fn(&name, sig.results.clone());
        f.span = self.f().span;
        // Captured cells come first, then the parameters.
        seed_closure_scope(&mut f, &outer, fixed);
        f.next_reg = outer.len() as u16;
        self.fns.push(f);
        self.push_scope();
        let ft = &self.objs.ftypes[lit.typ];
        let params = self.param_names(&ft.params.list, &sig.params);
        self.bind_params(&params)?;
        self.f().params = outer.len() as u16 + params.len() as u16;
        self.bind_named_results(ft.results.as_ref().map(|r| r.list.clone()), &sig)?;
        self.block(&lit.body.list)?;
        self.finish_body(lit.body.r_brace, &lit.body.list, &sig)?;
        let f = self.fns.pop().expect("pushed above");
        self.finish_fn(id, f);
        let dst = self.reg(p)?;
        self.at(p);
        self.emit(Op::MakeClosure {
            dst,
            func: id,
            cells: cell_regs,
        });
        Ok((dst, Type::Func(sig)))
    }

    /// The outer variables a closure (a function literal, or a range-over-func body, by `key`)
    /// captures: those in cells, with their cell registers here, and constants and types, which
    /// are copied into the closure's scope as they are.
    pub(super) fn closure_captures(
        &mut self,
        p: usize,
        key: usize,
    ) -> R<(Vec<super::Local>, Vec<Reg>, Vec<super::Local>)> {
        let captures = self.esc.captures.get(&key).cloned().unwrap_or_default();
        let depth = self.fns.len() - 1;
        let mut outer = Vec::new();
        let mut fixed = Vec::new();
        for e in &captures {
            if let Some(l) = self.find_entity(depth, *e) {
                if matches!(l.storage, Storage::Const(_) | Storage::Type(_)) {
                    fixed.push(l);
                } else {
                    outer.push(l);
                }
            }
        }
        // Constants and types (type parameters' bindings, local declarations) are known at
        // compile time: the closure sees them as the enclosing function does.
        let types: Vec<super::Local> = self
            .f()
            .scopes
            .iter()
            .flat_map(|s| s.iter())
            .filter(|l| matches!(l.storage, Storage::Type(_) | Storage::Const(_)))
            .cloned()
            .collect();
        let fixed = [types, fixed].concat();
        // A variable a closure reads counts as used where it was declared.
        for scope in self.f().scopes.iter_mut() {
            for l in scope.iter_mut() {
                if l.entity.is_some_and(|e| captures.contains(&e)) {
                    l.used = true;
                }
            }
        }
        let mut cell_regs = Vec::new();
        for l in &outer {
            match l.storage {
                Storage::Cell(r) => cell_regs.push(r),
                _ => {
                    return Err(self.err(
                        p,
                        format!("internal: captured variable {} is not in a cell", l.name),
                    ))
                }
            }
        }
        Ok((outer, cell_regs, fixed))
    }
}

/// A closure's first scope: the constants and types, then its captured cells (registers 0..n),
/// which win where a name is both (the variable is the nearer declaration).
pub(super) fn seed_closure_scope(
    f: &mut super::Fn,
    outer: &[super::Local],
    fixed: Vec<super::Local>,
) {
    for mut l in fixed {
        l.used = true;
        f.scopes[0].push(l);
    }
    for (i, l) in outer.iter().enumerate() {
        f.scopes[0].push(super::Local {
            name: l.name.clone(),
            storage: Storage::Cell(i as u16),
            ty: l.ty.clone(),
            entity: l.entity,
            pos: l.pos,
            used: true,
        });
    }
}
