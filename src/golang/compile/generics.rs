//! Generic functions and types, by monomorphisation: each instantiation (`Map[int, string]`,
//! `Stack[T]` with T = int) is compiled as its own function or named type, with the type
//! parameters bound to the type arguments as if they were local type names. The program is one
//! file, so every instantiation is known; the cost of a generic call is that of a plain call.
//!
//! Type arguments are checked against their constraints (`any`, `comparable`, method sets,
//! unions of `~T` terms) where they are given or inferred; inference unifies the parameters'
//! types with the arguments', then with the constraints' core types, and gives untyped constant
//! arguments their default types last, as the spec's inference does.

use std::collections::HashMap;
use std::rc::Rc;

use go_parser::ast::{Expr, FieldList, TypeSpec};
use go_parser::{FuncDeclKey, Token};

use super::call::Arg;
use super::{Compiler, Storage, R};
use crate::golang::types::{implements, Method, Sig, Type};
use crate::runtime::ir::FuncId;

/// A type parameter: its name and its constraint's expression.
#[derive(Clone, Debug)]
pub(super) struct TParam {
    pub name: String,
    pub constraint: Expr,
}

/// A generic function declaration.
#[derive(Debug)]
pub(super) struct GenericFunc {
    pub name: String,
    pub fk: FuncDeclKey,
    pub tparams: Vec<TParam>,
}

/// A generic type declaration and the methods declared on it.
#[derive(Debug)]
pub(super) struct GenericType {
    pub name: String,
    pub spec: Rc<TypeSpec>,
    pub tparams: Vec<TParam>,
    pub methods: Vec<FuncDeclKey>,
}

/// A function body still to compile, with its type parameters' bindings.
#[derive(Clone, Debug)]
pub(super) struct Pending {
    pub fk: FuncDeclKey,
    pub id: FuncId,
    pub recv: Option<Type>,
    pub bind: Vec<(String, Type)>,
}

/// The generic declarations of a program and what has been instantiated from them.
#[derive(Clone, Debug, Default)]
pub(super) struct Generics {
    pub funcs: HashMap<String, Rc<GenericFunc>>,
    pub types: HashMap<String, Rc<GenericType>>,
    /// Interfaces with type elements (`~int | ~float64`): usable only as constraints.
    pub constraints: HashMap<String, Expr>,
    pub func_instances: HashMap<String, (FuncId, Rc<Sig>)>,
    pub type_instances: HashMap<String, Type>,
    /// For each instantiated named type (by id): its generic type and type arguments.
    pub instance_args: HashMap<u32, (String, Vec<Type>)>,
    pub pending: Vec<Pending>,
    /// Counts instantiations, so a peek that made one keeps the functions it declared.
    pub made: usize,
}

/// Where an instantiation is written: the generic name, each explicit type argument, and for a
/// call (whose other type arguments are inferred) the callee's name and the call's `(`.
#[derive(Clone, Debug)]
pub(super) struct Site {
    pub base: usize,
    pub args: Vec<usize>,
    pub call: Option<(String, usize)>,
}

/// Whether `t`'s type has method `m` with a pointer receiver (so `t` itself lacks it).
fn has_pointer_method(t: &Type, m: &str) -> bool {
    t.named()
        .is_some_and(|n| n.methods.borrow().iter().any(|x| x.name == m && x.ptr_recv))
}

/// A type parameter list's parameters.
pub(super) fn tparams(c: &Compiler<'_>, list: &FieldList) -> Vec<TParam> {
    let mut out = Vec::new();
    for fk in &list.list {
        let f = &c.objs.fields[*fk];
        for n in &f.names {
            out.push(TParam {
                name: c.ident_name(*n).to_string(),
                constraint: f.typ.clone(),
            });
        }
    }
    out
}

/// How Go spells a type parameter list in messages: `[K comparable, V any]`.
fn tparams_text(c: &Compiler<'_>, tps: &[TParam]) -> String {
    let parts: Vec<String> = tps
        .iter()
        .map(|t| format!("{} {}", t.name, c.text(&t.constraint)))
        .collect();
    format!("[{}]", parts.join(", "))
}

/// A type argument as instance names spell it (`main.Point`, `int`).
fn arg_name(t: &Type) -> String {
    match t {
        Type::Named(n) => n.name.clone(),
        other => other.to_string(),
    }
}

fn args_key(args: &[Type]) -> String {
    args.iter().map(arg_name).collect::<Vec<_>>().join(",")
}

/// Whether values of `t` may be compared with `==` (strictly: interfaces count, as Go 1.20 has
/// them satisfy `comparable`).
pub(super) fn comparable(t: &Type) -> bool {
    match t.underlying() {
        Type::Slice(_) | Type::Map(..) | Type::Func(_) => false,
        Type::Array(_, e) => comparable(&e),
        Type::Struct(s) => s.fields.iter().all(|f| comparable(&f.ty)),
        _ => true,
    }
}

impl Compiler<'_> {
    /// A name that refers to a generic function, unless something nearer shadows it.
    pub(super) fn generic_func(&mut self, name: &str) -> Option<Rc<GenericFunc>> {
        let g = self.generics.funcs.get(name).cloned()?;
        self.shadowed(name).then_some(()).is_none().then_some(g)
    }

    pub(super) fn generic_type(&mut self, name: &str) -> Option<Rc<GenericType>> {
        let g = self.generics.types.get(name).cloned()?;
        self.shadowed(name).then_some(()).is_none().then_some(g)
    }

    /// The generic function an index expression instantiates (`F[int]`), if it is one.
    pub(super) fn instance_base(&mut self, e: &Expr) -> Option<Rc<GenericFunc>> {
        let base = match e {
            Expr::Index(ix) => &ix.expr,
            Expr::IndexList(ix) => &ix.expr,
            _ => return None,
        };
        let Expr::Ident(k) = base else { return None };
        let name = self.ident_name(*k);
        self.generic_func(name)
    }

    /// `F[int, string]`: the instance all its type arguments give (fewer are an error here;
    /// a call infers the rest, see `call_generic`).
    pub(super) fn func_instance(&mut self, e: &Expr) -> R<(FuncId, Rc<Sig>)> {
        let g = self.instance_base(e).expect("checked by instance_base");
        let Some((_, args, site)) = self.type_args(e)? else {
            unreachable!("an index expression")
        };
        if args.len() < g.tparams.len() {
            let name = &g.name;
            return Err(self.err(
                site.base,
                format!("cannot use generic function {name} without instantiation"),
            ));
        }
        self.instantiate_func(&site, &g, args)
    }

    /// The standard library's generic types: `iter.Seq[V]` and `iter.Seq2[K, V]`.
    pub(super) fn lib_generic_type(&mut self, base: &Expr, args: &[Type]) -> R<Option<Type>> {
        let Expr::Selector(s) = base else {
            return Ok(None);
        };
        // Go puts a qualified name at its dot.
        let p = self.objs.idents[s.sel].pos.saturating_sub(1);
        let Expr::Ident(pk) = &s.expr else {
            return Ok(None);
        };
        let pkg = self.ident_name(*pk).to_string();
        if self.lookup(&pkg).is_some() || self.imports.get(&pkg).map(String::as_str) != Some("iter")
        {
            return Ok(None);
        }
        self.used_imports.insert(pkg.clone());
        let sel = self.ident_name(s.sel).to_string();
        let want = match sel.as_str() {
            "Seq" => 1,
            "Seq2" => 2,
            _ => return Err(self.err(p, format!("undefined: {pkg}.{sel}"))),
        };
        if args.len() != want {
            let (tps, many) = if want == 1 {
                ("[V any]", args.len() > 1)
            } else {
                ("[K, V any]", args.len() > 2)
            };
            let _ = tps;
            return Err(self.err(
                p,
                format!(
                    "{} type arguments for type {sel}: have {}, want {want}",
                    if many { "too many" } else { "not enough" },
                    args.len()
                ),
            ));
        }
        let key = format!("iter.{sel}[{}]", args_key(args));
        if let Some(t) = self.generics.type_instances.get(&key) {
            return Ok(Some(t.clone()));
        }
        let yield_sig = Sig {
            params: args.to_vec(),
            results: vec![Type::Bool],
            variadic: false,
        };
        let under = Type::Func(Rc::new(Sig {
            params: vec![Type::Func(Rc::new(yield_sig))],
            results: vec![],
            variadic: false,
        }));
        let named = self.new_named(&key, under);
        self.generics
            .instance_args
            .insert(named.id, (format!("iter.{sel}"), args.to_vec()));
        let t = Type::Named(named);
        self.generics.type_instances.insert(key, t.clone());
        Ok(Some(t))
    }

    /// Whether `x.Sel` is cmp.Ordered (the import marked used).
    fn is_cmp_ordered(&mut self, sx: &go_parser::ast::SelectorExpr) -> bool {
        let Expr::Ident(pk) = &sx.expr else {
            return false;
        };
        let pkg = self.ident_name(*pk).to_string();
        let is = self.ident_name(sx.sel) == "Ordered"
            && self.imports.get(&pkg).map(String::as_str) == Some("cmp");
        if is {
            self.used_imports.insert(pkg);
        }
        is
    }

    /// Compiles each generic function never instantiated once, with its type parameters bound
    /// to a type from their constraints, and throws the result away: Go checks generic bodies
    /// even when nothing instantiates them, and the packages they use count as used.
    pub(super) fn touch_uninstantiated(&mut self) {
        let mut funcs: Vec<Rc<GenericFunc>> = self.generics.funcs.values().cloned().collect();
        funcs.sort_by(|a, b| a.name.cmp(&b.name));
        for g in funcs {
            let prefix = format!("{}[", g.name);
            if self
                .generics
                .func_instances
                .keys()
                .any(|k| k.starts_with(&prefix))
            {
                continue;
            }
            let bind: Vec<(String, Type)> = g
                .tparams
                .iter()
                .map(|t| (t.name.clone(), self.representative(&t.constraint)))
                .collect();
            let saved = self.generics.clone();
            let (funcs_len, fns_len) = (self.funcs.len(), self.fns.len());
            let lits = self.lit_count.clone();
            let id = self.declare_func("<check>");
            let _ = self.func_body(g.fk, id, None, false, &[], &bind);
            self.fns.truncate(fns_len);
            self.funcs.truncate(funcs_len);
            self.generics = saved;
            self.lit_count = lits;
        }
    }

    /// A type in a constraint's type set (int where any type will do).
    fn representative(&mut self, c: &Expr) -> Type {
        let t = match c {
            Expr::Unary(u) if u.op == Token::TILDE => self.type_expr(&u.expr).ok(),
            Expr::Binary(b) if b.op == Token::OR => Some(self.representative(&b.expr_a)),
            Expr::Ident(k) => {
                let name = self.ident_name(*k).to_string();
                match self.generics.constraints.get(&name).cloned() {
                    Some(e) => Some(self.representative(&e)),
                    None => self.type_expr(c).ok().filter(|t| !t.is_interface()),
                }
            }
            Expr::Interface(i) => i
                .methods
                .list
                .iter()
                .find_map(|fk| {
                    let f = &self.objs.fields[*fk];
                    f.names.is_empty().then(|| f.typ.clone())
                })
                .map(|e| self.representative(&e)),
            Expr::Paren(x) => Some(self.representative(&x.expr)),
            _ => self.type_expr(c).ok().filter(|t| !t.is_interface()),
        };
        t.unwrap_or_else(Type::int)
    }

    /// Whether a local declaration hides a package-level generic name.
    fn shadowed(&self, name: &str) -> bool {
        self.fns
            .last()
            .is_some_and(|f| f.scopes.iter().any(|s| s.iter().any(|l| l.name == name)))
    }

    /// Runs `f` with the type parameters bound (as local type names) in a scratch scope.
    pub(super) fn with_bind<T>(
        &mut self,
        bind: &[(String, Type)],
        f: impl FnOnce(&mut Self) -> R<T>,
    ) -> R<T> {
        let scratch = self.new_fn("<instance>", vec![]);
        self.fns.push(scratch);
        for (n, t) in bind {
            self.declare_local(n, Storage::Type(t.clone()), t.clone(), None);
        }
        let r = f(self);
        self.fns.pop();
        r
    }

    /// Type arguments written out: `[int, string]` after a name, and where each is written.
    pub(super) fn type_args(&mut self, e: &Expr) -> R<Option<(Expr, Vec<Type>, Site)>> {
        let (base, list) = match e {
            Expr::Index(ix) => (&ix.expr, vec![ix.index.clone()]),
            Expr::IndexList(ix) => (&ix.expr, ix.indices.clone()),
            _ => return Ok(None),
        };
        let mut args = Vec::new();
        let mut at = Vec::new();
        for a in &list {
            at.push(self.expr_pos(a));
            args.push(self.type_expr(a)?);
        }
        let site = Site {
            base: self.expr_pos(base),
            args: at,
            call: None,
        };
        Ok(Some((base.clone(), args, site)))
    }

    /// Too many explicit type arguments in a call (before inference, which would not get there).
    pub(super) fn check_count(&mut self, site: &Site, g: &Rc<GenericFunc>, n: usize) -> R<()> {
        let at = site.args.get(g.tparams.len()).copied().unwrap_or(site.base);
        Err(self.err(
            at,
            format!("got {n} type arguments but want {}", g.tparams.len()),
        ))
    }

    /// Checks the count of type arguments and each against its constraint, reporting where Go's
    /// compiler does: a count at the generic name (a function's extra argument at itself), an
    /// unsatisfied constraint at its argument, or at the call's `(` where it was inferred.
    fn check_targs(
        &mut self,
        site: &Site,
        what: &str,
        name: &str,
        tps: &[TParam],
        args: &[Type],
    ) -> R<()> {
        if args.len() > tps.len() {
            if what == "func" {
                let at = site.args.get(tps.len()).copied().unwrap_or(site.base);
                return Err(self.err(
                    at,
                    format!("got {} type arguments but want {}", args.len(), tps.len()),
                ));
            }
            return Err(self.err(
                site.base,
                format!(
                    "too many type arguments for {what} {name}: have {}, want {}",
                    args.len(),
                    tps.len()
                ),
            ));
        }
        if args.len() < tps.len() {
            return Err(self.err(
                site.base,
                format!(
                    "not enough type arguments for {what} {name}: have {}, want {}",
                    args.len(),
                    tps.len()
                ),
            ));
        }
        let bind: Vec<(String, Type)> = tps
            .iter()
            .map(|t| t.name.clone())
            .zip(args.iter().cloned())
            .collect();
        for (i, (tp, a)) in tps.iter().zip(args).enumerate() {
            let c = tp.constraint.clone();
            if let Some(why) = self.with_bind(&bind, |c2| c2.unsatisfied(a, &c))? {
                let ctext = self.text(&tp.constraint);
                let (at, inferred) = match site.args.get(i) {
                    Some(p) => (*p, false),
                    None => (site.call.as_ref().map_or(site.base, |c| c.1), true),
                };
                if let (true, Some(m)) = (inferred, why.strip_prefix(" (missing method ")) {
                    let m = m.trim_end_matches(')');
                    if let Some(call) = &site.call {
                        if has_pointer_method(a, m) {
                            return Err(self.err(
                                at,
                                format!(
                                    "in call to {}, {} (type {a}) does not satisfy {ctext} (method {m} has pointer receiver)",
                                    call.0, tp.name
                                ),
                            ));
                        }
                    }
                }
                return Err(self.err(at, format!("{a} does not satisfy {ctext}{why}")));
            }
        }
        Ok(())
    }

    /// Why `t` does not satisfy the constraint `c` (None when it does).
    fn unsatisfied(&mut self, t: &Type, c: &Expr) -> R<Option<String>> {
        let p = self.expr_pos(c);
        match c {
            Expr::Paren(x) => self.unsatisfied(t, &x.expr),
            Expr::Ident(k) => {
                let name = self.ident_name(*k).to_string();
                if self.lookup(&name).is_none() {
                    match name.as_str() {
                        "any" => return Ok(None),
                        "comparable" => {
                            return Ok((!comparable(t)).then(String::new));
                        }
                        _ => {}
                    }
                    if let Some(e) = self.generics.constraints.get(&name).cloned() {
                        return self.unsatisfied(t, &e);
                    }
                }
                let ct = self.type_expr(c)?;
                self.unsatisfied_iface(t, &ct)
            }
            Expr::Interface(i) => {
                for fk in &i.methods.list {
                    let f = &self.objs.fields[*fk];
                    if let Some(n) = f.names.first() {
                        let m = self.ident_name(*n).to_string();
                        let has = t.named().is_some_and(|nd| {
                            nd.methods.borrow().iter().any(|x| {
                                x.name == m && (!x.ptr_recv || matches!(t, Type::Pointer(_)))
                            })
                        });
                        if !has {
                            return Ok(Some(format!(" (missing method {m})")));
                        }
                    } else {
                        let e = f.typ.clone();
                        if let Some(why) = self.unsatisfied(t, &e)? {
                            return Ok(Some(why));
                        }
                    }
                }
                Ok(None)
            }
            Expr::Binary(b) if b.op == Token::OR => {
                let mut terms = Vec::new();
                self.union_terms(c, &mut terms);
                for term in terms {
                    if self.term_has(t, &term)? {
                        return Ok(None);
                    }
                }
                let text = self.text(c);
                Ok(Some(format!(" ({t} missing in {text})")))
            }
            Expr::Unary(u) if u.op == Token::TILDE => {
                if self.term_has(t, c)? {
                    Ok(None)
                } else {
                    let text = self.text(c);
                    Ok(Some(format!(" ({t} missing in {text})")))
                }
            }
            Expr::Selector(sx) if self.is_cmp_ordered(sx) => {
                let ordered = t.is_numeric() || t.is_string();
                Ok((!ordered).then(|| format!(" ({t} missing in {ORDERED})")))
            }
            _ => {
                let ct = self
                    .type_expr(c)
                    .map_err(|_| self.err(p, "invalid constraint"))?;
                self.unsatisfied_iface(t, &ct)
            }
        }
    }

    fn unsatisfied_iface(&mut self, t: &Type, ct: &Type) -> R<Option<String>> {
        match ct.underlying() {
            Type::Interface(i) => {
                if implements(t, &i) {
                    Ok(None)
                } else {
                    let missing = i
                        .methods
                        .iter()
                        .find(|(m, _)| {
                            let ptr = matches!(t, Type::Pointer(_));
                            !t.named().is_some_and(|n| {
                                n.methods
                                    .borrow()
                                    .iter()
                                    .any(|x| &x.name == m && (ptr || !x.ptr_recv))
                            })
                        })
                        .map(|(m, _)| m.clone())
                        .unwrap_or_default();
                    Ok(Some(format!(" (missing method {missing})")))
                }
            }
            // A plain type as a constraint: only itself.
            _ => Ok((ct != t).then(|| format!(" ({t} missing in {ct})"))),
        }
    }

    fn union_terms(&self, e: &Expr, out: &mut Vec<Expr>) {
        match e {
            Expr::Binary(b) if b.op == Token::OR => {
                self.union_terms(&b.expr_a, out);
                self.union_terms(&b.expr_b, out);
            }
            Expr::Paren(x) => self.union_terms(&x.expr, out),
            other => out.push(other.clone()),
        }
    }

    /// Whether a union term (`int`, `~int`, or a constraint interface) includes `t`.
    fn term_has(&mut self, t: &Type, term: &Expr) -> R<bool> {
        if let Expr::Unary(u) = term {
            if u.op == Token::TILDE {
                let tt = self.type_expr(&u.expr)?;
                if matches!(tt, Type::Named(_)) || tt.is_interface() {
                    let text = self.text(&u.expr);
                    let p = u.op_pos;
                    return Err(self.err(
                        p,
                        format!("invalid use of ~ ({text} is not the underlying type of {text})")
                            .replace(
                                &format!("({text} is not the underlying type of {text})"),
                                &format!("(underlying type of {text} is {})", tt.underlying()),
                            ),
                    ));
                }
                return Ok(t.underlying() == tt);
            }
        }
        if let Expr::Ident(k) = term {
            let name = self.ident_name(*k).to_string();
            if let Some(e) = self.generics.constraints.get(&name).cloned() {
                return Ok(self.unsatisfied(t, &e)?.is_none());
            }
        }
        let tt = self.type_expr(term)?;
        Ok(&tt == t)
    }

    /// A generic function instantiated with `args`: its function id and signature, declared now
    /// and compiled after the declared bodies.
    pub(super) fn instantiate_func(
        &mut self,
        site: &Site,
        g: &Rc<GenericFunc>,
        args: Vec<Type>,
    ) -> R<(FuncId, Rc<Sig>)> {
        let text = format!("{}{}", g.name, tparams_text(self, &g.tparams));
        self.check_targs(site, "func", &text, &g.tparams, &args)?;
        let key = format!("{}[{}]", g.name, args_key(&args));
        if let Some(inst) = self.generics.func_instances.get(&key) {
            return Ok(inst.clone());
        }
        let bind: Vec<(String, Type)> =
            g.tparams.iter().map(|t| t.name.clone()).zip(args).collect();
        let typ = self.objs.fdecls[g.fk].typ;
        let sig = Rc::new(self.with_bind(&bind, |c| c.signature(typ))?);
        let id = self.declare_func(&format!("{}[...]", g.name));
        self.generics.made += 1;
        self.generics
            .func_instances
            .insert(key, (id, Rc::clone(&sig)));
        self.generics.pending.push(Pending {
            fk: g.fk,
            id,
            recv: None,
            bind,
        });
        Ok((id, sig))
    }

    /// A generic type instantiated with `args`: a named type of its own, with its methods.
    pub(super) fn instantiate_type(
        &mut self,
        site: &Site,
        g: &Rc<GenericType>,
        args: Vec<Type>,
    ) -> R<Type> {
        self.check_targs(site, "type", &g.name, &g.tparams, &args)?;
        let key = format!("{}[{}]", g.name, args_key(&args));
        if let Some(t) = self.generics.type_instances.get(&key) {
            return Ok(t.clone());
        }
        let named = self.new_named(
            &format!("main.{key}"),
            Type::Struct(Rc::new(crate::golang::types::StructDef { fields: vec![] })),
        );
        let t = Type::Named(Rc::clone(&named));
        self.generics.made += 1;
        self.generics.type_instances.insert(key, t.clone());
        self.generics
            .instance_args
            .insert(named.id, (g.name.clone(), args.clone()));
        let bind: Vec<(String, Type)> = g
            .tparams
            .iter()
            .map(|t| t.name.clone())
            .zip(args.iter().cloned())
            .collect();
        let spec_typ = g.spec.typ.clone();
        let under = self.with_bind(&bind, |c| c.type_expr(&spec_typ))?;
        *named.underlying.borrow_mut() = under.underlying();
        for fk in g.methods.clone() {
            let fd = &self.objs.fdecls[fk];
            let name = self.ident_name(fd.name).to_string();
            let typ = fd.typ;
            let recv = fd.recv.clone();
            let Some((_, names, ptr)) = recv.as_ref().and_then(|r| self.recv_base(r)) else {
                continue;
            };
            let rbind: Vec<(String, Type)> = names.into_iter().zip(args.iter().cloned()).collect();
            let sig = Rc::new(self.with_bind(&rbind, |c| c.signature(typ))?);
            let short = g.name.clone();
            let fname = if ptr {
                format!("(*{short}[...]).{name}")
            } else {
                format!("{short}[...].{name}")
            };
            let id = self.declare_func(&fname);
            named.methods.borrow_mut().push(Method {
                name,
                func: id,
                ptr_recv: ptr,
                sig,
            });
            let recv_ty = if ptr {
                Type::Pointer(Rc::new(t.clone()))
            } else {
                t.clone()
            };
            self.generics.pending.push(Pending {
                fk,
                id,
                recv: Some(recv_ty),
                bind: rbind,
            });
        }
        Ok(t)
    }

    /// A method receiver naming a generic type: the type's name, the receiver's names for its
    /// type parameters, and whether it is a pointer receiver.
    pub(super) fn recv_base(&self, recv: &FieldList) -> Option<(String, Vec<String>, bool)> {
        let fk = recv.list.first()?;
        let mut e = self.objs.fields[*fk].typ.clone();
        let mut ptr = false;
        if let Expr::Star(s) = &e {
            ptr = true;
            e = s.expr.clone();
        }
        let (base, list) = match &e {
            Expr::Index(ix) => (ix.expr.clone(), vec![ix.index.clone()]),
            Expr::IndexList(ix) => (ix.expr.clone(), ix.indices.clone()),
            Expr::Ident(k) => (Expr::Ident(*k), vec![]),
            _ => return None,
        };
        let Expr::Ident(b) = base else { return None };
        let name = self.ident_name(b).to_string();
        let names = list
            .iter()
            .map(|x| match x {
                Expr::Ident(k) => self.ident_name(*k).to_string(),
                _ => "_".to_string(),
            })
            .collect();
        Some((name, names, ptr))
    }

    /// Infers a generic function's type arguments from a call's arguments (after any given
    /// explicitly), as the spec's function argument type inference does.
    pub(super) fn infer(
        &mut self,
        p: usize,
        g: &Rc<GenericFunc>,
        explicit: Vec<Type>,
        args: &mut [Arg],
        spread: bool,
        lparen: usize,
    ) -> R<Vec<Type>> {
        let n = g.tparams.len();
        if explicit.len() > n {
            let text = format!("{}{}", g.name, tparams_text(self, &g.tparams));
            return Err(self.err(
                p,
                format!(
                    "too many type arguments for func {text}: have {}, want {n}",
                    explicit.len()
                ),
            ));
        }
        let mut bound: Vec<Option<Type>> = (0..n).map(|i| explicit.get(i).cloned()).collect();
        let mut untyped: Vec<Option<Type>> = vec![None; n];
        let ft = self.objs.ftypes[self.objs.fdecls[g.fk].typ].clone();
        let mut ptypes: Vec<Expr> = Vec::new();
        let mut variadic = false;
        for fk in &ft.params.list {
            let f = &self.objs.fields[*fk];
            let mut t = f.typ.clone();
            if let Expr::Ellipsis(e) = &t {
                variadic = true;
                if let Some(elt) = &e.elt {
                    t = elt.clone();
                }
            }
            for _ in 0..f.names.len().max(1) {
                ptypes.push(t.clone());
            }
        }
        let nargs = args.len();
        for (i, a) in args.iter_mut().enumerate() {
            // `f(xs...)`: the slice matches the variadic parameter's slice type.
            let spread_arg = spread && variadic && i + 1 == nargs;
            let pt = match ptypes.get(i) {
                Some(t) => t.clone(),
                None if variadic => match ptypes.last() {
                    Some(t) => t.clone(),
                    None => break,
                },
                None => break,
            };
            // Arguments are evaluated here, in order, as the call would; constants stay
            // expressions (compiling one again emits nothing).
            let text = self.arg_text(a);
            let at = match a {
                Arg::Expr(e) => {
                    let ep = self.expr_pos(e);
                    match self.expr(e, None)? {
                        super::Operand::Const(c) => c.ty,
                        super::Operand::Val(r, t) => {
                            *a = Arg::Val(r, t.clone(), ep);
                            t
                        }
                    }
                }
                Arg::Val(_, t, _) => t.clone(),
            };
            if at.is_untyped() {
                if let Expr::Ident(k) = &pt {
                    let name = self.ident_name(*k);
                    if let Some(i) = g.tparams.iter().position(|t| t.name == name) {
                        let keep = match &untyped[i] {
                            Some(prev) => untyped_rank(&at) > untyped_rank(prev),
                            None => true,
                        };
                        if keep {
                            untyped[i] = Some(at.clone());
                        }
                    }
                }
                continue;
            }
            let ap = self.arg_pos(a);
            let at = match (spread_arg, at.underlying()) {
                (true, Type::Slice(e)) => (*e).clone(),
                _ => at,
            };
            self.unify(ap, g, &pt, &at, &mut bound, Some(&text))?;
        }
        // Core types of the constraints: `S ~[]E` gives E once S is known.
        loop {
            let mut changed = false;
            for i in 0..n {
                let Some(t) = bound[i].clone() else { continue };
                let core = match &g.tparams[i].constraint {
                    Expr::Unary(u) if u.op == Token::TILDE => Some((u.expr.clone(), true)),
                    e @ (Expr::Array(_) | Expr::Map(_) | Expr::Chan(_) | Expr::Func(_)) => {
                        Some((e.clone(), false))
                    }
                    _ => None,
                };
                if let Some((ce, tilde)) = core {
                    let before = bound.iter().filter(|b| b.is_some()).count();
                    let target = if tilde { t.underlying() } else { t };
                    self.unify(p, g, &ce, &target, &mut bound, None)?;
                    changed |= bound.iter().filter(|b| b.is_some()).count() > before;
                }
            }
            if !changed {
                break;
            }
        }
        for i in 0..n {
            if bound[i].is_none() {
                if let Some(u) = &untyped[i] {
                    bound[i] = Some(u.default_type());
                }
            }
        }
        let mut out = Vec::new();
        for (i, b) in bound.into_iter().enumerate() {
            match b {
                Some(t) => out.push(t),
                None => {
                    return Err(self.err(
                        lparen,
                        format!("in call to {}, cannot infer {}", g.name, g.tparams[i].name),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// Unifies a parameter's type expression with an argument's type, binding type parameters.
    fn unify(
        &mut self,
        p: usize,
        g: &Rc<GenericFunc>,
        pt: &Expr,
        at: &Type,
        bound: &mut [Option<Type>],
        arg: Option<&str>,
    ) -> R<()> {
        match pt {
            Expr::Paren(x) => self.unify(p, g, &x.expr, at, bound, arg),
            Expr::Ident(k) => {
                let name = self.ident_name(*k);
                let Some(i) = g.tparams.iter().position(|t| t.name == name) else {
                    return Ok(());
                };
                match &bound[i] {
                    None => bound[i] = Some(at.clone()),
                    Some(prev) if prev == at => {}
                    Some(prev) => {
                        // A channel of either direction unifies with a bidirectional one.
                        if let (Type::Chan(_, a), Type::Chan(_, b)) = (prev, at) {
                            if a == b {
                                return Ok(());
                            }
                        }
                        let what = arg.unwrap_or("value");
                        return Err(self.err(
                            p,
                            format!(
                                "in call to {}, type {at} of {what} does not match inferred type {prev} for {name}",
                                g.name
                            ),
                        ));
                    }
                }
                Ok(())
            }
            Expr::Star(s) => match at.underlying() {
                Type::Pointer(inner) if !matches!(at, Type::Named(_)) => {
                    self.unify(p, g, &s.expr, &inner, bound, arg)
                }
                _ => Ok(()),
            },
            Expr::Array(a) => match (at.underlying(), &a.len) {
                (Type::Slice(e), None) | (Type::Array(_, e), Some(_)) => {
                    self.unify(p, g, &a.elt, &e, bound, arg)
                }
                _ => Ok(()),
            },
            Expr::Map(m) => match at.underlying() {
                Type::Map(k, v) => {
                    self.unify(p, g, &m.key, &k, bound, arg)?;
                    self.unify(p, g, &m.val, &v, bound, arg)
                }
                _ => Ok(()),
            },
            Expr::Chan(c) => match at.underlying() {
                Type::Chan(_, e) => self.unify(p, g, &c.val, &e, bound, arg),
                _ => Ok(()),
            },
            Expr::Func(ft) => match at.underlying() {
                Type::Func(sig) => {
                    let t = self.objs.ftypes[*ft].clone();
                    let mut ps = Vec::new();
                    for fk in &t.params.list {
                        let f = &self.objs.fields[*fk];
                        for _ in 0..f.names.len().max(1) {
                            ps.push(f.typ.clone());
                        }
                    }
                    let mut rs = Vec::new();
                    if let Some(r) = &t.results {
                        for fk in &r.list {
                            let f = &self.objs.fields[*fk];
                            for _ in 0..f.names.len().max(1) {
                                rs.push(f.typ.clone());
                            }
                        }
                    }
                    for (e, t) in ps.iter().zip(sig.params.iter()) {
                        self.unify(p, g, e, t, bound, arg)?;
                    }
                    for (e, t) in rs.iter().zip(sig.results.iter()) {
                        self.unify(p, g, e, t, bound, arg)?;
                    }
                    Ok(())
                }
                _ => Ok(()),
            },
            Expr::Index(_) | Expr::IndexList(_) => {
                let (base, list) = match pt {
                    Expr::Index(ix) => (ix.expr.clone(), vec![ix.index.clone()]),
                    Expr::IndexList(ix) => (ix.expr.clone(), ix.indices.clone()),
                    _ => unreachable!(),
                };
                let bname = match &base {
                    Expr::Ident(_) | Expr::Selector(_) => self.text(&base),
                    _ => return Ok(()),
                };
                let Some(n) = at.named() else { return Ok(()) };
                let Some((gname, targs)) = self.generics.instance_args.get(&n.id).cloned() else {
                    return Ok(());
                };
                if gname != bname {
                    return Ok(());
                }
                for (e, t) in list.iter().zip(targs.iter()) {
                    self.unify(p, g, e, t, bound, arg)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// cmp.Ordered's type set, as Go spells it in messages.
const ORDERED: &str = "~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string";

/// Untyped constant kinds in the order inference prefers them (int < rune < float).
fn untyped_rank(t: &Type) -> u8 {
    match t {
        Type::UntypedInt => 1,
        Type::UntypedRune => 2,
        Type::UntypedFloat => 3,
        _ => 0,
    }
}
