//! Go 1.18's grammar: sources that must parse without errors, and ones that must not.

fn errors(src: &str) -> Vec<String> {
    let mut fs = go_parser::FileSet::new();
    let o = &mut go_parser::AstObjects::new();
    let el = go_parser::ErrorList::new();
    let _ = go_parser::parse_file(o, &mut fs, &el, "main.go", src, false);
    el.sort();
    let list = el.borrow().iter().map(|e| e.to_string()).collect();
    list
}

#[test]
fn generic_declarations_and_instantiations_parse() {
    let src = r#"package main

type Number interface {
	~int | ~int64 | ~float64
}

type Stringer interface {
	String() string
	~int | string
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type List[T any] struct {
	next *List[T]
	val  T
	buf  [4]T
	all  []T
}

type Arr [4]int
type Arr2 [N + 1]int
type Set[T comparable] map[T]struct{}

func Map[In, Out any](xs []In, f func(In) Out) []Out {
	var out []Out
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Sum[S ~[]E, E Number](s S) (t E) {
	return t
}

func (l *List[T]) Push(v T) {}

func (p Pair[K, V]) Swap(a [2]int, b []Pair[K, V], c List[int]) {}

func main() {
	_ = Map[int, string]
	_ = Sum[[]int](nil)
	p := Pair[string, int]{Key: "a", Val: 1}
	var l List[int]
	l.Push(1)
	_ = p
	x := []int{1}
	_ = x[0]
	_ = x[0:1]
	_ = f[map[string]int]
}
"#;
    assert_eq!(errors(src), Vec::<String>::new());
}

#[test]
fn an_empty_type_parameter_list_is_an_error() {
    let errs = errors("package main\nfunc f[]() {}\n");
    assert!(
        errs.first()
            .is_some_and(|e| e.contains("syntax error: empty type parameter list")),
        "{errs:?}"
    );
}

#[test]
fn an_index_before_a_block_in_a_control_clause_is_not_a_composite_literal() {
    let src = "package main\nfunc main() {\n\ts := []int{2, 1}\n\tif s[0] > s[1] {\n\t\ts[0], s[1] = s[1], s[0]\n\t}\n\tfor m[k] {\n\t}\n}\n";
    assert_eq!(errors(src), Vec::<String>::new());
}
