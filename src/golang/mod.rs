//! The Go-subset front end: Go source → checked AST → runtime IR, keeping source spans.
//!
//! Parsing uses `go-parser`, a port of Go's own go/parser, so syntax errors read like Go's tools'.
//! Compilation to the runtime IR is being built on top of it; see the Go front end issue.

mod parse;

pub use parse::{parse, GoError, Parsed, MAX_SOURCE_BYTES};
