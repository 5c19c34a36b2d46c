//! Methods of library types (sync, atomic, time, context, strings.Builder, time.Duration) and
//! method calls on interface values, which dispatch over the program's own types.

use std::rc::Rc;

use super::call::Arg;
use super::lib::{check_arity, error_string, func_type};
use super::{Compiler, Operand, R};
use crate::golang::types::{IntKind, Lib, Sig, Type};
use crate::runtime::fmt::{FmtKind, FormatSpec};
use crate::runtime::ir::{BinOp, Callee, Op, Reg, Value};
use crate::runtime::types::{ChanDir, RType};

/// A method call on a library type, time.Duration or an interface value.
pub(super) fn method_call(
    c: &mut Compiler<'_>,
    p: usize,
    t: &Type,
    name: &str,
    args: Vec<Arg>,
) -> R<Operand> {
    let Some((recv_arg, rest)) = args.split_first() else {
        return Err(c.err(p, "method call without a receiver"));
    };
    let (recv, _) = c.arg_rvalue(recv_arg)?;
    let n = rest.len();
    let arity = |c: &Compiler<'_>, k: usize| check_arity(c, p, name, n, k);
    c.at(p);
    if let Type::Interface(iface) = t.underlying() {
        return interface_call(c, p, recv, t, &iface, name, rest);
    }
    let base = match t.underlying() {
        Type::Pointer(inner) => (*inner).clone(),
        _ => t.clone(),
    };
    if base.is_duration() {
        arity(c, 0)?;
        let dst = c.reg(p)?;
        let div = |c: &mut Compiler<'_>, dst: Reg, k: i64, float: bool| -> R<()> {
            if float {
                let f = c.reg(p)?;
                c.emit(Op::Convert {
                    dst: f,
                    src: recv,
                    conv: crate::runtime::ir::Conv::IntToFloat,
                });
                let d = c.konst(p, Value::Float(k as f64))?;
                c.emit(Op::Bin {
                    op: BinOp::Div,
                    dst,
                    a: f,
                    b: d,
                });
            } else {
                let d = c.konst(p, Value::Int(k))?;
                c.emit(Op::Bin {
                    op: BinOp::Div,
                    dst,
                    a: recv,
                    b: d,
                });
            }
            Ok(())
        };
        return match name {
            "Seconds" => div(c, dst, 1_000_000_000, true).map(|_| Operand::Val(dst, Type::Float)),
            "Minutes" => div(c, dst, 60_000_000_000, true).map(|_| Operand::Val(dst, Type::Float)),
            "Hours" => div(c, dst, 3_600_000_000_000, true).map(|_| Operand::Val(dst, Type::Float)),
            "Milliseconds" => {
                div(c, dst, 1_000_000, false).map(|_| Operand::Val(dst, Type::Int(IntKind::Int64)))
            }
            "Microseconds" => {
                div(c, dst, 1_000, false).map(|_| Operand::Val(dst, Type::Int(IntKind::Int64)))
            }
            "Nanoseconds" => {
                div(c, dst, 1, false).map(|_| Operand::Val(dst, Type::Int(IntKind::Int64)))
            }
            _ => {
                c.emit(Op::Format {
                    dst,
                    spec: Rc::new(FormatSpec {
                        kind: FmtKind::Print,
                        types: vec![RType::Duration],
                    }),
                    args: vec![recv],
                });
                Ok(Operand::Val(dst, Type::Str))
            }
        };
    }
    let Type::Lib(l) = base.underlying() else {
        return Err(c.err(p, format!("{t} has no method {name}")));
    };
    match (l, name) {
        (Lib::Mutex | Lib::RwMutex, "Lock" | "Unlock" | "RLock" | "RUnlock") => {
            arity(c, 0)?;
            c.emit(match name {
                "Lock" => Op::Lock { m: recv },
                "Unlock" => Op::Unlock { m: recv },
                "RLock" => Op::RLock { m: recv },
                _ => Op::RUnlock { m: recv },
            });
            c.no_value(p)
        }
        (Lib::WaitGroup, "Add") => {
            arity(c, 1)?;
            let d = c.arg_value(&rest[0], &Type::int())?;
            c.emit(Op::WgAdd { wg: recv, delta: d });
            c.no_value(p)
        }
        (Lib::WaitGroup, "Done") => {
            arity(c, 0)?;
            let d = c.konst(p, Value::Int(-1))?;
            c.emit(Op::WgAdd { wg: recv, delta: d });
            c.no_value(p)
        }
        (Lib::WaitGroup, "Wait") => {
            arity(c, 0)?;
            c.emit(Op::WgWait { wg: recv });
            c.no_value(p)
        }
        (Lib::WaitGroup, "Go") => {
            arity(c, 1)?;
            let f = c.arg_value(&rest[0], &func_type())?;
            let one = c.konst(p, Value::Int(1))?;
            c.emit(Op::WgAdd {
                wg: recv,
                delta: one,
            });
            let runner = wg_go_runner(c);
            c.emit(Op::Go {
                func: Callee::Static(runner),
                args: vec![recv, f],
            });
            c.no_value(p)
        }
        (Lib::Once, "Do") => {
            arity(c, 1)?;
            let f = c.arg_value(&rest[0], &func_type())?;
            c.emit(Op::OnceDo {
                once: recv,
                func: Callee::Dynamic(f),
            });
            c.no_value(p)
        }
        (Lib::SyncMap, _) => sync_map(c, p, recv, name, rest),
        (Lib::AtomicInt64 | Lib::AtomicInt32 | Lib::AtomicBool | Lib::AtomicValue, _) => {
            let vt = match l {
                Lib::AtomicInt64 => Type::Int(IntKind::Int64),
                Lib::AtomicInt32 => Type::Int(IntKind::Int32),
                Lib::AtomicBool => Type::Bool,
                _ => Type::any(),
            };
            let dst = c.reg(p)?;
            match name {
                "Add" => {
                    arity(c, 1)?;
                    let d = c.arg_value(&rest[0], &vt)?;
                    c.emit(Op::AtomicAdd {
                        dst: Some(dst),
                        ptr: recv,
                        delta: d,
                    });
                    Ok(Operand::Val(dst, vt))
                }
                "Load" => {
                    arity(c, 0)?;
                    c.emit(Op::AtomicLoad { dst, ptr: recv });
                    Ok(Operand::Val(dst, vt))
                }
                "Store" => {
                    arity(c, 1)?;
                    let v = c.arg_value(&rest[0], &vt)?;
                    c.emit(Op::AtomicStore { ptr: recv, val: v });
                    c.no_value(p)
                }
                _ => {
                    arity(c, 2)?;
                    let old = c.arg_value(&rest[0], &vt)?;
                    let new = c.arg_value(&rest[1], &vt)?;
                    c.emit(Op::AtomicCas {
                        dst,
                        ptr: recv,
                        old,
                        new,
                    });
                    Ok(Operand::Val(dst, Type::Bool))
                }
            }
        }
        (Lib::Time, "Sub") => {
            arity(c, 1)?;
            let o = c.arg_value(&rest[0], &Type::Lib(Lib::Time))?;
            let dst = c.reg(p)?;
            c.emit(Op::Bin {
                op: BinOp::Sub,
                dst,
                a: recv,
                b: o,
            });
            Ok(Operand::Val(dst, c.duration.clone()))
        }
        (Lib::Time, "Add") => {
            arity(c, 1)?;
            let d = c.arg_value(&rest[0], &c.duration.clone())?;
            let dst = c.reg(p)?;
            c.emit(Op::Bin {
                op: BinOp::Add,
                dst,
                a: recv,
                b: d,
            });
            Ok(Operand::Val(dst, Type::Lib(Lib::Time)))
        }
        (Lib::Time, "Before" | "After" | "Equal") => {
            arity(c, 1)?;
            let o = c.arg_value(&rest[0], &Type::Lib(Lib::Time))?;
            let dst = c.reg(p)?;
            let op = match name {
                "Before" => BinOp::Lt,
                "After" => BinOp::Gt,
                _ => BinOp::Eq,
            };
            c.emit(Op::Bin {
                op,
                dst,
                a: recv,
                b: o,
            });
            Ok(Operand::Val(dst, Type::Bool))
        }
        (Lib::Timer | Lib::Ticker, "Stop") => {
            arity(c, 0)?;
            let t = c.reg(p)?;
            c.emit(Op::TupleGet {
                dst: t,
                src: recv,
                index: 0,
            });
            let dst = c.reg(p)?;
            c.emit(Op::StopTimer {
                dst: Some(dst),
                timer: t,
            });
            if l == Lib::Ticker {
                return c.no_value(p);
            }
            Ok(Operand::Val(dst, Type::Bool))
        }
        (Lib::Context, "Done") => {
            arity(c, 0)?;
            let raw = context_raw(c, p, recv)?;
            let dst = c.reg(p)?;
            c.emit(Op::CtxDone { dst, ctx: raw });
            Ok(Operand::Val(
                dst,
                Type::Chan(
                    ChanDir::Recv,
                    Rc::new(Type::Struct(Rc::new(crate::golang::types::StructDef {
                        fields: vec![],
                    }))),
                ),
            ))
        }
        (Lib::Context, "Value") => {
            arity(c, 1)?;
            let key = c.arg_value(&rest[0], &Type::any())?;
            Ok(Operand::Val(context_value(c, p, recv, key)?, Type::any()))
        }
        (Lib::Context, "Deadline") => {
            arity(c, 0)?;
            let ctx = context_raw(c, p, recv)?;
            let dst = c.reg(p)?;
            c.emit(Op::CtxDeadline { dst, ctx });
            Ok(Operand::Val(
                dst,
                Type::Tuple(Rc::from(vec![Type::Lib(Lib::Time), Type::Bool])),
            ))
        }
        (Lib::Context, "Err") => {
            arity(c, 0)?;
            let ctx = context_raw(c, p, recv)?;
            let raw = c.reg(p)?;
            c.emit(Op::CtxErr { dst: raw, ctx });
            let dst = c.reg(p)?;
            c.emit(Op::Box {
                dst,
                src: raw,
                ty: error_string("context.deadlineExceededError"),
            });
            Ok(Operand::Val(dst, Type::error()))
        }
        (Lib::CancelFunc, "cancel") => {
            arity(c, 0)?;
            c.emit(Op::CtxCancel { ctx: recv });
            c.no_value(p)
        }
        (Lib::Builder, "WriteString") => {
            arity(c, 1)?;
            let s = c.arg_value(&rest[0], &Type::Str)?;
            let cur = c.reg(p)?;
            c.emit(Op::Load {
                dst: cur,
                ptr: recv,
            });
            c.emit(Op::Bin {
                op: BinOp::Add,
                dst: cur,
                a: cur,
                b: s,
            });
            c.emit(Op::Store {
                ptr: recv,
                val: cur,
            });
            let len = c.reg(p)?;
            c.emit(Op::LenOf { dst: len, v: s });
            let nil = c.konst(p, Value::Nil)?;
            let dst = c.reg(p)?;
            c.emit(Op::Tuple {
                dst,
                vals: vec![len, nil],
            });
            Ok(Operand::Val(
                dst,
                Type::Tuple(Rc::from(vec![Type::int(), Type::error()])),
            ))
        }
        (Lib::Builder, "String" | "Len") => {
            arity(c, 0)?;
            let cur = c.reg(p)?;
            c.emit(Op::Load {
                dst: cur,
                ptr: recv,
            });
            if name == "String" {
                return Ok(Operand::Val(cur, Type::Str));
            }
            let dst = c.reg(p)?;
            c.emit(Op::LenOf { dst, v: cur });
            Ok(Operand::Val(dst, Type::int()))
        }
        _ => Err(c.err(
            p,
            format!("{t} has no method {name} in GMP Lab's Go subset"),
        )),
    }
}

/// The goroutine wg.Go starts: `defer wg.Done(); f()`.
fn wg_go_runner(c: &mut Compiler<'_>) -> crate::runtime::ir::FuncId {
    if let Some(id) = c.thunks.get("wg.Go") {
        return *id;
    }
    let done = c.declare_func("sync.(*WaitGroup).Done");
    let mut f = c.new_fn("sync.(*WaitGroup).Done", vec![]);
    f.params = 1;
    f.next_reg = 2;
    f.ops = vec![
        Op::Const {
            dst: 1,
            val: Value::Int(-1),
        },
        Op::WgAdd { wg: 0, delta: 1 },
        Op::Return { val: None },
    ];
    f.spans = vec![Default::default(); 3];
    c.finish_fn(done, f);
    let id = c.declare_func("sync.(*WaitGroup).Go.func1");
    let mut f = c.new_fn("sync.(*WaitGroup).Go.func1", vec![]);
    f.params = 2;
    f.next_reg = 2;
    f.ops = vec![
        Op::Defer {
            func: Callee::Static(done),
            args: vec![0],
        },
        Op::Call {
            func: Callee::Dynamic(1),
            args: vec![],
            dst: None,
        },
        Op::Return { val: None },
    ];
    f.spans = vec![Default::default(); 3];
    c.finish_fn(id, f);
    c.thunks.insert("wg.Go".into(), id);
    id
}

fn sync_map(c: &mut Compiler<'_>, p: usize, m: Reg, name: &str, args: &[Arg]) -> R<Operand> {
    let any = Type::any();
    match name {
        "Store" => {
            let k = c.arg_value(&args[0], &any)?;
            let v = c.arg_value(&args[1], &any)?;
            c.emit(Op::SetIndex {
                base: m,
                idx: k,
                val: v,
            });
            c.no_value(p)
        }
        "Load" => {
            let k = c.arg_value(&args[0], &any)?;
            let (v, ok) = (c.reg(p)?, c.reg(p)?);
            c.emit(Op::MapLookup {
                dst: v,
                ok,
                m,
                key: k,
            });
            let dst = c.reg(p)?;
            c.emit(Op::Tuple {
                dst,
                vals: vec![v, ok],
            });
            Ok(Operand::Val(
                dst,
                Type::Tuple(Rc::from(vec![any, Type::Bool])),
            ))
        }
        "LoadOrStore" => {
            let k = c.arg_value(&args[0], &any)?;
            let v = c.arg_value(&args[1], &any)?;
            let (cur, ok) = (c.reg(p)?, c.reg(p)?);
            c.emit(Op::MapLookup {
                dst: cur,
                ok,
                m,
                key: k,
            });
            let skip = c.emit(Op::JumpIf { cond: ok, to: 0 });
            c.emit(Op::SetIndex {
                base: m,
                idx: k,
                val: v,
            });
            c.emit(Op::Move { dst: cur, src: v });
            let here = c.here();
            c.patch(skip, here);
            let dst = c.reg(p)?;
            c.emit(Op::Tuple {
                dst,
                vals: vec![cur, ok],
            });
            Ok(Operand::Val(
                dst,
                Type::Tuple(Rc::from(vec![any, Type::Bool])),
            ))
        }
        "Delete" => {
            let k = c.arg_value(&args[0], &any)?;
            c.emit(Op::MapDelete { m, key: k });
            c.no_value(p)
        }
        "Range" => {
            let sig = Sig {
                params: vec![any.clone(), any.clone()],
                results: vec![Type::Bool],
                variadic: false,
            };
            let f = c.arg_value(&args[0], &Type::Func(Rc::new(sig)))?;
            let keys = c.reg(p)?;
            c.emit(Op::MapKeys { dst: keys, m });
            let len = c.reg(p)?;
            c.emit(Op::LenOf { dst: len, v: keys });
            let i = c.konst(p, Value::Int(0))?;
            let one = c.konst(p, Value::Int(1))?;
            let top = c.here();
            let cond = c.reg(p)?;
            c.emit(Op::Bin {
                op: BinOp::Lt,
                dst: cond,
                a: i,
                b: len,
            });
            let exit = c.emit(Op::JumpIfNot { cond, to: 0 });
            let (k, v, ok, go_on) = (c.reg(p)?, c.reg(p)?, c.reg(p)?, c.reg(p)?);
            c.emit(Op::Index {
                dst: k,
                base: keys,
                idx: i,
            });
            c.emit(Op::MapLookup {
                dst: v,
                ok,
                m,
                key: k,
            });
            c.emit(Op::Call {
                func: Callee::Dynamic(f),
                args: vec![k, v],
                dst: Some(go_on),
            });
            let stop = c.emit(Op::JumpIfNot { cond: go_on, to: 0 });
            c.emit(Op::Bin {
                op: BinOp::Add,
                dst: i,
                a: i,
                b: one,
            });
            c.emit(Op::Jump { to: top });
            let end = c.here();
            c.patch(exit, end);
            c.patch(stop, end);
            c.no_value(p)
        }
        _ => Err(c.err(
            p,
            format!("sync.Map has no method {name} in GMP Lab's Go subset"),
        )),
    }
}

/// A method call on an interface value: a type switch over the program's types that have the
/// method (the program is one file, so they are all known here).
fn interface_call(
    c: &mut Compiler<'_>,
    p: usize,
    recv: Reg,
    t: &Type,
    iface: &crate::golang::types::Iface,
    name: &str,
    args: &[Arg],
) -> R<Operand> {
    let Some((_, sig)) = iface.methods.iter().find(|(n, _)| n == name) else {
        return Err(c.err(p, format!("{t} has no method {name}")));
    };
    let sig = Rc::clone(sig);
    let mut regs = Vec::new();
    for (a, w) in args.iter().zip(&sig.params) {
        regs.push(c.arg_value(a, w)?);
    }
    if args.len() != sig.params.len() {
        return Err(c.err(p, format!("wrong number of arguments in call to {name}")));
    }
    let result_ty = super::call::result_type(&sig);
    let dst = c.reg(p)?;
    c.emit(Op::Const {
        dst,
        val: Value::Nil,
    });
    let mut candidates = Vec::new();
    for g in c.globals.values() {
        if let super::Global::Type(Type::Named(n)) = g {
            if let Some(m) = n.methods.borrow().iter().find(|m| m.name == name) {
                let ptr_ty = Type::Pointer(Rc::new(Type::Named(Rc::clone(n))));
                candidates.push((ptr_ty, m.func));
                if !m.ptr_recv {
                    candidates.push((Type::Named(Rc::clone(n)), m.func));
                }
            }
        }
    }
    candidates.sort_by_key(|(t, f)| (*f, t.to_string()));
    let mut ends = Vec::new();
    for (ct, func) in candidates {
        let (v, ok) = (c.reg(p)?, c.reg(p)?);
        c.emit(Op::Unbox {
            dst: v,
            ok: Some(ok),
            src: recv,
            ty: Rc::new(ct.rtype()),
        });
        let skip = c.emit(Op::JumpIfNot { cond: ok, to: 0 });
        let mut all = vec![v];
        all.extend(regs.iter().copied());
        c.emit(Op::Call {
            func: Callee::Static(func),
            args: all,
            dst: Some(dst),
        });
        ends.push(c.emit(Op::Jump { to: 0 }));
        let next = c.here();
        c.patch(skip, next);
    }
    // The library's own error values, and a nil interface (Go's nil dereference).
    if name == "Error" {
        c.emit(Op::Format {
            dst,
            spec: Rc::new(FormatSpec {
                kind: FmtKind::Print,
                types: vec![RType::Interface(Rc::from("error"))],
            }),
            args: vec![recv],
        });
        let nil = c.konst(p, Value::Nil)?;
        let is_nil = c.reg(p)?;
        c.emit(Op::Bin {
            op: BinOp::Eq,
            dst: is_nil,
            a: recv,
            b: nil,
        });
        let ok = c.emit(Op::JumpIfNot {
            cond: is_nil,
            to: 0,
        });
        ends.push(ok);
    }
    let msg = c.konst(
        p,
        Value::str("runtime error: invalid memory address or nil pointer dereference"),
    )?;
    c.emit(Op::Panic { val: msg });
    let end = c.here();
    for e in ends {
        c.patch(e, end);
    }
    Ok(Operand::Val(dst, result_ty))
}

/// A context value: a struct of the runtime's context (for cancellation), the key and value it
/// carries (WithValue) and its parent, so Value can walk up the chain as Go's does.
pub(super) fn context_node(
    c: &mut Compiler<'_>,
    p: usize,
    raw: Reg,
    key: Reg,
    val: Reg,
    parent: Reg,
) -> R<Reg> {
    let dst = c.reg(p)?;
    c.emit(Op::NewStruct {
        dst,
        type_name: Rc::from("*context.valueCtx"),
        fields: vec![raw, key, val, parent],
    });
    Ok(dst)
}

/// The runtime's context inside a context value.
fn context_raw(c: &mut Compiler<'_>, p: usize, ctx: Reg) -> R<Reg> {
    let dst = c.reg(p)?;
    c.emit(Op::Field {
        dst,
        obj: ctx,
        index: 0,
    });
    Ok(dst)
}

/// ctx.Value(key): the value of the nearest context up the chain that carries `key`, else nil.
fn context_value(c: &mut Compiler<'_>, p: usize, ctx: Reg, key: Reg) -> R<Reg> {
    let (cur, out, k, cond) = (c.reg(p)?, c.reg(p)?, c.reg(p)?, c.reg(p)?);
    let nil = c.konst(p, Value::Nil)?;
    c.emit(Op::Move { dst: cur, src: ctx });
    c.emit(Op::Const {
        dst: out,
        val: Value::Nil,
    });
    let top = c.here();
    c.emit(Op::Bin {
        op: BinOp::Eq,
        dst: cond,
        a: cur,
        b: nil,
    });
    let done = c.emit(Op::JumpIf { cond, to: 0 });
    c.emit(Op::Field {
        dst: k,
        obj: cur,
        index: 1,
    });
    c.emit(Op::Bin {
        op: BinOp::Eq,
        dst: cond,
        a: k,
        b: key,
    });
    let next = c.emit(Op::JumpIfNot { cond, to: 0 });
    c.emit(Op::Field {
        dst: out,
        obj: cur,
        index: 2,
    });
    let found = c.emit(Op::Jump { to: 0 });
    let here = c.here();
    c.patch(next, here);
    c.emit(Op::Field {
        dst: cur,
        obj: cur,
        index: 3,
    });
    c.emit(Op::Jump { to: top });
    let end = c.here();
    c.patch(done, end);
    c.patch(found, end);
    Ok(out)
}
