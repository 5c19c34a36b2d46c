//! Compile errors against real Go's: each program in tests/go/errors is refused by the Go
//! toolchain (tests/go/derive.py records its first error); GMP Lab must refuse it at the same
//! line and column, with the same message unless the program says `// check: position`.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use serde_json::Value;

fn expected_dir() -> PathBuf {
    match std::env::var("GMPLAB_GO_EXPECTED") {
        Ok(d) => PathBuf::from(d).join("errors"),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/go-expected/errors"),
    }
}

#[test]
fn compile_errors_match_real_go() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go/errors");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/go/errors exists")
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().to_string();
            n.strip_suffix(".go").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    let mut failures = Vec::new();
    for name in &names {
        let src = std::fs::read_to_string(dir.join(format!("{name}.go"))).expect("readable");
        let exp_path = expected_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&exp_path).unwrap_or_else(|_| {
            panic!(
                "no real-Go result at {}: run tests/go/derive.py (scripts/test.sh does)",
                exp_path.display()
            )
        });
        let exp: Value = serde_json::from_str(&text).expect("JSON");
        let want = exp["first_error"]
            .as_str()
            .expect("first_error")
            .to_string();
        let file = format!("{name}.go");
        let got = match gmplab::golang::compile(&file, &src) {
            Ok(_) => {
                failures.push(format!("{name}: compiled, but Go says {want}"));
                continue;
            }
            Err(errs) => errs[0].to_string(),
        };
        let ok = if exp["position_only"].as_bool() == Some(true) {
            let pos = |s: &str| s.splitn(4, ':').take(3).collect::<Vec<_>>().join(":");
            pos(&got) == pos(&want)
        } else {
            got == want
        };
        if !ok {
            failures.push(format!("{name}:\n  got  {got}\n  want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
