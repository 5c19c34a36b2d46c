//! Parsing Go source: valid programs parse; syntax errors come back as file:line:col messages; no
//! input, however broken or large, panics the parser.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::golang::{parse, MAX_SOURCE_BYTES};

const PIPELINE: &str = r#"package main

import (
	"fmt"
	"sync"
)

func gen(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

func main() {
	var wg sync.WaitGroup
	results := make(chan int, 10)
	for v := range gen(5) {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			select {
			case results <- v * v:
			default:
			}
		}(v)
	}
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println("sum:", sum)
}
"#;

#[test]
fn a_concurrent_program_parses() {
    let p = parse("main.go", PIPELINE).expect("parses");
    assert_eq!(p.file.decls.len(), 3, "import, gen and main");
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let src = "package main\n\nfunc main() {\n\tx := \n\tfor {\n}\n";
    let errs = parse("main.go", src).unwrap_err();
    let first = errs[0].to_string();
    assert!(first.starts_with("main.go:"), "{first}");
    assert!(errs[0].line >= 4, "{first}");
    let errs = parse(
        "main.go",
        "package main\nfunc main() { select { case <-: } }\n",
    )
    .unwrap_err();
    assert_eq!(errs[0].line, 2, "{}", errs[0]);
}

#[test]
fn only_package_main_runs() {
    let e = parse("lib.go", "package lib\n").unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "lib.go:1:1: package lib is not a program: GMP Lab runs package main"
    );
}

#[test]
fn oversized_and_binary_input_is_refused_with_a_message() {
    let big = format!("package main\n// {}\n", "x".repeat(MAX_SOURCE_BYTES));
    assert!(parse("big.go", &big).unwrap_err()[0]
        .msg
        .contains("at most 256 KB"));
    assert!(parse("nul.go", "package main\x00").unwrap_err()[0]
        .msg
        .contains("NUL"));
}

/// Every prefix of a real program, and every prefix with a stray byte appended: errors, never panics.
#[test]
fn every_truncation_of_a_program_is_handled() {
    let chars: Vec<char> = PIPELINE.chars().collect();
    for n in 0..=chars.len() {
        let prefix: String = chars[..n].iter().collect();
        let _ = parse("cut.go", &prefix);
        for junk in ["}", "\"", "`", "(", "<-", "'"] {
            let _ = parse("cut.go", &format!("{prefix}{junk}"));
        }
    }
}

/// go-parser's scanner would panic on an empty rune literal; the front end reports Go's message.
#[test]
fn an_empty_rune_literal_is_an_error_not_a_crash() {
    let e = parse("main.go", "package main\n\nfunc main() {\n\tc := ''\n}\n").unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "main.go:4:7: empty rune literal or unescaped ' in rune literal"
    );
    // Inside strings, raw strings, comments and as an escaped rune it is fine.
    let ok = "package main\n\n// ''\nfunc main() {\n\ts := \"''\"\n\tr := `''`\n\tq := '\\''\n\t_, _, _ = s, r, q\n}\n";
    assert!(
        parse("main.go", ok).is_ok(),
        "{:?}",
        parse("main.go", ok).err()
    );
    // A bad escape is Go's "unknown escape sequence", at the backslash.
    let e = parse("main.go", "package main\n\nvar c = '\\c'\n").unwrap_err();
    assert_eq!(e[0].to_string(), "main.go:3:10: unknown escape sequence");
    let fine = "package main\n\nvar s = \"\\x41\\u00e9\\101\\n\\\"\"\n";
    assert!(
        parse("main.go", fine).is_ok(),
        "{:?}",
        parse("main.go", fine).err()
    );
}
