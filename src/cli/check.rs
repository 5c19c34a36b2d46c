//! `gmplab check PATH...`: validates lesson files the way a course author needs: every problem at
//! its file:line:col, and every lesson run once, with each question answered and each challenge's
//! model answer graded by the simulation.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::lesson::{self, Lesson};
use crate::session::grade::{check_lesson, short};

/// The lesson files a path names: the file itself, or every `.md` file in a folder, sorted.
fn files(path: &str) -> Result<Vec<PathBuf>, String> {
    let p = Path::new(path);
    if p.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| format!("cannot read {path}: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| f.extension().is_some_and(|x| x == "md"))
            .collect();
        v.sort();
        Ok(v)
    } else if p.exists() {
        Ok(vec![p.to_path_buf()])
    } else {
        Err(format!("{path}: no such file or folder"))
    }
}

/// Checks every lesson under `paths`. Ok with the report when all pass; Err with the same report,
/// problems included, when any fails.
pub fn check(paths: &[String]) -> Result<String, String> {
    let mut out = String::new();
    let mut failed = 0;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut count = 0;
    for path in paths {
        let list = match files(path) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(out, "{e}");
                failed += 1;
                continue;
            }
        };
        for f in list {
            count += 1;
            let origin = f.display().to_string();
            match check_file(&f, &origin) {
                Ok((l, line)) => {
                    if let Some((_, other)) = seen.iter().find(|(id, _)| *id == l.id) {
                        let _ = writeln!(out, "{origin}: id `{}` is also used by {other}", l.id);
                        failed += 1;
                    } else {
                        let _ = writeln!(out, "{line}");
                        seen.push((l.id.clone(), origin));
                    }
                }
                Err(e) => {
                    let _ = writeln!(out, "{e}");
                    failed += 1;
                }
            }
        }
    }
    if failed == 0 {
        let _ = writeln!(out, "{count} lesson file(s) ok");
        Ok(out)
    } else {
        let _ = writeln!(out, "{failed} problem(s) in {count} lesson file(s)");
        Err(out)
    }
}

fn check_file(f: &Path, origin: &str) -> Result<(Lesson, String), String> {
    let bytes = std::fs::read(f).map_err(|e| format!("{origin}: cannot read: {e}"))?;
    let src =
        String::from_utf8(bytes).map_err(|_| format!("{origin}: the file is not UTF-8 text"))?;
    let l = lesson::parse(&src, origin).map_err(|e| e.to_string())?;
    let report = check_lesson(&l).map_err(|e| e.to_string())?;
    let mut line = format!("ok  {origin}  ({} events at the defaults", report.events);
    for (id, a) in &report.answers {
        let q = l.questions.iter().find(|q| &q.id == id);
        let label = q
            .map(|q| q.choices[a.correct].label.en.as_str())
            .unwrap_or("?");
        let metric = q.map(|q| q.metric.as_str()).unwrap_or("?");
        let _ = write!(
            line,
            "; {id}: \"{label}\" ({metric} {})",
            short(a.means[a.correct])
        );
    }
    if !l.challenges.is_empty() {
        let _ = write!(line, "; {} challenge(s) solvable", l.challenges.len());
    }
    line.push(')');
    Ok((l, line))
}
