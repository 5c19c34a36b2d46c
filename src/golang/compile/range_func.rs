//! Range over functions (Go 1.23): `for k, v := range seq { body }` calls `seq` with a yield
//! function compiled from the body, as Go's compiler rewrites it (rangefunc/rewrite.go).
//!
//! The body becomes a closure over the loop's outer variables (escape analysis treats the body as
//! a function literal) and two cells of the enclosing function: the loop's state and, for a
//! `return` inside the body, the values to return. `continue` returns true from the yield
//! function; `break` records the exit and returns false; `return` stores its values, records the
//! exit and returns false, and after `seq` returns the enclosing function returns them. A yield
//! called again after the loop has ended is Go's runtime error.

use std::rc::Rc;

use go_parser::ast::RangeStmt;

use super::{Compiler, R};
use crate::golang::escape::Escapes;
use crate::golang::types::{Sig, Type};
use crate::runtime::ir::{BinOp, Callee, Op, Reg, Value};

/// The loop's state, in a cell both sides share.
const RUNNING: i64 = 0;
const BROKE: i64 = 1;
const RETURNED: i64 = 2;
const DONE: i64 = 3;

/// What a yield function needs to compile `break`, `continue` and `return` in the loop body.
#[derive(Clone, Debug)]
pub(super) struct YieldCtx {
    /// The loop's label, for `break L` and `continue L`.
    pub label: Option<String>,
    /// Registers (in the yield function) holding the state and return-value cells.
    pub state: Reg,
    pub ret: Reg,
    /// The enclosing function's results (what `return` in the body returns).
    pub results: Vec<Type>,
}

impl Compiler<'_> {
    /// The results a `return` here returns: the enclosing real function's.
    pub(super) fn outer_results(&mut self) -> Vec<Type> {
        match &self.f().yield_ctx {
            Some(y) => y.results.clone(),
            None => self.f().results.clone(),
        }
    }

    /// How Go's compiler describes the range expression: "value of type func(yield ...)" for a
    /// function declared by name (with its parameter names), "variable of type ..." for a variable.
    fn range_operand_text(&mut self, r: &RangeStmt, ct: &Type) -> String {
        if let go_parser::ast::Expr::Ident(k) = &r.expr {
            let name = self.ident_name(*k).to_string();
            match self.lookup(&name) {
                Some((super::Storage::Func(..), _)) => {
                    let decl = self
                        .objs
                        .fdecls
                        .iter()
                        .find(|fd| fd.recv.is_none() && self.ident_name(fd.name) == name);
                    if let Some(fd) = decl {
                        return format!("{name} (value of type {})", self.func_type_text(fd.typ));
                    }
                }
                Some((super::Storage::Const(_) | super::Storage::Type(_), _)) | None => {}
                Some(_) => return format!("{name} (variable of type {ct})"),
            }
        }
        format!("{} (value of type {ct})", self.text(&r.expr))
    }

    /// Checks a range-over-func's function type: `func(yield func(K, V) bool)` with 0-2 values.
    fn yield_types(&mut self, r: &RangeStmt, ct: &Type, sig: &Sig) -> R<Vec<Type>> {
        let p = self.expr_pos(&r.expr);
        let what = self.range_operand_text(r, ct);
        let bad = |c: &Self, why: &str| {
            c.err(
                p,
                format!("cannot range over {what}: func must be func(yield func(...) bool): {why}"),
            )
        };
        if sig.params.len() != 1 {
            return Err(bad(self, "wrong argument count"));
        }
        if !sig.results.is_empty() {
            return Err(bad(self, "unexpected results"));
        }
        let Type::Func(y) = sig.params[0].underlying() else {
            return Err(bad(self, "argument is not func"));
        };
        if y.params.len() > 2 {
            return Err(bad(self, "yield func has too many parameters"));
        }
        if y.results.len() != 1 || y.results[0].underlying() != Type::Bool {
            return Err(bad(self, "yield func does not return bool"));
        }
        let vars: Vec<&go_parser::ast::Expr> = [&r.key, &r.val].into_iter().flatten().collect();
        if let Some(extra) = vars.get(y.params.len()) {
            let at = self.expr_pos(extra);
            let permits = match y.params.len() {
                0 => "no iteration variables",
                1 => "only one iteration variable",
                _ => "at most two iteration variables",
            };
            return Err(self.err(at, format!("range over {what} permits {permits}")));
        }
        Ok(y.params.clone())
    }

    /// A function type as Go spells it in messages, parameter names included.
    pub(super) fn func_type_text(&self, ft: go_parser::FuncTypeKey) -> String {
        let t = &self.objs.ftypes[ft];
        let list = |c: &Self, l: &go_parser::ast::FieldList| -> Vec<String> {
            l.list
                .iter()
                .map(|fk| {
                    let f = &c.objs.fields[*fk];
                    let ty = c.type_text(&f.typ);
                    if f.names.is_empty() {
                        ty
                    } else {
                        let names: Vec<&str> = f.names.iter().map(|n| c.ident_name(*n)).collect();
                        format!("{} {ty}", names.join(", "))
                    }
                })
                .collect()
        };
        let params = list(self, &t.params).join(", ");
        let results = match &t.results {
            None => String::new(),
            Some(r) => {
                let rs = list(self, r);
                let named = r
                    .list
                    .iter()
                    .any(|f| !self.objs.fields[*f].names.is_empty());
                if rs.len() == 1 && !named {
                    format!(" {}", rs[0])
                } else {
                    format!(" ({})", rs.join(", "))
                }
            }
        };
        format!("func({params}){results}")
    }

    /// A type expression as written (for messages).
    fn type_text(&self, e: &go_parser::ast::Expr) -> String {
        use go_parser::ast::{ChanDir as D, Expr as E};
        match e {
            E::Func(ft) => self.func_type_text(*ft),
            E::Array(a) => match &a.len {
                None => format!("[]{}", self.type_text(&a.elt)),
                Some(l) => format!("[{}]{}", self.text(l), self.type_text(&a.elt)),
            },
            E::Map(m) => format!("map[{}]{}", self.type_text(&m.key), self.type_text(&m.val)),
            E::Chan(c) => match c.dir {
                D::SendRecv => format!("chan {}", self.type_text(&c.val)),
                D::Send => format!("chan<- {}", self.type_text(&c.val)),
                D::Recv => format!("<-chan {}", self.type_text(&c.val)),
            },
            E::Star(x) => format!("*{}", self.type_text(&x.expr)),
            E::Ellipsis(x) => match &x.elt {
                Some(t) => format!("...{}", self.type_text(t)),
                None => "...".into(),
            },
            other => self.text(other),
        }
    }

    /// Compiles `for ... range f` with `f` (in `coll`) of type `ct`.
    pub(super) fn range_func(
        &mut self,
        p: usize,
        r: &Rc<RangeStmt>,
        coll: Reg,
        ct: &Type,
        sig: &Sig,
    ) -> R<()> {
        let kinds = self.yield_types(r, ct, sig)?;
        let key = Escapes::range_key(r);
        if !self.func_ranges.contains(&key) {
            self.retry_range = Some(key);
            return Err(self.err(p, "range over a function: compiling again"));
        }
        let label = self.f().pending_label.take();
        let results = self.outer_results();
        // The shared cells.
        let zero = self.konst(p, Value::Int(RUNNING))?;
        let state = self.reg(p)?;
        self.emit(Op::NewCell {
            dst: state,
            init: zero,
        });
        let nil = self.konst(p, Value::Nil)?;
        let ret = self.reg(p)?;
        self.emit(Op::NewCell {
            dst: ret,
            init: nil,
        });
        // The outer variables the body uses, as for a function literal.
        let (outer, mut cells, fixed) = self.closure_captures(p, key)?;
        cells.push(state);
        cells.push(ret);
        // The yield function: captured cells, the two cells, then the iteration values.
        let parent = self.f().name.clone();
        let n = self.lit_count.entry(format!("{parent}-range")).or_insert(0);
        *n += 1;
        let name = format!("{parent}-range{n}");
        let id = self.declare_func(&name);
        let mut f = self.new_fn(&name, vec![Type::Bool]);
        f.span = self.f().span;
        super::literals::seed_closure_scope(&mut f, &outer, fixed);
        let ncap = outer.len() as u16;
        f.yield_ctx = Some(YieldCtx {
            label,
            state: ncap,
            ret: ncap + 1,
            results,
        });
        let base = ncap + 2;
        f.params = base + kinds.len() as u16;
        f.next_reg = f.params;
        self.fns.push(f);
        // A yield after the loop has ended is a runtime error.
        let st = self.reg(p)?;
        self.emit(Op::Load { dst: st, ptr: ncap });
        let running = self.konst(p, Value::Int(RUNNING))?;
        let ok = self.reg(p)?;
        self.emit(Op::Bin {
            op: BinOp::Eq,
            dst: ok,
            a: st,
            b: running,
        });
        let skip = self.emit(Op::JumpIf { cond: ok, to: 0 });
        let msg = self.konst(
            p,
            Value::str(
                "runtime error: range function continued iteration after function for loop body returned false",
            ),
        )?;
        self.emit(Op::Panic { val: msg });
        let here = self.here();
        self.patch(skip, here);
        self.push_scope();
        let define = r.token == go_parser::Token::DEFINE;
        for (i, x) in [&r.key, &r.val].into_iter().enumerate() {
            if let (Some(e), Some(t)) = (x, kinds.get(i)) {
                self.range_var(p, e, define, base + i as u16, t)?;
            }
        }
        self.block(&r.body.list)?;
        self.pop_scope()?;
        self.resolve_gotos()?;
        let t = self.konst(p, Value::Bool(true))?;
        self.emit(Op::Return { val: Some(t) });
        let f = self.fns.pop().expect("pushed above");
        self.finish_fn(id, f);
        // The call, then what the body asked for.
        self.at(p);
        let yf = self.reg(p)?;
        self.emit(Op::MakeClosure {
            dst: yf,
            func: id,
            cells,
        });
        self.emit(Op::Call {
            func: Callee::Dynamic(coll),
            args: vec![yf],
            dst: None,
        });
        let end_state = self.reg(p)?;
        self.emit(Op::Load {
            dst: end_state,
            ptr: state,
        });
        let done = self.konst(p, Value::Int(DONE))?;
        self.emit(Op::Store {
            ptr: state,
            val: done,
        });
        let returned = self.konst(p, Value::Int(RETURNED))?;
        let is_ret = self.reg(p)?;
        self.emit(Op::Bin {
            op: BinOp::Eq,
            dst: is_ret,
            a: end_state,
            b: returned,
        });
        let over = self.emit(Op::JumpIfNot {
            cond: is_ret,
            to: 0,
        });
        let vals = self.reg(p)?;
        self.emit(Op::Load {
            dst: vals,
            ptr: ret,
        });
        self.return_loaded(p, vals)?;
        let end = self.here();
        self.patch(over, end);
        Ok(())
    }

    /// Returns values a loop body stored (one value, or a tuple of several): from the enclosing
    /// function, or, in a nested loop body, on to the next loop out.
    fn return_loaded(&mut self, p: usize, vals: Reg) -> R<()> {
        if let Some(y) = self.f().yield_ctx.clone() {
            self.emit(Op::Store {
                ptr: y.ret,
                val: vals,
            });
            return self.yield_exit(p, RETURNED);
        }
        if self.f().results.is_empty() {
            self.emit(Op::Return { val: None });
        } else {
            self.emit(Op::Return { val: Some(vals) });
        }
        Ok(())
    }

    /// Leaves the yield function with `state` recorded, returning false to the iterator.
    fn yield_exit(&mut self, p: usize, state: i64) -> R<()> {
        let Some(y) = self.f().yield_ctx.clone() else {
            return Ok(());
        };
        let s = self.konst(p, Value::Int(state))?;
        self.emit(Op::Store {
            ptr: y.state,
            val: s,
        });
        let f = self.konst(p, Value::Bool(false))?;
        self.emit(Op::Return { val: Some(f) });
        Ok(())
    }

    /// `break` or `continue` that leaves the yield function (no loop inside the body takes
    /// it): true if it was compiled here.
    pub(super) fn yield_branch(
        &mut self,
        p: usize,
        is_break: bool,
        label: Option<&str>,
    ) -> R<bool> {
        let Some(y) = self.f().yield_ctx.clone() else {
            return Ok(false);
        };
        if label.is_some() && label != y.label.as_deref() {
            return Err(self.unsupported(
                p,
                "break or continue to a label outside a range-over-func loop",
            ));
        }
        if is_break {
            self.yield_exit(p, BROKE)?;
        } else {
            let t = self.konst(p, Value::Bool(true))?;
            self.emit(Op::Return { val: Some(t) });
        }
        Ok(true)
    }

    /// `return` inside a range-over-func body: the values (already converted to the enclosing
    /// function's result types) are stored and the loop left.
    pub(super) fn yield_return(&mut self, p: usize, vals: Vec<Reg>) -> R<()> {
        let Some(y) = self.f().yield_ctx.clone() else {
            return Ok(());
        };
        match vals.len() {
            0 => {}
            1 => {
                self.emit(Op::Store {
                    ptr: y.ret,
                    val: vals[0],
                });
            }
            _ => {
                let t = self.reg(p)?;
                self.emit(Op::Tuple { dst: t, vals });
                self.emit(Op::Store { ptr: y.ret, val: t });
            }
        }
        self.yield_exit(p, RETURNED)
    }
}
