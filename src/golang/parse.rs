//! Parsing Go source into go-parser's AST, with errors as `file:line:col: message`.

use std::fmt;

use go_parser::{ast, AstObjects, ErrorList, FileSet};

/// Programs larger than this are refused before parsing (a lesson snippet is a few KB).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;

/// A compile error at a position, printed as Go's tools print them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoError {
    pub file: String,
    /// 1-based; 0 when the error concerns the whole file.
    pub line: usize,
    pub col: usize,
    pub msg: String,
}

impl fmt::Display for GoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.msg)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.msg)
        }
    }
}

impl std::error::Error for GoError {}

/// A parsed file: the AST and the arenas its nodes live in.
pub struct Parsed {
    pub objs: AstObjects,
    pub fset: FileSet,
    pub file: ast::File,
}

impl fmt::Debug for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parsed").finish_non_exhaustive()
    }
}

/// Parses `src` (named `name` in messages). On failure returns the errors in source order, the first
/// one being the one to show (later ones are often knock-on effects).
pub fn parse(name: &str, src: &str) -> Result<Parsed, Vec<GoError>> {
    let whole = |msg: String| {
        vec![GoError {
            file: name.to_string(),
            line: 0,
            col: 0,
            msg,
        }]
    };
    if src.len() > MAX_SOURCE_BYTES {
        return Err(whole(format!(
            "the program is {} KB; programs may be at most {} KB",
            src.len() / 1024,
            MAX_SOURCE_BYTES / 1024
        )));
    }
    if src.contains('\0') {
        return Err(whole("the program contains a NUL byte".to_string()));
    }
    let mut objs = AstObjects::new();
    let mut fset = FileSet::new();
    let errors = ErrorList::new();
    let file = {
        let (_parser, file) =
            go_parser::parse_file(&mut objs, &mut fset, &errors, name, src, false);
        file
    };
    if errors.len() > 0 {
        errors.sort();
        let list: Vec<GoError> = errors
            .borrow()
            .iter()
            .filter(|e| !e.msg.starts_with('\t'))
            .map(|e| GoError {
                file: name.to_string(),
                line: e.pos.line,
                col: e.pos.column,
                msg: e.msg.clone(),
            })
            .collect();
        if !list.is_empty() {
            return Err(list);
        }
    }
    let Some(file) = file else {
        return Err(whole("the file could not be parsed".to_string()));
    };
    let package = &objs.idents[file.name].name;
    if package != "main" {
        return Err(vec![GoError {
            file: name.to_string(),
            line: 1,
            col: 1,
            msg: format!("package {package} is not a program: GMP Lab runs package main"),
        }]);
    }
    Ok(Parsed { objs, fset, file })
}
