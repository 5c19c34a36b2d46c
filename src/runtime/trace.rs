//! What one step of the runtime did, in Go's terms, and how to say it to a learner.

use super::g::{GoId, WaitReason};
use super::ir::ChanId;
use crate::sim::text::Lang;
use crate::sim::time::Nanos;

pub type PId = u32;
pub type MId = u32;

/// Where a goroutine that starts running came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Runnext,
    LocalQueue,
    /// The every-61st-tick fairness check of the global queue.
    GlobalFair,
    /// A batch taken from the global queue (`n` goroutines moved to the local queue with it).
    GlobalBatch {
        n: u32,
    },
    /// Stolen from `victim`'s local queue (`n` goroutines in all).
    Stolen {
        victim: PId,
        n: u32,
    },
    /// Still running after a syscall returned.
    SyscallReturn,
}

/// Where a readied or created goroutine was put.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Into `p`'s runnext slot (`kicked` is the goroutine moved from runnext to the local tail).
    Runnext {
        p: PId,
        kicked: Option<GoId>,
    },
    LocalTail {
        p: PId,
    },
    /// The local queue was full: half of it plus this goroutine went to the global queue.
    GlobalOverflow {
        p: PId,
        moved: u32,
    },
    GlobalTail,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TraceEvent {
    /// `go f()`: goroutine `g` created by `parent` on `p`.
    GoCreate {
        g: GoId,
        parent: GoId,
        at: Placement,
    },
    /// `p` (on thread `m`) started running `g`.
    GoStart {
        g: GoId,
        p: PId,
        m: MId,
        from: Source,
    },
    /// `g` parked (`gopark`) for `reason`.
    GoPark {
        g: GoId,
        p: PId,
        reason: WaitReason,
        chan: Option<ChanId>,
    },
    /// `g` was made runnable (`goready`) by `by` (0 for a timer or the runtime).
    GoReady { g: GoId, by: GoId, at: Placement },
    /// `g` finished.
    GoExit { g: GoId, p: PId },
    /// runtime.Gosched: `g` yielded to the global queue.
    GoSched { g: GoId, p: PId },
    /// `g` yielded `p` to `to`, whom it just handed a mutex in starvation mode (`goyield`): it went
    /// to the local queue.
    GoYield {
        g: GoId,
        p: PId,
        to: GoId,
        at: Placement,
    },
    /// sysmon preempted `g`, which had run 10 ms on `p`.
    GoPreempt { g: GoId, p: PId, ran: Nanos },
    /// A goroutine operation that changed shared state (a send, a store, a lock...).
    Op { g: GoId, p: PId, what: OpEvent },
    /// `g` entered a syscall on `m`; `handoff` if its P was handed off at once.
    SyscallEnter {
        g: GoId,
        p: PId,
        m: MId,
        blocking: bool,
    },
    /// sysmon took `p` from thread `m`, stuck in a syscall.
    Retake { p: PId, m: MId },
    /// `g`'s syscall returned; `kept` if it got a P back (which).
    SyscallExit { g: GoId, m: MId, p: Option<PId> },
    /// A thread was started (or woken) for `p`, spinning to look for work.
    Wakep { p: PId, m: MId },
    /// `p` found nothing to run and went idle.
    PIdle { p: PId },
    /// GOMAXPROCS changed.
    ProcResize { from: u32, to: u32 },
    /// Output from fmt.Println.
    Print { g: GoId, text: String },
    /// The program ended: main returned (code 0) or a fatal error or panic (code 2).
    Exit { code: i32 },
}

/// Operations that change state other goroutines can see.
#[derive(Clone, Debug, PartialEq)]
pub enum OpEvent {
    MakeChan {
        ch: ChanId,
        cap: usize,
    },
    /// A send completed: into the buffer, or handed to a parked receiver.
    Send {
        ch: ChanId,
        to: Option<GoId>,
    },
    Recv {
        ch: ChanId,
        from: Option<GoId>,
        ok: bool,
    },
    Close {
        ch: ChanId,
        woke: u32,
    },
    Select {
        case: Option<usize>,
    },
    Lock {
        m: u32,
    },
    Unlock {
        m: u32,
        woke: Option<GoId>,
        handoff: bool,
    },
    StarvationMode {
        m: u32,
    },
    RLock {
        m: u32,
    },
    RUnlock {
        m: u32,
    },
    WgAdd {
        wg: u32,
        counter: i64,
    },
    WgWait {
        wg: u32,
    },
    Store {
        cell: u32,
    },
    Atomic {
        cell: u32,
    },
    Sleep {
        until: Nanos,
    },
    Compute {
        dur: Nanos,
    },
}

impl TraceEvent {
    /// One sentence for the narration line.
    pub fn narrate(&self, lang: Lang) -> String {
        use TraceEvent::*;
        let zh = lang == Lang::Zh;
        let place = |p: &Placement| {
            match (*p, zh) {
            (Placement::Runnext { p, kicked: None }, false) => format!("into P{p}'s runnext"),
            (Placement::Runnext { p, kicked: Some(k) }, false) => {
                format!("into P{p}'s runnext (G{k} moved to the local queue's tail)")
            }
            (Placement::LocalTail { p }, false) => format!("onto P{p}'s local queue"),
            (Placement::GlobalOverflow { p, moved }, false) => format!(
                "to the global queue: P{p}'s local queue was full, so {moved} goroutines moved there"
            ),
            (Placement::GlobalTail, false) => "onto the global queue".to_string(),
            (Placement::Runnext { p, kicked: None }, true) => format!("放进 P{p} 的 runnext"),
            (Placement::Runnext { p, kicked: Some(k) }, true) => {
                format!("放进 P{p} 的 runnext(原来的 G{k} 挪到本地队列尾部)")
            }
            (Placement::LocalTail { p }, true) => format!("放进 P{p} 的本地队列"),
            (Placement::GlobalOverflow { p, moved }, true) => {
                format!("放进全局队列:P{p} 的本地队列满了,连同一半共 {moved} 个 goroutine 挪过去")
            }
            (Placement::GlobalTail, true) => "放进全局队列".to_string(),
        }
        };
        match (self, zh) {
            (GoCreate { g, parent, at }, false) => format!("G{parent} created G{g}; it went {}.", place(at)),
            (GoCreate { g, parent, at }, true) => format!("G{parent} 创建了 G{g},{}。", place(at)),
            (GoStart { g, p, m, from }, _) => {
                let why = match (from, zh) {
                    (Source::Runnext, false) => "from runnext, inheriting the time slice".to_string(),
                    (Source::LocalQueue, false) => "from its local queue".to_string(),
                    (Source::GlobalFair, false) => "from the global queue (every 61st schedule checks it first)".to_string(),
                    (Source::GlobalBatch { n }, false) => format!("from the global queue, taking a batch of {n}"),
                    (Source::Stolen { victim, n }, false) => format!("after stealing {n} goroutines from P{victim}, whose queue was longer"),
                    (Source::SyscallReturn, false) => "again after its syscall".to_string(),
                    (Source::Runnext, true) => "取自 runnext,沿用当前时间片".to_string(),
                    (Source::LocalQueue, true) => "取自本地队列".to_string(),
                    (Source::GlobalFair, true) => "取自全局队列(每调度 61 次先查一次全局队列)".to_string(),
                    (Source::GlobalBatch { n }, true) => format!("从全局队列批量取了 {n} 个"),
                    (Source::Stolen { victim, n }, true) => format!("从 P{victim} 偷来 {n} 个 goroutine"),
                    (Source::SyscallReturn, true) => "系统调用返回后继续运行".to_string(),
                };
                if zh {
                    format!("P{p}(M{m})开始运行 G{g},{why}。")
                } else {
                    format!("P{p} (on M{m}) runs G{g} {why}.")
                }
            }
            (GoPark { g, reason, .. }, false) => format!("G{g} parked: [{}].", reason.go_name()),
            (GoPark { g, reason, .. }, true) => format!("G{g} 阻塞:[{}]。", reason.go_name()),
            (GoReady { g, by, at }, false) if *by == 0 => format!("G{g} is runnable again; it went {}.", place(at)),
            (GoReady { g, by, at }, false) => format!("G{by} woke G{g}; it went {}.", place(at)),
            (GoReady { g, by, at }, true) if *by == 0 => format!("G{g} 重新变为可运行,{}。", place(at)),
            (GoReady { g, by, at }, true) => format!("G{by} 唤醒了 G{g},{}。", place(at)),
            (GoExit { g, .. }, false) => format!("G{g} returned and is dead."),
            (GoExit { g, .. }, true) => format!("G{g} 执行完毕。"),
            (GoSched { g, p }, false) => format!("G{g} called runtime.Gosched on P{p} and went to the global queue's tail."),
            (GoSched { g, p }, true) => format!("G{g} 在 P{p} 上调用 runtime.Gosched,被放到全局队列尾部。"),
            (GoYield { g, p, to, .. }, false) => format!("G{g} yielded P{p} to G{to}, who now owns the mutex; G{g} went to the local queue (goyield)."),
            (GoYield { g, p, to, .. }, true) => format!("G{g} 把 P{p} 让给刚拿到锁的 G{to},自己进入本地队列(goyield)。"),
            (GoPreempt { g, p, ran }, false) => format!("sysmon preempted G{g}: it had run {:.1} ms on P{p}; it went to the global queue.", *ran as f64 / 1e6),
            (GoPreempt { g, p, ran }, true) => format!("sysmon 抢占了 G{g}:它已在 P{p} 上连续运行 {:.1} 毫秒,被放回全局队列。", *ran as f64 / 1e6),
            (Op { g, what, .. }, _) => narrate_op(*g, what, zh),
            (SyscallEnter { g, p, m, blocking: true }, false) => format!("G{g} entered a blocking syscall on M{m}; P{p} was handed off at once."),
            (SyscallEnter { g, p, m, blocking: false }, false) => format!("G{g} entered a syscall on M{m}; P{p} waits in _Psyscall."),
            (SyscallEnter { g, p, m, blocking: true }, true) => format!("G{g} 在 M{m} 上进入阻塞式系统调用,P{p} 立即被交出(handoff)。"),
            (SyscallEnter { g, p, m, blocking: false }, true) => format!("G{g} 在 M{m} 上进入系统调用,P{p} 处于 _Psyscall 状态。"),
            (Retake { p, m }, false) => format!("sysmon retook P{p} from M{m}, which is stuck in a syscall."),
            (Retake { p, m }, true) => format!("sysmon 从卡在系统调用里的 M{m} 手中收回了 P{p}。"),
            (SyscallExit { g, m, p: Some(p) }, false) => format!("G{g}'s syscall returned on M{m}, which got P{p}."),
            (SyscallExit { g, m, p: None }, false) => format!("G{g}'s syscall returned on M{m}, but no P was free: G{g} went to the global queue and M{m} sleeps."),
            (SyscallExit { g, m, p: Some(p) }, true) => format!("G{g} 的系统调用在 M{m} 上返回,拿到了 P{p}。"),
            (SyscallExit { g, m, p: None }, true) => format!("G{g} 的系统调用在 M{m} 上返回,但没有空闲的 P:G{g} 进入全局队列,M{m} 休眠。"),
            (Wakep { p, m }, false) => format!("wakep: M{m} woke up spinning on idle P{p} to look for work."),
            (Wakep { p, m }, true) => format!("wakep:M{m} 被唤醒,带着空闲的 P{p} 自旋找活干。"),
            (PIdle { p }, false) => format!("P{p} found no work (not even to steal) and went idle."),
            (PIdle { p }, true) => format!("P{p} 找不到可运行的 goroutine(也偷不到),进入空闲。"),
            (ProcResize { from, to }, false) => format!("GOMAXPROCS changed from {from} to {to}."),
            (ProcResize { from, to }, true) => format!("GOMAXPROCS 从 {from} 改为 {to}。"),
            (Print { g, text }, false) => format!("G{g} printed {text:?}."),
            (Print { g, text }, true) => format!("G{g} 输出 {text:?}。"),
            (Exit { code: 0 }, false) => "main returned: the program exits, whatever other goroutines were doing.".to_string(),
            (Exit { code: 0 }, true) => "main 返回,程序退出,其他 goroutine 不管在做什么都随之结束。".to_string(),
            (Exit { code }, false) => format!("The program died with exit status {code}."),
            (Exit { code }, true) => format!("程序异常退出,退出码 {code}。"),
        }
    }
}

fn narrate_op(g: GoId, what: &OpEvent, zh: bool) -> String {
    use OpEvent::*;
    match (what, zh) {
        (MakeChan { ch, cap }, false) => format!("G{g} made channel ch{} with buffer {cap}.", ch.0),
        (MakeChan { ch, cap }, true) => format!("G{g} 创建了 channel ch{},缓冲区 {cap}。", ch.0),
        (Send { ch, to: Some(r) }, false) => format!("G{g} sent on ch{}: handed straight to G{r}, parked in recvq.", ch.0),
        (Send { ch, to: None }, false) => format!("G{g} sent on ch{} into its buffer.", ch.0),
        (Send { ch, to: Some(r) }, true) => format!("G{g} 向 ch{} 发送:直接交给在 recvq 上等待的 G{r}。", ch.0),
        (Send { ch, to: None }, true) => format!("G{g} 向 ch{} 发送,值进入缓冲区。", ch.0),
        (Recv { ch, ok: false, .. }, false) => format!("G{g} received the zero value from closed ch{} (ok = false).", ch.0),
        (Recv { ch, from: Some(s), .. }, false) => format!("G{g} received on ch{}; parked sender G{s} can go on.", ch.0),
        (Recv { ch, .. }, false) => format!("G{g} received on ch{}.", ch.0),
        (Recv { ch, ok: false, .. }, true) => format!("G{g} 从已关闭的 ch{} 收到零值(ok = false)。", ch.0),
        (Recv { ch, from: Some(s), .. }, true) => format!("G{g} 从 ch{} 接收;阻塞的发送者 G{s} 可以继续了。", ch.0),
        (Recv { ch, .. }, true) => format!("G{g} 从 ch{} 接收。", ch.0),
        (Close { ch, woke }, false) => format!("G{g} closed ch{}, waking {woke} waiting goroutines.", ch.0),
        (Close { ch, woke }, true) => format!("G{g} 关闭了 ch{},唤醒了 {woke} 个等待者。", ch.0),
        (Select { case: Some(c) }, false) => format!("G{g}'s select chose case {c}."),
        (Select { case: None }, false) => format!("G{g}'s select took default: nothing was ready."),
        (Select { case: Some(c) }, true) => format!("G{g} 的 select 选中了第 {c} 个 case。"),
        (Select { case: None }, true) => format!("G{g} 的 select 走了 default:没有就绪的 case。"),
        (Lock { m }, false) => format!("G{g} locked mutex m{m}."),
        (Lock { m }, true) => format!("G{g} 获得了互斥锁 m{m}。"),
        (Unlock { m, woke: Some(w), handoff: true }, false) => format!("G{g} unlocked m{m} and handed it directly to G{w} (starvation mode)."),
        (Unlock { m, woke: Some(w), handoff: false }, false) => format!("G{g} unlocked m{m} and woke G{w} to compete for it."),
        (Unlock { m, .. }, false) => format!("G{g} unlocked m{m}."),
        (Unlock { m, woke: Some(w), handoff: true }, true) => format!("G{g} 解锁 m{m},直接把锁交给 G{w}(饥饿模式)。"),
        (Unlock { m, woke: Some(w), handoff: false }, true) => format!("G{g} 解锁 m{m},唤醒 G{w} 来抢锁。"),
        (Unlock { m, .. }, true) => format!("G{g} 解锁 m{m}。"),
        (StarvationMode { m }, false) => format!("m{m} entered starvation mode: G{g} waited over 1 ms; from now on Unlock hands the lock over in FIFO order."),
        (StarvationMode { m }, true) => format!("m{m} 进入饥饿模式:G{g} 等待超过 1 毫秒;此后 Unlock 按 FIFO 顺序直接交接锁。"),
        (RLock { m }, false) => format!("G{g} read-locked rw{m}."),
        (RLock { m }, true) => format!("G{g} 获得读锁 rw{m}。"),
        (RUnlock { m }, false) => format!("G{g} released its read lock on rw{m}."),
        (RUnlock { m }, true) => format!("G{g} 释放读锁 rw{m}。"),
        (WgAdd { wg, counter }, false) => format!("G{g}: wg{wg} counter is now {counter}."),
        (WgAdd { wg, counter }, true) => format!("G{g}:wg{wg} 计数变为 {counter}。"),
        (WgWait { wg }, false) => format!("G{g} passed wg{wg}.Wait (the counter was 0)."),
        (WgWait { wg }, true) => format!("G{g} 通过了 wg{wg}.Wait(计数为 0)。"),
        (Store { cell }, false) => format!("G{g} wrote shared variable v{cell}."),
        (Store { cell }, true) => format!("G{g} 写入共享变量 v{cell}。"),
        (Atomic { cell }, false) => format!("G{g} updated v{cell} atomically."),
        (Atomic { cell }, true) => format!("G{g} 原子地更新了 v{cell}。"),
        (Sleep { until }, false) => format!("G{g} sleeps until {:.3} ms.", *until as f64 / 1e6),
        (Sleep { until }, true) => format!("G{g} 休眠到 {:.3} 毫秒。", *until as f64 / 1e6),
        (Compute { dur }, false) => format!("G{g} computes for {:.3} ms.", *dur as f64 / 1e6),
        (Compute { dur }, true) => format!("G{g} 计算 {:.3} 毫秒。", *dur as f64 / 1e6),
    }
}
