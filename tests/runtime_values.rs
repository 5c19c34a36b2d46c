//! Slices, maps and structs as Go has them: append shares the backing array while capacity lasts,
//! sub-slices alias it, maps iterate in random order, struct copies are independent, and bad indexes
//! are Go's runtime panics.

#![cfg(not(target_arch = "wasm32"))]

mod runtime_common;

use gmplab::runtime::build::FuncBuilder;
use gmplab::runtime::ir::{Op, Reg, Value};
use runtime_common::{check_program, run};

fn slice(f: &mut FuncBuilder, len: i64, cap: i64) -> Reg {
    let (l, c) = (f.int(len), f.int(cap));
    let dst = f.reg();
    f.op(Op::MakeSlice {
        dst,
        len: l,
        cap: c,
        zero: Value::Int(0),
    });
    dst
}

fn append(f: &mut FuncBuilder, s: Reg, vals: &[i64]) -> Reg {
    let regs: Vec<Reg> = vals.iter().map(|v| f.int(*v)).collect();
    let dst = f.reg();
    f.op(Op::Append {
        dst,
        slice: s,
        vals: regs,
    });
    dst
}

fn set(f: &mut FuncBuilder, base: Reg, i: i64, v: i64) {
    let (i, v) = (f.int(i), f.int(v));
    f.op(Op::SetIndex {
        base,
        idx: i,
        val: v,
    });
}

#[test]
fn append_shares_the_backing_array_until_it_grows() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let s = slice(f, 0, 3);
                let a = append(f, s, &[1, 2]);
                let x = append(f, a, &[3]); // fits: shares a's array
                let y = append(f, a, &[4]); // overwrites x's third element
                f.println(&[x, y]);
                let z = append(f, y, &[5]); // grows: a new array
                set(f, z, 0, 99);
                f.println(&[y, z]);
                let (lc, cc) = (f.reg(), f.reg());
                f.op(Op::LenOf { dst: lc, v: z });
                f.op(Op::CapOf { dst: cc, v: z });
                f.println(&[lc, cc]);
            })
        },
        "[1 2 4] [1 2 4]\n[1 2 4] [99 2 4 5]\n4 6\n",
        0,
    );
}

#[test]
fn sub_slices_alias_and_copy_copies() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let nil = f.value(Value::Nil); // var s []int
                let s = append(f, nil, &[1, 2, 3, 4]);
                let (lo, hi) = (f.int(1), f.int(3));
                let sub = f.reg();
                f.op(Op::SliceOf {
                    dst: sub,
                    base: s,
                    lo,
                    hi: Some(hi),
                });
                set(f, sub, 0, 20);
                f.println(&[s, sub]);
                let d = slice(f, 2, 2);
                let n = f.reg();
                f.op(Op::CopySlice {
                    n: Some(n),
                    to: d,
                    from: s,
                });
                f.println(&[d, n]);
            })
        },
        "[1 20 3 4] [20 3]\n[1 20] 2\n",
        0,
    );
}

#[test]
fn out_of_range_indexes_are_gos_runtime_panics() {
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let s = slice(f, 3, 3);
            let i = f.int(5);
            let d = f.reg();
            f.op(Op::Index {
                dst: d,
                base: s,
                idx: i,
            });
        })
    });
    assert!(
        r.stderr()
            .starts_with("panic: runtime error: index out of range [5] with length 3\n"),
        "{}",
        r.stderr()
    );
    let r = run(1, 1, |b| {
        b.func("main", 0, |f| {
            let m = f.value(Value::Nil);
            set(f, m, 1, 1);
        })
    });
    assert!(
        r.stderr()
            .starts_with("panic: assignment to entry in nil map\n"),
        "{}",
        r.stderr()
    );
}

#[test]
fn maps_store_look_up_delete_and_print_sorted() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let m = f.reg();
                f.op(Op::MakeMap {
                    dst: m,
                    zero: Value::Int(0),
                });
                set(f, m, 3, 30);
                set(f, m, 1, 10);
                set(f, m, 2, 20);
                let k = f.int(2);
                f.op(Op::MapDelete { m, key: k });
                let (v, ok) = (f.reg(), f.reg());
                f.op(Op::MapLookup {
                    dst: v,
                    ok,
                    m,
                    key: k,
                });
                let n = f.reg();
                f.op(Op::LenOf { dst: n, v: m });
                f.println(&[m, v, ok, n]);
            })
        },
        "map[1:10 3:30] 0 false 2\n",
        0,
    );
}

/// Map iteration order is random: over seeds, the first key of a 5-key map varies.
#[test]
fn map_iteration_order_is_randomised() {
    let mut firsts = std::collections::BTreeSet::new();
    for seed in 0..20 {
        let r = run(1, seed, |b| {
            b.func("main", 0, |f| {
                let m = f.reg();
                f.op(Op::MakeMap {
                    dst: m,
                    zero: Value::Int(0),
                });
                for k in 0..5 {
                    set(f, m, k, k);
                }
                let keys = f.reg();
                f.op(Op::MapKeys { dst: keys, m });
                f.println(&[keys]);
            })
        });
        firsts.insert(r.stdout().to_string());
    }
    assert!(firsts.len() > 5, "{firsts:?}");
}

#[test]
fn struct_copies_are_independent_values() {
    check_program(
        1,
        |b| {
            b.func("main", 0, |f| {
                let (x, y) = (f.int(1), f.int(2));
                let p = f.reg();
                f.op(Op::NewStruct {
                    dst: p,
                    type_name: "main.Point".into(),
                    fields: vec![x, y],
                });
                let q = f.reg();
                f.op(Op::CloneObj { dst: q, src: p });
                let nine = f.int(9);
                f.op(Op::SetField {
                    obj: q,
                    index: 0,
                    val: nine,
                });
                let fx = f.reg();
                f.op(Op::Field {
                    dst: fx,
                    obj: p,
                    index: 0,
                });
                let t = f.reg();
                f.op(Op::TypeName { dst: t, v: q });
                f.println(&[p, q, fx, t]);
            })
        },
        "{1 2} {9 2} 1 main.Point\n",
        0,
    );
}
