//! Embeds every lesson file in lessons/ into the crate, so the browser build is one self-contained
//! wasm file and adding a lesson needs no Rust change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("const BUILTIN: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");

    // The Go programs lessons run (`program = "NAME"`), from the conformance suite, so a lesson's
    // program is always one that is checked against real Go.
    let progs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go/programs");
    let mut wanted: Vec<String> = Vec::new();
    for n in &names {
        let text = std::fs::read_to_string(dir.join(n)).unwrap_or_default();
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("program") else {
                continue;
            };
            let Some(v) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let v = v.trim().trim_matches('"');
            if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                wanted.push(v.to_string());
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    out.push_str("const PROGRAMS: &[(&str, &str)] = &[\n");
    for w in &wanted {
        let path = progs.join(format!("{w}.go"));
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(
                out,
                "    ({w:?}, include_str!({:?})),",
                path.display().to_string()
            );
        }
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    std::fs::write(Path::new(&out_dir).join("builtin_lessons.rs"), out)
        .expect("OUT_DIR is writable");
}
