//! Whatever a stranger types, pastes or links, the parsers answer with an error, never a panic:
//! random text and random mutations of real inputs into the lesson parser, the link decoder, the
//! parameter resolver and the Go parser.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::golang;
use gmplab::lesson::{self, catalog, link::LinkState};
use proptest::prelude::*;

/// A real input with random bytes spliced in at a random place.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    (0..=base.len(), ".{0,40}", 0usize..20).prop_map(move |(at, junk, cut)| {
        let mut s = base.to_string();
        let at = (0..=at).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        s.insert_str(at, &junk);
        let end = s.len().saturating_sub(cut);
        let end = (0..=end)
            .rev()
            .find(|i| s.is_char_boundary(*i))
            .unwrap_or(0);
        s.truncate(end);
        s
    })
}

fn lesson_source() -> &'static str {
    catalog::sources()
        .iter()
        .find(|(n, _)| *n == "worker-pool.md")
        .map(|(_, s)| *s)
        .unwrap_or("+++\n+++\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("HOSTILE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)))]

    #[test]
    fn lesson_files_never_panic(src in prop_oneof![".{0,400}".boxed(), mutated(lesson_source()).boxed()]) {
        let _ = lesson::parse(&src, "fuzz.md");
    }

    #[test]
    fn links_never_panic(q in prop_oneof![
        ".{0,300}".boxed(),
        mutated("?v=1&lesson=worker-pool&seed=7&step=120&lang=zh&p.workers=8&p.policy=block").boxed()
    ]) {
        let (state, _notes) = LinkState::decode(&q);
        if let Some(l) = catalog::get("worker-pool") {
            let (params, _errors) = l.resolve_lenient(&state.params);
            // Whatever the link said, the parameters that come out are valid for the model.
            prop_assert!(params.validate(l.model.schema).is_ok());
        }
    }

    #[test]
    fn cli_settings_never_panic(name in "[a-z_]{0,16}", value in ".{0,24}") {
        if let Some(l) = catalog::get("worker-pool") {
            if let Ok(p) = l.resolve([(name.as_str(), value.as_str())]) {
                prop_assert!(p.validate(l.model.schema).is_ok());
            }
        }
    }

    #[test]
    fn go_source_never_panics(src in prop_oneof![
        ".{0,300}".boxed(),
        mutated("package main\n\nfunc main() {\n\tch := make(chan int, 1)\n\tgo func() { ch <- 1 }()\n\tselect {\n\tcase v := <-ch:\n\t\tprintln(v)\n\tdefault:\n\t}\n}\n").boxed()
    ]) {
        let _ = golang::parse("fuzz.go", &src);
    }
}
