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
    if let Some((line, col, msg)) = literal_error(src) {
        // go-parser's scanner panics on an empty rune literal, and after a bad escape it can fall out
        // of step with the source and reach one; these are Go's own messages for both.
        return Err(vec![GoError {
            file: name.to_string(),
            line,
            col,
            msg,
        }]);
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
            .map(|e| {
                // go/parser puts this one at the statement; Go's compiler at the := itself.
                let col = if e.msg == "no new variables on left side of :=" {
                    define_column(src, e.pos.line, e.pos.column).unwrap_or(e.pos.column)
                } else {
                    e.pos.column
                };
                // go/parser appends the earlier declaration's position; Go's compiler puts it
                // on a line of its own.
                let msg = match e.msg.split_once("\n\tprevious declaration") {
                    Some((first, _)) => first.to_string(),
                    None => e.msg.clone(),
                };
                GoError {
                    file: name.to_string(),
                    line: e.pos.line,
                    col,
                    msg,
                }
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

/// The first empty rune literal or malformed escape outside comments, as (line, column, message),
/// 1-based with columns in characters.
fn literal_error(src: &str) -> Option<(usize, usize, String)> {
    #[derive(PartialEq)]
    enum State {
        Code,
        LineComment,
        BlockComment,
        Str,
        RawStr,
        Rune,
    }
    let chars: Vec<char> = src.chars().collect();
    let mut state = State::Code;
    let (mut line, mut col) = (1usize, 0usize);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        col += 1;
        match state {
            State::Code => match (c, next) {
                ('/', Some('/')) => state = State::LineComment,
                ('/', Some('*')) => {
                    i += 1;
                    col += 1;
                    state = State::BlockComment;
                }
                ('"', _) => state = State::Str,
                ('`', _) => state = State::RawStr,
                ('\'', Some('\'')) => {
                    return Some((
                        line,
                        col,
                        "empty rune literal or unescaped ' in rune literal".into(),
                    ))
                }
                ('\'', _) => state = State::Rune,
                _ => {}
            },
            State::LineComment => {
                if c == '\n' {
                    state = State::Code;
                }
            }
            State::BlockComment => {
                if c == '*' && next == Some('/') {
                    i += 1;
                    col += 1;
                    state = State::Code;
                }
            }
            State::Str | State::Rune => {
                let close = if state == State::Str { '"' } else { '\'' };
                if c == '\\' {
                    match escape_len(&chars[i + 1..], close) {
                        Ok(len) => {
                            i += len;
                            col += len;
                        }
                        Err(Escape::Unknown) => {
                            return Some((line, col, "unknown escape sequence".into()))
                        }
                        // Go reports a value out of range just after the escape.
                        Err(Escape::OutOfRange { len, msg }) => {
                            return Some((line, col + len + 1, msg))
                        }
                    }
                } else if c == close || c == '\n' {
                    state = State::Code;
                }
            }
            State::RawStr => {
                if c == '`' {
                    state = State::Code;
                }
            }
        }
        if c == '\n' {
            line += 1;
            col = 0;
        }
        i += 1;
    }
    None
}

/// Why an escape is malformed.
enum Escape {
    Unknown,
    /// Well formed, but its value is not a byte (octal) or a Unicode code point (`\u`, `\U`):
    /// `len` characters after the backslash, and Go's message.
    OutOfRange {
        len: usize,
        msg: String,
    },
}

/// The length of a valid escape after a backslash (the quote being closed may be escaped). Values
/// are checked as Go's compiler checks them: go-parser's scanner accepts an octal escape over 255
/// and then falls out of step with the source.
fn escape_len(rest: &[char], quote: char) -> Result<usize, Escape> {
    let value = |from: usize, n: usize, radix: u32| -> Result<u32, Escape> {
        let digits = rest.get(from..from + n).ok_or(Escape::Unknown)?;
        digits.iter().try_fold(0u32, |acc, d| {
            d.to_digit(radix)
                .map(|v| acc * radix + v)
                .ok_or(Escape::Unknown)
        })
    };
    let code_point = |len: usize, x: u32| {
        if x > 0x10FFFF || (0xD800..0xE000).contains(&x) {
            Err(Escape::OutOfRange {
                len,
                msg: format!("escape is invalid Unicode code point U+{x:04X}"),
            })
        } else {
            Ok(len)
        }
    };
    match rest.first().ok_or(Escape::Unknown)? {
        'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => Ok(1),
        q if *q == quote => Ok(1),
        '0'..='7' => match value(0, 3, 8)? {
            x if x > 255 => Err(Escape::OutOfRange {
                len: 3,
                msg: format!("octal escape value {x} > 255"),
            }),
            _ => Ok(3),
        },
        'x' => value(1, 2, 16).map(|_| 3),
        'u' => code_point(5, value(1, 4, 16)?),
        'U' => code_point(9, value(1, 8, 16)?),
        _ => Err(Escape::Unknown),
    }
}

/// The column of the first `:=` at or after `col` on `line` (1-based, in characters).
fn define_column(src: &str, line: usize, col: usize) -> Option<usize> {
    let text: Vec<char> = src.lines().nth(line.checked_sub(1)?)?.chars().collect();
    (col.saturating_sub(1)..text.len().saturating_sub(1))
        .find(|&i| text[i] == ':' && text[i + 1] == '=')
        .map(|i| i + 1)
}
