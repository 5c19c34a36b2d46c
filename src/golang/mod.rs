//! The Go-subset front end: Go source → checked, compiled runtime IR, keeping source spans so every
//! goroutine's current line can be shown.
//!
//! Parsing uses `go-parser`, a port of Go's own go/parser, so syntax errors read like Go's tools'.
//! `compile` checks types as it generates code (messages follow Go's wording where the subset
//! meets Go's errors) and refuses what the subset leaves out with a message saying so.

mod compile;
mod escape;
mod parse;
pub mod run;
pub mod types;

pub use parse::{parse, GoError, Parsed, MAX_SOURCE_BYTES};

use crate::runtime::ir::Program;

pub use compile::ConstOverride;

/// Parses and compiles a Go program (`name` is the file name used in messages).
pub fn compile(name: &str, src: &str) -> Result<Program, Vec<GoError>> {
    let parsed = parse(name, src)?;
    compile::compile(&parsed, name)
}

/// Parses and compiles a Go program with some package-level constants set to other values: how a
/// lesson's parameters reach the program it runs.
pub fn compile_with(
    name: &str,
    src: &str,
    overrides: &[(String, ConstOverride)],
) -> Result<Program, Vec<GoError>> {
    let parsed = parse(name, src)?;
    compile::compile_with(&parsed, name, overrides)
}

/// The fuzzing entry point: arbitrary bytes through parsing, checking and compiling, and a short
/// run of whatever compiles. Used by `fuzz/` and by the corpus replay test; it must never panic.
pub fn fuzz_entry(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(program) = compile("fuzz.go", src) else {
        return;
    };
    let config = crate::runtime::Config {
        gomaxprocs: 2,
        max_goroutines: 1_000,
        max_silent_events: 20_000,
        max_ops: 500_000,
        max_heap_values: 1 << 20,
        ..crate::runtime::Config::default()
    };
    let mut rt = crate::runtime::Runtime::new(std::rc::Rc::new(program), config);
    use crate::sim::scenario::Stepping;
    let _ = rt.run_until(u64::MAX, 5_000);
    let _ = rt.state_hash();
}
