//! Which local variables must live in heap cells: those a closure captures (Go closures capture by
//! reference) and those whose address is taken. Everything else stays in a register.
//!
//! go-parser resolves each identifier to the entity that declares it, as go/parser does, so a walk
//! in source order sees every local's declaration before its uses: the first sighting of an entity
//! fixes the function-literal depth it belongs to, and a sighting from a deeper literal is a capture.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use go_parser::ast::{Decl, Expr, FuncLit, IdentEntity, RangeStmt, Spec, Stmt};
use go_parser::{AstObjects, EntityKey, FieldKey, IdentKey};

/// The result: captured and address-taken locals, and what each function literal captures.
#[derive(Default, Debug)]
pub struct Escapes {
    pub captured: HashSet<EntityKey>,
    pub addr_taken: HashSet<EntityKey>,
    /// Per function literal (by address), the outer locals it captures, in first-use order.
    /// Range-over-func loops' bodies count as function literals (by the range statement's
    /// address), since they are compiled into the yield function.
    pub captures: HashMap<usize, Vec<EntityKey>>,
}

impl Escapes {
    pub fn lit_key(lit: &Rc<FuncLit>) -> usize {
        Rc::as_ptr(lit) as usize
    }

    pub fn range_key(r: &Rc<RangeStmt>) -> usize {
        Rc::as_ptr(r) as usize
    }
}

struct Walker<'a> {
    objs: &'a AstObjects,
    depth_of: HashMap<EntityKey, usize>,
    lits: Vec<(usize, usize)>,
    depth: usize,
    out: Escapes,
    /// Range statements (by address) known to range over functions.
    func_ranges: &'a HashSet<usize>,
}

/// `func_ranges`: the range statements (by address) that range over a function, whose bodies
/// become function literals; the compiler finds them (it knows the types) and asks again.
pub fn analyse(objs: &AstObjects, decls: &[Decl], func_ranges: &HashSet<usize>) -> Escapes {
    let mut w = Walker {
        func_ranges,
        objs,
        depth_of: HashMap::new(),
        lits: Vec::new(),
        depth: 0,
        out: Escapes::default(),
    };
    // Package-level names belong to depth 0: they are globals, never captured.
    for d in decls {
        match d {
            Decl::Gen(g) => {
                for s in &g.specs {
                    match &objs.specs[*s] {
                        Spec::Value(v) => v.names.iter().for_each(|n| w.declare(*n)),
                        Spec::Type(t) => w.declare(t.name),
                        Spec::Import(_) => {}
                    }
                }
            }
            Decl::Func(f) => w.declare(objs.fdecls[*f].name),
            Decl::Bad(_) => {}
        }
    }
    for d in decls {
        match d {
            Decl::Func(f) => {
                let fd = &objs.fdecls[*f];
                w.depth = 1;
                if let Some(recv) = &fd.recv {
                    w.fields(&recv.list);
                }
                let ft = &objs.ftypes[fd.typ];
                w.fields(&ft.params.list);
                if let Some(r) = &ft.results {
                    w.fields(&r.list);
                }
                if let Some(body) = &fd.body {
                    body.list.iter().for_each(|s| w.stmt(s));
                }
            }
            Decl::Gen(g) => {
                w.depth = 0;
                for s in &g.specs {
                    if let Spec::Value(v) = &objs.specs[*s] {
                        v.values.iter().for_each(|e| w.expr(e));
                    }
                }
            }
            Decl::Bad(_) => {}
        }
    }
    w.out
}

impl Walker<'_> {
    fn entity(&self, k: IdentKey) -> Option<EntityKey> {
        match self.objs.idents[k].entity {
            IdentEntity::Entity(e) => Some(e),
            _ => None,
        }
    }

    fn declare(&mut self, k: IdentKey) {
        if let Some(e) = self.entity(k) {
            self.depth_of.entry(e).or_insert(self.depth);
        }
    }

    fn fields(&mut self, list: &[FieldKey]) {
        for f in list {
            for n in &self.objs.fields[*f].names {
                self.declare(*n);
            }
        }
    }

    fn ident(&mut self, k: IdentKey) {
        let Some(e) = self.entity(k) else { return };
        let d = *self.depth_of.entry(e).or_insert(self.depth);
        if d == 0 || d >= self.depth {
            return;
        }
        self.out.captured.insert(e);
        for (lit, ld) in &self.lits {
            if *ld > d {
                let list = self.out.captures.entry(*lit).or_default();
                if !list.contains(&e) {
                    list.push(e);
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Ident(k) => self.ident(*k),
            Expr::FuncLit(lit) => {
                self.depth += 1;
                self.lits.push((Escapes::lit_key(lit), self.depth));
                let ft = &self.objs.ftypes[lit.typ];
                let (params, results) = (ft.params.list.clone(), ft.results.clone());
                self.fields(&params);
                if let Some(r) = results {
                    self.fields(&r.list);
                }
                lit.body.list.iter().for_each(|s| self.stmt(s));
                self.lits.pop();
                self.depth -= 1;
            }
            Expr::CompositeLit(c) => c.elts.iter().for_each(|e| self.expr(e)),
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::Selector(s) => self.expr(&s.expr),
            Expr::Index(i) => {
                self.expr(&i.expr);
                self.expr(&i.index);
            }
            Expr::IndexList(i) => self.expr(&i.expr),
            Expr::Slice(s) => {
                self.expr(&s.expr);
                for x in [&s.low, &s.high, &s.max].into_iter().flatten() {
                    self.expr(x);
                }
            }
            Expr::TypeAssert(t) => self.expr(&t.expr),
            Expr::Call(c) => {
                self.expr(&c.func);
                c.args.iter().for_each(|a| self.expr(a));
            }
            Expr::Star(s) => self.expr(&s.expr),
            Expr::Unary(u) => {
                if u.op == go_parser::Token::AND {
                    if let Expr::Ident(k) = &u.expr {
                        if let Some(ent) = self.entity(*k) {
                            self.out.addr_taken.insert(ent);
                        }
                    }
                }
                self.expr(&u.expr);
            }
            Expr::Binary(b) => {
                self.expr(&b.expr_a);
                self.expr(&b.expr_b);
            }
            Expr::KeyValue(kv) => {
                // A struct literal's key is a field name, not a use; a map literal's key is.
                if !matches!(kv.key, Expr::Ident(_)) {
                    self.expr(&kv.key);
                }
                self.expr(&kv.val);
            }
            _ => {}
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Decl(d) => {
                if let Decl::Gen(g) = &**d {
                    for sk in &g.specs {
                        if let Spec::Value(v) = &self.objs.specs[*sk] {
                            v.values.iter().for_each(|e| self.expr(e));
                            v.names.iter().for_each(|n| self.declare(*n));
                        }
                    }
                }
            }
            Stmt::Labeled(l) => {
                let inner = &self.objs.l_stmts[*l].stmt;
                self.stmt(inner);
            }
            Stmt::Expr(e) => self.expr(e),
            Stmt::Send(s) => {
                self.expr(&s.chan);
                self.expr(&s.val);
            }
            Stmt::IncDec(s) => self.expr(&s.expr),
            Stmt::Assign(a) => {
                let a = &self.objs.a_stmts[*a];
                a.rhs.iter().for_each(|e| self.expr(e));
                a.lhs.iter().for_each(|e| self.expr(e));
            }
            Stmt::Go(g) => self.expr(&g.call),
            Stmt::Defer(d) => self.expr(&d.call),
            Stmt::Return(r) => r.results.iter().for_each(|e| self.expr(e)),
            Stmt::Block(b) => b.list.iter().for_each(|s| self.stmt(s)),
            Stmt::If(i) => {
                if let Some(init) = &i.init {
                    self.stmt(init);
                }
                self.expr(&i.cond);
                i.body.list.iter().for_each(|s| self.stmt(s));
                if let Some(e) = &i.els {
                    self.stmt(e);
                }
            }
            Stmt::Case(c) => {
                if let Some(list) = &c.list {
                    list.iter().for_each(|e| self.expr(e));
                }
                c.body.iter().for_each(|s| self.stmt(s));
            }
            Stmt::Switch(sw) => {
                if let Some(init) = &sw.init {
                    self.stmt(init);
                }
                if let Some(t) = &sw.tag {
                    self.expr(t);
                }
                sw.body.list.iter().for_each(|s| self.stmt(s));
            }
            Stmt::TypeSwitch(ts) => {
                if let Some(init) = &ts.init {
                    self.stmt(init);
                }
                self.stmt(&ts.assign);
                for c in &ts.body.list {
                    if let Stmt::Case(c) = c {
                        c.body.iter().for_each(|s| self.stmt(s));
                    }
                }
            }
            Stmt::Comm(c) => {
                if let Some(comm) = &c.comm {
                    self.stmt(comm);
                }
                c.body.iter().for_each(|s| self.stmt(s));
            }
            Stmt::Select(sel) => sel.body.list.iter().for_each(|s| self.stmt(s)),
            Stmt::For(f) => {
                if let Some(init) = &f.init {
                    self.stmt(init);
                }
                if let Some(c) = &f.cond {
                    self.expr(c);
                }
                if let Some(p) = &f.post {
                    self.stmt(p);
                }
                f.body.list.iter().for_each(|s| self.stmt(s));
            }
            Stmt::Range(r) if self.func_ranges.contains(&Escapes::range_key(r)) => {
                self.expr(&r.expr);
                self.depth += 1;
                self.lits.push((Escapes::range_key(r), self.depth));
                for x in [&r.key, &r.val].into_iter().flatten() {
                    self.expr(x);
                }
                r.body.list.iter().for_each(|s| self.stmt(s));
                self.lits.pop();
                self.depth -= 1;
            }
            Stmt::Range(r) => {
                self.expr(&r.expr);
                for x in [&r.key, &r.val].into_iter().flatten() {
                    self.expr(x);
                }
                r.body.list.iter().for_each(|s| self.stmt(s));
            }
            _ => {}
        }
    }
}
