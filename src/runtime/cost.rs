//! How long each operation takes in virtual time. Defaults are the measured figures in
//! shared/reference/go-runtime-fidelity.md (a 2-core x86 VM running real Go); a lesson can override
//! any of them by name.

use crate::sim::time::Nanos;

/// Named costs in nanoseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct CostModel {
    /// A local operation: arithmetic, a move, a branch.
    pub local_op: Nanos,
    /// A function call and return.
    pub call: Nanos,
    /// A load or store of shared memory.
    pub mem: Nanos,
    /// atomic.AddInt64 / CAS (~3 ns).
    pub atomic: Nanos,
    /// Lock of an uncontended Mutex (with Unlock, ~7 ns).
    pub mutex_lock: Nanos,
    pub mutex_unlock: Nanos,
    /// A buffered channel operation that does not block (send+recv ~40 ns).
    pub chan_op: Nanos,
    /// Handing a value to a parked goroutine and readying it (unbuffered handoff ~150-250 ns end to end).
    pub chan_handoff: Nanos,
    /// Creating a goroutine (create, run and exit ~200 ns).
    pub go_create: Nanos,
    /// A scheduler switch to the next goroutine (Gosched ~95 ns).
    pub sched_switch: Nanos,
    /// Waking an idle P's thread (p50 ~2.5 µs).
    pub wake_thread: Nanos,
    /// How late time.Sleep and timers fire (p50 ~120 µs for Sleep(1ms); default 0 keeps lessons exact).
    pub timer_slack: Nanos,
    /// Entering plus leaving a syscall, beyond its own duration.
    pub syscall_overhead: Nanos,
    /// fmt.Println.
    pub print: Nanos,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            local_op: 1,
            call: 2,
            mem: 1,
            atomic: 3,
            mutex_lock: 4,
            mutex_unlock: 3,
            chan_op: 20,
            chan_handoff: 100,
            go_create: 200,
            sched_switch: 95,
            wake_thread: 2_500,
            timer_slack: 0,
            syscall_overhead: 100,
            print: 500,
        }
    }
}

impl CostModel {
    /// Every cost with its name, for lessons and the CLI to list and override.
    pub fn named(&self) -> [(&'static str, Nanos); 14] {
        [
            ("local_op", self.local_op),
            ("call", self.call),
            ("mem", self.mem),
            ("atomic", self.atomic),
            ("mutex_lock", self.mutex_lock),
            ("mutex_unlock", self.mutex_unlock),
            ("chan_op", self.chan_op),
            ("chan_handoff", self.chan_handoff),
            ("go_create", self.go_create),
            ("sched_switch", self.sched_switch),
            ("wake_thread", self.wake_thread),
            ("timer_slack", self.timer_slack),
            ("syscall_overhead", self.syscall_overhead),
            ("print", self.print),
        ]
    }

    /// Sets a cost by name; false if there is no such cost.
    pub fn set(&mut self, name: &str, ns: Nanos) -> bool {
        let slot = match name {
            "local_op" => &mut self.local_op,
            "call" => &mut self.call,
            "mem" => &mut self.mem,
            "atomic" => &mut self.atomic,
            "mutex_lock" => &mut self.mutex_lock,
            "mutex_unlock" => &mut self.mutex_unlock,
            "chan_op" => &mut self.chan_op,
            "chan_handoff" => &mut self.chan_handoff,
            "go_create" => &mut self.go_create,
            "sched_switch" => &mut self.sched_switch,
            "wake_thread" => &mut self.wake_thread,
            "timer_slack" => &mut self.timer_slack,
            "syscall_overhead" => &mut self.syscall_overhead,
            "print" => &mut self.print,
            _ => return false,
        };
        *slot = ns;
        true
    }
}
