//! Input limits, each with a message that says what and where: a 1 MB Go program, a lesson with
//! 10,000 parameters, links of 100 KB (lesson and playground), unknown lesson ids, out-of-range
//! settings. Nothing here may panic.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::lesson::{self, catalog, link::LinkState, program_link};

#[test]
fn a_one_megabyte_go_program_is_refused_before_parsing() {
    let mut src = String::from("package main\n\nfunc main() {\n");
    while src.len() < 1 << 20 {
        src.push_str("\tx := 1\n\t_ = x\n");
    }
    src.push_str("}\n");
    let errs = gmplab::golang::compile("big.go", &src).expect_err("too large");
    assert!(
        errs[0].msg.contains("programs may be at most 256 KB"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_lesson_with_ten_thousand_parameters_is_refused_with_a_clear_message() {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/lessons/worker-pool.md"
    ))
    .expect("readable");
    let (front, body) = base
        .split_once("\n+++\n")
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .expect("front matter");
    let mut extra = String::new();
    for i in 0..10_000 {
        extra.push_str(&format!(
            "\n[[params]]\nname = \"p{i}\"\ntype = \"int\"\nlabel = {{ en = \"P\", zh = \"P\" }}\nmin = 0\nmax = 1\ndefault = 0\n"
        ));
    }
    let src = format!("{front}{extra}\n+++\n{body}");
    let err = lesson::parse(&src, "huge.md")
        .expect_err("too many parameters")
        .to_string();
    assert!(err.starts_with("huge.md:"), "{err}");
    // A file that big is refused by its size first; a compact one by the parameter count.
    assert!(
        err.contains("at most 64 parameters") || err.contains("lessons may be at most"),
        "{err}"
    );
}

#[test]
fn a_hundred_kilobyte_lesson_link_falls_back_to_defaults_with_a_notice() {
    let q = format!(
        "v=1&lesson=worker-pool&p.workers={}",
        "9".repeat(100 * 1024)
    );
    let (state, notices) = LinkState::decode(&q);
    assert_eq!(state, LinkState::default());
    assert!(notices.iter().any(|n| n.contains("KB")), "{notices:?}");
}

#[test]
fn a_hundred_kilobyte_playground_link_is_refused_with_its_size() {
    let err = program_link::decode(&"A".repeat(100 * 1024 + 1)).expect_err("too long");
    assert!(err.contains("at most 100 KB"), "{err}");
}

#[test]
fn an_unknown_lesson_id_is_an_error_that_lists_the_lessons() {
    assert!(catalog::get("no-such-lesson").is_none());
    let err = gmplab::cli::load_lesson("no-such-lesson").expect_err("unknown");
    assert!(err.contains("worker-pool"), "{err}");
}

#[test]
fn an_out_of_range_setting_names_the_parameter_and_the_range() {
    let l = catalog::get("worker-pool").expect("built in");
    let err = l
        .resolve(vec![("workers", "100000")])
        .expect_err("out of range")
        .to_string();
    assert!(err.contains("workers") && err.contains("allowed"), "{err}");
}
