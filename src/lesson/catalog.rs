//! The lessons built into GMP Lab: every file in `lessons/`, embedded at compile time by build.rs so
//! adding a lesson is adding a file.

use super::{parse, Lesson, LessonError};

include!(concat!(env!("OUT_DIR"), "/builtin_lessons.rs"));

/// The Go programs built-in lessons run, as (name, source): the conformance-suite programs that some
/// lesson names with `program = "NAME"`.
pub fn program(name: &str) -> Option<&'static str> {
    PROGRAMS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The names of the programs built in for lessons.
pub fn program_names() -> impl Iterator<Item = &'static str> {
    PROGRAMS.iter().map(|(n, _)| *n)
}

/// The built-in lesson files as (file name, source).
pub fn sources() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

/// Parses every built-in lesson, sorted by (chapter, id). A broken built-in lesson is a build defect
/// that `cargo test` reports; here it is returned as an error so no front end can crash on one.
pub fn all() -> Vec<Result<Lesson, LessonError>> {
    let mut v: Vec<_> = BUILTIN
        .iter()
        .map(|(name, src)| parse(src, &format!("lessons/{name}")))
        .collect();
    v.sort_by_key(|r| match r {
        Ok(l) => (l.chapter, l.id.clone()),
        Err(_) => (u32::MAX, String::new()),
    });
    v
}

/// The built-in lessons that parse, in course order.
pub fn lessons() -> Vec<Lesson> {
    all().into_iter().filter_map(Result::ok).collect()
}

/// A built-in lesson by id.
pub fn get(id: &str) -> Option<Lesson> {
    BUILTIN
        .iter()
        .filter(|(name, _)| name.strip_suffix(".md") == Some(id))
        .find_map(|(name, src)| parse(src, &format!("lessons/{name}")).ok())
}
