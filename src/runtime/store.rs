//! The object store: everything goroutines create and share (`allgs`, channels, locks, wait groups,
//! heap cells, slices/maps/structs, timers, contexts, onces), kept apart from the scheduler's state
//! ([`super::proc::Sched`]). Objects are never freed during a run; ids index these vectors.

use super::chan::Channel;
use super::g::{GStatus, Goroutine, Resume};
use super::heap::Heap;
use super::ir::Value;
use super::sync::{Mutex, RwMutex, WaitGroup};
use super::timers::{Context, Once, Timer};

#[derive(Clone, Debug)]
pub(crate) struct Store {
    /// `allgs`: every goroutine ever created, indexed by id (0 is a dead placeholder so that main is
    /// goroutine 1, as in Go).
    pub(crate) allgs: Vec<Goroutine>,
    /// Goroutines not yet dead.
    pub(crate) live_gs: usize,
    pub(crate) chans: Vec<Channel>,
    pub(crate) mutexes: Vec<Mutex>,
    pub(crate) rwmutexes: Vec<RwMutex>,
    pub(crate) wgs: Vec<WaitGroup>,
    /// Heap cells: variables captured by closures or whose address is taken.
    pub(crate) cells: Vec<Value>,
    pub(crate) heap: Heap,
    pub(crate) timers: Vec<Timer>,
    /// Context 0 is context.Background().
    pub(crate) contexts: Vec<Context>,
    pub(crate) onces: Vec<Once>,
}

impl Store {
    pub(crate) fn new() -> Self {
        Store {
            allgs: vec![Goroutine {
                id: 0,
                status: GStatus::Dead,
                wait: None,
                frames: Default::default(),
                resume: Resume::Nothing,
                compute_left: 0,
                busy_until: 0,
                parent: 0,
                created_at: (0, 0),
                slice_start: 0,
                panicking: None,
            }],
            live_gs: 0,
            chans: Vec::new(),
            mutexes: Vec::new(),
            rwmutexes: Vec::new(),
            wgs: Vec::new(),
            cells: Vec::new(),
            heap: Heap::default(),
            timers: Vec::new(),
            contexts: vec![Context::background()],
            onces: Vec::new(),
        }
    }
}
