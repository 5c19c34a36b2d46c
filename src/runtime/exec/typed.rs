//! Operations on typed values and the library the runtime implements itself: fmt's formatting and
//! output, interface boxing and assertions, multi-value returns, conversions, and small pure
//! functions from strings, sort, strconv, math and math/rand.

use super::*;
use crate::runtime::ir::{Conv, LibFn};
use crate::runtime::types::{Boxed, RType};

impl Runtime {
    pub(super) fn exec_typed(&mut self, p: PId, g: GoId, op: &Op) -> R<Flow> {
        match op {
            Op::Format { dst, spec, args } => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.get(g, *a)?);
                }
                let text = self.sprint(spec, &vals);
                let cost = self.costs.local_op * (1 + text.len() as Nanos / 8);
                self.set(g, *dst, Value::str(&text))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(cost))
            }
            Op::WriteErr { src } => {
                let text = match self.get(g, *src)? {
                    Value::Str(s) => s,
                    other => return Err(format!("write of {}", other.kind())),
                };
                self.err_out.push_str(&text);
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.print))
            }
            Op::Write { src } => {
                let text = match self.get(g, *src)? {
                    Value::Str(s) => s,
                    other => return Err(format!("write of {}", other.kind())),
                };
                self.out.push_str(&text);
                self.advance_pc(g)?;
                let shown = text.strip_suffix('\n').unwrap_or(&text).to_string();
                self.emit(TraceEvent::Print { g, text: shown });
                Ok(Flow::Next(self.costs.print))
            }
            Op::Box { dst, src, ty } => {
                let v = self.get(g, *src)?;
                let boxed = match v {
                    // Already an interface value (a conversion between interface types).
                    Value::Iface(_) => v,
                    Value::Nil if ty.is_interface() => Value::Nil,
                    v => Value::Iface(Rc::new(Boxed {
                        ty: Rc::clone(ty),
                        val: v,
                    })),
                };
                self.set(g, *dst, boxed)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Unbox { dst, ok, src, ty } => {
                let v = self.get(g, *src)?;
                let (found, matched) = self.assert_type(&v, ty);
                match (matched, ok) {
                    (Some(val), _) => {
                        self.deliver(g, Some(*dst), *ok, val, true)?;
                    }
                    (None, Some(_)) => {
                        let zero = zero_of(ty);
                        self.deliver(g, Some(*dst), *ok, zero, false)?;
                    }
                    (None, None) => {
                        let msg = match found {
                            Some(f) => {
                                format!("interface conversion: interface {{}} is {f}, not {ty}")
                            }
                            None => format!("interface conversion: interface is nil, not {ty}"),
                        };
                        return self.begin_panic(p, g, Value::str(&msg));
                    }
                }
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Tuple { dst, vals } => {
                let mut vs = Vec::with_capacity(vals.len());
                for r in vals {
                    vs.push(self.get(g, *r)?);
                }
                self.set(g, *dst, Value::Tuple(Rc::from(vs)))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::TupleGet { dst, src, index } => {
                let v = match self.get(g, *src)? {
                    Value::Tuple(vals) => vals.get(*index as usize).cloned().unwrap_or_default(),
                    other => return Err(format!("result {index} of {}", other.kind())),
                };
                self.set(g, *dst, v)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Convert { dst, src, conv } => {
                let v = self.get(g, *src)?;
                let out = self.convert(v, *conv)?;
                self.set(g, *dst, out)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::Equal {
                dst,
                a,
                b,
                ty,
                negate,
            } => {
                let (a, b) = (self.get(g, *a)?, self.get(g, *b)?);
                let eq = self.values_equal(&a, &b, ty, 0);
                self.set(g, *dst, Value::Bool(eq != *negate))?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::KeyOf { dst, src, ty } => {
                let v = self.get(g, *src)?;
                let k = self.key_of(&v, ty, 0);
                self.set(g, *dst, k)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op))
            }
            Op::FromKey { dst, src, ty } => {
                let v = self.get(g, *src)?;
                let k = self.key_value_of(v, ty, 0);
                self.set(g, *dst, k)?;
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.mem))
            }
            Op::Lib { dst, f, args } => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.get(g, *a)?);
                }
                let out = self.lib(*f, &vals)?;
                if let Some(d) = dst {
                    self.set(g, *d, out)?;
                }
                self.advance_pc(g)?;
                Ok(Flow::Next(self.costs.local_op * 4))
            }
            _ => Err(format!("{op:?} is not a typed-value operation")),
        }
    }

    /// Go's `==` on values of type `ty`: structs field by field, arrays element by element,
    /// everything else (pointers included) as the values themselves.
    fn values_equal(&self, a: &Value, b: &Value, ty: &RType, depth: u32) -> bool {
        use crate::runtime::heap::Obj;
        if depth > 32 {
            return a == b;
        }
        match (ty.underlying(), a, b) {
            (RType::Struct(st), Value::Struct(x), Value::Struct(y)) => {
                match (
                    self.store.heap.objs.get(*x as usize),
                    self.store.heap.objs.get(*y as usize),
                ) {
                    (Some(Obj::Struct(_, fx)), Some(Obj::Struct(_, fy))) => fx
                        .iter()
                        .zip(fy)
                        .zip(&st.fields)
                        .all(|((u, v), (_, ft))| self.values_equal(u, v, ft, depth + 1)),
                    _ => a == b,
                }
            }
            (RType::Array(_, et), Value::Slice(x), Value::Slice(y)) => {
                let (ex, ey) = (self.store.heap.elems(*x), self.store.heap.elems(*y));
                ex.len() == ey.len()
                    && ex
                        .iter()
                        .zip(ey)
                        .all(|(u, v)| self.values_equal(u, v, et, depth + 1))
            }
            _ => a == b,
        }
    }

    /// A struct or array value as a tuple of its contents (recursively), for use as a map key.
    fn key_of(&self, v: &Value, ty: &RType, depth: u32) -> Value {
        use crate::runtime::heap::Obj;
        if depth > 32 {
            return v.clone();
        }
        match (ty.underlying(), v) {
            (RType::Struct(st), Value::Struct(o)) => match self.store.heap.objs.get(*o as usize) {
                Some(Obj::Struct(_, fields)) => Value::Tuple(
                    fields
                        .iter()
                        .zip(&st.fields)
                        .map(|(f, (_, ft))| self.key_of(f, ft, depth + 1))
                        .collect(),
                ),
                _ => v.clone(),
            },
            (RType::Array(_, et), Value::Slice(s)) => Value::Tuple(
                self.store
                    .heap
                    .elems(*s)
                    .iter()
                    .map(|e| self.key_of(e, et, depth + 1))
                    .collect(),
            ),
            _ => v.clone(),
        }
    }

    /// The struct or array value a `key_of` tuple stands for, as a new object.
    fn key_value_of(&mut self, v: Value, ty: &RType, depth: u32) -> Value {
        use crate::runtime::heap::Obj;
        if depth > 32 {
            return v;
        }
        match (ty.underlying().clone(), v) {
            (RType::Struct(st), Value::Tuple(vals)) => {
                let fields: Vec<Value> = vals
                    .iter()
                    .zip(&st.fields)
                    .map(|(f, (_, ft))| self.key_value_of(f.clone(), ft, depth + 1))
                    .collect();
                Value::Struct(
                    self.store
                        .heap
                        .alloc(Obj::Struct(Rc::clone(&st.name), fields)),
                )
            }
            (RType::Array(_, et), Value::Tuple(vals)) => {
                let elems: Vec<Value> = vals
                    .iter()
                    .map(|e| self.key_value_of(e.clone(), &et, depth + 1))
                    .collect();
                Value::Slice(self.store.heap.append(None, &elems))
            }
            (_, v) => v,
        }
    }

    /// For `v.(ty)`: the dynamic type found (None for nil) and the value if it matches.
    fn assert_type(&self, v: &Value, ty: &RType) -> (Option<String>, Option<Value>) {
        match v {
            Value::Nil => (None, None),
            Value::Iface(b) => {
                let found = b.ty.to_string();
                let ok = *b.ty == *ty
                    || (ty.is_interface()
                        && (ty.to_string() == "interface {}"
                            || (ty.to_string() == "error"
                                && matches!(b.ty.underlying(), RType::ErrorString(_)))));
                let val = if ty.is_interface() {
                    v.clone()
                } else {
                    b.val.clone()
                };
                (Some(found), ok.then_some(val))
            }
            // A runtime panic value (its text) recovered into an interface.
            Value::Str(_) => {
                let ok = matches!(ty, RType::String) || ty.to_string() == "interface {}";
                (Some("string".into()), ok.then(|| v.clone()))
            }
            other => (Some(other.kind().to_string()), None),
        }
    }

    /// The error a fmt.Errorf %w value wraps.
    fn unwrap_error(&self, v: &Value) -> Option<Value> {
        let Value::Iface(b) = v else { return None };
        let Value::Struct(o) = b.val else { return None };
        match self.store.heap.objs.get(o as usize) {
            Some(crate::runtime::heap::Obj::Struct(name, fields))
                if &**name == "*fmt.wrapError" =>
            {
                fields.get(1).cloned()
            }
            _ => None,
        }
    }

    fn convert(&mut self, v: Value, conv: Conv) -> R<Value> {
        Ok(match (conv, v) {
            (Conv::IntToFloat, Value::Int(i)) => Value::Float(i as f64),
            (Conv::FloatToInt, Value::Float(x)) => Value::Int(x as i64),
            (Conv::Wrap { bits, signed }, Value::Int(i)) => {
                let shift = 64 - bits as u32;
                Value::Int(if signed {
                    (i << shift) >> shift
                } else {
                    ((i as u64) << shift >> shift) as i64
                })
            }
            (Conv::RuneToString, Value::Int(i)) => {
                Value::str(&char::from_u32(i as u32).unwrap_or('\u{FFFD}').to_string())
            }
            (Conv::Itoa, Value::Int(i)) => Value::str(&i.to_string()),
            (Conv::StringToBytes, Value::Str(s)) => {
                let vals: Vec<Value> = s.bytes().map(|b| Value::Int(b as i64)).collect();
                Value::Slice(self.store.heap.append(None, &vals))
            }
            (Conv::StringToRunes, Value::Str(s)) => {
                let vals: Vec<Value> = s.chars().map(|c| Value::Int(c as i64)).collect();
                Value::Slice(self.store.heap.append(None, &vals))
            }
            (Conv::BytesToString, v) => {
                let bytes: Vec<u8> = self.ints(&v).into_iter().map(|b| b as u8).collect();
                Value::str(&String::from_utf8_lossy(&bytes))
            }
            (Conv::RunesToString, v) => Value::str(
                &self
                    .ints(&v)
                    .into_iter()
                    .map(|r| char::from_u32(r as u32).unwrap_or('\u{FFFD}'))
                    .collect::<String>(),
            ),
            (conv, other) => return Err(format!("conversion {conv:?} of {}", other.kind())),
        })
    }

    /// The integers of a slice value (empty for nil).
    fn ints(&self, v: &Value) -> Vec<i64> {
        match v {
            Value::Slice(s) => self
                .store
                .heap
                .elems(*s)
                .iter()
                .filter_map(|e| e.as_int())
                .collect(),
            _ => Vec::new(),
        }
    }

    fn strs(&self, v: &Value) -> Vec<Rc<str>> {
        match v {
            Value::Slice(s) => self
                .store
                .heap
                .elems(*s)
                .iter()
                .filter_map(|e| match e {
                    Value::Str(s) => Some(Rc::clone(s)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn str_slice(&mut self, parts: impl Iterator<Item = String>) -> Value {
        let vals: Vec<Value> = parts.map(|p| Value::str(&p)).collect();
        if vals.is_empty() {
            return Value::Slice(self.store.heap.make_slice(0, 0, Value::str("")));
        }
        Value::Slice(self.store.heap.append(None, &vals))
    }

    /// The library functions the runtime implements, by package.
    fn lib(&mut self, f: LibFn, a: &[Value]) -> R<Value> {
        match f {
            LibFn::StringsContains
            | LibFn::StringsHasPrefix
            | LibFn::StringsHasSuffix
            | LibFn::StringsIndex
            | LibFn::StringsCount
            | LibFn::StringsSplit
            | LibFn::StringsFields
            | LibFn::StringsJoin
            | LibFn::StringsRepeat
            | LibFn::StringsToUpper
            | LibFn::StringsToLower
            | LibFn::StringsTrimSpace
            | LibFn::StringsReplaceAll => self.lib_strings(f, a),
            LibFn::SortInts
            | LibFn::SortStrings
            | LibFn::SortFloat64s
            | LibFn::Atoi
            | LibFn::ErrorsIs
            | LibFn::ErrorsUnwrap => self.lib_errors_strconv_sort(f, a),
            _ => self.lib_math_rand_lab(f, a),
        }
    }

    /// The strings package.
    fn lib_strings(&mut self, f: LibFn, a: &[Value]) -> R<Value> {
        let at = Args { f, a };
        Ok(match f {
            LibFn::StringsContains => Value::Bool(at.s(0)?.contains(&*at.s(1)?)),
            LibFn::StringsHasPrefix => Value::Bool(at.s(0)?.starts_with(&*at.s(1)?)),
            LibFn::StringsHasSuffix => Value::Bool(at.s(0)?.ends_with(&*at.s(1)?)),
            LibFn::StringsIndex => {
                Value::Int(at.s(0)?.find(&*at.s(1)?).map(|i| i as i64).unwrap_or(-1))
            }
            LibFn::StringsCount => {
                let (h, nd) = (at.s(0)?, at.s(1)?);
                Value::Int(if nd.is_empty() {
                    h.chars().count() as i64 + 1
                } else {
                    h.matches(&*nd).count() as i64
                })
            }
            LibFn::StringsSplit => {
                let (h, sep) = (at.s(0)?, at.s(1)?);
                if sep.is_empty() {
                    self.str_slice(h.chars().map(|c| c.to_string()))
                } else {
                    self.str_slice(h.split(&*sep).map(str::to_string))
                }
            }
            LibFn::StringsFields => {
                let h = at.s(0)?;
                self.str_slice(h.split_whitespace().map(str::to_string))
            }
            LibFn::StringsJoin => {
                let parts = self.strs(&a[0]);
                let parts: Vec<&str> = parts.iter().map(|p| &**p).collect();
                Value::str(&parts.join(&*at.s(1)?))
            }
            LibFn::StringsRepeat => {
                let k = at.n(1)?;
                if k < 0 {
                    return Err("strings: negative Repeat count".into());
                }
                let base = at.s(0)?;
                if base.len() as i64 * k > 1 << 24 {
                    return Err("strings.Repeat result is larger than 16 MB".into());
                }
                Value::str(&base.repeat(k as usize))
            }
            LibFn::StringsToUpper => Value::str(&at.s(0)?.to_uppercase()),
            LibFn::StringsToLower => Value::str(&at.s(0)?.to_lowercase()),
            LibFn::StringsTrimSpace => Value::str(at.s(0)?.trim()),
            LibFn::StringsReplaceAll => Value::str(&at.s(0)?.replace(&*at.s(1)?, &at.s(2)?)),
            other => return Err(format!("{other:?} is not in lib_strings")),
        })
    }

    /// errors.Is/Unwrap, strconv.Atoi and sort.
    fn lib_errors_strconv_sort(&mut self, f: LibFn, a: &[Value]) -> R<Value> {
        let at = Args { f, a };
        Ok(match f {
            LibFn::SortInts | LibFn::SortStrings | LibFn::SortFloat64s => {
                if let Some(Value::Slice(sl)) = a.first() {
                    let (off, len) = (sl.off as usize, sl.len as usize);
                    if let Some(arr) = self.store.heap.array_mut(sl.arr) {
                        let part = &mut arr[off..off + len];
                        part.sort_by(|x, y| match (x, y) {
                            (Value::Int(x), Value::Int(y)) => x.cmp(y),
                            (Value::Str(x), Value::Str(y)) => x.cmp(y),
                            (Value::Float(x), Value::Float(y)) => x.total_cmp(y),
                            _ => std::cmp::Ordering::Equal,
                        });
                    }
                }
                Value::Nil
            }
            LibFn::Atoi => {
                let text = at.s(0)?;
                match text.parse::<i64>() {
                    Ok(v) => Value::Tuple(Rc::from(vec![Value::Int(v), Value::Nil])),
                    Err(_) => {
                        let msg = format!("strconv.Atoi: parsing {text:?}: invalid syntax");
                        let o = self.store.heap.alloc(crate::runtime::heap::Obj::Struct(
                            Rc::from("*strconv.NumError"),
                            vec![Value::str(&msg)],
                        ));
                        let err = Value::Iface(Rc::new(Boxed {
                            ty: Rc::new(RType::ErrorString("*strconv.NumError")),
                            val: Value::Struct(o),
                        }));
                        Value::Tuple(Rc::from(vec![Value::Int(0), err]))
                    }
                }
            }
            LibFn::ErrorsIs => {
                let target = a.get(1).cloned().unwrap_or_default();
                let mut cur = a.first().cloned().unwrap_or_default();
                let mut found = false;
                for _ in 0..1000 {
                    if cur == target {
                        found = true;
                        break;
                    }
                    match self.unwrap_error(&cur) {
                        Some(next) => cur = next,
                        None => break,
                    }
                }
                Value::Bool(found)
            }
            LibFn::ErrorsUnwrap => {
                let e = a.first().cloned().unwrap_or_default();
                self.unwrap_error(&e).unwrap_or(Value::Nil)
            }
            other => return Err(format!("{other:?} is not in lib_errors_strconv_sort")),
        })
    }

    /// math, math/rand and the lab package.
    fn lib_math_rand_lab(&mut self, f: LibFn, a: &[Value]) -> R<Value> {
        let at = Args { f, a };
        Ok(match f {
            LibFn::RandIntn => {
                let k = at.n(0)?;
                if k <= 0 {
                    return Err("invalid argument to Intn".into());
                }
                Value::Int(self.rng.below(k as u64) as i64)
            }
            LibFn::RandFloat64 => Value::Float(self.rng.next_f64()),
            LibFn::MathSqrt => Value::Float(libm::sqrt(at.x(0)?)),
            LibFn::MathAbs => Value::Float(at.x(0)?.abs()),
            LibFn::MathPow => Value::Float(libm::pow(at.x(0)?, at.x(1)?)),
            LibFn::MathFloor => Value::Float(libm::floor(at.x(0)?)),
            LibFn::MathCeil => Value::Float(libm::ceil(at.x(0)?)),
            LibFn::MathMaxInt => Value::Int(i64::MAX),
            LibFn::LabExp => {
                let mean = at.n(0)?.max(0) as f64;
                let u = self.rng.next_f64();
                Value::Int((-libm::log(1.0 - u) * mean) as i64)
            }
            LibFn::LabUniform => {
                let (lo, hi) = (at.n(0)?, at.n(1)?);
                if hi <= lo {
                    Value::Int(lo)
                } else {
                    Value::Int(lo + self.rng.below((hi - lo) as u64 + 1) as i64)
                }
            }
            LibFn::LabObserved => Value::Int(self.metrics.observations() as i64),
            LibFn::LabCount => {
                self.metrics.count(&at.s(0)?, at.n(1)?);
                Value::Nil
            }
            LibFn::MathInf => Value::Float(if at.n(0)? >= 0 {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }),

            other => return Err(format!("{other:?} is not in lib_math_rand_lab")),
        })
    }
}

/// A library call's arguments, read by position with the type the call needs.
struct Args<'v> {
    f: LibFn,
    a: &'v [Value],
}

impl Args<'_> {
    fn s(&self, i: usize) -> R<Rc<str>> {
        match self.a.get(i) {
            Some(Value::Str(s)) => Ok(Rc::clone(s)),
            other => Err(format!(
                "{:?} argument {i} is {other:?}, not a string",
                self.f
            )),
        }
    }

    fn n(&self, i: usize) -> R<i64> {
        match self.a.get(i) {
            Some(Value::Int(x)) => Ok(*x),
            other => Err(format!(
                "{:?} argument {i} is {other:?}, not an int",
                self.f
            )),
        }
    }

    fn x(&self, i: usize) -> R<f64> {
        match self.a.get(i) {
            Some(Value::Float(x)) => Ok(*x),
            other => Err(format!(
                "{:?} argument {i} is {other:?}, not a float",
                self.f
            )),
        }
    }
}

/// The zero value of a type, for a failed `v, ok := x.(T)`.
pub(crate) fn zero_of(ty: &RType) -> Value {
    match ty.underlying() {
        RType::Bool => Value::Bool(false),
        RType::Int(_) | RType::Duration => Value::Int(0),
        RType::Float(_) => Value::Float(0.0),
        RType::String => Value::str(""),
        _ => Value::Nil,
    }
}
