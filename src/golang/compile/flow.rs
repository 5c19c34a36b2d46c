//! Control flow with several branches: range loops over every kind of collection, switch and
//! type switch (with fallthrough), select, and Go's terminating-statement rule.

use std::rc::Rc;

use go_parser::ast::{Expr, Stmt};
use go_parser::Token;

use super::{Compiler, Operand, R};
use crate::golang::types::{IntKind, Type};
use crate::runtime::ir::{BinOp, Conv, Op, Pc, Reg, SelectCase, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    pub(super) fn range(&mut self, p: usize, r: &Rc<go_parser::ast::RangeStmt>) -> R<()> {
        self.push_scope();
        let define = r.token == Token::DEFINE;
        let (coll, ct) = {
            let op = self.expr(&r.expr, None)?;
            let ty = op.ty();
            if ty.is_integer() {
                let (reg, t) = self.materialize(p, op, Some(&Type::int()))?;
                (reg, t)
            } else {
                self.materialize(p, op, None)?
            }
        };
        let (kx, vx) = (r.key.clone(), r.val.clone());
        let u = ct.underlying();
        if let Type::Func(sig) = &u {
            self.range_func(p, r, coll, &ct, sig)?;
            return self.pop_scope();
        }
        let idx = self.konst(p, Value::Int(0))?;
        let kind = match &u {
            Type::Int(_) => RangeKind::Int,
            Type::Slice(_) | Type::Array(..) => RangeKind::Seq,
            Type::Str => {
                let runes = self.reg(p)?;
                self.emit(Op::Convert {
                    dst: runes,
                    src: coll,
                    conv: Conv::StringToRunes,
                });
                let off = self.konst(p, Value::Int(0))?;
                RangeKind::Str { runes, off }
            }
            Type::Map(..) => {
                // Iterate over a snapshot of the keys, in Go's randomised order.
                let keys = self.reg(p)?;
                self.emit(Op::MapKeys { dst: keys, m: coll });
                RangeKind::Map { keys }
            }
            Type::Chan(dir, _) => {
                if *dir == ChanDir::Send {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid operation: range {} receive from send-only channel",
                            self.text(&r.expr)
                        ),
                    ));
                }
                if vx.is_some() {
                    return Err(self.err(
                        p,
                        format!(
                            "range over {} permits only one iteration variable",
                            self.text(&r.expr)
                        ),
                    ));
                }
                RangeKind::Chan
            }
            other => {
                return Err(self.err(
                    p,
                    format!(
                        "cannot range over {} (variable of type {other})",
                        self.text(&r.expr)
                    ),
                ))
            }
        };
        let len = match kind {
            RangeKind::Int | RangeKind::Chan => coll,
            RangeKind::Seq => {
                let l = self.reg(p)?;
                self.emit(Op::LenOf { dst: l, v: coll });
                l
            }
            RangeKind::Str { runes: base, .. } | RangeKind::Map { keys: base } => {
                let l = self.reg(p)?;
                self.emit(Op::LenOf { dst: l, v: base });
                l
            }
        };
        let top = self.here();
        let (exit, key_val, val_val, key_ty, val_ty) = if kind == RangeKind::Chan {
            let Type::Chan(_, elem) = &u else {
                unreachable!()
            };
            let (v, ok) = (self.reg(p)?, self.reg(p)?);
            self.at(p);
            self.emit(Op::Recv {
                ch: coll,
                dst: Some(v),
                ok: Some(ok),
            });
            let exit = self.emit(Op::JumpIfNot { cond: ok, to: 0 });
            (exit, v, None, (**elem).clone(), Type::Bool)
        } else {
            let cond = self.reg(p)?;
            self.emit(Op::Bin {
                op: BinOp::Lt,
                dst: cond,
                a: idx,
                b: len,
            });
            let exit = self.emit(Op::JumpIfNot { cond, to: 0 });
            match (&u, kind) {
                (Type::Int(_), _) => (exit, idx, None, ct.clone(), Type::Bool),
                (Type::Slice(el) | Type::Array(_, el), _) => {
                    let v = if vx.is_some() {
                        let v = self.reg(p)?;
                        self.emit(Op::Index {
                            dst: v,
                            base: coll,
                            idx,
                        });
                        Some(v)
                    } else {
                        None
                    };
                    (exit, idx, v, Type::int(), (**el).clone())
                }
                (Type::Str, RangeKind::Str { runes, off }) => {
                    let rune = self.reg(p)?;
                    self.emit(Op::Index {
                        dst: rune,
                        base: runes,
                        idx,
                    });
                    (
                        exit,
                        off,
                        Some(rune),
                        Type::int(),
                        Type::Int(IntKind::Int32),
                    )
                }
                (Type::Map(kt, vt), RangeKind::Map { keys }) => {
                    let k = self.reg(p)?;
                    self.emit(Op::Index {
                        dst: k,
                        base: keys,
                        idx,
                    });
                    let v = if vx.is_some() {
                        let v = self.reg(p)?;
                        self.emit(Op::Index {
                            dst: v,
                            base: coll,
                            idx: k,
                        });
                        Some(v)
                    } else {
                        None
                    };
                    // A struct key is kept as its contents; the loop variable gets the struct.
                    let k = self.key_value(p, k, kt)?;
                    (exit, k, v, (**kt).clone(), (**vt).clone())
                }
                _ => unreachable!(),
            }
        };
        // Bind or assign the iteration variables (fresh per iteration, as in Go 1.22).
        self.push_scope();
        if let Some(k) = &kx {
            self.range_var(p, k, define, key_val, &key_ty)?;
        }
        if let (Some(v), Some(vv)) = (&vx, val_val) {
            self.range_var(p, v, define, vv, &val_ty)?;
        }
        self.open_breakable(true);
        self.block(&r.body.list)?;
        self.pop_scope()?;
        let cont = self.here();
        if kind != RangeKind::Chan {
            if let (RangeKind::Str { off, .. }, Some(rn)) = (kind, val_val) {
                // The next rune starts after this one's UTF-8 bytes.
                let s = self.reg(p)?;
                self.emit(Op::Convert {
                    dst: s,
                    src: rn,
                    conv: Conv::RuneToString,
                });
                let n = self.reg(p)?;
                self.emit(Op::LenOf { dst: n, v: s });
                self.emit(Op::Bin {
                    op: BinOp::Add,
                    dst: off,
                    a: off,
                    b: n,
                });
            }
            let one = self.konst(p, Value::Int(1))?;
            self.emit(Op::Bin {
                op: BinOp::Add,
                dst: idx,
                a: idx,
                b: one,
            });
        }
        self.emit(Op::Jump { to: top });
        let end = self.here();
        self.patch(exit, end);
        self.close_breakable(end, cont);
        self.pop_scope()
    }

    pub(super) fn range_var(
        &mut self,
        p: usize,
        e: &Expr,
        define: bool,
        val: Reg,
        ty: &Type,
    ) -> R<()> {
        if define {
            let Expr::Ident(k) = e else {
                return Err(self.err(self.expr_pos(e), "non-name on left side of :="));
            };
            if self.ident_name(*k) == "_" {
                return Ok(());
            }
            let copy = self.reg(p)?;
            self.emit(Op::Move {
                dst: copy,
                src: val,
            });
            self.new_var(*k, ty.clone(), copy)
        } else {
            let (place, pt) = self.place(e)?;
            let r = self.coerce(p, Operand::Val(val, ty.clone()), &pt, None)?;
            self.store(p, &place, r)
        }
    }

    pub(super) fn switch(&mut self, p: usize, sw: &go_parser::ast::SwitchStmt) -> R<()> {
        self.push_scope();
        if let Some(init) = &sw.init {
            self.stmt(init)?;
        }
        let tag = match &sw.tag {
            Some(t) => Some(self.owned_value(t)?),
            None => None,
        };
        self.open_breakable(false);
        let clauses: Vec<Rc<go_parser::ast::CaseClause>> = sw
            .body
            .list
            .iter()
            .filter_map(|s| match s {
                Stmt::Case(c) => Some(Rc::clone(c)),
                _ => None,
            })
            .collect();
        // Tests first, then bodies in order (so fallthrough is a jump to the next body).
        let mut body_jumps: Vec<Vec<Pc>> = Vec::new();
        let mut default_idx = None;
        for (i, c) in clauses.iter().enumerate() {
            let mut jumps = Vec::new();
            match &c.list {
                None => {
                    if default_idx.is_some() {
                        return Err(self.err(c.case, "multiple defaults in switch"));
                    }
                    default_idx = Some(i);
                }
                Some(list) => {
                    for e in list {
                        let cond = match &tag {
                            Some((tr, tt)) => {
                                let v = self.value(e, tt)?;
                                let d = self.reg(p)?;
                                self.emit(Op::Bin {
                                    op: BinOp::Eq,
                                    dst: d,
                                    a: *tr,
                                    b: v,
                                });
                                d
                            }
                            None => self.bool_value(e)?,
                        };
                        jumps.push(self.emit(Op::JumpIf { cond, to: 0 }));
                    }
                }
            }
            body_jumps.push(jumps);
        }
        let to_default = self.emit(Op::Jump { to: 0 });
        let mut ends = Vec::new();
        let mut fall: Option<Pc> = None;
        let mut starts = Vec::new();
        for (i, c) in clauses.iter().enumerate() {
            let start = self.here();
            starts.push(start);
            if let Some(f) = fall.take() {
                self.patch(f, start);
            }
            for j in &body_jumps[i] {
                self.patch(*j, start);
            }
            self.push_scope();
            let (body, falls) = match c.body.last() {
                Some(Stmt::Branch(b)) if b.token == Token::FALLTHROUGH => {
                    if i + 1 == clauses.len() {
                        return Err(
                            self.err(b.token_pos, "cannot fallthrough final case in switch")
                        );
                    }
                    (&c.body[..c.body.len() - 1], true)
                }
                _ => (&c.body[..], false),
            };
            self.block(body)?;
            self.pop_scope()?;
            if falls {
                fall = Some(self.emit(Op::Jump { to: 0 }));
            } else {
                ends.push(self.emit(Op::Jump { to: 0 }));
            }
        }
        let end = self.here();
        match default_idx {
            Some(d) => self.patch(to_default, starts[d]),
            None => self.patch(to_default, end),
        }
        for e in ends {
            self.patch(e, end);
        }
        self.close_breakable(end, end);
        self.pop_scope()
    }

    pub(super) fn type_switch(&mut self, p: usize, ts: &go_parser::ast::TypeSwitchStmt) -> R<()> {
        self.push_scope();
        if let Some(init) = &ts.init {
            self.stmt(init)?;
        }
        // `switch v := x.(type)` or `switch x.(type)`.
        let (bind, x) = match &ts.assign {
            Stmt::Assign(a) => {
                let st = &self.objs.a_stmts[*a];
                let Some(Expr::Ident(k)) = st.lhs.first() else {
                    return Err(self.err(p, "invalid type switch"));
                };
                (Some(*k), st.rhs.first().cloned())
            }
            Stmt::Expr(e) => (None, Some((**e).clone())),
            _ => (None, None),
        };
        let Some(Expr::TypeAssert(ta)) = x else {
            return Err(self.err(p, "invalid type switch guard"));
        };
        let (src, st) = self.rvalue(&ta.expr)?;
        if !st.is_interface() {
            return Err(self.err(
                p,
                format!(
                    "{} (variable of type {st}) is not an interface",
                    self.text(&ta.expr)
                ),
            ));
        }
        self.open_breakable(false);
        let mut ends = Vec::new();
        let mut default_body = None;
        let mut bind_used = bind.is_none();
        for s in &ts.body.list {
            let Stmt::Case(c) = s else { continue };
            let Some(list) = &c.list else {
                default_body = Some(Rc::clone(c));
                continue;
            };
            let mut matched = Vec::new();
            let mut single: Option<(Reg, Type)> = None;
            for e in list {
                let is_nil = matches!(e, Expr::Ident(k) if self.ident_name(*k) == "nil");
                let (dst, ok) = (self.reg(p)?, self.reg(p)?);
                if is_nil {
                    let nil = self.konst(p, Value::Nil)?;
                    self.emit(Op::Bin {
                        op: BinOp::Eq,
                        dst: ok,
                        a: src,
                        b: nil,
                    });
                    self.emit(Op::Move { dst, src });
                    single = Some((dst, st.clone()));
                } else {
                    let ty = self.type_expr(e)?;
                    self.emit(Op::Unbox {
                        dst,
                        ok: Some(ok),
                        src,
                        ty: Rc::new(ty.rtype()),
                    });
                    single = Some((dst, ty));
                }
                matched.push(self.emit(Op::JumpIf { cond: ok, to: 0 }));
            }
            let next = self.emit(Op::Jump { to: 0 });
            let start = self.here();
            for m in matched {
                self.patch(m, start);
            }
            self.push_scope();
            if let Some(k) = bind {
                let (r, t) = match (list.len(), single) {
                    (1, Some((r, t))) => (r, t),
                    _ => (src, st.clone()),
                };
                self.new_var(k, t, r)?;
            }
            self.block(&c.body)?;
            bind_used |= self.clause_used(bind);
            self.pop_scope()?;
            ends.push(self.emit(Op::Jump { to: 0 }));
            let after = self.here();
            self.patch(next, after);
        }
        if let Some(c) = default_body {
            self.push_scope();
            if let Some(k) = bind {
                self.new_var(k, st.clone(), src)?;
            }
            self.block(&c.body)?;
            bind_used |= self.clause_used(bind);
            self.pop_scope()?;
        }
        if !bind_used {
            if let Some(k) = bind {
                return Err(self.err(
                    self.objs.idents[k].pos,
                    format!("declared and not used: {}", self.ident_name(k)),
                ));
            }
        }
        let end = self.here();
        for e in ends {
            self.patch(e, end);
        }
        self.close_breakable(end, end);
        self.pop_scope()
    }

    /// Whether a type switch's variable was used in the clause just compiled (Go reports it unused
    /// only if no clause uses it); marks it used so the clause's scope does not complain.
    fn clause_used(&mut self, bind: Option<go_parser::IdentKey>) -> bool {
        let Some(k) = bind else { return false };
        let name = self.ident_name(k).to_string();
        let used = self.is_used(&name);
        self.mark_used(&name);
        used
    }

    pub(super) fn select(&mut self, p: usize, sel: &go_parser::ast::SelectStmt) -> R<()> {
        // Channels and values to send are evaluated first, in source order.
        let mut cases = Vec::new();
        let mut has_default = false;
        struct Recv {
            dst: Reg,
            ok: Reg,
            elem: Type,
        }
        let mut recvs: Vec<Option<Recv>> = Vec::new();
        let clauses: Vec<Rc<go_parser::ast::CommClause>> = sel
            .body
            .list
            .iter()
            .filter_map(|s| match s {
                Stmt::Comm(c) => Some(Rc::clone(c)),
                _ => None,
            })
            .collect();
        let mut order = Vec::new();
        for c in &clauses {
            match &c.comm {
                None => {
                    if has_default {
                        return Err(self.err(c.case, "multiple defaults in select"));
                    }
                    has_default = true;
                    order.push(None);
                }
                Some(Stmt::Send(s)) => {
                    let (ch, ct) = self.rvalue(&s.chan)?;
                    let Type::Chan(_, elem) = ct.underlying() else {
                        return Err(
                            self.err(c.case, "select case must be receive, send or assign recv")
                        );
                    };
                    let val = self.value(&s.val, &elem)?;
                    order.push(Some(cases.len()));
                    cases.push(SelectCase::Send { ch, val });
                    recvs.push(None);
                }
                Some(comm) => {
                    let recv_expr = match comm {
                        Stmt::Expr(e) => Some((**e).clone()),
                        Stmt::Assign(a) => self.objs.a_stmts[*a].rhs.first().cloned(),
                        _ => None,
                    };
                    let Some(Expr::Unary(u)) = recv_expr.map(|e| match e {
                        Expr::Paren(x) => x.expr.clone(),
                        other => other,
                    }) else {
                        return Err(
                            self.err(c.case, "select case must be receive, send or assign recv")
                        );
                    };
                    if u.op != Token::ARROW {
                        return Err(
                            self.err(c.case, "select case must be receive, send or assign recv")
                        );
                    }
                    let (ch, ct) = self.rvalue(&u.expr)?;
                    let Type::Chan(_, elem) = ct.underlying() else {
                        return Err(self.err(
                            c.case,
                            format!(
                                "invalid operation: cannot receive from non-channel {}",
                                self.text(&u.expr)
                            ),
                        ));
                    };
                    let (dst, ok) = (self.reg(p)?, self.reg(p)?);
                    order.push(Some(cases.len()));
                    cases.push(SelectCase::Recv {
                        ch,
                        dst: Some(dst),
                        ok: Some(ok),
                    });
                    recvs.push(Some(Recv {
                        dst,
                        ok,
                        elem: (*elem).clone(),
                    }));
                }
            }
        }
        self.at(p);
        let chosen = self.reg(p)?;
        let n = cases.len();
        self.emit(Op::Select {
            cases,
            default: has_default,
            dst: chosen,
        });
        self.open_breakable(false);
        let mut ends = Vec::new();
        for (c, idx) in clauses.iter().zip(order) {
            let want = self.konst(p, Value::Int(idx.unwrap_or(n) as i64))?;
            let cond = self.reg(p)?;
            self.emit(Op::Bin {
                op: BinOp::Eq,
                dst: cond,
                a: chosen,
                b: want,
            });
            let skip = self.emit(Op::JumpIfNot { cond, to: 0 });
            self.push_scope();
            if let (Some(i), Some(Stmt::Assign(a))) = (idx, &c.comm) {
                let st = &self.objs.a_stmts[*a];
                let (lhs, tok) = (st.lhs.clone(), st.token.clone());
                if let Some(Some(rv)) = recvs.get(i) {
                    let (dst, ok, elem) = (rv.dst, rv.ok, rv.elem.clone());
                    for (j, e) in lhs.iter().enumerate() {
                        let (val, ty) = if j == 0 {
                            (dst, elem.clone())
                        } else {
                            (ok, Type::Bool)
                        };
                        if tok == Token::DEFINE {
                            let Expr::Ident(k) = e else {
                                return Err(
                                    self.err(self.expr_pos(e), "non-name on left side of :=")
                                );
                            };
                            self.new_var(*k, ty, val)?;
                        } else {
                            let (place, pt) = self.place(e)?;
                            let r = self.coerce(p, Operand::Val(val, ty), &pt, None)?;
                            self.store(p, &place, r)?;
                        }
                    }
                }
            }
            self.block(&c.body)?;
            self.pop_scope()?;
            ends.push(self.emit(Op::Jump { to: 0 }));
            let next = self.here();
            self.patch(skip, next);
        }
        let end = self.here();
        for e in ends {
            self.patch(e, end);
        }
        self.close_breakable(end, end);
        Ok(())
    }
}

impl Compiler<'_> {
    /// Go's terminating statement rule for the last statement of a list.
    pub(super) fn terminating_list(&self, list: &[Stmt]) -> bool {
        list.iter()
            .rev()
            .find(|s| !matches!(s, Stmt::Empty(_)))
            .is_some_and(|s| self.terminating(s, None))
    }

    fn terminating(&self, s: &Stmt, label: Option<&str>) -> bool {
        match s {
            Stmt::Return(_) => true,
            Stmt::Branch(b) => b.token == Token::GOTO,
            Stmt::Expr(e) => {
                matches!(&**e, Expr::Call(c) if matches!(&c.func, Expr::Ident(k) if self.ident_name(*k) == "panic"))
            }
            Stmt::Block(b) => self.terminating_list(&b.list),
            Stmt::If(i) => {
                self.terminating_list(&i.body.list)
                    && i.els.as_ref().is_some_and(|e| self.terminating(e, None))
            }
            Stmt::Labeled(l) => {
                let ls = &self.objs.l_stmts[*l];
                self.terminating(&ls.stmt, Some(self.ident_name(ls.label)))
            }
            Stmt::For(f) => f.cond.is_none() && !self.breaks(&f.body.list, label, true),
            Stmt::Switch(sw) => self.clauses_terminate(&sw.body.list, label, true),
            Stmt::TypeSwitch(ts) => self.clauses_terminate(&ts.body.list, label, true),
            Stmt::Select(sel) => self.clauses_terminate(&sel.body.list, label, false),
            _ => false,
        }
    }

    fn clauses_terminate(&self, clauses: &[Stmt], label: Option<&str>, need_default: bool) -> bool {
        let mut has_default = false;
        for c in clauses {
            let (is_default, body) = match c {
                Stmt::Case(c) => (c.list.is_none(), &c.body),
                Stmt::Comm(c) => (c.comm.is_none(), &c.body),
                _ => continue,
            };
            has_default |= is_default;
            let falls =
                matches!(body.last(), Some(Stmt::Branch(b)) if b.token == Token::FALLTHROUGH);
            if self.breaks(body, label, true) || !(falls || self.terminating_list(body)) {
                return false;
            }
        }
        has_default || !need_default
    }

    /// Whether the statements contain a break out of the enclosing statement (an unlabelled one
    /// not inside a nested loop, switch or select, or one with `label`).
    fn breaks(&self, list: &[Stmt], label: Option<&str>, top: bool) -> bool {
        list.iter().any(|s| self.stmt_breaks(s, label, top))
    }

    fn stmt_breaks(&self, s: &Stmt, label: Option<&str>, top: bool) -> bool {
        match s {
            Stmt::Branch(b) if b.token == Token::BREAK => match b.label {
                None => top,
                Some(l) => Some(self.ident_name(l)) == label,
            },
            Stmt::Block(b) => self.breaks(&b.list, label, top),
            Stmt::If(i) => {
                self.breaks(&i.body.list, label, top)
                    || i.els
                        .as_ref()
                        .is_some_and(|e| self.stmt_breaks(e, label, top))
            }
            Stmt::Labeled(l) => self.stmt_breaks(&self.objs.l_stmts[*l].stmt, label, top),
            Stmt::Case(c) => self.breaks(&c.body, label, top),
            Stmt::Comm(c) => self.breaks(&c.body, label, top),
            Stmt::For(f) => self.breaks(&f.body.list, label, false),
            Stmt::Range(r) => self.breaks(&r.body.list, label, false),
            Stmt::Switch(sw) => self.breaks(&sw.body.list, label, false),
            Stmt::TypeSwitch(ts) => self.breaks(&ts.body.list, label, false),
            Stmt::Select(sel) => self.breaks(&sel.body.list, label, false),
            _ => false,
        }
    }
}

/// What a range loop walks over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RangeKind {
    Int,
    /// A slice or array.
    Seq,
    /// A string, through its runes, with the byte offset of the current one.
    Str {
        runes: Reg,
        off: Reg,
    },
    Map {
        keys: Reg,
    },
    Chan,
}
