//! fmt's printing rules: Print, Println and Printf verbs over typed values, so a program's output
//! matches what `go run` prints byte for byte (floats in Go's shortest %g form, durations as
//! "1.5s", maps with sorted keys, structs as {a b} or {A:a B:b}, pointers to structs as &{...}).

use std::fmt::Write as _;
use std::rc::Rc;

use super::heap::Obj;
use super::ir::Value;
use super::types::{Boxed, RType};
use super::world::Runtime;

/// Which fmt function a format operation stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum FmtKind {
    /// Print/Sprint: spaces between operands when neither side is a string.
    Print,
    /// Println/Sprintln: spaces between all operands and a newline.
    Println,
    /// Printf/Sprintf/Errorf with this format string.
    Printf(Rc<str>),
}

/// A format operation's shape: the function and each argument's static type.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatSpec {
    pub kind: FmtKind,
    pub types: Vec<RType>,
}

/// A verb with its flags, width and precision.
#[derive(Clone, Copy, Debug, Default)]
struct Verb {
    c: char,
    plus: bool,
    minus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Runtime {
    /// The text a fmt call produces.
    pub fn sprint(&self, spec: &FormatSpec, args: &[Value]) -> String {
        let mut out = String::new();
        match &spec.kind {
            FmtKind::Print | FmtKind::Println => {
                let ln = spec.kind == FmtKind::Println;
                let mut prev_string = false;
                for (i, (v, ty)) in args.iter().zip(&spec.types).enumerate() {
                    let is_string = matches!(self.dynamic(v, ty).1.underlying(), RType::String);
                    if i > 0 && (ln || (!is_string && !prev_string)) {
                        out.push(' ');
                    }
                    self.fmt_value(&mut out, v, ty, Verb::plain('v'), 0);
                    prev_string = is_string;
                }
                if ln {
                    out.push('\n');
                }
            }
            FmtKind::Printf(format) => self.printf(&mut out, format, args, &spec.types),
        }
        out
    }

    /// A value as `%v` prints it (for panics and recovered values).
    pub fn format_typed(&self, v: &Value, ty: &RType) -> String {
        let mut out = String::new();
        self.fmt_value(&mut out, v, ty, Verb::plain('v'), 0);
        out
    }

    fn printf(&self, out: &mut String, format: &str, args: &[Value], types: &[RType]) {
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        let mut argi = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            let mut verb = Verb::default();
            while i < chars.len() {
                match chars[i] {
                    '+' => verb.plus = true,
                    '-' => verb.minus = true,
                    '#' => verb.sharp = true,
                    '0' => verb.zero = true,
                    ' ' => verb.space = true,
                    _ => break,
                }
                i += 1;
            }
            let num = |i: &mut usize| {
                let start = *i;
                while *i < chars.len() && chars[*i].is_ascii_digit() {
                    *i += 1;
                }
                (*i > start).then(|| {
                    chars[start..*i]
                        .iter()
                        .collect::<String>()
                        .parse::<usize>()
                        .unwrap_or(0)
                        .min(1000)
                })
            };
            verb.width = num(&mut i);
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                verb.prec = Some(num(&mut i).unwrap_or(0));
            }
            let Some(&vc) = chars.get(i) else {
                out.push_str("%!(NOVERB)");
                break;
            };
            i += 1;
            verb.c = vc;
            if vc == '%' {
                out.push('%');
                continue;
            }
            let Some(v) = args.get(argi) else {
                let _ = write!(out, "%!{vc}(MISSING)");
                continue;
            };
            let ty = &types[argi];
            argi += 1;
            let mut s = String::new();
            self.fmt_verb(&mut s, v, ty, verb);
            pad(out, &s, verb);
        }
        if argi < args.len() {
            out.push_str("%!(EXTRA ");
            for (k, (v, ty)) in args[argi..].iter().zip(&types[argi..]).enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                let (v, dt) = self.dynamic(v, ty);
                let _ = write!(out, "{dt}=");
                self.fmt_value(out, v, &dt, Verb::plain('v'), 0);
            }
            out.push(')');
        }
    }

    /// One verb applied to one argument (before padding).
    fn fmt_verb(&self, out: &mut String, v: &Value, ty: &RType, verb: Verb) {
        let (v, dt) = self.dynamic(v, ty);
        if verb.c == 'T' {
            match v {
                Value::Nil if ty.is_interface() => out.push_str("<nil>"),
                _ => {
                    let _ = write!(out, "{dt}");
                }
            }
            return;
        }
        let u = dt.underlying();
        let bad = |out: &mut String, rt: &Runtime| {
            let _ = write!(out, "%!{}({dt}=", verb.c);
            rt.fmt_value(out, v, &dt, Verb::plain('v'), 0);
            out.push(')');
        };
        match (verb.c, u, v) {
            ('v', ..) => self.fmt_value(out, v, &dt, verb, 0),
            ('d', RType::Int(_) | RType::Duration, Value::Int(i)) => fmt_int(out, *i, 10, verb),
            ('b', RType::Int(_), Value::Int(i)) => fmt_int(out, *i, 2, verb),
            ('o', RType::Int(_), Value::Int(i)) => fmt_int(out, *i, 8, verb),
            ('x' | 'X', RType::Int(_) | RType::Duration, Value::Int(i)) => {
                let mut s = String::new();
                fmt_int(&mut s, *i, 16, verb);
                out.push_str(&if verb.c == 'X' { s.to_uppercase() } else { s });
            }
            ('x' | 'X', RType::String, Value::Str(s)) => {
                for b in s.bytes() {
                    let _ = if verb.c == 'X' {
                        write!(out, "{b:02X}")
                    } else {
                        write!(out, "{b:02x}")
                    };
                }
            }
            ('U', RType::Int(_), Value::Int(i)) => {
                let _ = write!(out, "U+{:04X}", i);
            }
            ('c', RType::Int(_), Value::Int(i)) => {
                out.push(char::from_u32(*i as u32).unwrap_or('\u{FFFD}'))
            }
            ('q', RType::Int(_), Value::Int(i)) => {
                let c = char::from_u32(*i as u32).unwrap_or('\u{FFFD}');
                out.push('\'');
                quote_char(out, c, '\'');
                out.push('\'');
            }
            ('q', RType::String, Value::Str(s)) => quote(out, s),
            ('s' | 'q', RType::ErrorString(_), _) => {
                let msg = self.error_text(v);
                if verb.c == 'q' {
                    quote(out, &msg)
                } else {
                    out.push_str(&msg)
                }
            }
            ('s', RType::String, Value::Str(s)) => match verb.prec {
                Some(p) => out.extend(s.chars().take(p)),
                None => out.push_str(s),
            },
            ('s', RType::Duration, Value::Int(d)) => duration(out, *d),
            ('s', RType::Slice(_) | RType::Array(..) | RType::Struct(_) | RType::Map(..), _) => {
                self.fmt_value(out, v, &dt, Verb::plain('v'), 0)
            }
            ('t', RType::Bool, Value::Bool(b)) => {
                let _ = write!(out, "{b}");
            }
            ('f' | 'F' | 'e' | 'E' | 'g' | 'G', RType::Float(_), Value::Float(x)) => {
                fmt_float(out, *x, verb)
            }
            _ => bad(out, self),
        }
    }

    /// An interface value's dynamic value and type; other values with their static type.
    fn dynamic<'a>(&'a self, v: &'a Value, ty: &RType) -> (&'a Value, RType) {
        match v {
            Value::Iface(b) => (&b.val, (*b.ty).clone()),
            Value::Str(_) if ty.is_interface() => (v, RType::String),
            Value::Int(_) if ty.is_interface() => (v, RType::int()),
            Value::Float(_) if ty.is_interface() => (v, RType::Float("float64")),
            Value::Bool(_) if ty.is_interface() => (v, RType::Bool),
            _ => (v, ty.clone()),
        }
    }

    /// The message of an errors.New or fmt.Errorf value.
    pub fn error_text(&self, v: &Value) -> String {
        match v {
            Value::Struct(o) => match self.store.heap.objs.get(*o as usize) {
                Some(Obj::Struct(_, f)) => match f.first() {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => String::new(),
                },
                _ => String::new(),
            },
            Value::Str(s) => s.to_string(),
            Value::Iface(b) => self.error_text(&b.val),
            _ => String::new(),
        }
    }

    /// `%v` (or `%+v` with `verb.plus`) at nesting `depth`.
    fn fmt_value(&self, out: &mut String, v: &Value, ty: &RType, verb: Verb, depth: u32) {
        if depth > 16 {
            out.push_str("...");
            return;
        }
        let (v, dt) = self.dynamic(v, ty);
        let items = |out: &mut String, elems: &[Value], et: &RType| {
            out.push('[');
            for (i, e) in elems.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                self.fmt_value(out, e, et, verb, depth + 1);
            }
            out.push(']');
        };
        match (dt.underlying(), v) {
            (_, Value::Nil) => match dt.underlying() {
                RType::Slice(_) => out.push_str("[]"),
                RType::Map(..) => out.push_str("map[]"),
                _ => out.push_str("<nil>"),
            },
            (RType::Duration, Value::Int(d)) => duration(out, *d),
            (RType::Float(_), Value::Float(x)) => {
                // %+v means field names (fmt clears the plus flag for it): no signs.
                fmt_float(out, *x, Verb::plain('g'));
            }
            (RType::ErrorString(_), _) => out.push_str(&self.error_text(v)),
            (RType::Slice(et) | RType::Array(_, et), Value::Slice(s)) => {
                items(out, self.store.heap.elems(*s), et)
            }
            (RType::Map(kt, vt), Value::Map(m)) => {
                out.push_str("map[");
                if let Some(Obj::Map { entries, .. }) = self.store.heap.objs.get(*m as usize) {
                    for (i, (k, val)) in entries.iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        self.fmt_value(out, &k.value(), kt, verb, depth + 1);
                        out.push(':');
                        self.fmt_value(out, val, vt, verb, depth + 1);
                    }
                }
                out.push(']');
            }
            (RType::Struct(st), Value::Struct(o)) => {
                out.push('{');
                if let Some(Obj::Struct(_, fields)) = self.store.heap.objs.get(*o as usize) {
                    for (i, (val, (name, fty))) in fields.iter().zip(&st.fields).enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        if verb.plus {
                            out.push_str(name);
                            out.push(':');
                        }
                        self.fmt_value(out, val, fty, verb, depth + 1);
                    }
                }
                out.push('}');
            }
            (RType::Struct(st), Value::Tuple(vals)) => {
                // A struct map key (kept as its contents).
                out.push('{');
                for (i, (val, (name, fty))) in vals.iter().zip(&st.fields).enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    if verb.plus {
                        out.push_str(name);
                        out.push(':');
                    }
                    self.fmt_value(out, val, fty, verb, depth + 1);
                }
                out.push('}');
            }
            (RType::Array(_, et), Value::Tuple(vals)) => items(out, vals, et),
            (RType::Pointer(inner), Value::Struct(o)) => {
                if depth == 0 && matches!(inner.underlying(), RType::Struct(_)) {
                    out.push('&');
                    self.fmt_value(out, v, inner, verb, depth + 1);
                } else {
                    let _ = write!(out, "0xc{:09x}", 0x10000 + *o as u64 * 0x30);
                }
            }
            (RType::Opaque(_), Value::Mutex(_) | Value::RwMutex(_) | Value::WaitGroup(_)) => {
                out.push_str("{0 0}")
            }
            (_, other) => match self.heap_shape(other) {
                Some(text) => out.push_str(&text),
                None => {
                    let _ = write!(out, "{other}");
                }
            },
        }
    }

    /// Values whose type the front end did not pin down, printed by their shape.
    fn heap_shape(&self, v: &Value) -> Option<String> {
        match v {
            Value::Slice(_) | Value::Map(_) | Value::Struct(_) => Some(self.format(v)),
            Value::Float(x) => {
                let mut s = String::new();
                fmt_float(&mut s, *x, Verb::plain('g'));
                Some(s)
            }
            Value::Tuple(vals) => Some(
                vals.iter()
                    .map(|v| self.format(v))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    }

    /// The text of a panic value, as Go prints it after "panic: ".
    pub fn panic_text(&self, v: &Value) -> String {
        match v {
            Value::Iface(b) => match b.ty.underlying() {
                RType::ErrorString(_) => self.error_text(&b.val),
                RType::String => match &b.val {
                    Value::Str(s) => s.to_string(),
                    _ => String::new(),
                },
                _ => {
                    let text = self.format_typed(&b.val, &b.ty);
                    match &*b.ty {
                        RType::Named(name, _) => format!("{name}({text})"),
                        _ => text,
                    }
                }
            },
            Value::Float(x) => {
                // Go prints a float panic value in %e form through its own print routine.
                format!("{x:e}")
            }
            other => self.format(other),
        }
    }
}

impl Verb {
    fn plain(c: char) -> Verb {
        Verb {
            c,
            ..Verb::default()
        }
    }
}

/// Pads to the verb's width: spaces on the left, or on the right with '-', or zeros for numbers.
fn pad(out: &mut String, s: &str, verb: Verb) {
    let n = s.chars().count();
    let Some(w) = verb.width.filter(|w| *w > n) else {
        out.push_str(s);
        return;
    };
    let fill = w - n;
    if verb.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if verb.zero && matches!(verb.c, 'd' | 'f' | 'x' | 'X' | 'b' | 'o' | 'e' | 'g') {
        let (sign, digits) = match s.strip_prefix(['-', '+']) {
            Some(rest) => (&s[..1], rest),
            None => ("", s),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(s);
    }
}

fn fmt_int(out: &mut String, i: i64, radix: u32, verb: Verb) {
    if i < 0 {
        out.push('-');
    } else if verb.plus {
        out.push('+');
    } else if verb.space {
        out.push(' ');
    }
    let u = i.unsigned_abs();
    let digits = match radix {
        2 => format!("{u:b}"),
        8 => format!("{u:o}"),
        16 => format!("{u:x}"),
        _ => u.to_string(),
    };
    if let Some(p) = verb.prec {
        out.extend(std::iter::repeat_n('0', p.saturating_sub(digits.len())));
    }
    out.push_str(&digits);
}

/// Floats as strconv.FormatFloat does for the verb: %v and %g use the shortest digits that
/// round-trip, in exponent form when the exponent is < -4 or >= 6 (or the precision).
fn fmt_float(out: &mut String, x: f64, verb: Verb) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "+Inf" } else { "-Inf" });
        return;
    }
    if verb.plus && x >= 0.0 {
        out.push('+');
    }
    match verb.c {
        'f' | 'F' => {
            let p = verb.prec.unwrap_or(6);
            let _ = write!(out, "{x:.p$}");
        }
        'e' | 'E' => {
            let p = verb.prec.unwrap_or(6);
            let s = go_exponent(&format!("{x:.p$e}"));
            out.push_str(&if verb.c == 'E' { s.to_uppercase() } else { s });
        }
        _ => {
            let sci = match verb.prec {
                Some(p) => format!("{x:.*e}", p.max(1) - 1),
                None => format!("{x:e}"),
            };
            let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
            let exp: i32 = exp.parse().unwrap_or(0);
            let neg = mant.starts_with('-');
            let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
            let digits = digits.trim_end_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let eprec = verb.prec.map(|p| p as i32).unwrap_or(6);
            if neg {
                out.push('-');
            }
            if x != 0.0 && (exp < -4 || exp >= eprec) {
                out.push_str(&digits[..1]);
                if digits.len() > 1 {
                    out.push('.');
                    out.push_str(&digits[1..]);
                }
                let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
            } else if exp < 0 {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
                out.push_str(digits);
            } else {
                let int_len = exp as usize + 1;
                if digits.len() <= int_len {
                    out.push_str(digits);
                    out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                } else {
                    out.push_str(&digits[..int_len]);
                    out.push('.');
                    out.push_str(&digits[int_len..]);
                }
            }
        }
    }
}

/// Rust's "1.5e3" as Go's "1.5e+03".
fn go_exponent(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) => {
            let n: i32 = e.parse().unwrap_or(0);
            format!("{m}e{}{:02}", if n < 0 { '-' } else { '+' }, n.abs())
        }
        None => s.to_string(),
    }
}

/// time.Duration.String as a new string.
pub fn duration_text(d: i64) -> String {
    let mut s = String::new();
    duration(&mut s, d);
    s
}

/// time.Duration.String: "0s", "1.5µs", "100ms", "2m30s", "1h0m0s".
pub fn duration(out: &mut String, d: i64) {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    if u == 0 {
        out.push_str("0s");
        return;
    }
    let mut s = String::new();
    if u < 1_000_000_000 {
        let (prec, unit) = match u {
            0..1_000 => (0, "ns"),
            1_000..1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        let frac = frac_digits(&mut u, prec);
        s = format!("{u}{frac}{unit}");
    } else {
        let frac = frac_digits(&mut u, 9);
        let secs = u % 60;
        u /= 60;
        if u > 0 {
            let mins = u % 60;
            u /= 60;
            if u > 0 {
                let _ = write!(s, "{u}h");
            }
            let _ = write!(s, "{mins}m");
        }
        let _ = write!(s, "{secs}{frac}s");
    }
    if neg {
        out.push('-');
    }
    out.push_str(&s);
}

/// Splits off `prec` decimal digits of `*u` as ".123" without trailing zeros ("" if all zero).
fn frac_digits(u: &mut u64, prec: u32) -> String {
    let scale = 10u64.pow(prec);
    let frac = *u % scale;
    *u /= scale;
    if frac == 0 {
        return String::new();
    }
    let s = format!("{frac:0width$}", width = prec as usize);
    format!(".{}", s.trim_end_matches('0'))
}

/// strconv.Quote.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        quote_char(out, c, '"');
    }
    out.push('"');
}

fn quote_char(out: &mut String, c: char, q: char) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == q => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => out.push(c),
    }
}

/// A boxed value's text for `%v`, without a runtime (no heap objects inside).
pub fn boxed_text(b: &Boxed) -> String {
    match (&*b.ty, &b.val) {
        (RType::Duration, Value::Int(d)) => {
            let mut s = String::new();
            duration(&mut s, *d);
            s
        }
        (_, v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64) -> String {
        let mut s = String::new();
        fmt_float(&mut s, x, Verb::plain('g'));
        s
    }

    #[test]
    fn floats_print_like_go_v() {
        assert_eq!(g(3.0), "3");
        assert_eq!(g(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(123456.0), "123456");
        assert_eq!(g(123456789.0), "1.23456789e+08");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001), "1e-05");
        assert_eq!(g(-2.5), "-2.5");
        assert_eq!(g(0.0), "0");
    }

    #[test]
    fn durations_print_like_go() {
        let d = |n: i64| {
            let mut s = String::new();
            duration(&mut s, n);
            s
        };
        assert_eq!(d(0), "0s");
        assert_eq!(d(500), "500ns");
        assert_eq!(d(1_500), "1.5µs");
        assert_eq!(d(100_000_000), "100ms");
        assert_eq!(d(1_500_000_000), "1.5s");
        assert_eq!(d(150_000_000_000), "2m30s");
        assert_eq!(d(3_600_000_000_000), "1h0m0s");
        assert_eq!(d(-2_000_000), "-2ms");
    }
}
