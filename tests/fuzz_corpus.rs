//! Replays the kept fuzzing corpora (fuzz/corpus/*, grown by `cargo fuzz run TARGET`) and the
//! inputs that once crashed something (tests/fuzz_regressions) through the same entry points the
//! fuzz targets call, with no catch_unwind around them: any panic fails.

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn replay(dir: &Path) -> usize {
    replay_with(dir, gmplab::golang::fuzz_entry)
}

fn replay_with(dir: &Path, entry: fn(&[u8])) -> usize {
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).expect("readable");
        entry(&data);
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

#[test]
fn the_lesson_parser_corpus_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = replay_with(
        &root.join("fuzz/corpus/lesson_parse"),
        gmplab::lesson::fuzz_lesson,
    );
    assert!(n >= 10, "the corpus has {n} inputs");
}

#[test]
fn the_link_decoder_corpus_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = replay_with(
        &root.join("fuzz/corpus/link_decode"),
        gmplab::lesson::fuzz_link,
    );
    assert!(n >= 2, "the corpus has {n} inputs");
}
