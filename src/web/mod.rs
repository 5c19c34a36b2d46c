//! The browser app (wasm32 only).
