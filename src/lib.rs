//! GMP Lab: a deterministic simulation of Go's runtime and of the architectures built on it, for
//! learning in the browser (wasm) and on the command line.
//!
//! Layers look only down (see ARCHITECTURE.md):
//! `web`, `bin` → `session`, `lesson`, `chart` → `models` → `sim`, `theory`.
//! Everything below `web` does no IO and reads no clock.

pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod golang;
pub mod lesson;
pub mod models;
pub mod runtime;
pub mod session;
pub mod sim;
pub mod theory;

#[cfg(target_arch = "wasm32")]
pub mod web;
