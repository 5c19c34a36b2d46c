//! Go 1.18+ in the front end: generics by monomorphisation, range over functions and integers,
//! method values, promoted library methods, goto, and the valid Go the subset used to refuse.
//! Behaviour against real Go is in the conformance suite (tests/go/programs); these are the
//! front end's own facts.

#![cfg(not(target_arch = "wasm32"))]

use gmplab::golang::run::{run_source, RunOptions};

fn run(src: &str) -> (String, String, i32) {
    let r = run_source("prog.go", src, &RunOptions::default());
    (r.stdout, r.stderr, r.code)
}

fn first_error(src: &str) -> String {
    match gmplab::golang::compile("prog.go", src) {
        Ok(_) => panic!("expected a compile error for:\n{src}"),
        Err(errs) => errs[0].to_string(),
    }
}

#[test]
fn each_type_argument_list_compiles_one_instance_of_a_generic_function() {
    let src = "package main\n\nimport \"fmt\"\n\nfunc Max[T int | string](a, b T) T {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc main() {\n\tfmt.Println(Max(1, 2), Max(3, 4), Max(\"a\", \"b\"))\n}\n";
    let program = gmplab::golang::compile("prog.go", src).expect("compiles");
    let instances = program
        .funcs
        .iter()
        .filter(|f| f.name.starts_with("Max["))
        .count();
    assert_eq!(instances, 2);
    assert_eq!(run(src).0, "2 4 b\n");
}

#[test]
fn a_generic_type_gets_a_named_type_per_instantiation_with_its_methods() {
    let src = "package main\n\nimport \"fmt\"\n\ntype Box[T any] struct{ v T }\n\nfunc (b *Box[T]) Set(v T) { b.v = v }\n\nfunc main() {\n\tvar a Box[int]\n\tvar s Box[string]\n\ta.Set(4)\n\ts.Set(\"x\")\n\tfmt.Printf(\"%T %v %T %v\\n\", a, a.v, s, s.v)\n}\n";
    assert_eq!(run(src).0, "main.Box[int] 4 main.Box[string] x\n");
}

#[test]
fn generic_syntax_no_longer_reads_as_a_syntax_error() {
    let e = first_error("package main\n\nfunc F[T any](x T) T { return x }\n\nfunc main() {\n\tvar s string = F(1)\n\t_ = s\n}\n");
    assert!(!e.contains("expected '('"), "{e}");
    assert!(e.starts_with("prog.go:6:"), "{e}");
}

#[test]
fn a_break_in_a_range_over_func_body_stops_the_iterator() {
    let src = "package main\n\nimport \"fmt\"\n\nfunc seq(yield func(int) bool) {\n\tfor i := 0; i < 10; i++ {\n\t\tif !yield(i) {\n\t\t\tfmt.Println(\"stopped\", i)\n\t\t\treturn\n\t\t}\n\t}\n}\n\nfunc main() {\n\tfor v := range seq {\n\t\tif v == 2 {\n\t\t\tbreak\n\t\t}\n\t\tfmt.Println(v)\n\t}\n}\n";
    assert_eq!(run(src).0, "0\n1\nstopped 2\n");
}

#[test]
fn a_return_in_a_range_over_func_body_returns_from_the_enclosing_function() {
    let src = "package main\n\nimport \"fmt\"\n\nfunc seq(yield func(int) bool) {\n\tfor i := 0; yield(i); i++ {\n\t}\n}\n\nfunc find() (int, bool) {\n\tfor v := range seq {\n\t\tif v*v > 20 {\n\t\t\treturn v, true\n\t\t}\n\t}\n\treturn 0, false\n}\n\nfunc main() {\n\tfmt.Println(find())\n}\n";
    assert_eq!(run(src).0, "5 true\n");
}

#[test]
fn goto_jumps_backwards_and_forwards() {
    let src = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\ti := 0\nloop:\n\tif i == 3 {\n\t\tgoto done\n\t}\n\ti++\n\tgoto loop\ndone:\n\tfmt.Println(i)\n}\n";
    assert_eq!(run(src).0, "3\n");
}

#[test]
fn a_method_value_keeps_the_receiver_it_was_taken_from() {
    let src = "package main\n\nimport \"fmt\"\n\ntype T struct{ n int }\n\nfunc (t T) Get() int { return t.n }\n\nfunc (t *T) Inc() { t.n++ }\n\nfunc main() {\n\tt := T{n: 1}\n\tget, inc := t.Get, t.Inc\n\tinc()\n\tinc()\n\tfmt.Println(get(), t.n)\n}\n";
    assert_eq!(run(src).0, "1 3\n");
}

#[test]
fn untyped_float_constants_with_integral_values_are_integers() {
    let src =
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar n int = 1e3\n\tfmt.Println(n)\n}\n";
    assert_eq!(run(src).0, "1000\n");
    let e = first_error("package main\n\nfunc main() {\n\tvar n int = 1.5\n\t_ = n\n}\n");
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn what_stays_outside_the_subset_is_refused_at_its_position_as_not_supported_yet() {
    let e = first_error("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(2i) }\n");
    assert!(
        e.contains("prog.go:5:27: a complex number is not supported yet"),
        "{e}"
    );
}

#[test]
fn a_runaway_recursion_stops_at_goes_stack_limit_in_goes_words() {
    let src = "package main\n\nfunc f(n int) int { return f(n+1) + 1 }\n\nfunc main() {\n\tprintln(f(0))\n}\n";
    let (_, stderr, code) = run(src);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow"
        ),
        "{stderr}"
    );
}

#[test]
fn a_method_with_type_parameters_is_refused_as_not_supported_yet() {
    let e = first_error(
        "package main\n\ntype B struct{}\n\nfunc (B) Put[T any](x T) {}\n\nfunc main() {}\n",
    );
    assert!(
        e.starts_with("prog.go:5:10: a method with type parameters is not supported yet"),
        "{e}"
    );
}
