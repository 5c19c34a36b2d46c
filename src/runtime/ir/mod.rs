//! The goroutine program representation the runtime executes: functions of register-based operations.
//!
//! The Go front end compiles to this, and tests write it directly through [`super::build`]. Each
//! operation carries a source span so the views can mark every goroutine's current line. Values are
//! small and copyable (16-24 bytes); anything shared between goroutines (captured variables, slices,
//! structs, channels, mutexes) lives in the runtime's arenas and is referred to by index, so cloning
//! the runtime is a deep copy and a checkpoint.

use std::rc::Rc;

pub use super::fmt::{FmtKind, FormatSpec};
pub use super::types::{Boxed, RType};

/// A register within a call frame.
pub type Reg = u16;
/// A function within a program.
pub type FuncId = u32;
/// A position in the op list of a function.
pub type Pc = u32;

/// A source position: 1-based line and column (0 when the op has no source, as in tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

mod value;

pub use value::{CellId, ChanId, MutexId, RwMutexId, SliceRef, Value, WaitGroupId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    AndNot,
    Shl,
    Shr,
}

/// A conversion between basic types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    IntToFloat,
    /// Truncation toward zero, as Go converts a float to an integer.
    FloatToInt,
    /// To a sized integer type: keep `bits` bits, sign-extended when `signed`.
    Wrap {
        bits: u8,
        signed: bool,
    },
    /// string(rune)
    RuneToString,
    /// []byte(s)
    StringToBytes,
    /// string(b)
    BytesToString,
    /// []rune(s)
    StringToRunes,
    /// string(runes)
    RunesToString,
    /// strconv.Itoa
    Itoa,
}

/// The library functions the runtime implements directly (strings, sort, strconv, math, rand).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LibFn {
    StringsContains,
    StringsHasPrefix,
    StringsHasSuffix,
    StringsIndex,
    StringsSplit,
    StringsJoin,
    StringsRepeat,
    StringsToUpper,
    StringsToLower,
    StringsTrimSpace,
    StringsFields,
    StringsReplaceAll,
    StringsCount,
    SortInts,
    SortStrings,
    SortFloat64s,
    /// strconv.Atoi: (int, error) as a tuple.
    Atoi,
    /// math/rand.Intn(n) from the run's seeded generator.
    RandIntn,
    RandFloat64,
    MathSqrt,
    MathAbs,
    MathPow,
    MathFloor,
    MathCeil,
    MathMaxInt,
    MathInf,
    /// lab.Exp(mean): an exponentially distributed duration from the run's generator.
    LabExp,
    /// lab.Uniform(lo, hi): a uniformly distributed duration in [lo, hi].
    LabUniform,
    /// lab.Observed(): how many latency observations the run recorded.
    LabObserved,
    /// lab.Count(name, n): adds n to the run's counter `name` (a lesson's summary metric).
    LabCount,
    /// errors.Is: the error or any error it wraps (fmt.Errorf's %w) equals the target.
    ErrorsIs,
    /// errors.Unwrap: the error fmt.Errorf's %w wrapped, or nil.
    ErrorsUnwrap,
}

/// One case of a `select`.
#[derive(Clone, Debug, PartialEq)]
pub enum SelectCase {
    /// `case ch <- v:`
    Send { ch: Reg, val: Reg },
    /// `case v, ok := <-ch:` (either destination may be absent).
    Recv {
        ch: Reg,
        dst: Option<Reg>,
        ok: Option<Reg>,
    },
}

/// Whether a syscall blocks its thread so long that the P should be handed off at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyscallKind {
    /// A short call (a read from a ready socket): the P waits in _Psyscall until sysmon retakes it.
    Fast,
    /// A call known to block (entersyscallblock): the P is handed off immediately.
    Blocking,
}

/// One operation. Operands are registers of the current frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    // ---- local computation (invisible steps) ----
    Const {
        dst: Reg,
        val: Value,
    },
    Move {
        dst: Reg,
        src: Reg,
    },
    Bin {
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Not {
        dst: Reg,
        src: Reg,
    },
    Jump {
        to: Pc,
    },
    JumpIf {
        cond: Reg,
        to: Pc,
    },
    JumpIfNot {
        cond: Reg,
        to: Pc,
    },
    /// Call a function value or a known function; arguments are consecutive registers.
    Call {
        func: Callee,
        args: Vec<Reg>,
        dst: Option<Reg>,
    },
    Return {
        val: Option<Reg>,
    },
    /// A closure over the given cells.
    MakeClosure {
        dst: Reg,
        func: FuncId,
        cells: Vec<Reg>,
    },

    // ---- shared memory (visible: other goroutines can see the effect) ----
    /// A new heap cell holding `init`.
    NewCell {
        dst: Reg,
        init: Reg,
    },
    Load {
        dst: Reg,
        ptr: Reg,
    },
    Store {
        ptr: Reg,
        val: Reg,
    },
    AtomicAdd {
        dst: Option<Reg>,
        ptr: Reg,
        delta: Reg,
    },
    AtomicLoad {
        dst: Reg,
        ptr: Reg,
    },
    AtomicStore {
        ptr: Reg,
        val: Reg,
    },
    AtomicCas {
        dst: Reg,
        ptr: Reg,
        old: Reg,
        new: Reg,
    },

    // ---- time and the scheduler ----
    /// Burn CPU for a duration in ns (a register holding an Int).
    Compute {
        dur: Reg,
    },
    /// `go f(args)`.
    Go {
        func: Callee,
        args: Vec<Reg>,
    },
    Gosched,
    Sleep {
        dur: Reg,
    },
    Syscall {
        dur: Reg,
        kind: SyscallKind,
    },
    /// runtime.GOMAXPROCS(n); n <= 0 only reads.
    SetMaxProcs {
        dst: Option<Reg>,
        n: Reg,
    },
    NumGoroutine {
        dst: Reg,
    },
    /// The virtual time in ns since the start (time.Now relative to start).
    Now {
        dst: Reg,
    },

    // ---- channels ----
    /// make(chan T, cap); `zero` is T's zero value, what a receive from a closed channel yields.
    MakeChan {
        dst: Reg,
        cap: Reg,
        zero: Value,
    },
    Send {
        ch: Reg,
        val: Reg,
    },
    Recv {
        ch: Reg,
        dst: Option<Reg>,
        ok: Option<Reg>,
    },
    Close {
        ch: Reg,
    },
    Len {
        dst: Reg,
        ch: Reg,
    },
    Cap {
        dst: Reg,
        ch: Reg,
    },
    /// `select`; `dst` receives the index of the chosen case (cases.len() for default).
    Select {
        cases: Vec<SelectCase>,
        default: bool,
        dst: Reg,
    },

    // ---- sync ----
    NewMutex {
        dst: Reg,
    },
    NewRwMutex {
        dst: Reg,
    },
    Lock {
        m: Reg,
    },
    Unlock {
        m: Reg,
    },
    RLock {
        m: Reg,
    },
    RUnlock {
        m: Reg,
    },
    NewWaitGroup {
        dst: Reg,
    },
    WgAdd {
        wg: Reg,
        delta: Reg,
    },
    WgWait {
        wg: Reg,
    },

    // ---- timers and context ----
    /// time.NewTimer(dur) (period None) or time.NewTicker(dur) (period Some): `dst` gets the timer,
    /// `ch` its channel C. time.After(d) is NewTimer(d).C.
    NewTimer {
        dst: Reg,
        ch: Reg,
        dur: Reg,
        ticker: bool,
    },
    /// t.Stop(): `dst` (optional) is true if the timer was active.
    StopTimer {
        dst: Option<Reg>,
        timer: Reg,
    },
    /// context.Background().
    CtxBackground {
        dst: Reg,
    },
    /// context.WithCancel(parent); with `dur`, WithTimeout(parent, dur); with `at`, WithDeadline.
    CtxDerive {
        dst: Reg,
        parent: Reg,
        timeout: Option<Reg>,
        deadline: Option<Reg>,
    },
    /// The cancel function of a derived context.
    CtxCancel {
        ctx: Reg,
    },
    /// ctx.Done(): a channel closed on cancellation (nil for Background).
    CtxDone {
        dst: Reg,
        ctx: Reg,
    },
    /// ctx.Err(): nil, "context canceled" or "context deadline exceeded".
    CtxErr {
        dst: Reg,
        ctx: Reg,
    },
    /// ctx.Deadline(): (the earliest deadline up the chain, true), or (zero time, false).
    CtxDeadline {
        dst: Reg,
        ctx: Reg,
    },
    /// sync.Once value.
    NewOnce {
        dst: Reg,
    },
    /// once.Do(f): the first caller runs f; concurrent callers wait until it returns.
    OnceDo {
        once: Reg,
        func: Callee,
    },

    // ---- slices, maps, structs ----
    /// make([]T, len, cap), elements set to `zero`.
    MakeSlice {
        dst: Reg,
        len: Reg,
        cap: Reg,
        zero: Value,
    },
    /// base[idx] for a slice, string (a byte, as an int) or map (zero value if missing).
    Index {
        dst: Reg,
        base: Reg,
        idx: Reg,
    },
    /// base[idx] = val for a slice or map.
    SetIndex {
        base: Reg,
        idx: Reg,
        val: Reg,
    },
    /// append(slice, vals...): in place while capacity lasts, else into a new array of double size.
    Append {
        dst: Reg,
        slice: Reg,
        vals: Vec<Reg>,
    },
    /// base[lo:hi] for a slice or string (hi None: to the end).
    SliceOf {
        dst: Reg,
        base: Reg,
        lo: Reg,
        hi: Option<Reg>,
    },
    /// copy(dst, src): `n` gets the number copied.
    CopySlice {
        n: Option<Reg>,
        to: Reg,
        from: Reg,
    },
    /// len(v) for a slice, string, map or channel; cap(v) for a slice or channel.
    LenOf {
        dst: Reg,
        v: Reg,
    },
    CapOf {
        dst: Reg,
        v: Reg,
    },
    MakeMap {
        dst: Reg,
        zero: Value,
    },
    /// v, ok := m[key]
    MapLookup {
        dst: Reg,
        ok: Reg,
        m: Reg,
        key: Reg,
    },
    MapDelete {
        m: Reg,
        key: Reg,
    },
    /// The keys of a map as a slice, in a random order, as Go's map iteration is.
    MapKeys {
        dst: Reg,
        m: Reg,
    },
    /// A struct of the named type with the given field values.
    NewStruct {
        dst: Reg,
        type_name: Rc<str>,
        fields: Vec<Reg>,
    },
    /// The dynamic type of a value as Go names it ("int", "string", "main.Point", "[]int"), for %T
    /// and type switches on interface values.
    TypeName {
        dst: Reg,
        v: Reg,
    },
    /// Records a latency observation (ns) in the run's measurements.
    Observe {
        dur: Reg,
    },
    Field {
        dst: Reg,
        obj: Reg,
        index: u16,
    },
    SetField {
        obj: Reg,
        index: u16,
        val: Reg,
    },
    /// A copy of a struct (Go's value semantics on assignment).
    CloneObj {
        dst: Reg,
        src: Reg,
    },

    // ---- typed values and the library ----
    /// fmt.Sprint/Sprintln/Sprintf: the formatted text of `args` into `dst`.
    Format {
        dst: Reg,
        spec: Rc<FormatSpec>,
        args: Vec<Reg>,
    },
    /// Writes a string to standard output (fmt.Print and friends, after Format).
    Write {
        src: Reg,
    },
    /// Writes a string to standard error (the builtins print and println).
    WriteErr {
        src: Reg,
    },
    /// Converts a concrete value to an interface value of dynamic type `ty` (nil stays nil only
    /// for nil interfaces, which the front end never boxes).
    Box {
        dst: Reg,
        src: Reg,
        ty: Rc<RType>,
    },
    /// `x.(T)`: the value if the interface holds a `ty` (with `ok` true); without `ok`, a mismatch
    /// panics as Go does ("interface conversion: interface {} is string, not int").
    Unbox {
        dst: Reg,
        ok: Option<Reg>,
        src: Reg,
        ty: Rc<RType>,
    },
    /// Several values as one (a multi-value return).
    Tuple {
        dst: Reg,
        vals: Vec<Reg>,
    },
    /// One value of a tuple.
    TupleGet {
        dst: Reg,
        src: Reg,
        index: u16,
    },
    Convert {
        dst: Reg,
        src: Reg,
        conv: Conv,
    },
    /// `a == b` (or `!=` with `negate`) for struct and array values, compared field by field and
    /// element by element as `ty` says (pointers inside by identity), as Go compares them.
    Equal {
        dst: Reg,
        a: Reg,
        b: Reg,
        ty: Rc<RType>,
        negate: bool,
    },
    /// A struct or array value as a map key: its contents as a tuple (nested ones too), so equal
    /// values are the same key.
    KeyOf {
        dst: Reg,
        src: Reg,
        ty: Rc<RType>,
    },
    /// The struct or array value of a map key made by `KeyOf` (a new object).
    FromKey {
        dst: Reg,
        src: Reg,
        ty: Rc<RType>,
    },
    /// A library call with its arguments in `args`.
    Lib {
        dst: Option<Reg>,
        f: LibFn,
        args: Vec<Reg>,
    },

    // ---- output and failure ----
    /// fmt.Println of the registers, space-separated.
    Println {
        args: Vec<Reg>,
    },
    /// panic(v)
    Panic {
        val: Reg,
    },
    /// `defer f(args)`: the function and its arguments are evaluated now, the call runs when the
    /// surrounding function returns or panics.
    Defer {
        func: Callee,
        args: Vec<Reg>,
    },
    /// recover(): the panic value if called directly by a deferred function while panicking, else nil.
    Recover {
        dst: Reg,
    },
}

/// What a call or go statement runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Callee {
    /// A function known at compile time.
    Static(FuncId),
    /// A function value in a register.
    Dynamic(Reg),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Func {
    pub name: Rc<str>,
    /// Registers the frame needs; parameters come first.
    pub regs: u16,
    pub params: u16,
    pub ops: Vec<Op>,
    pub spans: Vec<Span>,
    /// Named results: when the function returns, after its deferred calls have run, its result is
    /// read again from these registers (`true`: the register points to the variable's cell), so a
    /// deferred closure that changes a named result changes what the caller gets, as in Go.
    pub named_results: Option<Rc<[(Reg, bool)]>>,
}

/// A whole program; `main` is where goroutine 1 starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub funcs: Vec<Func>,
    pub main: FuncId,
}

impl Program {
    pub fn func(&self, id: FuncId) -> Option<&Func> {
        self.funcs.get(id as usize)
    }
}
