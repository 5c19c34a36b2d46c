//! Statements: declarations and assignments, control flow (if, for in all its forms, switch,
//! type switch, select, labelled break and continue), go, defer and return.

use std::rc::Rc;

use go_parser::ast::{BlockStmt, Decl, Expr, Spec, Stmt};
use go_parser::{IdentKey, Token};

use super::places::Place;
use super::{Breakable, Compiler, Operand, Storage, R};
use crate::golang::types::Type;
use crate::runtime::ir::{BinOp, Op, Pc, Reg, Value};
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
                let here = self.here();
                self.f().labels.insert(name.clone(), here);
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
                    return Err(self.err(p, format!("invalid operation: cannot send to receive-only channel {ct} {} (variable of type {ct})", self.text(&snd.chan))));
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

    pub(super) fn open_breakable(&mut self, is_loop: bool) {
        let label = self.f().pending_label.take();
        self.f().breakables.push(Breakable {
            label,
            is_loop,
            breaks: Vec::new(),
            continues: Vec::new(),
        });
    }

    pub(super) fn close_breakable(&mut self, end: Pc, cont: Pc) {
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
        if *tok == Token::GOTO {
            let Some(l) = label else {
                return Err(self.err(p, "syntax error: missing label after goto"));
            };
            let at = self.emit(Op::Jump { to: 0 });
            self.f().gotos.push((l, at, p));
            return Ok(());
        }
        if !is_break && *tok != Token::CONTINUE {
            return Err(self.unsupported(p, &tok.text().to_lowercase()));
        }
        let found = self.f().breakables.iter().rposition(|b| match &label {
            Some(l) => b.label.as_deref() == Some(l.as_str()),
            None => is_break || b.is_loop,
        });
        let Some(i) = found else {
            if self.yield_branch(p, is_break, label.as_deref())? {
                return Ok(());
            }
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
                self.const_decl(g, false)?;
                Ok(())
            }
            Token::TYPE => {
                for s in &g.specs {
                    let Spec::Type(t) = &self.objs.specs[*s] else {
                        continue;
                    };
                    let t = Rc::clone(t);
                    let name = self.ident_name(t.name).to_string();
                    let pos = self.objs.idents[t.name].pos;
                    if t.type_params.is_some() {
                        return Err(
                            self.err(pos, "generic type cannot be declared inside a function")
                        );
                    }
                    if t.assign != 0 {
                        let ty = self.type_expr(&t.typ)?;
                        self.declare_local(&name, Storage::Type(ty.clone()), ty, None);
                        continue;
                    }
                    // Declared before its type is resolved, so it may refer to itself.
                    let named = self.new_named(
                        &format!("main.{name}"),
                        Type::Struct(Rc::new(crate::golang::types::StructDef { fields: vec![] })),
                    );
                    let ty = Type::Named(Rc::clone(&named));
                    self.declare_local(&name, Storage::Type(ty.clone()), ty, None);
                    let under = self.type_expr(&t.typ)?;
                    *named.underlying.borrow_mut() = under.underlying();
                    self.local_types.push(named);
                }
                Ok(())
            }
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
                        let key = self.map_key(p, key, &k)?;
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
        let bin = match super::operators::arith_op(op, &u) {
            Some(b) => b,
            None => {
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
        let want = self.outer_results();
        let in_yield = self.f().yield_ctx.is_some();
        if results.is_empty() {
            if in_yield {
                if !want.is_empty() {
                    return Err(self.unsupported(
                        p,
                        "a bare return of named results inside a range-over-func loop",
                    ));
                }
                return self.yield_return(p, vec![]);
            }
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
        if in_yield {
            return self.yield_return(p, vals);
        }
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
