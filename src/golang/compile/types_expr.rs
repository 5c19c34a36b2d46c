//! Type expressions (`[]int`, `map[string]*Point`, `chan<- int`, `sync.Mutex`), signatures, and
//! the code that builds a type's zero value.

use std::rc::Rc;

use go_parser::ast::{Expr, FieldList};
use go_parser::FuncTypeKey;

use super::{Compiler, Storage, R};
use crate::golang::types::{Field, Iface, IntKind, Lib, Sig, StructDef, Type};
use crate::runtime::ir::{Op, Reg, Value};
use crate::runtime::types::ChanDir;

impl Compiler<'_> {
    pub(super) fn type_expr(&mut self, e: &Expr) -> R<Type> {
        let p = self.expr_pos(e);
        Ok(match e {
            Expr::Ident(k) => {
                let name = self.ident_name(*k);
                if let Some(t) = builtin_type(name) {
                    return Ok(t);
                }
                match self.lookup(name) {
                    Some((Storage::Type(t), _)) => t,
                    Some(_) => return Err(self.err(p, format!("{name} is not a type"))),
                    None => return Err(self.not_a_type(p, name)),
                }
            }
            Expr::Index(_) | Expr::IndexList(_) => {
                let Some((base, args, site)) = self.type_args(e)? else {
                    unreachable!("an index expression")
                };
                if let Some(t) = self.lib_generic_type(&base, &args)? {
                    return Ok(t);
                }
                let not_generic = |c: &Self| {
                    let b = c.text(&base);
                    c.err(
                        p,
                        format!(
                            "invalid operation: {} ({b} is not a generic type)",
                            c.text(e)
                        ),
                    )
                };
                let Expr::Ident(bk) = &base else {
                    return Err(not_generic(self));
                };
                let name = self.ident_name(*bk);
                match self.generic_type(name) {
                    Some(g) => self.instantiate_type(&site, &g, args)?,
                    None => return Err(not_generic(self)),
                }
            }
            Expr::Paren(x) => self.type_expr(&x.expr)?,
            Expr::Star(s) => Type::Pointer(Rc::new(self.type_expr(&s.expr)?)),
            Expr::Selector(s) => {
                let Expr::Ident(pk) = &s.expr else {
                    return Err(self.err(p, "invalid type"));
                };
                let pkg = self.ident_name(*pk).to_string();
                let sel = self.ident_name(s.sel).to_string();
                let Some(path) = self.imports.get(&pkg).cloned() else {
                    return Err(self.err(p, format!("undefined: {pkg}")));
                };
                self.used_imports.insert(pkg.clone());
                match super::lib::lib_type(&path, &sel, self) {
                    Some(t) => t,
                    None => {
                        return Err(
                            self.err(p, format!("{pkg}.{sel} is not a type GMP Lab supports"))
                        )
                    }
                }
            }
            Expr::Array(a) => {
                let elem = Rc::new(self.type_expr(&a.elt)?);
                match &a.len {
                    None => Type::Slice(elem),
                    Some(Expr::Ellipsis(_)) => {
                        return Err(self.unsupported(p, "an array type with [...] length"))
                    }
                    Some(len) => {
                        let n = match self.expr(len, None)? {
                            super::Operand::Const(super::Const {
                                val: super::ConstVal::Int(n),
                                ..
                            }) if (0..=1 << 20).contains(&n) => n as u32,
                            _ => {
                                return Err(self.err(
                                    p,
                                    "array length must be a non-negative integer constant (at most 1048576)",
                                ))
                            }
                        };
                        Type::Array(n, elem)
                    }
                }
            }
            Expr::Map(m) => {
                let k = self.type_expr(&m.key)?;
                if matches!(
                    k.underlying(),
                    Type::Slice(_) | Type::Map(..) | Type::Func(_)
                ) {
                    return Err(self.err(p, format!("invalid map key type {k}")));
                }
                Type::Map(Rc::new(k), Rc::new(self.type_expr(&m.val)?))
            }
            Expr::Chan(c) => {
                let dir = match c.dir {
                    go_parser::ast::ChanDir::Send => ChanDir::Send,
                    go_parser::ast::ChanDir::Recv => ChanDir::Recv,
                    go_parser::ast::ChanDir::SendRecv => ChanDir::Both,
                };
                Type::Chan(dir, Rc::new(self.type_expr(&c.val)?))
            }
            Expr::Func(ft) => Type::Func(Rc::new(self.signature(*ft)?)),
            Expr::Struct(s) => {
                let mut fields = Vec::new();
                for fk in &s.fields.list {
                    let f = &self.objs.fields[*fk];
                    let ty = self.type_expr(&f.typ.clone())?;
                    if f.names.is_empty() {
                        let name = match &ty {
                            Type::Named(n) => n.name.rsplit('.').next().unwrap_or("").to_string(),
                            Type::Pointer(inner) => match &**inner {
                                Type::Named(n) => {
                                    n.name.rsplit('.').next().unwrap_or("").to_string()
                                }
                                Type::Lib(l) => {
                                    l.name().rsplit('.').next().unwrap_or("").to_string()
                                }
                                _ => String::new(),
                            },
                            Type::Lib(l) => l.name().rsplit('.').next().unwrap_or("").to_string(),
                            _ => String::new(),
                        };
                        fields.push(Field {
                            name,
                            ty,
                            embedded: true,
                        });
                    } else {
                        for n in &f.names {
                            fields.push(Field {
                                name: self.ident_name(*n).to_string(),
                                ty: ty.clone(),
                                embedded: false,
                            });
                        }
                    }
                }
                Type::Struct(Rc::new(StructDef { fields }))
            }
            Expr::Interface(i) => {
                if i.methods.list.is_empty() {
                    Type::any()
                } else {
                    let mut methods = Vec::new();
                    for fk in &i.methods.list {
                        let f = &self.objs.fields[*fk];
                        let Some(n) = f.names.first() else {
                            return Err(self.unsupported(p, "an embedded interface"));
                        };
                        let Expr::Func(ft) = &f.typ else {
                            return Err(self.unsupported(p, "this interface element"));
                        };
                        let sig = self.signature(*ft)?;
                        methods.push((self.ident_name(*n).to_string(), Rc::new(sig)));
                    }
                    let names: Vec<String> = methods
                        .iter()
                        .map(|(n, s)| format!("{n}{}", sig_text(s)))
                        .collect();
                    Type::Interface(Rc::new(Iface {
                        name: format!("interface {{ {} }}", names.join("; ")),
                        methods,
                    }))
                }
            }
            Expr::Ellipsis(el) => match &el.elt {
                Some(t) => Type::Slice(Rc::new(self.type_expr(t)?)),
                None => return Err(self.err(p, "invalid use of ...")),
            },
            _ => return Err(self.err(p, "expected a type")),
        })
    }

    pub(super) fn signature(&mut self, ft: FuncTypeKey) -> R<Sig> {
        let t = self.objs.ftypes[ft].clone();
        let (params, variadic) = self.field_types(&t.params)?;
        let results = match &t.results {
            Some(r) => self.field_types(r)?.0,
            None => Vec::new(),
        };
        Ok(Sig {
            params,
            results,
            variadic,
        })
    }

    fn field_types(&mut self, list: &FieldList) -> R<(Vec<Type>, bool)> {
        let mut out = Vec::new();
        let mut variadic = false;
        for fk in &list.list {
            let f = &self.objs.fields[*fk];
            let typ = f.typ.clone();
            if matches!(typ, Expr::Ellipsis(_)) {
                variadic = true;
            }
            let ty = self.type_expr(&typ)?;
            for _ in 0..f.names.len().max(1) {
                out.push(ty.clone());
            }
        }
        Ok((out, variadic))
    }

    /// Why a name that is not a local or package-level type cannot be used as one.
    fn not_a_type(&mut self, p: usize, name: &str) -> crate::golang::parse::GoError {
        if let Some(g) = self.generic_type(name) {
            let parts: Vec<String> = g
                .tparams
                .iter()
                .map(|t| format!("{} {}", t.name, self.text(&t.constraint)))
                .collect();
            return self.err(
                p,
                format!(
                    "cannot use generic type {name}[{}] without instantiation",
                    parts.join(", ")
                ),
            );
        }
        if self.generics.constraints.contains_key(name) {
            return self.err(
                p,
                format!("cannot use type {name} outside a type constraint: interface contains type constraints"),
            );
        }
        if name == "comparable" {
            return self.err(
                p,
                "cannot use type comparable outside a type constraint: interface is (or embeds) comparable",
            );
        }
        if self.generic_func(name).is_some() {
            return self.err(p, format!("{name} is not a type"));
        }
        self.err(p, format!("undefined: {name}"))
    }

    /// A method's receiver type and whether it is a pointer receiver.
    pub(super) fn receiver_type(&mut self, recv: &FieldList) -> R<(Type, bool)> {
        let Some(fk) = recv.list.first() else {
            return Err(self.err(recv.pos(self.objs), "method has no receiver"));
        };
        let typ = self.objs.fields[*fk].typ.clone();
        let t = self.type_expr(&typ)?;
        let ptr = matches!(t, Type::Pointer(_));
        Ok((t, ptr))
    }

    /// Emits the zero value of `ty` into a new register. Structs get fresh objects, and library
    /// types their runtime objects (a zero sync.Mutex is an unlocked mutex).
    pub(super) fn zero(&mut self, p: usize, ty: &Type) -> R<Reg> {
        let u = ty.underlying();
        let dst = self.reg(p)?;
        match &u {
            Type::Struct(s) => {
                let mut fields = Vec::with_capacity(s.fields.len());
                for f in &s.fields {
                    fields.push(self.zero(p, &f.ty)?);
                }
                let name = match ty {
                    Type::Named(n) => n.name.clone(),
                    _ => "struct {}".into(),
                };
                self.emit(Op::NewStruct {
                    dst,
                    type_name: Rc::from(name.as_str()),
                    fields,
                });
            }
            Type::Array(n, elem) => {
                let len = self.konst(p, Value::Int(*n as i64))?;
                if elem.is_struct() || matches!(elem.underlying(), Type::Lib(_) | Type::Array(..)) {
                    // Each element needs its own object: build by appending.
                    let empty = self.konst(p, Value::Int(0))?;
                    self.emit(Op::MakeSlice {
                        dst,
                        len: empty,
                        cap: len,
                        zero: Value::Nil,
                    });
                    for _ in 0..*n {
                        let z = self.zero(p, elem)?;
                        self.emit(Op::Append {
                            dst,
                            slice: dst,
                            vals: vec![z],
                        });
                    }
                } else {
                    self.emit(Op::MakeSlice {
                        dst,
                        len,
                        cap: len,
                        zero: zero_value(elem),
                    });
                }
            }
            Type::Lib(l) => match l {
                Lib::Mutex => {
                    self.emit(Op::NewMutex { dst });
                }
                Lib::RwMutex => {
                    self.emit(Op::NewRwMutex { dst });
                }
                Lib::WaitGroup => {
                    self.emit(Op::NewWaitGroup { dst });
                }
                Lib::Once => {
                    self.emit(Op::NewOnce { dst });
                }
                Lib::SyncMap => {
                    self.emit(Op::MakeMap {
                        dst,
                        zero: Value::Nil,
                    });
                }
                Lib::AtomicInt64 | Lib::AtomicInt32 | Lib::AtomicBool | Lib::AtomicValue => {
                    let init = self.konst(
                        p,
                        match l {
                            Lib::AtomicBool => Value::Bool(false),
                            Lib::AtomicValue => Value::Nil,
                            _ => Value::Int(0),
                        },
                    )?;
                    self.emit(Op::NewCell { dst, init });
                }
                Lib::Builder => {
                    let init = self.konst(p, Value::str(""))?;
                    self.emit(Op::NewCell { dst, init });
                }
                Lib::Time => {
                    self.emit(Op::Const {
                        dst,
                        val: Value::Int(0),
                    });
                }
                _ => {
                    self.emit(Op::Const {
                        dst,
                        val: Value::Nil,
                    });
                }
            },
            _ => {
                self.emit(Op::Const {
                    dst,
                    val: zero_value(ty),
                });
            }
        }
        Ok(dst)
    }

    /// The type an initialiser will have, without keeping its code (for package variables
    /// declared without a type, which later declarations may use before main's prologue runs).
    pub(super) fn peek_type(&mut self, e: &Expr) -> R<Type> {
        let scratch = self.new_fn("<peek>", vec![]);
        self.fns.push(scratch);
        let funcs = self.funcs.len();
        let made = self.generics.made;
        let r = self.expr(e, None).map(|o| o.ty().default_type());
        self.fns.pop();
        // Function literals compiled while peeking are compiled again for real (but functions
        // an instantiation declared stay: they are compiled once, later).
        if self.generics.made == made {
            self.funcs.truncate(funcs);
        }
        r
    }
}

/// The zero value of a type whose zero is a plain constant.
pub(super) fn zero_value(ty: &Type) -> Value {
    match ty.underlying() {
        Type::Bool | Type::UntypedBool => Value::Bool(false),
        Type::Int(_) | Type::UntypedInt | Type::UntypedRune => Value::Int(0),
        Type::Float | Type::UntypedFloat => Value::Float(0.0),
        Type::Str | Type::UntypedString => Value::str(""),
        Type::Lib(Lib::Time) => Value::Int(0),
        _ => Value::Nil,
    }
}

fn builtin_type(name: &str) -> Option<Type> {
    Some(match name {
        "int" => Type::int(),
        "int64" => Type::Int(IntKind::Int64),
        "int32" | "rune" => Type::Int(IntKind::Int32),
        "int16" => Type::Int(IntKind::Int16),
        "int8" => Type::Int(IntKind::Int8),
        "uint" => Type::Int(IntKind::Uint),
        "uint64" => Type::Int(IntKind::Uint64),
        "uint32" => Type::Int(IntKind::Uint32),
        "uint16" => Type::Int(IntKind::Uint16),
        "uint8" | "byte" => Type::Int(IntKind::Uint8),
        "float64" | "float32" => Type::Float,
        "string" => Type::Str,
        "bool" => Type::Bool,
        "error" => Type::error(),
        "any" => Type::any(),
        _ => return None,
    })
}

pub(super) fn sig_text(s: &Sig) -> String {
    let t = Type::Func(Rc::new(s.clone())).to_string();
    t.strip_prefix("func").unwrap_or(&t).to_string()
}
