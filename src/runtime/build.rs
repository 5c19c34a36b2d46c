//! Writing IR programs by hand, for tests and for models built on the runtime. Reads top to bottom
//! like the Go it stands for:
//!
//! ```
//! use gmplab::runtime::build::ProgramBuilder;
//! let mut b = ProgramBuilder::new();
//! let worker = b.declare("worker");
//! let main = b.func("main", 0, |f| {
//!     let ch = f.make_chan(0);       // ch := make(chan int)
//!     f.go(worker, &[ch]);           // go worker(ch)
//!     let v = f.recv(ch);            // v := <-ch
//!     f.println(&[v]);               // fmt.Println(v)
//! });
//! b.define(worker, 1, |f| {
//!     let ch = f.param(0);
//!     let v = f.int(42);
//!     f.send(ch, v);                 // ch <- 42
//! });
//! let program = b.build(main);
//! ```

use std::rc::Rc;

use super::ir::{
    BinOp, Callee, Func, FuncId, Op, Pc, Program, Reg, SelectCase, Span, SyscallKind, Value,
};

#[derive(Default)]
pub struct ProgramBuilder {
    funcs: Vec<Option<Func>>,
    names: Vec<String>,
}

impl ProgramBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a function id, to call it before it is defined.
    pub fn declare(&mut self, name: &str) -> FuncId {
        self.funcs.push(None);
        self.names.push(name.to_string());
        (self.funcs.len() - 1) as FuncId
    }

    /// Defines a declared function with `params` parameters (registers 0..params).
    pub fn define(&mut self, id: FuncId, params: u16, body: impl FnOnce(&mut FuncBuilder)) {
        let mut f = FuncBuilder {
            ops: Vec::new(),
            spans: Vec::new(),
            next_reg: params,
            params,
            line: 0,
        };
        body(&mut f);
        let name = self.names[id as usize].clone();
        self.funcs[id as usize] = Some(Func {
            name: Rc::from(name.as_str()),
            regs: f.next_reg,
            params,
            ops: f.ops,
            spans: f.spans,
            named_results: None,
        });
    }

    pub fn func(&mut self, name: &str, params: u16, body: impl FnOnce(&mut FuncBuilder)) -> FuncId {
        let id = self.declare(name);
        self.define(id, params, body);
        id
    }

    /// The program; a declared but undefined function becomes an empty one.
    pub fn build(self, main: FuncId) -> Program {
        let funcs = self
            .funcs
            .into_iter()
            .zip(self.names)
            .map(|(f, name)| {
                f.unwrap_or(Func {
                    name: Rc::from(name.as_str()),
                    regs: 0,
                    params: 0,
                    ops: Vec::new(),
                    spans: Vec::new(),
                    named_results: None,
                })
            })
            .collect();
        Program { funcs, main }
    }
}

pub struct FuncBuilder {
    ops: Vec<Op>,
    spans: Vec<Span>,
    next_reg: u16,
    params: u16,
    line: u32,
}

impl FuncBuilder {
    pub fn param(&self, i: u16) -> Reg {
        debug_assert!(i < self.params);
        i
    }

    /// A fresh register.
    pub fn reg(&mut self) -> Reg {
        self.next_reg += 1;
        self.next_reg - 1
    }

    /// Following operations belong to source line `line`.
    pub fn line(&mut self, line: u32) {
        self.line = line;
    }

    /// Appends an operation; returns its pc.
    pub fn op(&mut self, op: Op) -> Pc {
        self.ops.push(op);
        self.spans.push(Span {
            line: self.line,
            col: 1,
        });
        (self.ops.len() - 1) as Pc
    }

    /// The pc the next operation will have.
    pub fn here(&self) -> Pc {
        self.ops.len() as Pc
    }

    /// Points the jump at `at` to `to`.
    pub fn patch(&mut self, at: Pc, to: Pc) {
        match &mut self.ops[at as usize] {
            Op::Jump { to: t } | Op::JumpIf { to: t, .. } | Op::JumpIfNot { to: t, .. } => *t = to,
            _ => {}
        }
    }

    pub fn value(&mut self, val: Value) -> Reg {
        let dst = self.reg();
        self.op(Op::Const { dst, val });
        dst
    }

    pub fn int(&mut self, v: i64) -> Reg {
        self.value(Value::Int(v))
    }

    pub fn str(&mut self, s: &str) -> Reg {
        self.value(Value::str(s))
    }

    pub fn bin(&mut self, op: BinOp, a: Reg, b: Reg) -> Reg {
        let dst = self.reg();
        self.op(Op::Bin { op, dst, a, b });
        dst
    }

    /// `x += k` on a register.
    pub fn add_const(&mut self, x: Reg, k: i64) {
        let kr = self.int(k);
        self.op(Op::Bin {
            op: BinOp::Add,
            dst: x,
            a: x,
            b: kr,
        });
    }

    /// `for i := 0; i < n; i++ { body(i) }`
    pub fn for_n(&mut self, n: Reg, body: impl FnOnce(&mut FuncBuilder, Reg)) {
        let i = self.int(0);
        let top = self.here();
        let cond = self.bin(BinOp::Lt, i, n);
        let exit = self.op(Op::JumpIfNot { cond, to: 0 });
        body(self, i);
        self.add_const(i, 1);
        self.op(Op::Jump { to: top });
        let end = self.here();
        self.patch(exit, end);
    }

    /// `for { body }`
    pub fn forever(&mut self, body: impl FnOnce(&mut FuncBuilder)) {
        let top = self.here();
        body(self);
        self.op(Op::Jump { to: top });
    }

    pub fn make_chan(&mut self, cap: i64) -> Reg {
        let c = self.int(cap);
        let dst = self.reg();
        self.op(Op::MakeChan {
            dst,
            cap: c,
            zero: Value::Int(0),
        });
        dst
    }

    pub fn send(&mut self, ch: Reg, val: Reg) {
        self.op(Op::Send { ch, val });
    }

    pub fn recv(&mut self, ch: Reg) -> Reg {
        let dst = self.reg();
        self.op(Op::Recv {
            ch,
            dst: Some(dst),
            ok: None,
        });
        dst
    }

    /// `v, ok := <-ch`
    pub fn recv_ok(&mut self, ch: Reg) -> (Reg, Reg) {
        let dst = self.reg();
        let ok = self.reg();
        self.op(Op::Recv {
            ch,
            dst: Some(dst),
            ok: Some(ok),
        });
        (dst, ok)
    }

    pub fn close(&mut self, ch: Reg) {
        self.op(Op::Close { ch });
    }

    /// `select`; returns the register holding the chosen case (cases.len() for default).
    pub fn select(&mut self, cases: Vec<SelectCase>, default: bool) -> Reg {
        let dst = self.reg();
        self.op(Op::Select {
            cases,
            default,
            dst,
        });
        dst
    }

    pub fn go(&mut self, f: FuncId, args: &[Reg]) {
        self.op(Op::Go {
            func: Callee::Static(f),
            args: args.to_vec(),
        });
    }

    pub fn call(&mut self, f: FuncId, args: &[Reg]) -> Reg {
        let dst = self.reg();
        self.op(Op::Call {
            func: Callee::Static(f),
            args: args.to_vec(),
            dst: Some(dst),
        });
        dst
    }

    pub fn ret(&mut self, val: Option<Reg>) {
        self.op(Op::Return { val });
    }

    pub fn println(&mut self, args: &[Reg]) {
        self.op(Op::Println {
            args: args.to_vec(),
        });
    }

    pub fn compute_ns(&mut self, ns: i64) {
        let dur = self.int(ns);
        self.op(Op::Compute { dur });
    }

    pub fn sleep_ns(&mut self, ns: i64) {
        let dur = self.int(ns);
        self.op(Op::Sleep { dur });
    }

    pub fn syscall_ns(&mut self, ns: i64, kind: SyscallKind) {
        let dur = self.int(ns);
        self.op(Op::Syscall { dur, kind });
    }

    pub fn gosched(&mut self) {
        self.op(Op::Gosched);
    }

    pub fn gomaxprocs(&mut self, n: i64) {
        let n = self.int(n);
        self.op(Op::SetMaxProcs { dst: None, n });
    }

    pub fn new_mutex(&mut self) -> Reg {
        let dst = self.reg();
        self.op(Op::NewMutex { dst });
        dst
    }

    pub fn new_rwmutex(&mut self) -> Reg {
        let dst = self.reg();
        self.op(Op::NewRwMutex { dst });
        dst
    }

    pub fn lock(&mut self, m: Reg) {
        self.op(Op::Lock { m });
    }

    pub fn unlock(&mut self, m: Reg) {
        self.op(Op::Unlock { m });
    }

    pub fn new_waitgroup(&mut self) -> Reg {
        let dst = self.reg();
        self.op(Op::NewWaitGroup { dst });
        dst
    }

    pub fn wg_add(&mut self, wg: Reg, delta: i64) {
        let d = self.int(delta);
        self.op(Op::WgAdd { wg, delta: d });
    }

    pub fn wg_wait(&mut self, wg: Reg) {
        self.op(Op::WgWait { wg });
    }

    /// A heap cell (a shared variable) holding `init`.
    pub fn new_cell(&mut self, init: i64) -> Reg {
        let i = self.int(init);
        let dst = self.reg();
        self.op(Op::NewCell { dst, init: i });
        dst
    }

    pub fn load(&mut self, ptr: Reg) -> Reg {
        let dst = self.reg();
        self.op(Op::Load { dst, ptr });
        dst
    }

    pub fn store(&mut self, ptr: Reg, val: Reg) {
        self.op(Op::Store { ptr, val });
    }

    /// `*p++` without synchronisation: a load, an add and a store.
    pub fn incr(&mut self, ptr: Reg) {
        let v = self.load(ptr);
        self.add_const(v, 1);
        self.store(ptr, v);
    }

    pub fn atomic_add(&mut self, ptr: Reg, delta: i64) {
        let d = self.int(delta);
        self.op(Op::AtomicAdd {
            dst: None,
            ptr,
            delta: d,
        });
    }
}
