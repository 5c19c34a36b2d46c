//! The standard-library subset: fmt, errors, sync, sync/atomic, time, context, runtime, sort,
//! strings, strconv, math and math/rand, each function compiled to the runtime operation that does
//! what Go's does. fmt's calls are in `lib_fmt.rs`; library types' methods and interface method
//! calls in `lib_methods.rs`.

use std::rc::Rc;

use super::call::Arg;
use super::consts::{Const, ConstVal};
use super::lib_methods::context_node;
use super::{Compiler, Operand, R};
use crate::golang::types::{IntKind, Lib, Sig, Type};
use crate::runtime::ir::{BinOp, Callee, LibFn, Op, Reg, Value};
use crate::runtime::types::{ChanDir, RType};

pub const SUPPORTED_PACKAGES: &[&str] = &[
    "fmt",
    "errors",
    "sync",
    "sync/atomic",
    "time",
    "context",
    "runtime",
    "sort",
    "strings",
    "strconv",
    "math",
    "math/rand",
    "gmplab/lab",
    "iter",
    "cmp",
];

const NS: i128 = 1;

/// A library type named `path.sel`, if the subset has it.
pub(super) fn lib_type(path: &str, sel: &str, c: &Compiler<'_>) -> Option<Type> {
    Some(match (path, sel) {
        ("sync", "Mutex") => Type::Lib(Lib::Mutex),
        ("sync", "RWMutex") => Type::Lib(Lib::RwMutex),
        ("sync", "WaitGroup") => Type::Lib(Lib::WaitGroup),
        ("sync", "Once") => Type::Lib(Lib::Once),
        ("sync", "Map") => Type::Lib(Lib::SyncMap),
        ("sync/atomic", "Int64") => Type::Lib(Lib::AtomicInt64),
        ("sync/atomic", "Int32") => Type::Lib(Lib::AtomicInt32),
        ("sync/atomic", "Bool") => Type::Lib(Lib::AtomicBool),
        ("sync/atomic", "Value") => Type::Lib(Lib::AtomicValue),
        ("time", "Duration") => c.duration.clone(),
        ("time", "Time") => Type::Lib(Lib::Time),
        ("time", "Timer") => Type::Lib(Lib::Timer),
        ("time", "Ticker") => Type::Lib(Lib::Ticker),
        ("context", "Context") => Type::Lib(Lib::Context),
        ("context", "CancelFunc") => Type::Lib(Lib::CancelFunc),
        ("strings", "Builder") => Type::Lib(Lib::Builder),
        ("fmt", "Stringer") => Type::Interface(Rc::new(crate::golang::types::Iface {
            name: "fmt.Stringer".into(),
            methods: vec![(
                "String".into(),
                Rc::new(Sig {
                    params: vec![],
                    results: vec![Type::Str],
                    variadic: false,
                }),
            )],
        })),
        _ => return None,
    })
}

/// Whether a library type (or time.Duration) has a method called `name`.
pub(super) fn has_lib_method(t: &Type, name: &str) -> bool {
    let base = match t.underlying() {
        Type::Pointer(inner) => (*inner).clone(),
        _ => t.clone(),
    };
    if base.is_duration() {
        return matches!(
            name,
            "Seconds"
                | "Milliseconds"
                | "Microseconds"
                | "Nanoseconds"
                | "Minutes"
                | "Hours"
                | "String"
        );
    }
    let Type::Lib(l) = base.underlying() else {
        return false;
    };
    match l {
        Lib::Mutex => matches!(name, "Lock" | "Unlock"),
        Lib::RwMutex => matches!(name, "Lock" | "Unlock" | "RLock" | "RUnlock"),
        Lib::WaitGroup => matches!(name, "Add" | "Done" | "Wait" | "Go"),
        Lib::Once => name == "Do",
        Lib::SyncMap => matches!(name, "Load" | "Store" | "LoadOrStore" | "Delete" | "Range"),
        Lib::AtomicInt64 | Lib::AtomicInt32 => {
            matches!(name, "Add" | "Load" | "Store" | "CompareAndSwap")
        }
        Lib::AtomicBool => matches!(name, "Load" | "Store" | "CompareAndSwap"),
        Lib::AtomicValue => matches!(name, "Load" | "Store"),
        Lib::Time => matches!(name, "Sub" | "Add" | "Before" | "After" | "Equal"),
        Lib::Timer => matches!(name, "Stop"),
        Lib::Ticker => matches!(name, "Stop"),
        Lib::Context => matches!(name, "Done" | "Err" | "Value" | "Deadline"),
        Lib::CancelFunc => name == "cancel",
        Lib::Builder => matches!(name, "WriteString" | "String" | "Len"),
    }
}

fn duration_const(c: &Compiler<'_>, ns: i128) -> Operand {
    Operand::Const(Const {
        val: ConstVal::Int(ns),
        ty: c.duration.clone(),
    })
}

pub(super) fn error_string(kind: &'static str) -> Rc<RType> {
    Rc::new(RType::ErrorString(kind))
}

impl Compiler<'_> {
    /// `pkg.Name` used as a value.
    pub(super) fn package_member(
        &mut self,
        p: usize,
        path: &str,
        pkg: &str,
        sel: &str,
    ) -> R<Operand> {
        Ok(match (path, sel) {
            ("time", "Nanosecond") => duration_const(self, NS),
            ("time", "Microsecond") => duration_const(self, 1_000 * NS),
            ("time", "Millisecond") => duration_const(self, 1_000_000 * NS),
            ("time", "Second") => duration_const(self, 1_000_000_000 * NS),
            ("time", "Minute") => duration_const(self, 60_000_000_000 * NS),
            ("time", "Hour") => duration_const(self, 3_600_000_000_000 * NS),
            ("math", "MaxInt64") | ("math", "MaxInt") => {
                Operand::Const(Const::int(i64::MAX as i128))
            }
            ("math", "MinInt64") | ("math", "MinInt") => {
                Operand::Const(Const::int(i64::MIN as i128))
            }
            ("math", "MaxInt32") => Operand::Const(Const::int(i32::MAX as i128)),
            ("math", "MinInt32") => Operand::Const(Const::int(i32::MIN as i128)),
            ("math", "Pi") => Operand::Const(Const {
                val: ConstVal::Float(std::f64::consts::PI),
                ty: Type::UntypedFloat,
            }),
            ("context", "Canceled") | ("context", "DeadlineExceeded") => {
                let text = if sel == "Canceled" {
                    "context canceled"
                } else {
                    "context deadline exceeded"
                };
                let s = self.konst(p, Value::str(text))?;
                let dst = self.reg(p)?;
                self.emit(Op::Box {
                    dst,
                    src: s,
                    ty: error_string("context.deadlineExceededError"),
                });
                Operand::Val(dst, Type::error())
            }
            _ => {
                if lib_type(path, sel, self).is_some() {
                    return Err(self.err(p, format!("{pkg}.{sel} (type) is not an expression")));
                }
                return Err(self.err(
                    p,
                    format!("undefined: {pkg}.{sel} (or not available in GMP Lab's Go subset)"),
                ));
            }
        })
    }
}

/// A call of a package-level library function.
pub(super) fn package_call(
    c: &mut Compiler<'_>,
    p: usize,
    path: &str,
    name: &str,
    args: Vec<Arg>,
    spread: bool,
) -> R<Operand> {
    let n = args.len();
    let short = path.rsplit('/').next().unwrap_or(path);
    let callee = format!("{short}.{name}");
    let arity = |c: &Compiler<'_>, k: usize| check_arity(c, p, &callee, n, k);
    c.at(p);
    let int = Type::int();
    match (path, name) {
        ("fmt", "Println" | "Print" | "Printf" | "Sprintf" | "Sprint" | "Sprintln" | "Errorf") => {
            super::lib_fmt::fmt_call(c, p, name, &args, spread)
        }
        ("errors", "New") => {
            arity(c, 1)?;
            let msg = c.arg_value(&args[0], &Type::Str)?;
            let obj = c.reg(p)?;
            c.emit(Op::NewStruct {
                dst: obj,
                type_name: Rc::from("*errors.errorString"),
                fields: vec![msg],
            });
            let e = c.reg(p)?;
            c.emit(Op::Box {
                dst: e,
                src: obj,
                ty: error_string("*errors.errorString"),
            });
            Ok(Operand::Val(e, Type::error()))
        }
        ("errors", "Is") => lib_fn(
            c,
            p,
            LibFn::ErrorsIs,
            &[Type::error(), Type::error()],
            Type::Bool,
            &args,
        ),
        ("errors", "Unwrap") => lib_fn(
            c,
            p,
            LibFn::ErrorsUnwrap,
            &[Type::error()],
            Type::error(),
            &args,
        ),
        (
            "sync/atomic",
            "AddInt64"
            | "AddInt32"
            | "LoadInt64"
            | "LoadInt32"
            | "StoreInt64"
            | "StoreInt32"
            | "CompareAndSwapInt64"
            | "CompareAndSwapInt32",
        ) => {
            let ty = if name.ends_with("32") {
                Type::Int(IntKind::Int32)
            } else {
                Type::Int(IntKind::Int64)
            };
            let ptr_ty = Type::Pointer(Rc::new(ty.clone()));
            let want = if name.starts_with("Load") {
                1
            } else if name.starts_with("Compare") {
                3
            } else {
                2
            };
            arity(c, want)?;
            let ptr = c.arg_value(&args[0], &ptr_ty)?;
            let dst = c.reg(p)?;
            if name.starts_with("Add") {
                let d = c.arg_value(&args[1], &ty)?;
                c.emit(Op::AtomicAdd {
                    dst: Some(dst),
                    ptr,
                    delta: d,
                });
                Ok(Operand::Val(dst, ty))
            } else if name.starts_with("Load") {
                c.emit(Op::AtomicLoad { dst, ptr });
                Ok(Operand::Val(dst, ty))
            } else if name.starts_with("Store") {
                let v = c.arg_value(&args[1], &ty)?;
                c.emit(Op::AtomicStore { ptr, val: v });
                c.no_value(p)
            } else {
                let old = c.arg_value(&args[1], &ty)?;
                let new = c.arg_value(&args[2], &ty)?;
                c.emit(Op::AtomicCas { dst, ptr, old, new });
                Ok(Operand::Val(dst, Type::Bool))
            }
        }
        ("time", "Sleep") => {
            arity(c, 1)?;
            let d = c.arg_value(&args[0], &c.duration.clone())?;
            c.emit(Op::Sleep { dur: d });
            c.no_value(p)
        }
        ("time", "After" | "Tick" | "NewTimer" | "NewTicker") => {
            arity(c, 1)?;
            let d = c.arg_value(&args[0], &c.duration.clone())?;
            let (t, ch) = (c.reg(p)?, c.reg(p)?);
            let ticker = matches!(name, "Tick" | "NewTicker");
            c.emit(Op::NewTimer {
                dst: t,
                ch,
                dur: d,
                ticker,
            });
            let chan_ty = Type::Chan(ChanDir::Recv, Rc::new(Type::Lib(Lib::Time)));
            match name {
                "After" | "Tick" => Ok(Operand::Val(ch, chan_ty)),
                _ => {
                    let dst = c.reg(p)?;
                    c.emit(Op::Tuple {
                        dst,
                        vals: vec![t, ch],
                    });
                    Ok(Operand::Val(
                        dst,
                        Type::Lib(if ticker { Lib::Ticker } else { Lib::Timer }),
                    ))
                }
            }
        }
        ("time", "Now") | ("gmplab/lab", "Start") => {
            arity(c, 0)?;
            let dst = c.reg(p)?;
            c.emit(Op::Now { dst });
            Ok(Operand::Val(dst, Type::Lib(Lib::Time)))
        }
        ("time", "Since" | "Until") | ("gmplab/lab", "Finish") => {
            // Since(t) = now - t, Until(t) = t - now.
            arity(c, 1)?;
            let t = c.arg_value(&args[0], &Type::Lib(Lib::Time))?;
            let now = c.reg(p)?;
            c.emit(Op::Now { dst: now });
            let dst = c.reg(p)?;
            let (a, b) = if name == "Until" { (t, now) } else { (now, t) };
            c.emit(Op::Bin {
                op: BinOp::Sub,
                dst,
                a,
                b,
            });
            if name == "Finish" {
                // lab.Finish records the request's latency.
                c.emit(Op::Observe { dur: dst });
                return c.no_value(p);
            }
            Ok(Operand::Val(dst, c.duration.clone()))
        }
        ("context", "Background" | "TODO") => {
            arity(c, 0)?;
            let raw = c.reg(p)?;
            c.emit(Op::CtxBackground { dst: raw });
            let nil = c.konst(p, Value::Nil)?;
            Ok(Operand::Val(
                context_node(c, p, raw, nil, nil, nil)?,
                Type::Lib(Lib::Context),
            ))
        }
        ("context", "WithCancel" | "WithTimeout" | "WithDeadline" | "WithValue") => {
            arity(
                c,
                if name == "WithCancel" {
                    1
                } else if name == "WithValue" {
                    3
                } else {
                    2
                },
            )?;
            let parent = c.arg_value(&args[0], &Type::Lib(Lib::Context))?;
            let parent_raw = c.reg(p)?;
            c.emit(Op::Field {
                dst: parent_raw,
                obj: parent,
                index: 0,
            });
            let (timeout, deadline) = match name {
                "WithTimeout" => (Some(c.arg_value(&args[1], &c.duration.clone())?), None),
                "WithDeadline" => (None, Some(c.arg_value(&args[1], &Type::Lib(Lib::Time))?)),
                _ => (None, None),
            };
            let raw = c.reg(p)?;
            c.emit(Op::CtxDerive {
                dst: raw,
                parent: parent_raw,
                timeout,
                deadline,
            });
            if name == "WithValue" {
                // A child that is cancelled with its parent and carries one key and value.
                let key = c.arg_value(&args[1], &Type::any())?;
                let val = c.arg_value(&args[2], &Type::any())?;
                return Ok(Operand::Val(
                    context_node(c, p, raw, key, val, parent)?,
                    Type::Lib(Lib::Context),
                ));
            }
            let nil = c.konst(p, Value::Nil)?;
            let ctx = context_node(c, p, raw, nil, nil, parent)?;
            let tuple = c.reg(p)?;
            c.emit(Op::Tuple {
                dst: tuple,
                vals: vec![ctx, raw],
            });
            Ok(Operand::Val(
                tuple,
                Type::Tuple(Rc::from(vec![
                    Type::Lib(Lib::Context),
                    Type::Lib(Lib::CancelFunc),
                ])),
            ))
        }
        ("runtime", "NumGoroutine") => {
            arity(c, 0)?;
            let dst = c.reg(p)?;
            c.emit(Op::NumGoroutine { dst });
            Ok(Operand::Val(dst, int))
        }
        ("runtime", "Gosched") => {
            arity(c, 0)?;
            c.emit(Op::Gosched);
            c.no_value(p)
        }
        ("runtime", "GOMAXPROCS") => {
            arity(c, 1)?;
            let v = c.arg_value(&args[0], &int)?;
            let dst = c.reg(p)?;
            c.emit(Op::SetMaxProcs {
                dst: Some(dst),
                n: v,
            });
            Ok(Operand::Val(dst, int))
        }
        ("runtime", "NumCPU") => {
            arity(c, 0)?;
            // The simulated machine has as many CPUs as the run's GOMAXPROCS.
            let zero = c.konst(p, Value::Int(0))?;
            let dst = c.reg(p)?;
            c.emit(Op::SetMaxProcs {
                dst: Some(dst),
                n: zero,
            });
            Ok(Operand::Val(dst, int))
        }
        ("sort", "Ints" | "Strings" | "Float64s") => {
            arity(c, 1)?;
            let el = match name {
                "Ints" => Type::int(),
                "Strings" => Type::Str,
                _ => Type::Float,
            };
            let s = c.arg_value(&args[0], &Type::Slice(Rc::new(el)))?;
            let f = match name {
                "Ints" => LibFn::SortInts,
                "Strings" => LibFn::SortStrings,
                _ => LibFn::SortFloat64s,
            };
            c.emit(Op::Lib {
                dst: None,
                f,
                args: vec![s],
            });
            c.no_value(p)
        }
        ("sort", "Slice" | "SliceStable") => {
            arity(c, 2)?;
            let (s, st) = c.arg_rvalue(&args[0])?;
            if !matches!(st.underlying(), Type::Slice(_)) {
                return Err(c.err(p, format!("sort.{name} needs a slice, not {st}")));
            }
            let less_sig = Sig {
                params: vec![Type::int(), Type::int()],
                results: vec![Type::Bool],
                variadic: false,
            };
            let less = c.arg_value(&args[1], &Type::Func(Rc::new(less_sig)))?;
            insertion_sort(c, p, s, less)?;
            c.no_value(p)
        }
        ("strings", _) => {
            let (f, params, result): (LibFn, Vec<Type>, Type) = match name {
                "Contains" => (
                    LibFn::StringsContains,
                    vec![Type::Str, Type::Str],
                    Type::Bool,
                ),
                "HasPrefix" => (
                    LibFn::StringsHasPrefix,
                    vec![Type::Str, Type::Str],
                    Type::Bool,
                ),
                "HasSuffix" => (
                    LibFn::StringsHasSuffix,
                    vec![Type::Str, Type::Str],
                    Type::Bool,
                ),
                "Index" => (LibFn::StringsIndex, vec![Type::Str, Type::Str], Type::int()),
                "Count" => (LibFn::StringsCount, vec![Type::Str, Type::Str], Type::int()),
                "Split" => (
                    LibFn::StringsSplit,
                    vec![Type::Str, Type::Str],
                    Type::Slice(Rc::new(Type::Str)),
                ),
                "Fields" => (
                    LibFn::StringsFields,
                    vec![Type::Str],
                    Type::Slice(Rc::new(Type::Str)),
                ),
                "Join" => (
                    LibFn::StringsJoin,
                    vec![Type::Slice(Rc::new(Type::Str)), Type::Str],
                    Type::Str,
                ),
                "Repeat" => (
                    LibFn::StringsRepeat,
                    vec![Type::Str, Type::int()],
                    Type::Str,
                ),
                "ToUpper" => (LibFn::StringsToUpper, vec![Type::Str], Type::Str),
                "ToLower" => (LibFn::StringsToLower, vec![Type::Str], Type::Str),
                "TrimSpace" => (LibFn::StringsTrimSpace, vec![Type::Str], Type::Str),
                "ReplaceAll" => (
                    LibFn::StringsReplaceAll,
                    vec![Type::Str, Type::Str, Type::Str],
                    Type::Str,
                ),
                _ => {
                    return Err(c.err(
                        p,
                        format!(
                            "undefined: strings.{name} (or not available in GMP Lab's Go subset)"
                        ),
                    ))
                }
            };
            lib_fn(c, p, f, &params, result, &args)
        }
        ("strconv", "Itoa") => {
            arity(c, 1)?;
            let v = c.arg_value(&args[0], &int)?;
            let dst = c.reg(p)?;
            c.emit(Op::Convert {
                dst,
                src: v,
                conv: crate::runtime::ir::Conv::Itoa,
            });
            Ok(Operand::Val(dst, Type::Str))
        }
        ("strconv", "Atoi") => lib_fn(
            c,
            p,
            LibFn::Atoi,
            &[Type::Str],
            Type::Tuple(Rc::from(vec![Type::int(), Type::error()])),
            &args,
        ),
        ("math/rand", "Intn") => lib_fn(
            c,
            p,
            LibFn::RandIntn,
            std::slice::from_ref(&int),
            Type::int(),
            &args,
        ),
        ("math/rand", "Float64") => lib_fn(c, p, LibFn::RandFloat64, &[], Type::Float, &args),
        ("math/rand", "Seed") => {
            arity(c, 1)?;
            c.arg_rvalue(&args[0])?;
            c.no_value(p)
        }
        ("gmplab/lab", "Work" | "Syscall" | "Observe") => {
            arity(c, 1)?;
            let d = c.arg_value(&args[0], &c.duration.clone())?;
            c.emit(match name {
                "Work" => Op::Compute { dur: d },
                "Syscall" => Op::Syscall {
                    dur: d,
                    kind: crate::runtime::ir::SyscallKind::Blocking,
                },
                _ => Op::Observe { dur: d },
            });
            c.no_value(p)
        }
        ("gmplab/lab", "Exp") => {
            let d = c.duration.clone();
            lib_fn(
                c,
                p,
                LibFn::LabExp,
                std::slice::from_ref(&d),
                d.clone(),
                &args,
            )
        }
        ("gmplab/lab", "Uniform") => {
            let d = c.duration.clone();
            lib_fn(c, p, LibFn::LabUniform, &[d.clone(), d.clone()], d, &args)
        }
        ("gmplab/lab", "Observed") => lib_fn(c, p, LibFn::LabObserved, &[], Type::int(), &args),
        ("gmplab/lab", "Count") => {
            arity(c, 2)?;
            let name = c.arg_value(&args[0], &Type::Str)?;
            let n = c.arg_value(&args[1], &Type::int())?;
            c.emit(Op::Lib {
                dst: None,
                f: LibFn::LabCount,
                args: vec![name, n],
            });
            c.no_value(p)
        }
        ("math", "Sqrt") => lib_fn(c, p, LibFn::MathSqrt, &[Type::Float], Type::Float, &args),
        ("math", "Abs") => lib_fn(c, p, LibFn::MathAbs, &[Type::Float], Type::Float, &args),
        ("math", "Pow") => lib_fn(
            c,
            p,
            LibFn::MathPow,
            &[Type::Float, Type::Float],
            Type::Float,
            &args,
        ),
        ("math", "Floor") => lib_fn(c, p, LibFn::MathFloor, &[Type::Float], Type::Float, &args),
        ("math", "Ceil") => lib_fn(c, p, LibFn::MathCeil, &[Type::Float], Type::Float, &args),
        ("math", "Inf") => lib_fn(c, p, LibFn::MathInf, &[int], Type::Float, &args),
        _ => {
            let short = path.rsplit('/').next().unwrap_or(path);
            Err(c.err(
                p,
                format!("undefined: {short}.{name} (or not available in GMP Lab's Go subset)"),
            ))
        }
    }
}

fn lib_fn(
    c: &mut Compiler<'_>,
    p: usize,
    f: LibFn,
    params: &[Type],
    result: Type,
    args: &[Arg],
) -> R<Operand> {
    if args.len() != params.len() {
        return Err(c.err(
            p,
            format!(
                "wrong number of arguments: have {}, want {}",
                args.len(),
                params.len()
            ),
        ));
    }
    let mut regs = Vec::new();
    for (a, t) in args.iter().zip(params) {
        regs.push(c.arg_value(a, t)?);
    }
    let dst = c.reg(p)?;
    c.emit(Op::Lib {
        dst: Some(dst),
        f,
        args: regs,
    });
    Ok(Operand::Val(dst, result))
}

/// sort.Slice as a stable insertion sort calling the learner's less function (any correct sort
/// gives Go's result when keys are distinct; with ties sort.SliceStable's order).
fn insertion_sort(c: &mut Compiler<'_>, p: usize, s: Reg, less: Reg) -> R<()> {
    let len = c.reg(p)?;
    c.emit(Op::LenOf { dst: len, v: s });
    let i = c.konst(p, Value::Int(1))?;
    let one = c.konst(p, Value::Int(1))?;
    let zero = c.konst(p, Value::Int(0))?;
    let outer = c.here();
    let cond = c.reg(p)?;
    c.emit(Op::Bin {
        op: BinOp::Lt,
        dst: cond,
        a: i,
        b: len,
    });
    let exit = c.emit(Op::JumpIfNot { cond, to: 0 });
    let j = c.reg(p)?;
    c.emit(Op::Move { dst: j, src: i });
    let inner = c.here();
    let more = c.reg(p)?;
    c.emit(Op::Bin {
        op: BinOp::Gt,
        dst: more,
        a: j,
        b: zero,
    });
    let inner_exit = c.emit(Op::JumpIfNot { cond: more, to: 0 });
    let jm1 = c.reg(p)?;
    c.emit(Op::Bin {
        op: BinOp::Sub,
        dst: jm1,
        a: j,
        b: one,
    });
    let lt = c.reg(p)?;
    c.emit(Op::Call {
        func: Callee::Dynamic(less),
        args: vec![j, jm1],
        dst: Some(lt),
    });
    let stop = c.emit(Op::JumpIfNot { cond: lt, to: 0 });
    let (a, b) = (c.reg(p)?, c.reg(p)?);
    c.emit(Op::Index {
        dst: a,
        base: s,
        idx: j,
    });
    c.emit(Op::Index {
        dst: b,
        base: s,
        idx: jm1,
    });
    c.emit(Op::SetIndex {
        base: s,
        idx: j,
        val: b,
    });
    c.emit(Op::SetIndex {
        base: s,
        idx: jm1,
        val: a,
    });
    c.emit(Op::Move { dst: j, src: jm1 });
    c.emit(Op::Jump { to: inner });
    let next = c.here();
    c.patch(inner_exit, next);
    c.patch(stop, next);
    c.emit(Op::Bin {
        op: BinOp::Add,
        dst: i,
        a: i,
        b: one,
    });
    c.emit(Op::Jump { to: outer });
    let end = c.here();
    c.patch(exit, end);
    Ok(())
}

/// Go's message for a call with the wrong number of arguments.
pub(super) fn check_arity(c: &Compiler<'_>, p: usize, callee: &str, n: usize, k: usize) -> R<()> {
    if n == k {
        return Ok(());
    }
    Err(c.err(
        p,
        format!(
            "{} arguments in call to {callee}\n\thave {n}\n\twant {k}",
            if n < k { "not enough" } else { "too many" }
        ),
    ))
}

/// The type `func()`: what go, defer, Once.Do and WaitGroup.Go run.
pub(super) fn func_type() -> Type {
    Type::Func(Rc::new(Sig {
        params: vec![],
        results: vec![],
        variadic: false,
    }))
}
