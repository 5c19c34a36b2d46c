//! A map shared by goroutines, three ways: one `sync.RWMutex` around a Go map, a map sharded into
//! `shards` maps each behind its own RWMutex, and `sync.Map`. Each goroutine runs on its own P and
//! performs its operations back to back; a run ends when all have finished.
//!
//! `sync.Map` follows Go's design: reads (and updates of keys already there) go to a read-only map
//! through an atomic load, with no lock; a key the read-only map lacks is looked up under a mutex in
//! the dirty map, counting a miss; after as many misses as the dirty map has entries, the dirty map
//! becomes the read-only map; storing a new key when there is no dirty map first copies every entry
//! of the read-only map into a new one.
//!
//! Costs come from the runtime's cost table (atomic, lock, unlock, switch), plus a map lookup of
//! 20 ns, an assignment of 30 ns, copying an entry 10 ns, and 40 ns for a cache line moving between
//! cores when an atomic writes a word another goroutine wrote last (RWMutex's reader count is such a
//! word: every RLock and RUnlock writes it).

mod event;
mod metrics;
mod model;
mod params;
mod view;

pub use event::{SharedMapEvent, Step};
pub use model::{GState, OpKind, Shared, SharedMap};
pub use view::SharedMapView;
pub use params::{Config, Mode, SCHEMA};
