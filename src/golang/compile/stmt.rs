//! Statements: declarations and assignments, control flow (if, for in all its forms, switch,
//! type switch, select, labelled break and continue), go, defer and return.

use std::rc::Rc;

use go_parser::ast::{BlockStmt, Decl, Expr, Spec, Stmt};
use go_parser::{IdentKey, Token};

use super::expr::Place;
use super::{Breakable, Compiler, Operand, Storage, R};
use crate::golang::types::{IntKind, Type};
use crate::runtime::ir::{BinOp, Conv, Op, Pc, Reg, SelectCase, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    pub(super) fn block(&mut self, list: &[Stmt]) -> R<()> {
        for s in list {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn scoped_block(&mut self, b: &BlockStmt) -> R<()> {
        self.push_scope();
        self.block(&b.list)?;
        self.pop_scope()
    }

    pub(super) fn stmt(&mut self, s: &Stmt) -> R<()> {
        use go_parser::ast::Node;
        let p = s.pos(self.objs);
        self.at(p);
        match s {
            Stmt::Empty(_) => Ok(()),
            Stmt::Bad(_) => Err(self.err(p, "invalid statement")),
            Stmt::Block(b) => self.scoped_block(b),
            Stmt::Expr(e) => self.expr_stmt(e),
            Stmt::Decl(d) => self.local_decl(d),
            Stmt::Labeled(l) => {
                let ls = &self.objs.l_stmts[*l];
                let name = self.ident_name(ls.label).to_string();
                self.f().pending_label = Some(name);
                let inner = ls.stmt.clone();
                let r = self.stmt(&inner);
                self.f().pending_label = None;
                r
            }
            Stmt::Send(snd) => {
                let (ch, ct) = self.rvalue(&snd.chan)?;
                let Type::Chan(dir, elem) = ct.underlying() else {
                    return Err(self.err(p, format!("invalid operation: cannot send to non-channel {} (variable of type {ct})", self.text(&snd.chan))));
                };
                if dir == ChanDir::Recv {
                    return Err(self.err(p, format!("invalid operation: cannot send to receive-only channel {} (variable of type {ct})", self.text(&snd.chan))));
                }
                let v = self.value(&snd.val, &elem)?;
                self.at(p);
                self.emit(Op::Send { ch, val: v });
                Ok(())
            }
            Stmt::IncDec(s) => {
                let (place, ty) = self.place(&s.expr)?;
                if !ty.is_numeric() {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid operation: {}{} (non-numeric type {ty})",
                            self.text(&s.expr),
                            s.token.text()
                        ),
                    ));
                }
                let cur = self.load(p, &place)?;
                let one = self.konst(
                    p,
                    if ty.is_float() {
                        Value::Float(1.0)
                    } else {
                        Value::Int(1)
                    },
                )?;
                let dst = self.reg(p)?;
                let op = if s.token == Token::INC {
                    BinOp::Add
                } else {
                    BinOp::Sub
                };
                self.emit(Op::Bin {
                    op,
                    dst,
                    a: cur,
                    b: one,
                });
                self.wrap_int(p, dst, &ty);
                self.store(p, &place, dst)
            }
            Stmt::Assign(a) => self.assign(*a),
            Stmt::Go(g) => self.go_or_defer(p, &g.call, true),
            Stmt::Defer(d) => self.go_or_defer(p, &d.call, false),
            Stmt::Return(r) => self.return_stmt(p, &r.results),
            Stmt::Branch(b) => self.branch(p, &b.token, b.label),
            Stmt::If(i) => {
                self.push_scope();
                if let Some(init) = &i.init {
                    self.stmt(init)?;
                }
                let cond = self.bool_value(&i.cond)?;
                let skip = self.emit(Op::JumpIfNot { cond, to: 0 });
                self.scoped_block(&i.body)?;
                match &i.els {
                    Some(els) => {
                        let over = self.emit(Op::Jump { to: 0 });
                        let at = self.here();
                        self.patch(skip, at);
                        self.stmt(els)?;
                        let end = self.here();
                        self.patch(over, end);
                    }
                    None => {
                        let end = self.here();
                        self.patch(skip, end);
                    }
                }
                self.pop_scope()
            }
            Stmt::For(f) => {
                self.push_scope();
                if let Some(init) = &f.init {
                    self.stmt(init)?;
                }
                // Go 1.22: each iteration has its own copy of a variable declared in the init
                // statement; only visible when a closure captured it (it lives in a cell).
                let loop_vars: Vec<Reg> = self
                    .f()
                    .scopes
                    .last()
                    .map(|s| {
                        s.iter()
                            .filter_map(|l| match l.storage {
                                Storage::Cell(c) => Some(c),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let top = self.here();
                let exit = match &f.cond {
                    Some(c) => {
                        let cond = self.bool_value(c)?;
                        Some(self.emit(Op::JumpIfNot { cond, to: 0 }))
                    }
                    None => None,
                };
                self.open_breakable(true);
                self.scoped_block(&f.body)?;
                let cont = self.here();
                for c in &loop_vars {
                    let v = self.reg(p)?;
                    self.emit(Op::Load { dst: v, ptr: *c });
                    self.emit(Op::NewCell { dst: *c, init: v });
                }
                if let Some(post) = &f.post {
                    self.stmt(post)?;
                }
                self.emit(Op::Jump { to: top });
                let end = self.here();
                if let Some(x) = exit {
                    self.patch(x, end);
                }
                self.close_breakable(end, cont);
                self.pop_scope()
            }
            Stmt::Range(r) => self.range(p, r),
            Stmt::Switch(sw) => self.switch(p, sw),
            Stmt::TypeSwitch(ts) => self.type_switch(p, ts),
            Stmt::Select(sel) => self.select(p, sel),
            Stmt::Case(_) | Stmt::Comm(_) => Err(self.err(p, "case outside switch or select")),
        }
    }

    fn open_breakable(&mut self, is_loop: bool) {
        let label = self.f().pending_label.take();
        self.f().breakables.push(Breakable {
            label,
            is_loop,
            breaks: Vec::new(),
            continues: Vec::new(),
        });
    }

    fn close_breakable(&mut self, end: Pc, cont: Pc) {
        if let Some(b) = self.f().breakables.pop() {
            for at in b.breaks {
                self.patch(at, end);
            }
            for at in b.continues {
                self.patch(at, cont);
            }
        }
    }

    fn branch(&mut self, p: usize, tok: &Token, label: Option<IdentKey>) -> R<()> {
        let label = label.map(|l| self.ident_name(l).to_string());
        let is_break = *tok == Token::BREAK;
        if !is_break && *tok != Token::CONTINUE {
            return Err(self.unsupported(p, &tok.text().to_lowercase()));
        }
        let found = self.f().breakables.iter().rposition(|b| match &label {
            Some(l) => b.label.as_deref() == Some(l.as_str()),
            None => is_break || b.is_loop,
        });
        let Some(i) = found else {
            return Err(match (label, is_break) {
                (Some(l), _) => self.err(
                    p,
                    format!(
                        "invalid {} label {l}",
                        if is_break { "break" } else { "continue" }
                    ),
                ),
                (None, true) => self.err(p, "break is not in a loop, switch, or select"),
                (None, false) => self.err(p, "continue is not in a loop"),
            });
        };
        if !is_break && !self.f().breakables[i].is_loop {
            return Err(self.err(p, "invalid continue label"));
        }
        let at = self.emit(Op::Jump { to: 0 });
        let b = &mut self.f().breakables[i];
        if is_break {
            b.breaks.push(at);
        } else {
            b.continues.push(at);
        }
        Ok(())
    }

    fn expr_stmt(&mut self, e: &Expr) -> R<()> {
        let p = self.expr_pos(e);
        match e {
            Expr::Call(c) => {
                self.call(c, None)?;
                Ok(())
            }
            Expr::Unary(u) if u.op == Token::ARROW => {
                let (ch, ct) = self.rvalue(&u.expr)?;
                if !matches!(ct.underlying(), Type::Chan(..)) {
                    return Err(self.err(
                        p,
                        format!(
                            "invalid operation: cannot receive from non-channel {}",
                            self.text(&u.expr)
                        ),
                    ));
                }
                self.at(p);
                self.emit(Op::Recv {
                    ch,
                    dst: None,
                    ok: None,
                });
                Ok(())
            }
            Expr::Paren(x) => self.expr_stmt(&x.expr),
            _ => Err(self.err(p, format!("{} (value) is not used", self.text(e)))),
        }
    }

    fn local_decl(&mut self, d: &Decl) -> R<()> {
        let Decl::Gen(g) = d else {
            return Err(self.unsupported(0, "a nested function declaration"));
        };
        match g.token {
            Token::VAR => {
                for s in &g.specs {
                    let Spec::Value(v) = &self.objs.specs[*s] else {
                        continue;
                    };
                    let v = Rc::clone(v);
                    let ty = match &v.typ {
                        Some(t) => Some(self.type_expr(t)?),
                        None => None,
                    };
                    let pos = self.objs.idents[v.names[0]].pos;
                    let vals = self.spec_values(pos, &v.names, ty.as_ref(), &v.values)?;
                    for (n, (r, t)) in v.names.iter().zip(vals) {
                        self.new_var(*n, t, r)?;
                    }
                }
                Ok(())
            }
            Token::CONST => {
                let consts = self.const_decl(g)?;
                for (name, c) in consts {
                    let ty = c.ty.clone();
                    self.declare_local(&name, Storage::Const(c), ty, None);
                }
                Ok(())
            }
            Token::TYPE => Err(self.unsupported(
                g.token_pos,
                "a type declaration inside a function (declare it at package level)",
            )),
            _ => Err(self.err(g.token_pos, "unexpected declaration")),
        }
    }

    /// The values of `var a, b T = x, y` (zero values when there are none).
    pub(super) fn spec_values(
        &mut self,
        pos: usize,
        names: &[IdentKey],
        ty: Option<&Type>,
        values: &[Expr],
    ) -> R<Vec<(Reg, Type)>> {
        self.with_ctx("variable declaration", |c| {
            c.spec_values_in(pos, names, ty, values)
        })
    }

    fn spec_values_in(
        &mut self,
        pos: usize,
        names: &[IdentKey],
        ty: Option<&Type>,
        values: &[Expr],
    ) -> R<Vec<(Reg, Type)>> {
        let mut out = Vec::new();
        if values.is_empty() {
            let Some(t) = ty else {
                return Err(self.err(pos, "missing type or init expr"));
            };
            for _ in names {
                let z = self.zero(pos, t)?;
                out.push((z, t.clone()));
            }
            return Ok(out);
        }
        if values.len() == 1 && names.len() > 1 {
            let (tuple, types) = self.multi_value(&values[0], names.len())?;
            for (i, t) in types.into_iter().enumerate() {
                let r = self.tuple_part(pos, tuple, i)?;
                let t = match ty {
                    Some(want) => {
                        let r2 = self.coerce(pos, Operand::Val(r, t), want, None)?;
                        out.push((r2, want.clone()));
                        continue;
                    }
                    None => t,
                };
                out.push((r, t));
            }
            return Ok(out);
        }
        if values.len() != names.len() {
            return Err(self.err(
                pos,
                format!(
                    "assignment mismatch: {} variable{} but {} value{}",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    values.len(),
                    if values.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        for e in values {
            match ty {
                Some(t) => {
                    let r = self.value(e, t)?;
                    out.push((r, t.clone()));
                }
                None => out.push(self.owned_value(e)?),
            }
        }
        Ok(out)
    }

    /// A call (or comma-ok form) producing `n` values: the tuple register and the types.
    pub(super) fn multi_value(&mut self, e: &Expr, n: usize) -> R<(Reg, Vec<Type>)> {
        let p = self.expr_pos(e);
        // The comma-ok forms: v, ok := m[k] / <-ch / x.(T).
        if n == 2 {
            let inner = match e {
                Expr::Paren(x) => &x.expr,
                other => other,
            };
            match inner {
                Expr::Index(ix) => {
                    let (base, bt) = self.rvalue(&ix.expr)?;
                    if let Type::Map(k, v) = bt.underlying() {
                        let key = self.value(&ix.index, &k)?;
                        let (dst, ok) = (self.reg(p)?, self.reg(p)?);
                        self.emit(Op::MapLookup {
                            dst,
                            ok,
                            m: base,
                            key,
                        });
                        let t = self.reg(p)?;
                        self.emit(Op::Tuple {
                            dst: t,
                            vals: vec![dst, ok],
                        });
                        return Ok((t, vec![(*v).clone(), Type::Bool]));
                    }
                }
                Expr::Unary(u) if u.op == Token::ARROW => {
                    let (ch, ct) = self.rvalue(&u.expr)?;
                    let Type::Chan(_, elem) = ct.underlying() else {
                        return Err(self.err(p, "receive from non-channel"));
                    };
                    self.at(p);
                    let (dst, ok) = (self.reg(p)?, self.reg(p)?);
                    self.emit(Op::Recv {
                        ch,
                        dst: Some(dst),
                        ok: Some(ok),
                    });
                    let t = self.reg(p)?;
                    self.emit(Op::Tuple {
                        dst: t,
                        vals: vec![dst, ok],
                    });
                    return Ok((t, vec![(*elem).clone(), Type::Bool]));
                }
                Expr::TypeAssert(ta) if ta.typ.is_some() => {
                    let (src, _) = self.rvalue(&ta.expr)?;
                    let ty = self.type_expr(ta.typ.as_ref().expect("checked"))?;
                    let (dst, ok) = (self.reg(p)?, self.reg(p)?);
                    self.emit(Op::Unbox {
                        dst,
                        ok: Some(ok),
                        src,
                        ty: Rc::new(ty.rtype()),
                    });
                    let t = self.reg(p)?;
                    self.emit(Op::Tuple {
                        dst: t,
                        vals: vec![dst, ok],
                    });
                    return Ok((t, vec![ty, Type::Bool]));
                }
                _ => {}
            }
        }
        let op = self.expr(e, None)?;
        match op {
            Operand::Val(r, Type::Tuple(ts)) if ts.len() == n => Ok((r, ts.to_vec())),
            other => {
                let got = match other.ty() {
                    Type::Tuple(ts) => ts.len(),
                    _ => 1,
                };
                Err(self.err(
                    p,
                    format!(
                        "assignment mismatch: {n} variables but {} returns {got} value{}",
                        self.callee_text(e),
                        if got == 1 { "" } else { "s" }
                    ),
                ))
            }
        }
    }

    pub(super) fn tuple_part(&mut self, p: usize, tuple: Reg, i: usize) -> R<Reg> {
        let dst = self.reg(p)?;
        self.emit(Op::TupleGet {
            dst,
            src: tuple,
            index: i as u16,
        });
        Ok(dst)
    }

    fn assign(&mut self, a: go_parser::AssignStmtKey) -> R<()> {
        self.with_ctx("assignment", |c| c.assign_in(a))
    }

    fn assign_in(&mut self, a: go_parser::AssignStmtKey) -> R<()> {
        let st = &self.objs.a_stmts[a];
        let p = st.token_pos;
        let (lhs, rhs, tok) = (st.lhs.clone(), st.rhs.clone(), st.token.clone());
        match tok {
            Token::DEFINE => {
                let idents: Vec<IdentKey> = lhs
                    .iter()
                    .map(|e| match e {
                        Expr::Ident(k) => Ok(*k),
                        other => Err(self.err(
                            self.expr_pos(other),
                            format!("non-name {} on left side of :=", self.text(other)),
                        )),
                    })
                    .collect::<R<_>>()?;
                // At least one new variable; the others are assigned.
                let current: Vec<String> = self
                    .f()
                    .scopes
                    .last()
                    .map(|s| s.iter().map(|l| l.name.clone()).collect())
                    .unwrap_or_default();
                let fresh: Vec<bool> = idents
                    .iter()
                    .map(|k| {
                        let n = self.ident_name(*k);
                        n != "_" && !current.iter().any(|c| c == n)
                    })
                    .collect();
                if !fresh.iter().any(|f| *f) {
                    let last = idents[idents.len() - 1];
                    let at = self.objs.idents[last].pos + self.ident_name(last).chars().count() + 1;
                    return Err(self.err(at, "no new variables on left side of :="));
                }
                let vals: Vec<(Reg, Type)> = if rhs.len() == 1 && idents.len() > 1 {
                    let (tuple, types) = self.multi_value(&rhs[0], idents.len())?;
                    let mut v = Vec::new();
                    for (i, t) in types.into_iter().enumerate() {
                        v.push((self.tuple_part(p, tuple, i)?, t));
                    }
                    v
                } else {
                    if rhs.len() != idents.len() {
                        return Err(self.err(
                            p,
                            format!(
                                "assignment mismatch: {} variable{} but {} value{}",
                                idents.len(),
                                if idents.len() == 1 { "" } else { "s" },
                                rhs.len(),
                                if rhs.len() == 1 { "" } else { "s" }
                            ),
                        ));
                    }
                    let mut v = Vec::new();
                    for e in &rhs {
                        v.push(self.owned_value(e)?);
                    }
                    v
                };
                for ((k, (r, t)), is_new) in idents.iter().zip(vals).zip(fresh) {
                    if is_new {
                        self.new_var(*k, t, r)?;
                    } else if self.ident_name(*k) != "_" {
                        let (place, pt) = self.place(&Expr::Ident(*k))?;
                        let r = self.coerce(p, Operand::Val(r, t), &pt, None)?;
                        self.store(p, &place, r)?;
                    }
                }
                Ok(())
            }
            Token::ASSIGN => {
                if rhs.len() == 1 && lhs.len() > 1 {
                    let (tuple, types) = self.multi_value(&rhs[0], lhs.len())?;
                    let mut places = Vec::new();
                    for e in &lhs {
                        places.push(self.place(e)?);
                    }
                    for (i, ((place, pt), t)) in places.iter().zip(types).enumerate() {
                        let r = self.tuple_part(p, tuple, i)?;
                        let r = if matches!(place, Place::Blank) {
                            r
                        } else {
                            self.coerce(p, Operand::Val(r, t), pt, None)?
                        };
                        self.store(p, place, r)?;
                    }
                    return Ok(());
                }
                if rhs.len() != lhs.len() {
                    return Err(self.err(
                        p,
                        format!(
                            "assignment mismatch: {} variables but {} values",
                            lhs.len(),
                            rhs.len()
                        ),
                    ));
                }
                // All right-hand sides first (a, b = b, a swaps).
                let mut places = Vec::new();
                for e in &lhs {
                    places.push(self.place(e)?);
                }
                let mut vals = Vec::new();
                for (e, (place, pt)) in rhs.iter().zip(&places) {
                    let v = if matches!(place, Place::Blank) {
                        self.rvalue(e)?.0
                    } else {
                        self.value(e, pt)?
                    };
                    let tmp = self.reg(p)?;
                    self.emit(Op::Move { dst: tmp, src: v });
                    vals.push(tmp);
                }
                for ((place, _), v) in places.iter().zip(vals) {
                    self.store(p, place, v)?;
                }
                Ok(())
            }
            op => {
                // x op= y
                let bin = match op {
                    Token::ADD_ASSIGN => Token::ADD,
                    Token::SUB_ASSIGN => Token::SUB,
                    Token::MUL_ASSIGN => Token::MUL,
                    Token::QUO_ASSIGN => Token::QUO,
                    Token::REM_ASSIGN => Token::REM,
                    Token::AND_ASSIGN => Token::AND,
                    Token::OR_ASSIGN => Token::OR,
                    Token::XOR_ASSIGN => Token::XOR,
                    Token::SHL_ASSIGN => Token::SHL,
                    Token::SHR_ASSIGN => Token::SHR,
                    Token::AND_NOT_ASSIGN => Token::AND_NOT,
                    _ => return Err(self.err(p, format!("unexpected {}", op.text()))),
                };
                if lhs.len() != 1 || rhs.len() != 1 {
                    return Err(self.err(
                        p,
                        format!(
                            "assignment operation {} requires single-valued expressions",
                            op.text()
                        ),
                    ));
                }
                let (place, ty) = self.place(&lhs[0])?;
                let cur = self.load(p, &place)?;
                let result =
                    self.binary_on(p, &bin, Operand::Val(cur, ty.clone()), &rhs[0], &lhs[0])?;
                let r = self.coerce(p, result, &ty, None)?;
                self.store(p, &place, r)
            }
        }
    }

    /// `cur op e` where `cur` is already evaluated (for `x op= e`).
    fn binary_on(
        &mut self,
        p: usize,
        op: &Token,
        cur: Operand,
        e: &Expr,
        lhs: &Expr,
    ) -> R<Operand> {
        let ty = cur.ty();
        let Operand::Val(ra, _) = cur else {
            unreachable!()
        };
        let shift = matches!(op, Token::SHL | Token::SHR);
        let rb = if shift {
            self.int_value(e)?
        } else {
            self.value(e, &ty)?
        };
        let u = ty.underlying();
        let bin = match op {
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
            _ => {
                return Err(self.err(
                    p,
                    format!(
                        "invalid operation: operator {} not defined on {} (variable of type {ty})",
                        op.text(),
                        self.text(lhs)
                    ),
                ))
            }
        };
        let dst = self.reg(p)?;
        self.at(p);
        self.emit(Op::Bin {
            op: bin,
            dst,
            a: ra,
            b: rb,
        });
        self.wrap_int(p, dst, &ty);
        Ok(Operand::Val(dst, ty))
    }

    fn return_stmt(&mut self, p: usize, results: &[Expr]) -> R<()> {
        self.with_ctx("return statement", |c| c.return_in(p, results))
    }

    fn return_in(&mut self, p: usize, results: &[Expr]) -> R<()> {
        let want = self.f().results.clone();
        if results.is_empty() {
            if !want.is_empty() && self.f().named_results.is_empty() {
                return Err(self.err(p, "not enough return values\n\thave ()"));
            }
            return self.return_named(p);
        }
        let vals: Vec<Reg> = if results.len() == 1 && want.len() > 1 {
            let (tuple, types) = self.multi_value(&results[0], want.len())?;
            let mut v = Vec::new();
            for (i, (t, w)) in types.into_iter().zip(&want).enumerate() {
                let r = self.tuple_part(p, tuple, i)?;
                v.push(self.coerce(p, Operand::Val(r, t), w, None)?);
            }
            v
        } else {
            if results.len() != want.len() {
                return Err(self.err(
                    p,
                    format!(
                        "{} return values\n\thave ({} values)\n\twant ({})",
                        if results.len() > want.len() {
                            "too many"
                        } else {
                            "not enough"
                        },
                        results.len(),
                        want.iter()
                            .map(|t| t.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let mut v = Vec::new();
            for (e, w) in results.iter().zip(&want) {
                v.push(self.value(e, w)?);
            }
            v
        };
        self.at(p);
        let names = self.f().named_results.clone();
        if names.len() == vals.len() && !names.is_empty() {
            // Assign the named results (through temporaries: `return b, a` swaps); the runtime
            // reads them after the deferred calls.
            let mut temps = Vec::with_capacity(vals.len());
            for v in vals {
                let t = self.reg(p)?;
                self.emit(Op::Move { dst: t, src: v });
                temps.push(t);
            }
            for (n, v) in names.iter().zip(temps) {
                if let Some((storage, _)) = self.lookup(n) {
                    let place = match storage {
                        Storage::Reg(r) => Place::Reg(r),
                        Storage::Cell(c) => Place::Cell(c),
                        _ => continue,
                    };
                    self.store(p, &place, v)?;
                }
            }
            return self.return_named(p);
        }
        self.emit_return(p, vals)
    }

    fn emit_return(&mut self, p: usize, vals: Vec<Reg>) -> R<()> {
        match vals.len() {
            0 => {
                self.emit(Op::Return { val: None });
            }
            1 => {
                self.emit(Op::Return { val: Some(vals[0]) });
            }
            _ => {
                let dst = self.reg(p)?;
                self.emit(Op::Tuple { dst, vals });
                self.emit(Op::Return { val: Some(dst) });
            }
        }
        Ok(())
    }

    /// A bare return: the named results' current values.
    pub(super) fn return_named(&mut self, p: usize) -> R<()> {
        let names = self.f().named_results.clone();
        let mut vals = Vec::new();
        for n in &names {
            let Some((storage, _)) = self.lookup(n) else {
                continue;
            };
            vals.push(match storage {
                Storage::Reg(r) => r,
                Storage::Cell(c) => {
                    let dst = self.reg(p)?;
                    self.emit(Op::Load { dst, ptr: c });
                    dst
                }
                _ => continue,
            });
        }
        self.emit_return(p, vals)
    }

    fn range(&mut self, p: usize, r: &go_parser::ast::RangeStmt) -> R<()> {
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
            Type::Func(_) => return Err(self.unsupported(p, "range over a function")),
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

    fn range_var(&mut self, p: usize, e: &Expr, define: bool, val: Reg, ty: &Type) -> R<()> {
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

    fn switch(&mut self, p: usize, sw: &go_parser::ast::SwitchStmt) -> R<()> {
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

    fn type_switch(&mut self, p: usize, ts: &go_parser::ast::TypeSwitchStmt) -> R<()> {
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
                let name = self.ident_name(k).to_string();
                if self.var_used_later(&c.body, &name) {
                    bind_used = true;
                }
                self.mark_used(&name);
            }
            self.block(&c.body)?;
            self.pop_scope()?;
            ends.push(self.emit(Op::Jump { to: 0 }));
            let after = self.here();
            self.patch(next, after);
        }
        if let Some(c) = default_body {
            self.push_scope();
            if let Some(k) = bind {
                self.new_var(k, st.clone(), src)?;
                let name = self.ident_name(k).to_string();
                if self.var_used_later(&c.body, &name) {
                    bind_used = true;
                }
                self.mark_used(&name);
            }
            self.block(&c.body)?;
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

    /// Whether `name` appears in the statements (an approximation of "used" for type switches).
    fn var_used_later(&self, body: &[Stmt], name: &str) -> bool {
        let _ = body;
        self.objs.idents.iter().any(|i| i.name == name)
    }

    fn select(&mut self, p: usize, sel: &go_parser::ast::SelectStmt) -> R<()> {
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

    /// `go f(x)` and `defer f(x)`: the function value and arguments are evaluated now. Calls of
    /// library functions and methods go through a small generated function.
    fn go_or_defer(&mut self, p: usize, call: &Expr, is_go: bool) -> R<()> {
        let Expr::Call(c) = call else {
            return Err(self.err(
                p,
                format!(
                    "expression in {} must be function call",
                    if is_go { "go" } else { "defer" }
                ),
            ));
        };
        let (callee, args) = self.deferred_call(c)?;
        self.at(p);
        if is_go {
            self.emit(Op::Go { func: callee, args });
        } else {
            self.emit(Op::Defer { func: callee, args });
        }
        Ok(())
    }

    /// A unit loop `for i := 0; i < n; i++` over registers (for generated code).
    pub(super) fn counted_loop(
        &mut self,
        p: usize,
        n: Reg,
        body: impl FnOnce(&mut Self, Reg) -> R<()>,
    ) -> R<()> {
        let i = self.konst(p, Value::Int(0))?;
        let top = self.here();
        let cond = self.reg(p)?;
        self.emit(Op::Bin {
            op: BinOp::Lt,
            dst: cond,
            a: i,
            b: n,
        });
        let exit = self.emit(Op::JumpIfNot { cond, to: 0 });
        body(self, i)?;
        let one = self.konst(p, Value::Int(1))?;
        self.emit(Op::Bin {
            op: BinOp::Add,
            dst: i,
            a: i,
            b: one,
        });
        self.emit(Op::Jump { to: top });
        let end = self.here();
        self.patch(exit, end);
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
