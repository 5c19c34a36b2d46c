//! Compiling a checked Go file to the runtime IR.
//!
//! One pass per function, type-directed: every expression is checked as it is compiled, so the
//! messages come from the place that knows the types (Go's wording where the subset meets Go's
//! errors). Package-level declarations are collected first (types, then signatures and methods,
//! then globals) so bodies may refer to anything in the file, as Go allows.
//!
//! Layout: this file holds the driver, package-level declarations and the per-function state;
//! `bodies.rs` function bodies (parameters, named results, gotos, main's prologue);
//! `types_expr.rs` resolves type expressions; `expr.rs` expressions, `operators.rs` their
//! operators, `literals.rs` composite and function literals, `places.rs` assignment targets;
//! `stmt.rs` statements; `flow.rs` range, switch, type switch, select and terminating statements;
//! `call.rs` calls, `builtins.rs` builtins and conversions; `lib.rs` the standard-library subset's
//! functions, `lib_fmt.rs` fmt's, `lib_methods.rs` library types' methods and interface method
//! calls.

mod bodies;
mod builtins;
mod call;
mod consts;
mod expr;
mod flow;
mod fmt_nested;
mod generics;
mod lib;
mod lib_fmt;
mod lib_methods;
mod literals;
mod method_values;
mod operators;
mod places;
mod range_func;
mod stmt;
mod types_expr;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use go_parser::ast::{Decl, Expr, IdentEntity, Spec};
use go_parser::{AstObjects, EntityKey, FileSet, IdentKey, Token};

use super::escape::{self, Escapes};
use super::parse::{GoError, Parsed};
use super::types::{Named, Sig, Type};
use crate::runtime::ir::{Func, FuncId, Op, Pc, Program, Reg, Span, Value};

pub use consts::{Const, ConstVal};

type R<T> = Result<T, GoError>;

/// Functions may use at most this many registers (a generous bound for lesson-sized code).
const MAX_REGS: u16 = 60_000;

/// A value for a package-level constant, set from outside the program (a lesson's parameter), as if
/// the source had said it.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstOverride {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
}

/// Compiles a parsed file into a runtime program.
pub fn compile(parsed: &Parsed, name: &str) -> Result<Program, Vec<GoError>> {
    compile_with(parsed, name, &[])
}

/// Compiles with some package-level constants set to other values. Naming a constant the program
/// does not declare at package level, or giving one a value of another kind, is an error.
pub fn compile_with(
    parsed: &Parsed,
    name: &str,
    overrides: &[(String, ConstOverride)],
) -> Result<Program, Vec<GoError>> {
    // Range-over-func bodies become closures, which escape analysis must know; the compiler
    // finds them (it knows the types) and the file is compiled again with them known.
    let mut func_ranges = HashSet::new();
    loop {
        let esc = escape::analyse(&parsed.objs, &parsed.file.decls, &func_ranges);
        let mut c = Compiler {
            file: name.to_string(),
            objs: &parsed.objs,
            fset: &parsed.fset,
            funcs: Vec::new(),
            esc,
            func_ranges: func_ranges.clone(),
            retry_range: None,
            imports: HashMap::new(),
            used_imports: HashSet::new(),
            globals: HashMap::new(),
            next_named: 0,
            thunks: HashMap::new(),
            fns: Vec::new(),
            global_inits: Vec::new(),
            lit_count: HashMap::new(),
            iota: None,
            use_ctx: None,
            callee_name: None,
            overrides: overrides.iter().cloned().collect(),
            generics: generics::Generics::default(),
            local_types: Vec::new(),
            duration: Type::Named(Rc::new(Named {
                id: 0,
                name: "time.Duration".into(),
                underlying: std::cell::RefCell::new(Type::Int(super::types::IntKind::Int64)),
                methods: std::cell::RefCell::new(Vec::new()),
            })),
        };
        let mut result = c.run(&parsed.file).map_err(|e| vec![e]);
        if let Some(r) = c.retry_range.take() {
            c.break_type_cycles();
            if func_ranges.insert(r) {
                continue;
            }
        }
        if result.is_ok() {
            let mut left: Vec<&String> = c.overrides.keys().collect();
            left.sort();
            if let Some(n) = left.first() {
                result = Err(vec![GoError {
                    file: name.to_string(),
                    line: 1,
                    col: 1,
                    msg: format!("the program declares no package-level constant {n} to set"),
                }]);
            }
        }
        c.break_type_cycles();
        return result;
    }
}

/// A name at package level.
#[derive(Clone, Debug)]
enum Global {
    /// A variable in a heap cell with a fixed id (main's prologue creates them first, in order).
    Var {
        cell: u32,
        ty: Type,
    },
    Const(Const),
    Func {
        id: FuncId,
        sig: Rc<Sig>,
    },
    Type(Type),
}

/// An expression's result: a constant (still untyped, perhaps) or a value in a register.
#[derive(Clone, Debug)]
pub(crate) enum Operand {
    Const(Const),
    Val(Reg, Type),
}

impl Operand {
    fn ty(&self) -> Type {
        match self {
            Operand::Const(c) => c.ty.clone(),
            Operand::Val(_, t) => t.clone(),
        }
    }
}

/// Where a local variable lives.
#[derive(Clone, Debug)]
enum Storage {
    Reg(Reg),
    /// A register holding a pointer to the variable's heap cell.
    Cell(Reg),
    Const(Const),
    /// A package-level variable's cell.
    Global(u32),
    /// A function declared at package level.
    Func(FuncId, Rc<Sig>),
    Type(Type),
}

#[derive(Clone, Debug)]
struct Local {
    name: String,
    storage: Storage,
    ty: Type,
    entity: Option<EntityKey>,
    /// Where it was declared, for "declared and not used".
    pos: usize,
    used: bool,
}

/// A loop, switch or select that `break` (and, for loops, `continue`) can leave.
struct Breakable {
    label: Option<String>,
    is_loop: bool,
    breaks: Vec<Pc>,
    continues: Vec<Pc>,
}

/// The function being compiled.
struct Fn {
    name: String,
    ops: Vec<Op>,
    spans: Vec<Span>,
    next_reg: u16,
    params: u16,
    scopes: Vec<Vec<Local>>,
    results: Vec<Type>,
    /// Named results' locals (by index in `scopes[0]`... looked up by name when returning).
    named_results: Vec<String>,
    /// Where the named results live, for the runtime to read after deferred calls.
    named_storage: Option<Vec<(Reg, bool)>>,
    breakables: Vec<Breakable>,
    span: Span,
    /// Label about to be attached to the next loop/switch/select.
    pending_label: Option<String>,
    /// Set in the yield function a range-over-func body is compiled into.
    yield_ctx: Option<range_func::YieldCtx>,
    /// Labels' positions in the code, and gotos waiting for a label further on.
    labels: HashMap<String, Pc>,
    gotos: Vec<(String, Pc, usize)>,
}

struct Compiler<'a> {
    file: String,
    objs: &'a AstObjects,
    fset: &'a FileSet,
    funcs: Vec<Option<Func>>,
    esc: Escapes,
    /// Range statements (by address) escape analysis treated as ranging over functions.
    func_ranges: HashSet<usize>,
    /// A range over a function that escape analysis did not know of: compile again.
    retry_range: Option<usize>,
    /// Import name → package path.
    imports: HashMap<String, String>,
    used_imports: HashSet<String>,
    globals: HashMap<String, Global>,
    next_named: u32,
    /// Generated wrappers for `go`/`defer` of library calls, by kind.
    thunks: HashMap<String, FuncId>,
    fns: Vec<Fn>,
    /// Package-level `var` declarations, compiled into main's prologue.
    global_inits: Vec<Rc<go_parser::ast::ValueSpec>>,
    /// Function literal counters per enclosing function, for Go-like names ("main.func1").
    lit_count: HashMap<String, u32>,
    /// The value of iota inside a constant declaration.
    iota: Option<i128>,
    /// time.Duration, one named type for the whole program.
    duration: Type,
    /// Where a value is being used, for "cannot use ... in assignment" messages.
    use_ctx: Option<String>,
    /// The callee of the call whose arguments are being checked (for "in argument to f").
    callee_name: Option<String>,
    /// Package-level constants a lesson sets to other values (its parameters), by name; each is
    /// removed once applied, so what is left names constants the program does not have.
    overrides: HashMap<String, ConstOverride>,
    /// Generic declarations and their instantiations.
    generics: generics::Generics,
    /// Types declared inside functions (their cycles are cut with the package's).
    local_types: Vec<Rc<Named>>,
}

impl<'a> Compiler<'a> {
    /// Recursive types (`type Node struct { Next *Node }`) are reference cycles of `Rc`s; once the
    /// program is compiled the types are no longer needed, so the cycles are cut to free them.
    fn break_type_cycles(&mut self) {
        let instances = self.generics.type_instances.values();
        let named = self.globals.values().filter_map(|g| match g {
            Global::Type(t) => Some(t),
            _ => None,
        });
        for t in named.chain(instances) {
            if let Type::Named(n) = t {
                *n.underlying.borrow_mut() = Type::Bool;
                n.methods.borrow_mut().clear();
            }
        }
        for n in &self.local_types {
            *n.underlying.borrow_mut() = Type::Bool;
        }
    }

    /// Runs `f` with `ctx` as the place values are used in (for Go's "in assignment" wording).
    fn with_ctx<T>(&mut self, ctx: impl Into<String>, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        let saved = self.use_ctx.replace(ctx.into());
        let r = f(self);
        self.use_ctx = saved;
        r
    }

    // ---- positions and errors ----

    fn pos(&self, p: usize) -> (usize, usize) {
        self.fset
            .position(p)
            .map(|fp| (fp.line, fp.column))
            .unwrap_or((0, 0))
    }

    fn err(&self, p: usize, msg: impl Into<String>) -> GoError {
        let (line, col) = self.pos(p);
        GoError {
            file: self.file.clone(),
            line,
            col,
            msg: msg.into(),
        }
    }

    fn unsupported(&self, p: usize, what: &str) -> GoError {
        self.err(
            p,
            format!("{what} is not supported yet by GMP Lab's Go subset"),
        )
    }

    fn ident_name(&self, k: IdentKey) -> &'a str {
        &self.objs.idents[k].name
    }

    fn ident_entity(&self, k: IdentKey) -> Option<EntityKey> {
        match self.objs.idents[k].entity {
            IdentEntity::Entity(e) => Some(e),
            _ => None,
        }
    }

    fn expr_pos(&self, e: &Expr) -> usize {
        use go_parser::ast::Node;
        e.pos(self.objs)
    }

    // ---- the function being compiled ----

    fn f(&mut self) -> &mut Fn {
        self.fns.last_mut().expect("a function is being compiled")
    }

    /// Following operations come from source position `p`.
    fn at(&mut self, p: usize) {
        let (line, col) = self.pos(p);
        if line > 0 {
            self.f().span = Span {
                line: line as u32,
                col: col as u32,
            };
        }
    }

    fn reg(&mut self, p: usize) -> R<Reg> {
        let f = self.f();
        if f.next_reg >= MAX_REGS {
            let name = f.name.clone();
            return Err(self.err(p, format!("function {name} is too large")));
        }
        let f = self.f();
        f.next_reg += 1;
        Ok(f.next_reg - 1)
    }

    fn emit(&mut self, op: Op) -> Pc {
        let f = self.f();
        f.ops.push(op);
        f.spans.push(f.span);
        (f.ops.len() - 1) as Pc
    }

    fn here(&mut self) -> Pc {
        self.f().ops.len() as Pc
    }

    fn patch(&mut self, at: Pc, to: Pc) {
        if let Some(Op::Jump { to: t } | Op::JumpIf { to: t, .. } | Op::JumpIfNot { to: t, .. }) =
            self.f().ops.get_mut(at as usize)
        {
            *t = to;
        }
    }

    fn konst(&mut self, p: usize, v: Value) -> R<Reg> {
        let dst = self.reg(p)?;
        self.emit(Op::Const { dst, val: v });
        Ok(dst)
    }

    fn push_scope(&mut self) {
        self.f().scopes.push(Vec::new());
    }

    /// Leaves a block; a variable never read is Go's "declared and not used" error.
    fn pop_scope(&mut self) -> R<()> {
        let scope = self.f().scopes.pop().unwrap_or_default();
        for l in &scope {
            if !l.used && l.name != "_" && matches!(l.storage, Storage::Reg(_) | Storage::Cell(_)) {
                return Err(self.err(l.pos, format!("declared and not used: {}", l.name)));
            }
        }
        Ok(())
    }

    fn declare_local(&mut self, name: &str, storage: Storage, ty: Type, ident: Option<IdentKey>) {
        let (entity, pos) = match ident {
            Some(k) => (self.ident_entity(k), self.objs.idents[k].pos),
            None => (None, 0),
        };
        if name == "_" {
            return;
        }
        let local = Local {
            name: name.to_string(),
            storage,
            ty,
            entity,
            pos,
            used: ident.is_none(),
        };
        if let Some(s) = self.f().scopes.last_mut() {
            s.push(local);
        }
    }

    /// Whether the variable declared by `ident` must live in a heap cell.
    fn escapes(&self, ident: IdentKey, ty: &Type) -> bool {
        match self.ident_entity(ident) {
            Some(e) => {
                self.esc.captured.contains(&e)
                    || (self.esc.addr_taken.contains(&e) && !ty.is_struct())
            }
            None => false,
        }
    }

    /// Declares a new variable holding `val` (a register of type `ty`): in a register, or in a
    /// fresh heap cell when something captures it or takes its address.
    fn new_var(&mut self, ident: IdentKey, ty: Type, val: Reg) -> R<()> {
        let name = self.ident_name(ident).to_string();
        let p = self.objs.idents[ident].pos;
        if self.escapes(ident, &ty) {
            let dst = self.reg(p)?;
            self.emit(Op::NewCell { dst, init: val });
            self.declare_local(&name, Storage::Cell(dst), ty, Some(ident));
        } else {
            // Own register: later assignments must not write through to `val`'s source.
            let dst = self.reg(p)?;
            self.emit(Op::Move { dst, src: val });
            self.declare_local(&name, Storage::Reg(dst), ty, Some(ident));
        }
        Ok(())
    }

    /// Looks a name up: locals innermost first, then package level.
    fn lookup(&mut self, name: &str) -> Option<(Storage, Type)> {
        if let Some(f) = self.fns.last_mut() {
            for scope in f.scopes.iter_mut().rev() {
                if let Some(l) = scope.iter_mut().rev().find(|l| l.name == name) {
                    l.used = true;
                    return Some((l.storage.clone(), l.ty.clone()));
                }
            }
        }
        match self.globals.get(name)? {
            Global::Var { cell, ty } => Some((Storage::Global(*cell), ty.clone())),
            Global::Const(c) => Some((Storage::Const(c.clone()), c.ty.clone())),
            Global::Func { id, sig } => Some((
                Storage::Func(*id, Rc::clone(sig)),
                Type::Func(Rc::clone(sig)),
            )),
            Global::Type(t) => Some((Storage::Type(t.clone()), t.clone())),
        }
    }

    /// Finds the local declared as `entity` in the enclosing functions (for closure captures).
    fn find_entity(&self, depth: usize, e: EntityKey) -> Option<Local> {
        let f = self.fns.get(depth)?;
        f.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|l| l.entity == Some(e))
            .cloned()
    }

    // ---- program structure ----

    fn new_fn(&self, name: &str, results: Vec<Type>) -> Fn {
        Fn {
            name: name.to_string(),
            ops: Vec::new(),
            spans: Vec::new(),
            next_reg: 0,
            params: 0,
            scopes: vec![Vec::new()],
            results,
            named_results: Vec::new(),
            named_storage: None,
            breakables: Vec::new(),
            span: Span::default(),
            pending_label: None,
            yield_ctx: None,
            labels: HashMap::new(),
            gotos: Vec::new(),
        }
    }

    fn declare_func(&mut self, name: &str) -> FuncId {
        self.funcs.push(Some(Func {
            name: Rc::from(name),
            regs: 0,
            params: 0,
            ops: Vec::new(),
            spans: Vec::new(),
            named_results: None,
        }));
        (self.funcs.len() - 1) as FuncId
    }

    fn finish_fn(&mut self, id: FuncId, f: Fn) {
        self.funcs[id as usize] = Some(Func {
            name: Rc::from(f.name.as_str()),
            regs: f.next_reg.max(f.params),
            params: f.params,
            ops: f.ops,
            spans: f.spans,
            named_results: f.named_storage.map(Rc::from),
        });
    }

    fn new_named(&mut self, name: &str, underlying: Type) -> Rc<Named> {
        self.next_named += 1;
        Rc::new(Named {
            id: self.next_named,
            name: name.to_string(),
            underlying: std::cell::RefCell::new(underlying),
            methods: std::cell::RefCell::new(Vec::new()),
        })
    }

    fn run(&mut self, file: &go_parser::ast::File) -> R<Program> {
        // Imports.
        for s in &file.imports {
            if let Spec::Import(imp) = &self.objs.specs[*s] {
                let path = imp.path.token.get_literal().trim_matches('"').to_string();
                if !lib::SUPPORTED_PACKAGES.contains(&path.as_str()) {
                    return Err(self.err(
                        imp.path.pos,
                        format!(
                            "package {path} is not available in GMP Lab (available: {})",
                            lib::SUPPORTED_PACKAGES.join(", ")
                        ),
                    ));
                }
                let local = match imp.name {
                    Some(n) => self.ident_name(n).to_string(),
                    None => path.rsplit('/').next().unwrap_or(&path).to_string(),
                };
                if local == "_" || local == "." {
                    return Err(self.unsupported(imp.path.pos, "a blank or dot import"));
                }
                self.imports.insert(local, path);
            }
        }
        // Types: names first, so they can refer to each other.
        let mut type_specs = Vec::new();
        for d in &file.decls {
            if let Decl::Gen(g) = d {
                for s in &g.specs {
                    if let Spec::Type(t) = &self.objs.specs[*s] {
                        let name = self.ident_name(t.name).to_string();
                        if self.globals.contains_key(&name)
                            || self.generics.types.contains_key(&name)
                            || self.generics.constraints.contains_key(&name)
                        {
                            return Err(self.err(
                                t.assign.max(self.objs.idents[t.name].pos),
                                format!("{name} redeclared in this block"),
                            ));
                        }
                        if let Some(tl) = &t.type_params {
                            let tparams = generics::tparams(self, tl);
                            let methods = self.generic_methods(file, &name);
                            self.generics.types.insert(
                                name.clone(),
                                Rc::new(generics::GenericType {
                                    name,
                                    spec: Rc::clone(t),
                                    tparams,
                                    methods,
                                }),
                            );
                            continue;
                        }
                        if self.is_constraint(&t.typ) {
                            self.generics.constraints.insert(name, t.typ.clone());
                            continue;
                        }
                        let named = self.new_named(
                            &format!("main.{name}"),
                            Type::Struct(Rc::new(super::types::StructDef { fields: vec![] })),
                        );
                        self.globals
                            .insert(name, Global::Type(Type::Named(Rc::clone(&named))));
                        type_specs.push((Rc::clone(t), named));
                    }
                }
            }
        }
        self.fns.push(self.new_fn("<package>", vec![]));
        for (spec, named) in &type_specs {
            let under = self.type_expr(&spec.typ)?;
            *named.underlying.borrow_mut() = under.underlying();
        }
        // Constants, in order (iota counts within each declaration).
        for d in &file.decls {
            if let Decl::Gen(g) = d {
                if g.token == Token::CONST {
                    self.const_decl(g, true)?;
                }
            }
        }
        // Function signatures and methods.
        let mut bodies = Vec::new();
        for d in &file.decls {
            if let Decl::Func(fk) = d {
                let fd = &self.objs.fdecls[*fk];
                let name = self.ident_name(fd.name).to_string();
                if let Some(tl) = &self.objs.ftypes[fd.typ].type_params {
                    let pos = self.objs.idents[fd.name].pos;
                    if fd.recv.is_some() {
                        return Err(self.unsupported(pos, "a method with type parameters"));
                    }
                    if name == "main" || name == "init" {
                        let first = tl
                            .list
                            .first()
                            .and_then(|f| self.objs.fields[*f].names.first())
                            .map_or(pos, |n| self.objs.idents[*n].pos);
                        return Err(
                            self.err(first, format!("func {name} must have no type parameters"))
                        );
                    }
                    if self.globals.contains_key(&name) || self.generics.funcs.contains_key(&name) {
                        return Err(self.err(pos, format!("{name} redeclared in this block")));
                    }
                    let tparams = generics::tparams(self, tl);
                    self.generics.funcs.insert(
                        name.clone(),
                        Rc::new(generics::GenericFunc {
                            name,
                            fk: *fk,
                            tparams,
                        }),
                    );
                    continue;
                }
                if let Some((base, _, _)) = fd.recv.as_ref().and_then(|r| self.recv_base(r)) {
                    if self.generics.types.contains_key(&base) {
                        continue;
                    }
                }
                let sig = Rc::new(self.signature(fd.typ)?);
                let pos = self.objs.idents[fd.name].pos;
                if fd.body.is_none() {
                    return Err(self.err(pos, format!("missing function body for {name}")));
                }
                match &fd.recv {
                    None => {
                        if name == "main" && (!sig.params.is_empty() || !sig.results.is_empty()) {
                            return Err(self.err(
                                pos,
                                "func main must have no arguments and no return values",
                            ));
                        }
                        if name == "init" {
                            let id = self.declare_func("init");
                            bodies.push((*fk, id, None));
                            continue;
                        }
                        if self.globals.contains_key(&name)
                            || self.generics.funcs.contains_key(&name)
                        {
                            return Err(self.err(pos, format!("{name} redeclared in this block")));
                        }
                        let id = self.declare_func(&name);
                        self.globals.insert(name, Global::Func { id, sig });
                        bodies.push((*fk, id, None));
                    }
                    Some(recv) => {
                        let (recv_ty, ptr) = self.receiver_type(recv)?;
                        let Some(named) = recv_ty.named() else {
                            return Err(self.err(pos, format!("invalid receiver type {recv_ty}")));
                        };
                        let short = named.name.strip_prefix("main.").unwrap_or(&named.name);
                        let fname = if ptr {
                            format!("(*{short}).{name}")
                        } else {
                            format!("{short}.{name}")
                        };
                        if named.methods.borrow().iter().any(|m| m.name == name) {
                            return Err(
                                self.err(pos, format!("method {short}.{name} already declared"))
                            );
                        }
                        if let Some(sd) = named.underlying.borrow().struct_def() {
                            if sd.fields.iter().any(|f| f.name == name) {
                                return Err(self.err(
                                    pos,
                                    format!("field and method with the same name {name}"),
                                ));
                            }
                        }
                        let id = self.declare_func(&fname);
                        named.methods.borrow_mut().push(super::types::Method {
                            name: name.clone(),
                            func: id,
                            ptr_recv: ptr,
                            sig: Rc::clone(&sig),
                        });
                        bodies.push((*fk, id, Some(recv_ty)));
                    }
                }
            }
        }
        let Some(Global::Func { id: main_id, .. }) = self.globals.get("main").cloned() else {
            return Err(GoError {
                file: self.file.clone(),
                line: 0,
                col: 0,
                msg: "function main is undeclared in the main package".into(),
            });
        };
        // Package-level variables: cells numbered in declaration order.
        let mut cell = 0u32;
        for d in &file.decls {
            if let Decl::Gen(g) = d {
                if g.token == Token::VAR {
                    for s in &g.specs {
                        if let Spec::Value(v) = &self.objs.specs[*s] {
                            let ty = match &v.typ {
                                Some(t) => Some(self.type_expr(t)?),
                                None => None,
                            };
                            // The type of an untyped declaration comes from its value, which is
                            // compiled in main's prologue; record a placeholder now.
                            for (i, n) in v.names.iter().enumerate() {
                                let name = self.ident_name(*n).to_string();
                                let ty = match &ty {
                                    Some(t) => t.clone(),
                                    None => match v.values.get(i) {
                                        Some(e) => self.peek_type(e)?,
                                        None => Type::any(),
                                    },
                                };
                                if name != "_" {
                                    self.globals.insert(name, Global::Var { cell, ty });
                                }
                                cell += 1;
                            }
                            self.global_inits.push(Rc::clone(v));
                        }
                    }
                }
            }
        }
        self.fns.pop();
        let inits: Vec<FuncId> = bodies
            .iter()
            .filter(|(fk, _, _)| self.ident_name(self.objs.fdecls[*fk].name) == "init")
            .map(|(_, id, _)| *id)
            .collect();
        for (fk, id, recv) in bodies {
            let prologue = id == main_id;
            self.func_body(fk, id, recv, prologue, &inits, &[])?;
        }
        // Instantiated generic functions and methods (instantiating may find more).
        while let Some(pd) = self.generics.pending.pop() {
            self.func_body(pd.fk, pd.id, pd.recv, false, &[], &pd.bind)?;
        }
        self.touch_uninstantiated();
        for imp in self.imports.keys() {
            if !self.used_imports.contains(imp) {
                let path = &self.imports[imp];
                let pos = file
                    .imports
                    .iter()
                    .find_map(|s| match &self.objs.specs[*s] {
                        Spec::Import(i) if i.path.token.get_literal().trim_matches('"') == path => {
                            Some(i.path.pos)
                        }
                        _ => None,
                    })
                    .unwrap_or(0);
                return Err(self.err(pos, format!("\"{path}\" imported and not used")));
            }
        }
        let funcs = std::mem::take(&mut self.funcs)
            .into_iter()
            .map(|f| {
                f.unwrap_or(Func {
                    name: Rc::from("?"),
                    regs: 0,
                    params: 0,
                    ops: vec![],
                    spans: vec![],
                    named_results: None,
                })
            })
            .collect();
        Ok(Program {
            funcs,
            main: main_id,
        })
    }
}
