//! Operators: unary (`-x`, `!b`, `^x`, `<-ch`, `&x`, `*p`) and binary, with Go's constant folding
//! for untyped constants, its mismatched-type and division-by-zero errors, short-circuit `&&` and
//! `||`, and sized integers wrapped after arithmetic as Go's do.

use std::rc::Rc;

use go_parser::ast::Expr;
use go_parser::Token;

use super::consts::{Const, ConstVal};
use super::{Compiler, Operand, Storage, R};
use crate::golang::types::{assignable, IntKind, Type};
use crate::runtime::ir::{BinOp, Conv, Op, Reg, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    pub(super) fn unary(
        &mut self,
        p: usize,
        op: &Token,
        x: &Expr,
        hint: Option<&Type>,
    ) -> R<Operand> {
        match op {
            Token::ARROW => {
                let (ch, ct) = self.rvalue(x)?;
                let Type::Chan(dir, elem) = ct.underlying() else {
                    return Err(self.err(p, format!("invalid operation: cannot receive from non-channel {} (variable of type {ct})", self.text(x))));
                };
                if dir == ChanDir::Send {
                    return Err(self.err(p, format!("invalid operation: cannot receive from send-only channel {} (variable of type {ct})", self.text(x))));
                }
                self.at(p);
                let dst = self.reg(p)?;
                self.emit(Op::Recv {
                    ch,
                    dst: Some(dst),
                    ok: None,
                });
                Ok(Operand::Val(dst, (*elem).clone()))
            }
            Token::AND => {
                // &T{...}: a pointer to a new struct, which is the struct's reference itself.
                let inner = match x {
                    Expr::Paren(px) => &px.expr,
                    other => other,
                };
                if let Expr::CompositeLit(c) = inner {
                    let h = hint.and_then(|h| match h.underlying() {
                        Type::Pointer(t) => Some((*t).clone()),
                        _ => None,
                    });
                    let (r, t) = self.composite(p, c, h.as_ref())?;
                    return Ok(Operand::Val(r, Type::Pointer(Rc::new(t))));
                }
                if let Expr::Ident(k) = inner {
                    let name = self.ident_name(*k);
                    if let Some((storage, ty)) = self.lookup(name) {
                        return match storage {
                            _ if ty.is_struct() || matches!(ty.underlying(), Type::Lib(_)) => {
                                let (r, _) = self.rvalue(inner)?;
                                Ok(Operand::Val(r, Type::Pointer(Rc::new(ty))))
                            }
                            Storage::Cell(c) => Ok(Operand::Val(c, Type::Pointer(Rc::new(ty)))),
                            Storage::Global(cell) => {
                                let r =
                                    self.konst(p, Value::Ptr(crate::runtime::ir::CellId(cell)))?;
                                Ok(Operand::Val(r, Type::Pointer(Rc::new(ty))))
                            }
                            _ => Err(self.err(
                                p,
                                format!("invalid operation: cannot take address of {name}"),
                            )),
                        };
                    }
                }
                // &s.field or &a[i]: fine when the target is a struct (its reference).
                let (r, ty) = self.rvalue(inner)?;
                if ty.is_struct() || matches!(ty.underlying(), Type::Lib(_)) {
                    return Ok(Operand::Val(r, Type::Pointer(Rc::new(ty))));
                }
                Err(self.unsupported(p, "taking the address of a field or element that is not a struct (use atomic.Int64 or a pointer to a struct)"))
            }
            _ => {
                let o = self.expr(x, hint)?;
                if let Operand::Const(c) = &o {
                    let folded = match (op, &c.val) {
                        (Token::ADD, _) => Ok(c.clone()),
                        (Token::SUB, ConstVal::Float(_)) => self.fold(
                            p,
                            &Token::SUB,
                            &Const {
                                val: ConstVal::Float(0.0),
                                ty: c.ty.clone(),
                            },
                            c,
                        ),
                        (Token::SUB, _) => self.fold(
                            p,
                            &Token::SUB,
                            &Const {
                                val: ConstVal::Int(0),
                                ty: c.ty.clone(),
                            },
                            c,
                        ),
                        (Token::NOT, ConstVal::Bool(b)) => Ok(Const {
                            val: ConstVal::Bool(!b),
                            ty: c.ty.clone(),
                        }),
                        (Token::XOR, ConstVal::Int(_)) => self.fold(
                            p,
                            &Token::XOR,
                            c,
                            &Const {
                                val: ConstVal::Int(-1),
                                ty: c.ty.clone(),
                            },
                        ),
                        _ => Err(self.err(
                            p,
                            format!(
                                "invalid operation: operator {} not defined on {}",
                                op.text(),
                                c.describe()
                            ),
                        )),
                    };
                    return folded.map(Operand::Const);
                }
                let (r, t) = self.materialize(p, o, None)?;
                let dst = self.reg(p)?;
                match op {
                    Token::SUB if t.is_numeric() => {
                        let z = self.konst(p, if t.is_float() { Value::Float(0.0) } else { Value::Int(0) })?;
                        self.emit(Op::Bin { op: BinOp::Sub, dst, a: z, b: r });
                        self.wrap_int(p, dst, &t);
                    }
                    Token::ADD if t.is_numeric() => {
                        self.emit(Op::Move { dst, src: r });
                    }
                    Token::NOT if t.is_bool() => {
                        self.emit(Op::Not { dst, src: r });
                    }
                    Token::XOR if t.is_integer() => {
                        let m = self.konst(p, Value::Int(-1))?;
                        self.emit(Op::Bin { op: BinOp::BitXor, dst, a: r, b: m });
                        self.wrap_int(p, dst, &t);
                    }
                    _ => {
                        return Err(self.err(p, format!("invalid operation: operator {} not defined on {} (variable of type {t})", op.text(), self.text(x))))
                    }
                }
                Ok(Operand::Val(dst, t))
            }
        }
    }

    /// Keeps a sized integer in range after arithmetic (int8 wraps at 127, uint8 at 255).
    pub(super) fn wrap_int(&mut self, _p: usize, r: Reg, t: &Type) {
        if let Type::Int(k) = t.underlying() {
            if let Some((bits, signed)) = k.narrow() {
                self.emit(Op::Convert {
                    dst: r,
                    src: r,
                    conv: Conv::Wrap { bits, signed },
                });
            }
        }
    }

    pub(super) fn binary(
        &mut self,
        p: usize,
        op: &Token,
        a: &Expr,
        b: &Expr,
        hint: Option<&Type>,
    ) -> R<Operand> {
        if matches!(op, Token::LAND | Token::LOR) {
            let ao = self.expr(a, Some(&Type::Bool))?;
            if let Operand::Const(ca) = &ao {
                let bo = self.expr(b, Some(&Type::Bool))?;
                if let Operand::Const(cb) = &bo {
                    return Ok(Operand::Const(self.fold(p, op, ca, cb)?));
                }
            }
            if !ao.ty().is_bool() {
                return Err(self.err(
                    p,
                    format!(
                        "invalid operation: operator {} not defined on {} (variable of type {})",
                        op.text(),
                        self.text(a),
                        ao.ty()
                    ),
                ));
            }
            let (ra, ta) = self.materialize(p, ao, Some(&Type::Bool))?;
            let dst = self.reg(p)?;
            self.emit(Op::Move { dst, src: ra });
            let skip = if *op == Token::LAND {
                self.emit(Op::JumpIfNot { cond: dst, to: 0 })
            } else {
                self.emit(Op::JumpIf { cond: dst, to: 0 })
            };
            let rb = self.bool_value(b)?;
            self.emit(Op::Move { dst, src: rb });
            let end = self.here();
            self.patch(skip, end);
            let ty = if ta.is_untyped() { Type::Bool } else { ta };
            return Ok(Operand::Val(dst, ty));
        }
        let is_shift = matches!(op, Token::SHL | Token::SHR);
        let comparison = matches!(
            op,
            Token::EQL | Token::NEQ | Token::LSS | Token::LEQ | Token::GTR | Token::GEQ
        );
        // An arithmetic operand has the result's type: a non-constant shift inside takes it from
        // the context (`return 1<<s - 1` in a function returning uint8).
        let ao = self.expr(a, if comparison { None } else { hint })?;
        let bo = if is_shift {
            self.expr(b, Some(&Type::Int(IntKind::Uint)))?
        } else {
            let h = if ao.ty().is_untyped() {
                None
            } else {
                Some(ao.ty())
            };
            self.expr(b, h.as_ref())?
        };
        if let (Operand::Const(ca), Operand::Const(cb)) = (&ao, &bo) {
            return Ok(Operand::Const(self.fold(p, op, ca, cb)?));
        }
        let (ta, tb) = (ao.ty(), bo.ty());
        // The operation's type: the typed side decides; an untyped constant converts to it.
        let ty = if is_shift {
            if ta.is_untyped() {
                // A non-constant shift of an untyped constant takes its type from the context
                // (`return 1 << s` in a function returning uint).
                match hint {
                    Some(h) if h.is_integer() && !h.is_untyped() => h.clone(),
                    _ => Type::int(),
                }
            } else {
                ta.clone()
            }
        } else if ta.is_untyped() && !tb.is_untyped() {
            tb.clone()
        } else if !ta.is_untyped() {
            ta.clone()
        } else {
            ta.default_type()
        };
        if !is_shift {
            let compatible = |x: &Type, y: &Type| assignable(x, y) || assignable(y, x);
            if !compatible(&ta, &tb)
                || (!comparison && !ta.is_untyped() && !tb.is_untyped() && ta != tb)
            {
                return Err(self.err(
                    p,
                    format!(
                        "invalid operation: {} {} {} (mismatched types {ta} and {tb})",
                        self.text(a),
                        op.text(),
                        self.text(b)
                    ),
                ));
            }
        }
        // Comparing an interface with a concrete value boxes the concrete one.
        let (cmp_ty_a, cmp_ty_b) = if comparison && ta.is_interface() != tb.is_interface() {
            let it = if ta.is_interface() {
                ta.clone()
            } else {
                tb.clone()
            };
            (it.clone(), it)
        } else if is_shift {
            (
                ty.clone(),
                if tb.is_untyped() {
                    Type::Int(IntKind::Uint)
                } else {
                    tb.clone()
                },
            )
        } else {
            (ty.clone(), ty.clone())
        };
        let ra = if cmp_ty_a.is_interface()
            && !ta.is_interface()
            && !matches!(
                ao,
                Operand::Const(Const {
                    val: ConstVal::Nil,
                    ..
                })
            ) {
            self.coerce(p, ao, &cmp_ty_a, Some(a))?
        } else if matches!(
            ao,
            Operand::Const(Const {
                val: ConstVal::Nil,
                ..
            })
        ) {
            self.konst(p, Value::Nil)?
        } else {
            self.materialize(p, ao, Some(&cmp_ty_a))?.0
        };
        let rb = if cmp_ty_b.is_interface()
            && !tb.is_interface()
            && !matches!(
                bo,
                Operand::Const(Const {
                    val: ConstVal::Nil,
                    ..
                })
            ) {
            self.coerce(p, bo, &cmp_ty_b, Some(b))?
        } else if matches!(
            bo,
            Operand::Const(Const {
                val: ConstVal::Nil,
                ..
            })
        ) {
            self.konst(p, Value::Nil)?
        } else {
            self.materialize(p, bo, Some(&cmp_ty_b))?.0
        };
        let u = ty.underlying();
        let cmp_ok = u.is_numeric() || u.is_string();
        let bin = match (arith_op(op, &u), op) {
            (Some(b), _) => b,
            (None, Token::EQL) => BinOp::Eq,
            (None, Token::NEQ) => BinOp::Ne,
            (None, Token::LSS) if cmp_ok => BinOp::Lt,
            (None, Token::LEQ) if cmp_ok => BinOp::Le,
            (None, Token::GTR) if cmp_ok => BinOp::Gt,
            (None, Token::GEQ) if cmp_ok => BinOp::Ge,
            _ => {
                return Err(self.err(
                    p,
                    format!(
                        "invalid operation: operator {} not defined on {} (variable of type {ty})",
                        op.text(),
                        self.text(a)
                    ),
                ))
            }
        };
        if comparison && matches!(bin, BinOp::Eq | BinOp::Ne) {
            let ok = !matches!(u, Type::Slice(_) | Type::Map(..) | Type::Func(_))
                || matches!(ta, Type::UntypedNil)
                || matches!(tb, Type::UntypedNil);
            if !ok {
                return Err(self.err(
                    p,
                    format!(
                        "invalid operation: {} {} {} ({ty} can only be compared to nil)",
                        self.text(a),
                        op.text(),
                        self.text(b)
                    ),
                ));
            }
        }
        let dst = self.reg(p)?;
        self.at(p);
        if matches!(bin, BinOp::Eq | BinOp::Ne) && matches!(u, Type::Struct(_) | Type::Array(..)) {
            // Struct and array values compare by content, not by where they live.
            self.emit(Op::Equal {
                dst,
                a: ra,
                b: rb,
                ty: Rc::new(ty.rtype()),
                negate: bin == BinOp::Ne,
            });
            return Ok(Operand::Val(dst, Type::Bool));
        }
        self.emit(Op::Bin {
            op: bin,
            dst,
            a: ra,
            b: rb,
        });
        if comparison {
            return Ok(Operand::Val(dst, Type::Bool));
        }
        self.wrap_int(p, dst, &ty);
        Ok(Operand::Val(dst, ty))
    }
}

/// The arithmetic, bitwise or shift operation `op` stands for on operands of underlying type `u`,
/// if Go defines it there.
pub(super) fn arith_op(op: &Token, u: &Type) -> Option<BinOp> {
    Some(match op {
        Token::ADD if u.is_numeric() || u.is_string() => BinOp::Add,
        Token::SUB if u.is_numeric() => BinOp::Sub,
        Token::MUL if u.is_numeric() => BinOp::Mul,
        Token::QUO if u.is_numeric() => BinOp::Div,
        Token::REM if u.is_integer() => BinOp::Rem,
        Token::AND if u.is_integer() => BinOp::BitAnd,
        Token::OR if u.is_integer() => BinOp::BitOr,
        Token::XOR if u.is_integer() => BinOp::BitXor,
        Token::AND_NOT if u.is_integer() => BinOp::AndNot,
        Token::SHL if u.is_integer() => BinOp::Shl,
        Token::SHR if u.is_integer() => BinOp::Shr,
        _ => return None,
    })
}
