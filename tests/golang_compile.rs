//! The Go front end's own refusals and limits: what the subset leaves out is a compile error at
//! its line and column saying so, and a program that never ends stops at its budget with a
//! message and every goroutine's place.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::golang::run::{run_source, RunOptions};

fn first_error(src: &str) -> String {
    match gmplab::golang::compile("prog.go", src) {
        Ok(_) => panic!("expected a compile error for:\n{src}"),
        Err(errs) => errs[0].to_string(),
    }
}

#[test]
fn a_package_outside_the_subset_is_refused_at_its_import() {
    let e = first_error("package main\n\nimport \"net/http\"\n\nfunc main() { _ = http.Get }\n");
    assert!(
        e.starts_with("prog.go:3:8: package net/http is not available"),
        "{e}"
    );
}

#[test]
fn a_generic_type_declared_inside_a_function_is_refused_at_its_name() {
    let e = first_error("package main\n\nfunc main() {\n\ttype G[T any] struct{ v T }\n}\n");
    assert!(
        e.starts_with("prog.go:4:7: generic type cannot be declared inside a function"),
        "{e}"
    );
}

#[test]
fn complex_numbers_are_refused() {
    let e = first_error("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(2i) }\n");
    assert!(
        e.contains("prog.go:5:27: a complex number is not supported"),
        "{e}"
    );
}

#[test]
fn a_method_value_of_a_library_method_with_arguments_is_refused_and_the_call_form_suggested() {
    let src = "package main\n\nimport \"sync\"\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\tf := wg.Add\n\tf(1)\n}\n";
    let e = first_error(src);
    assert!(
        e.contains("prog.go:7:7") && e.contains("method value sync.WaitGroup.Add"),
        "{e}"
    );
}

#[test]
fn a_program_that_is_not_package_main_is_refused() {
    let e = first_error("package lib\n\nfunc F() {}\n");
    assert!(e.contains("GMP Lab runs package main"), "{e}");
}

#[test]
fn a_busy_loop_stops_at_the_step_budget_and_shows_where_goroutines_were() {
    let src = "package main\n\nfunc spin(ch chan int) {\n\tfor {\n\t\tselect {\n\t\tcase ch <- 1:\n\t\tdefault:\n\t\t}\n\t}\n}\n\nfunc main() {\n\tch := make(chan int)\n\tgo spin(ch)\n\tfor {\n\t\t<-ch\n\t}\n}\n";
    let r = run_source(
        "spin.go",
        src,
        &RunOptions {
            max_steps: 20_000,
            ..RunOptions::default()
        },
    );
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.starts_with("gmplab: stopped after 20000 steps"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--max-steps"), "{}", r.stderr);
    assert!(r.stderr.contains("goroutine 1 ["), "{}", r.stderr);
    assert!(r.stderr.contains("goroutine 2 ["), "{}", r.stderr);
}

#[test]
fn an_empty_for_loop_never_freezes_the_run() {
    let src = "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n";
    let r = run_source(
        "loop.go",
        src,
        &RunOptions {
            max_ops: 5_000_000,
            ..RunOptions::default()
        },
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("operation budget"), "{}", r.stderr);
    assert!(r.stderr.contains("goroutine 1 ["), "{}", r.stderr);
}

#[test]
fn an_exponential_spawner_stops_at_the_goroutine_budget() {
    let src = "package main\n\nfunc spawn() {\n\tgo spawn()\n\tgo spawn()\n\tselect {}\n}\n\nfunc main() {\n\tspawn()\n}\n";
    let r = run_source(
        "spawn.go",
        src,
        &RunOptions {
            max_goroutines: 10_000,
            ..RunOptions::default()
        },
    );
    assert_eq!(r.code, 3, "{}", r.stderr.lines().next().unwrap_or(""));
    assert!(
        r.stderr.contains("goroutine budget"),
        "{}",
        r.stderr.lines().next().unwrap_or("")
    );
}

#[test]
fn seeds_change_scheduling_but_not_a_deterministic_programs_output() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/go/programs/pattern_pipeline.go"
    ))
    .expect("readable");
    let outs: Vec<String> = (1..=5)
        .map(|seed| {
            run_source(
                "p.go",
                &src,
                &RunOptions {
                    seed,
                    ..RunOptions::default()
                },
            )
            .stdout
        })
        .collect();
    assert!(outs.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/go/programs/select_random_first_vary.go"
    ))
    .expect("readable");
    let run = |seed| {
        run_source(
            "p.go",
            &src,
            &RunOptions {
                seed,
                ..RunOptions::default()
            },
        )
    };
    assert_eq!(run(7), run(7));
    let firsts: std::collections::BTreeSet<String> = (1..=20).map(|s| run(s).stdout).collect();
    assert_eq!(
        firsts.len(),
        2,
        "select picks both cases across seeds: {firsts:?}"
    );
}

#[test]
fn a_type_switch_variable_used_in_no_clause_is_declared_and_not_used() {
    let src = "package main\n\nfunc main() {\n\tvar x any = 1\n\tswitch v := x.(type) {\n\tcase int:\n\tcase string:\n\t}\n}\n";
    let e = first_error(src);
    assert!(e.contains("prog.go:5:9: declared and not used: v"), "{e}");
    let used = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar x any = 1\n\tswitch v := x.(type) {\n\tcase int:\n\t\tfmt.Println(v)\n\tcase string:\n\t}\n}\n";
    assert!(gmplab::golang::compile("prog.go", used).is_ok());
}

#[test]
fn a_runaway_append_stops_at_the_memory_budget() {
    let src = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar s []int\n\tfor i := 0; ; i++ {\n\t\ts = append(s, i)\n\t\tif i < 0 {\n\t\t\tfmt.Println(s)\n\t\t}\n\t}\n}\n";
    let r = run_source("grow.go", src, &RunOptions::default());
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("(the memory budget)"), "{}", r.stderr);
}
