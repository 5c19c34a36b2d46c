//! Assignment targets: variables (in registers, cells or package cells), fields, elements, map
//! entries and pointers, and storing to or loading from them.

use go_parser::ast::Expr;

use super::{Compiler, Storage, R};
use crate::golang::types::Type;
use crate::runtime::ir::{Op, Reg, Value};

/// Something that can be assigned to.
#[derive(Clone, Debug)]
pub(super) enum Place {
    Reg(Reg),
    Cell(Reg),
    Global(u32),
    Field(Reg, u16),
    Index(Reg, Reg),
    Deref(Reg),
    Blank,
}

impl Compiler<'_> {
    /// A map key as the map stores it: struct and array keys by their contents.
    pub(super) fn map_key(&mut self, p: usize, key: Reg, kt: &Type) -> R<Reg> {
        if !matches!(kt.underlying(), Type::Struct(_) | Type::Array(..)) {
            return Ok(key);
        }
        let dst = self.reg(p)?;
        self.emit(Op::KeyOf {
            dst,
            src: key,
            ty: std::rc::Rc::new(kt.rtype()),
        });
        Ok(dst)
    }

    /// The value of a key the map stored with `map_key`.
    pub(super) fn key_value(&mut self, p: usize, key: Reg, kt: &Type) -> R<Reg> {
        if !matches!(kt.underlying(), Type::Struct(_) | Type::Array(..)) {
            return Ok(key);
        }
        let dst = self.reg(p)?;
        self.emit(Op::FromKey {
            dst,
            src: key,
            ty: std::rc::Rc::new(kt.rtype()),
        });
        Ok(dst)
    }

    /// Resolves an assignment target.
    pub(super) fn place(&mut self, e: &Expr) -> R<(Place, Type)> {
        let p = self.expr_pos(e);
        match e {
            Expr::Ident(k) => {
                let name = self.ident_name(*k);
                if name == "_" {
                    return Ok((Place::Blank, Type::any()));
                }
                // An assignment is not a use: keep the "used" mark as it was.
                let was_used = self.is_used(name);
                let found = self.lookup(name);
                if !was_used {
                    self.unmark_used(name);
                }
                match found {
                    Some((Storage::Reg(r), t)) => Ok((Place::Reg(r), t)),
                    Some((Storage::Cell(c), t)) => Ok((Place::Cell(c), t)),
                    Some((Storage::Global(g), t)) => Ok((Place::Global(g), t)),
                    Some(_) => Err(self.err(p, format!("cannot assign to {name} (neither addressable nor a map index expression)"))),
                    None => Err(self.err(p, format!("undefined: {name}"))),
                }
            }
            Expr::Paren(x) => self.place(&x.expr),
            Expr::Selector(s) => {
                let (obj, ty) = self.rvalue(&s.expr)?;
                let sel = self.ident_name(s.sel);
                let Some((path, fty)) = self.field_path(&ty, sel) else {
                    return Err(self.err(
                        self.objs.idents[s.sel].pos,
                        format!(
                            "{}.{sel} undefined (type {ty} has no field or method {sel})",
                            self.text(&s.expr)
                        ),
                    ));
                };
                let mut cur = obj;
                for idx in &path[..path.len() - 1] {
                    let dst = self.reg(p)?;
                    self.emit(Op::Field {
                        dst,
                        obj: cur,
                        index: *idx,
                    });
                    cur = dst;
                }
                Ok((Place::Field(cur, path[path.len() - 1]), fty))
            }
            Expr::Index(ix) => {
                let (base, bt) = self.rvalue(&ix.expr)?;
                match bt.underlying() {
                    Type::Map(k, v) => {
                        let key = self.value(&ix.index, &k)?;
                        let key = self.map_key(p, key, &k)?;
                        Ok((Place::Index(base, key), (*v).clone()))
                    }
                    Type::Slice(el) | Type::Array(_, el) => {
                        let idx = self.int_value(&ix.index)?;
                        Ok((Place::Index(base, idx), (*el).clone()))
                    }
                    Type::Pointer(inner) if matches!(inner.underlying(), Type::Array(..)) => {
                        let Type::Array(_, el) = inner.underlying() else {
                            unreachable!()
                        };
                        let arr = self.reg(p)?;
                        self.emit(Op::Load {
                            dst: arr,
                            ptr: base,
                        });
                        let idx = self.int_value(&ix.index)?;
                        Ok((Place::Index(arr, idx), (*el).clone()))
                    }
                    Type::Str => Err(self.err(
                        p,
                        format!(
                            "cannot assign to {} (neither addressable nor a map index expression)",
                            self.text(e)
                        ),
                    )),
                    other => Err(self.err(
                        p,
                        format!(
                            "invalid operation: cannot index {} (variable of type {other})",
                            self.text(&ix.expr)
                        ),
                    )),
                }
            }
            Expr::Star(s) => {
                let (ptr, pt) = self.rvalue(&s.expr)?;
                let Type::Pointer(inner) = pt.underlying() else {
                    return Err(self.err(
                        p,
                        format!("invalid operation: cannot indirect {}", self.text(&s.expr)),
                    ));
                };
                if inner.is_struct() {
                    return Err(
                        self.unsupported(p, "assigning a whole struct through a pointer (*p = v)")
                    );
                }
                Ok((Place::Deref(ptr), (*inner).clone()))
            }
            _ => Err(self.err(p, format!("cannot assign to {}", self.text(e)))),
        }
    }

    pub(super) fn is_used(&mut self, name: &str) -> bool {
        let f = self.f();
        for scope in f.scopes.iter().rev() {
            if let Some(l) = scope.iter().rev().find(|l| l.name == name) {
                return l.used;
            }
        }
        true
    }

    fn unmark_used(&mut self, name: &str) {
        let f = self.f();
        for scope in f.scopes.iter_mut().rev() {
            if let Some(l) = scope.iter_mut().rev().find(|l| l.name == name) {
                l.used = false;
                return;
            }
        }
    }

    pub(super) fn store(&mut self, p: usize, place: &Place, val: Reg) -> R<()> {
        self.at(p);
        match place {
            Place::Reg(r) => {
                self.emit(Op::Move { dst: *r, src: val });
            }
            Place::Cell(c) | Place::Deref(c) => {
                self.emit(Op::Store { ptr: *c, val });
            }
            Place::Global(g) => {
                let ptr = self.konst(p, Value::Ptr(crate::runtime::ir::CellId(*g)))?;
                self.emit(Op::Store { ptr, val });
            }
            Place::Field(obj, idx) => {
                self.emit(Op::SetField {
                    obj: *obj,
                    index: *idx,
                    val,
                });
            }
            Place::Index(base, idx) => {
                self.emit(Op::SetIndex {
                    base: *base,
                    idx: *idx,
                    val,
                });
            }
            Place::Blank => {}
        }
        Ok(())
    }

    pub(super) fn load(&mut self, p: usize, place: &Place) -> R<Reg> {
        Ok(match place {
            Place::Reg(r) => *r,
            Place::Cell(c) | Place::Deref(c) => {
                let dst = self.reg(p)?;
                self.emit(Op::Load { dst, ptr: *c });
                dst
            }
            Place::Global(g) => {
                let ptr = self.konst(p, Value::Ptr(crate::runtime::ir::CellId(*g)))?;
                let dst = self.reg(p)?;
                self.emit(Op::Load { dst, ptr });
                dst
            }
            Place::Field(obj, idx) => {
                let dst = self.reg(p)?;
                self.emit(Op::Field {
                    dst,
                    obj: *obj,
                    index: *idx,
                });
                dst
            }
            Place::Index(base, idx) => {
                let dst = self.reg(p)?;
                self.emit(Op::Index {
                    dst,
                    base: *base,
                    idx: *idx,
                });
                dst
            }
            Place::Blank => return Err(self.err(p, "cannot use _ as value")),
        })
    }
}
