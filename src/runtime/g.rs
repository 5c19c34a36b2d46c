//! Goroutines: their states and wait reasons, with Go's own names, and their call stacks.

use super::ir::{FuncId, Pc, Reg, Value};
use crate::sim::time::Nanos;

/// A goroutine id as Go prints it (goroutine 1 is main).
pub type GoId = u32;

/// runtime2.go's G states (`_Gidle` and `_Gpreempted` are folded into these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GStatus {
    Runnable,
    Running,
    Syscall,
    Waiting,
    Dead,
}

impl GStatus {
    pub fn go_name(self) -> &'static str {
        match self {
            GStatus::Runnable => "_Grunnable",
            GStatus::Running => "_Grunning",
            GStatus::Syscall => "_Gsyscall",
            GStatus::Waiting => "_Gwaiting",
            GStatus::Dead => "_Gdead",
        }
    }
}

/// Why a goroutine waits: the strings Go prints in goroutine headers (`goroutine 5 [chan send]:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitReason {
    ChanSend,
    ChanReceive,
    ChanSendNilChan,
    ChanReceiveNilChan,
    Select,
    SelectNoCases,
    MutexLock,
    RWMutexRLock,
    RWMutexLock,
    WaitGroupWait,
    Sleep,
}

impl WaitReason {
    pub fn go_name(self) -> &'static str {
        match self {
            WaitReason::ChanSend => "chan send",
            WaitReason::ChanReceive => "chan receive",
            WaitReason::ChanSendNilChan => "chan send (nil chan)",
            WaitReason::ChanReceiveNilChan => "chan receive (nil chan)",
            WaitReason::Select => "select",
            WaitReason::SelectNoCases => "select (no cases)",
            WaitReason::MutexLock => "sync.Mutex.Lock",
            WaitReason::RWMutexRLock => "sync.RWMutex.RLock",
            WaitReason::RWMutexLock => "sync.RWMutex.Lock",
            WaitReason::WaitGroupWait => "sync.WaitGroup.Wait",
            WaitReason::Sleep => "sleep",
        }
    }
}

/// One call frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub func: FuncId,
    pub pc: Pc,
    /// Where the caller wants the return value.
    pub ret_to: Option<Reg>,
    /// Running its deferred calls because of a panic.
    pub unwinding: bool,
    /// This frame is a deferred call (recover works only directly in one).
    pub deferred: bool,
    pub regs: Vec<Value>,
    /// Rarely used state, boxed so that a million parked goroutines stay small.
    pub extra: Option<Box<FrameExtra>>,
    /// Stack bytes of this frame and those below it (Go's limit is on their sum).
    pub stack_bytes: u64,
}

/// Frame state most calls never need.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameExtra {
    /// This call is a sync.Once's f: when it returns, the Once is done.
    pub once: Option<u32>,
    /// Deferred calls, run last-in first-out: (function, its evaluated arguments).
    pub defers: Vec<(FuncId, Vec<Value>)>,
    /// Running its deferred calls on the way out, with this return value.
    pub returning: Option<Option<Value>>,
}

impl Frame {
    pub fn new(func: FuncId, regs: Vec<Value>, ret_to: Option<Reg>) -> Self {
        Frame {
            func,
            pc: 0,
            ret_to,
            unwinding: false,
            deferred: false,
            regs,
            extra: None,
            stack_bytes: 0,
        }
    }

    pub fn extra_mut(&mut self) -> &mut FrameExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    pub fn once(&self) -> Option<u32> {
        self.extra.as_ref().and_then(|e| e.once)
    }

    pub fn pop_defer(&mut self) -> Option<(FuncId, Vec<Value>)> {
        self.extra.as_mut().and_then(|e| e.defers.pop())
    }

    pub fn take_returning(&mut self) -> Option<Option<Value>> {
        self.extra.as_mut().and_then(|e| e.returning.take())
    }
}

/// What a parked goroutine will find when it resumes. Its pc still points at the operation it
/// parked in; this says how that operation ends.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Resume {
    /// Not parked (or already resumed).
    #[default]
    Nothing,
    /// The operation completed while it slept (a send was taken, a lock handed over, a sleep ended).
    Done,
    /// A receive completed: the value and whether it came from a send (false: closed channel).
    Received(Value, bool),
    /// A select completed with this case index (and for a receive, its value and ok).
    Selected(u32, Value, bool),
    /// A send resumed because the channel was closed: the goroutine must panic.
    SendOnClosed,
    /// Woken by a normal-mode Unlock: try the Lock again, having waited since this time.
    RetryLock(Nanos),
}

#[derive(Clone, Debug)]
pub struct Goroutine {
    pub id: GoId,
    pub status: GStatus,
    pub wait: Option<WaitReason>,
    pub frames: smallvec::SmallVec<[Frame; 1]>,
    /// What the operation it parked in produced, applied when it runs again.
    pub resume: Resume,
    /// CPU work left over from a preempted Compute.
    pub compute_left: Nanos,
    /// While computing: when the current Compute ends.
    pub busy_until: Nanos,
    /// The goroutine that created it (0 for main) and where.
    pub parent: GoId,
    pub created_at: (FuncId, Pc),
    /// When it last started running (for the 10 ms preemption rule).
    pub slice_start: Nanos,
    /// The value of a panic in progress (boxed: rare, and goroutines should stay small).
    pub panicking: Option<Box<Value>>,
}

impl Goroutine {
    pub fn top(&self) -> Option<&Frame> {
        self.frames.last()
    }
}
