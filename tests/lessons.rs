//! Lesson files: every built-in lesson parses and runs; every broken fixture fails with a message
//! that names the file, the line and column, and what is wrong.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::lesson::{self, catalog};
use gmplab::session::report;

#[test]
fn every_built_in_lesson_parses() {
    let all = catalog::all();
    assert!(!all.is_empty());
    for r in all {
        if let Err(e) = r {
            panic!("{e}");
        }
    }
}

#[test]
fn every_built_in_lesson_runs_at_its_defaults() {
    for l in catalog::lessons() {
        let id = l.id.clone();
        let params = l.default_params();
        let s = report::run_to_end(l, params, 1, gmplab::session::budget::Budget::default())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(s.step() > 0, "{id} did nothing");
    }
}

#[test]
fn lesson_ids_match_their_file_names() {
    for (name, src) in catalog::sources() {
        let l = lesson::parse(src, name).expect("parses");
        assert_eq!(format!("{}.md", l.id), *name);
    }
}

#[test]
fn broken_lessons_fail_with_file_line_and_reason() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-lessons");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.ends_with(".md") {
            continue;
        }
        let src = std::fs::read_to_string(e.path()).expect("read fixture");
        let expect = std::fs::read_to_string(e.path().with_extension("md.expect"))
            .expect("each fixture has a .expect file");
        // Parsing finds what is wrong on the page; running finds the rest (a question the
        // simulation cannot answer, a challenge its own answer fails).
        let err = match lesson::parse(&src, &name) {
            Ok(l) => match gmplab::session::grade::check_lesson(&l) {
                Ok(_) => panic!("{name} should not pass `gmplab check`"),
                Err(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        assert!(
            err.starts_with(expect.trim()),
            "{name}:\n  got:  {err}\n  want: {}",
            expect.trim()
        );
        n += 1;
    }
    assert!(n >= 15, "only {n} fixtures found");
}

#[test]
fn absurd_lesson_inputs_are_refused_not_crashed_on() {
    for src in [
        "",
        "+++",
        "+++\n+++\n",
        "\u{feff}+++\nformat = 1\n",
        "+++\nformat = 99999999999999999999\n+++\n",
        "+++\n[[params]]\n[[params]]\n+++",
    ] {
        assert!(lesson::parse(src, "x.md").is_err(), "{src:?}");
    }
    let huge = "+++\n".to_string() + &"a".repeat(600 * 1024);
    let e = lesson::parse(&huge, "big.md").unwrap_err().to_string();
    assert!(e.contains("at most 512 KiB"), "{e}");
}

#[test]
fn a_lesson_chooses_its_charts_and_views() {
    let l = catalog::get("blocking-or-not").expect("built in");
    assert_eq!(l.shown_charts(&["procs", "goroutines"]), vec!["goroutines"]);
    assert!(l.shows_view("code") && l.shows_view("stage"));
    let all = catalog::get("worker-pool").expect("built in");
    assert_eq!(
        all.shown_charts(&["a", "b"]),
        vec!["a", "b"],
        "no list: every chart"
    );
    assert!(all.shows_view("stats"));
}
