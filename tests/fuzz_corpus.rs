//! Replays the kept fuzzing corpus of the Go front end (fuzz/corpus/go_compile, grown by
//! `cargo fuzz run go_compile`) and the inputs that once crashed it (tests/fuzz_regressions)
//! through the same entry point the fuzzer calls, with no catch_unwind around it: any panic fails.

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn replay(dir: &Path) -> usize {
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).expect("readable");
        gmplab::golang::fuzz_entry(&data);
        n += 1;
    }
    n
}

#[test]
fn the_go_front_end_corpus_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = replay(&root.join("fuzz/corpus/go_compile"));
    assert!(n >= 100, "the corpus has {n} inputs");
}

#[test]
fn inputs_that_once_crashed_the_front_end_do_not_any_more() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(replay(&root.join("tests/fuzz_regressions")) >= 1);
}
