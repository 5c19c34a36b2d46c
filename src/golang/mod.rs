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

/// Parses and compiles a Go program (`name` is the file name used in messages).
pub fn compile(name: &str, src: &str) -> Result<Program, Vec<GoError>> {
    let parsed = parse(name, src)?;
    compile::compile(&parsed, name)
}
