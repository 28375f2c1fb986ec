//! Numbers as text: `integer_to_list/1,2`, `list_to_integer/1,2`,
//! `float_to_list/1,2`, `list_to_float/1` and their binary twins.
//!
//! BEAM facts (OTP 25):
//! - `integer_to_list(I, Base)` takes bases 2..36 and writes upper-case
//!   digits; `list_to_integer` takes an optional sign and at least one digit
//!   of either case, nothing else (no spaces, no `_`).
//! - `list_to_float` takes `[+-]digits.digits[(e|E)[+-]digits]` only
//!   (`"1e10"` and `"1."` are `badarg`); an overflow to infinity is `badarg`,
//!   an underflow gives `0.0`.
//! - `float_to_list(F)` is C's `%.20e` (`"1.50000000000000000000e+00"`).
//! - `float_to_list(F, Options)`: the last of `{decimals, 0..253}`,
//!   `{scientific, 0..249}` and `short` wins; `compact` strips trailing zeros
//!   of `decimals` output down to one digit after the point. With up to 18
//!   decimals and `abs(F) < 2^53`, BEAM scales the fraction in floating
//!   point and rounds half away from zero (`0.5` gives `"1"`, `2.5` gives `"3"`; see
//!   [`format_decimals`]); otherwise it uses C's `%.*f`, which rounds exact
//!   ties to even (`2^-20` at 19 decimals ends in `...062`). A result longer
//!   than 255 characters is `badarg`
//!   (`float_to_list(1.0e300, [{decimals, 2}])`).

use super::{BifResult, Exception, binary_bytes, char_list};
use crate::heap::ProcessMemory;
use crate::term::Term;
use dashu_int::{IBig, UBig};

fn integer_arg(p: &ProcessMemory, t: Term) -> Result<IBig, Exception> {
    t.integer_value(p).ok_or_else(Exception::badarg)
}

fn base_arg(t: Term) -> Result<u32, Exception> {
    match t.small_value() {
        Some(b) if (2..=36).contains(&b) => Ok(b as u32),
        _ => Err(Exception::badarg()),
    }
}

/// `I` in base `base`, upper-case digits.
pub(crate) fn integer_text(i: &IBig, base: u32) -> String {
    let s = if base == 10 {
        i.to_string()
    } else {
        i.in_radix(base).to_string()
    };
    s.to_ascii_uppercase()
}

fn text_to_list(p: &mut ProcessMemory, s: &str) -> Term {
    let chars: Vec<u32> = s.chars().map(|c| c as u32).collect();
    char_list(p, chars.into_iter())
}

pub fn integer_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    Ok(text_to_list(p, &integer_text(&i, 10)))
}

pub fn integer_to_list_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    let base = base_arg(a[1])?;
    Ok(text_to_list(p, &integer_text(&i, base)))
}

pub fn integer_to_binary_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    Ok(p.binary(integer_text(&i, 10).as_bytes()))
}

pub fn integer_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    let base = base_arg(a[1])?;
    Ok(p.binary(integer_text(&i, base).as_bytes()))
}

/// The bytes of a proper list of Latin-1 characters; `None` for anything
/// else (a character above 255 can never be part of a number).
fn latin1_list(p: &ProcessMemory, mut t: Term) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    while let Some((h, tl)) = t.cons_parts(p) {
        out.push(u8::try_from(h.small_value()?).ok()?);
        t = tl;
    }
    t.is_nil().then_some(out)
}

/// Parses `[+-]digits` in `base`.
pub(crate) fn parse_integer(text: &[u8], base: u32) -> Option<IBig> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(|&c| (c as char).is_digit(base)) {
        return None;
    }
    let s = std::str::from_utf8(digits).ok()?;
    let mag = UBig::from_str_radix(s, base).ok()?;
    let v = IBig::from(mag);
    Some(if negative { -v } else { v })
}

fn to_integer(p: &mut ProcessMemory, text: Option<Vec<u8>>, base: u32) -> BifResult {
    let text = text.ok_or_else(Exception::badarg)?;
    let i = parse_integer(&text, base).ok_or_else(Exception::badarg)?;
    Ok(p.integer(&i))
}

pub fn list_to_integer_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = latin1_list(p, a[0]);
    to_integer(p, text, 10)
}

pub fn list_to_integer_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let base = base_arg(a[1])?;
    let text = latin1_list(p, a[0]);
    to_integer(p, text, base)
}

pub fn binary_to_integer_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = binary_bytes(p, a[0]);
    to_integer(p, text, 10)
}

pub fn binary_to_integer_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let base = base_arg(a[1])?;
    let text = binary_bytes(p, a[0]);
    to_integer(p, text, base)
}

/// Parses Erlang's float syntax, as `list_to_float/1` accepts it.
pub(crate) fn parse_float(text: &[u8]) -> Option<f64> {
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while text.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if matches!(text.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !digits(&mut i) || text.get(i) != Some(&b'.') {
        return None;
    }
    i += 1;
    if !digits(&mut i) {
        return None;
    }
    if matches!(text.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(text.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != text.len() {
        return None;
    }
    let f: f64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    f.is_finite().then_some(f)
}

pub fn list_to_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = latin1_list(p, a[0]).ok_or_else(Exception::badarg)?;
    let f = parse_float(&text).ok_or_else(Exception::badarg)?;
    Ok(p.float(f))
}

pub fn binary_to_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = binary_bytes(p, a[0]).ok_or_else(Exception::badarg)?;
    let f = parse_float(&text).ok_or_else(Exception::badarg)?;
    Ok(p.float(f))
}

/// C's `%.{digits}e` (`"1.500e+00"`).
pub fn format_scientific(f: f64, digits: usize) -> String {
    crate::float_text::printf_e(f, digits)
}

/// `f` with `decimals` digits after the point, as BEAM's
/// `float_to_list(F, [{decimals, D}])` writes it.
///
/// For up to 18 decimals and `abs(F) < 2^53`, BEAM splits off the integer
/// part, multiplies the fraction by `10^D` in floating point and rounds that
/// product half away from zero; so `0.5` gives `"1"` and
/// `float_to_list(-943.602, [{decimals, 15}])` ends in `...976` although
/// the exact value would round to `...975` (the product rounds up to a
/// tie). Otherwise it is C's `%.*f`.
pub fn format_decimals(f: f64, decimals: usize) -> String {
    const FAST_MAX_DECIMALS: usize = 18;
    const TWO_POW_53: f64 = 9_007_199_254_740_992.0;
    let a = f.abs();
    if decimals > FAST_MAX_DECIMALS || a >= TWO_POW_53 {
        return crate::float_text::printf_f(f, decimals);
    }
    let whole = a.trunc();
    // Exact: `a` and `whole` share a binade or `whole` is 0.
    let frac = a - whole;
    let scale = 10f64.powi(decimals as i32);
    let scaled = frac * scale;
    let mut frac_digits = scaled.trunc();
    if scaled - frac_digits >= 0.5 {
        frac_digits += 1.0;
    }
    let mut int_digits = whole as u64;
    if frac_digits >= scale {
        frac_digits -= scale;
        int_digits += 1;
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    out.push_str(&int_digits.to_string());
    if decimals > 0 {
        out.push('.');
        out.push_str(&format!(
            "{:0>width$}",
            frac_digits as u64,
            width = decimals
        ));
    }
    out
}

/// Strips trailing zeros after the point, keeping at least one digit.
fn compact(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0');
    if t.ends_with('.') {
        format!("{t}0")
    } else {
        t.to_string()
    }
}

enum FloatFormat {
    Default,
    Decimals,
    Scientific,
    Short,
}

/// The text of `float_to_list(F, Options)`. As in erts, every
/// `{decimals | scientific, N}` option sets the format and the precision,
/// and only the final format's precision is checked: a bad precision
/// followed by `short` is fine, and a negative `scientific` precision means
/// C's default of 6 digits.
fn float_text_with_options(p: &ProcessMemory, f: f64, options: Term) -> Result<String, Exception> {
    let opts = super::list_elements(p, options).ok_or_else(Exception::badarg)?;
    let mut format = FloatFormat::Default;
    let mut precision: i64 = 0;
    let mut is_compact = false;
    for o in opts {
        match o.atom_value().and_then(|a| a.text()) {
            Some("compact") => {
                is_compact = true;
                continue;
            }
            Some("short") => {
                format = FloatFormat::Short;
                continue;
            }
            Some(_) => return Err(Exception::badarg()),
            None => {}
        }
        let Some(&[tag, n]) = o.tuple_elements(p) else {
            return Err(Exception::badarg());
        };
        let n = n.small_value().ok_or_else(Exception::badarg)?;
        format = match tag.atom_value().and_then(|a| a.text()) {
            Some("decimals") => FloatFormat::Decimals,
            Some("scientific") => FloatFormat::Scientific,
            _ => return Err(Exception::badarg()),
        };
        precision = n;
    }
    let s = match format {
        FloatFormat::Default => format_scientific(f, 20),
        FloatFormat::Short => float_short(f),
        FloatFormat::Scientific => match usize::try_from(precision) {
            Err(_) => format_scientific(f, 6),
            Ok(n) if n <= 249 => format_scientific(f, n),
            Ok(_) => return Err(Exception::badarg()),
        },
        FloatFormat::Decimals => match usize::try_from(precision) {
            Ok(n) if n <= 253 => {
                let s = format_decimals(f, n);
                if is_compact { compact(s) } else { s }
            }
            _ => return Err(Exception::badarg()),
        },
    };
    if s.len() > 255 {
        return Err(Exception::badarg());
    }
    Ok(s)
}

fn float_arg(p: &ProcessMemory, t: Term) -> Result<f64, Exception> {
    t.float_value(p).ok_or_else(Exception::badarg)
}

pub fn float_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    Ok(text_to_list(p, &format_scientific(f, 20)))
}

pub fn float_to_list_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = float_text_with_options(p, f, a[1])?;
    Ok(text_to_list(p, &s))
}

pub fn float_to_binary_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    Ok(p.binary(format_scientific(f, 20).as_bytes()))
}

pub fn float_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = float_text_with_options(p, f, a[1])?;
    Ok(p.binary(s.as_bytes()))
}

/// The shortest text that reads back as `f` (`float_to_list(F, [short])`).
pub(crate) fn float_short(f: f64) -> String {
    crate::float_text::shortest(f)
}
