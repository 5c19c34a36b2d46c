//! fmt's method rule below the top level: inside slices, arrays, maps (values) and structs
//! (exported fields), a value whose type has `Error() string` or `String() string` prints as the
//! method's result, as Go's fmt does (handleMethods at every depth where the value is reachable
//! through exported fields).
//!
//! The operand is copied into a "display" value of the same shape with those parts replaced by
//! their strings (interfaces by a run-time check over the program's types), which the runtime then
//! prints with its ordinary rules; the copy is made only when the static type can contain such a
//! part, so other operands cost nothing.

use std::rc::Rc;

use super::types_expr::zero_value;
use super::{Compiler, R};
use crate::golang::types::{Field, StructDef, Type};
use crate::runtime::ir::{Op, Reg};

impl Compiler<'_> {
    /// The type `t`'s display copy has at nesting depth `depth` (None: prints as it is).
    pub(super) fn display_type(&self, t: &Type, depth: u32) -> Option<Type> {
        if depth > 8 {
            return None;
        }
        if depth > 0 {
            if t.is_interface() {
                return self.any_stringer().then(Type::any);
            }
            if super::lib_fmt::stringer_method(t).is_some() {
                return Some(Type::Str);
            }
        }
        match t.underlying() {
            Type::Slice(e) | Type::Array(_, e) => self
                .display_type(&e, depth + 1)
                .map(|d| Type::Slice(Rc::new(d))),
            Type::Map(k, v) => {
                if self.display_type(&k, depth + 1).is_some() || k.is_struct() {
                    return None;
                }
                self.display_type(&v, depth + 1)
                    .map(|d| Type::Map(k, Rc::new(d)))
            }
            Type::Struct(sd) => {
                let mut changed = false;
                let fields = sd
                    .fields
                    .iter()
                    .map(|f| {
                        let d = exported(&f.name)
                            .then(|| self.display_type(&f.ty, depth + 1))
                            .flatten();
                        changed |= d.is_some();
                        Field {
                            name: f.name.clone(),
                            ty: d.unwrap_or_else(|| f.ty.clone()),
                            embedded: f.embedded,
                        }
                    })
                    .collect();
                changed.then(|| Type::Struct(Rc::new(StructDef { fields })))
            }
            _ => None,
        }
    }

    /// Whether any of the program's types has a String or Error method.
    fn any_stringer(&self) -> bool {
        self.globals.values().any(|g| match g {
            super::Global::Type(t) => {
                super::lib_fmt::stringer_method(&Type::Pointer(Rc::new(t.clone()))).is_some()
            }
            _ => false,
        })
    }

    /// The display copy of `r` (of type `t`), or None when it prints as it is.
    pub(super) fn display(
        &mut self,
        p: usize,
        r: Reg,
        t: &Type,
        depth: u32,
    ) -> R<Option<(Reg, Type)>> {
        let Some(dt) = self.display_type(t, depth) else {
            return Ok(None);
        };
        if depth > 0 && (t.is_interface() || dt == Type::Str) {
            return super::lib_fmt::stringify(self, p, r, t);
        }
        let dst = self.reg(p)?;
        match (t.underlying(), dt.underlying()) {
            (Type::Slice(e) | Type::Array(_, e), Type::Slice(de)) => {
                let len = self.reg(p)?;
                self.emit(Op::LenOf { dst: len, v: r });
                self.emit(Op::MakeSlice {
                    dst,
                    len,
                    cap: len,
                    zero: zero_value(&de),
                });
                self.counted_loop(p, len, |c, i| {
                    let x = c.reg(p)?;
                    c.emit(Op::Index {
                        dst: x,
                        base: r,
                        idx: i,
                    });
                    let (d, _) = c.display(p, x, &e, depth + 1)?.unwrap_or((x, (*e).clone()));
                    c.emit(Op::SetIndex {
                        base: dst,
                        idx: i,
                        val: d,
                    });
                    Ok(())
                })?;
            }
            (Type::Map(_, v), Type::Map(_, dv)) => {
                self.emit(Op::MakeMap {
                    dst,
                    zero: zero_value(&dv),
                });
                let keys = self.reg(p)?;
                self.emit(Op::MapKeys { dst: keys, m: r });
                let len = self.reg(p)?;
                self.emit(Op::LenOf { dst: len, v: keys });
                self.counted_loop(p, len, |c, i| {
                    let k = c.reg(p)?;
                    c.emit(Op::Index {
                        dst: k,
                        base: keys,
                        idx: i,
                    });
                    let x = c.reg(p)?;
                    c.emit(Op::Index {
                        dst: x,
                        base: r,
                        idx: k,
                    });
                    let (d, _) = c.display(p, x, &v, depth + 1)?.unwrap_or((x, (*v).clone()));
                    c.emit(Op::SetIndex {
                        base: dst,
                        idx: k,
                        val: d,
                    });
                    Ok(())
                })?;
            }
            (Type::Struct(sd), Type::Struct(_)) => {
                let mut fields = Vec::with_capacity(sd.fields.len());
                for (i, f) in sd.fields.iter().enumerate() {
                    let x = self.reg(p)?;
                    self.emit(Op::Field {
                        dst: x,
                        obj: r,
                        index: i as u16,
                    });
                    let d = if exported(&f.name) {
                        self.display(p, x, &f.ty, depth + 1)?.map(|(d, _)| d)
                    } else {
                        None
                    };
                    fields.push(d.unwrap_or(x));
                }
                self.emit(Op::NewStruct {
                    dst,
                    type_name: Rc::from("struct {}"),
                    fields,
                });
            }
            _ => return Ok(None),
        }
        Ok(Some((dst, dt)))
    }
}

/// Whether fmt can reach a field (and so call its methods): exported names only.
fn exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}
