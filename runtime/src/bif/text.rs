//! Numbers as text: `integer_to_list/1,2`, `list_to_integer/1,2`,
//! `float_to_list/1,2`, `list_to_float/1` and their binary twins.
//!
//! The text rules are those of [`crate::number`] (`integer_to_string`,
//! `list_to_integer`, `float_to_string`, `list_to_float`), which documents
//! the BEAM facts they follow; this module turns Erlang lists and binaries
//! into bytes and results back into terms. BEAM facts of the term side
//! (OTP 25):
//! - Text arguments are proper lists of integers in 0..=255, or binaries;
//!   anything else is `badarg` before the characters are looked at.
//! - Every failure here is `badarg`, except an integer whose text is too
//!   long for any bignum (`system_limit`).

use super::arith::{number_of, raise, term_of};
use super::{BifResult, Exception, binary_bytes, char_list};
use crate::heap::ProcessMemory;
use crate::number::{self, FloatFormat, Number};
use crate::term::Term;

fn integer_arg(p: &ProcessMemory, t: Term) -> Result<Number, Exception> {
    match number_of(p, t) {
        Some(n) if n.is_integer() => Ok(n),
        _ => Err(Exception::badarg()),
    }
}

fn base_arg(t: Term) -> Result<u32, Exception> {
    match t.small_value() {
        Some(b) if (2..=36).contains(&b) => Ok(b as u32),
        _ => Err(Exception::badarg()),
    }
}

/// `I` in base `base` (2..=36), upper-case digits.
fn integer_text(i: &Number, base: u32) -> Result<String, Exception> {
    number::integer_to_string(i, &Number::Small(i64::from(base))).map_err(raise)
}

fn text_to_list(p: &mut ProcessMemory, s: &str) -> Term {
    let chars: Vec<u32> = s.chars().map(|c| c as u32).collect();
    char_list(p, chars.into_iter())
}

pub fn integer_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    Ok(text_to_list(p, &integer_text(&i, 10)?))
}

pub fn integer_to_list_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    let base = base_arg(a[1])?;
    Ok(text_to_list(p, &integer_text(&i, base)?))
}

pub fn integer_to_binary_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    Ok(p.binary(integer_text(&i, 10)?.as_bytes()))
}

pub fn integer_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let i = integer_arg(p, a[0])?;
    let base = base_arg(a[1])?;
    Ok(p.binary(integer_text(&i, base)?.as_bytes()))
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

fn to_integer(p: &mut ProcessMemory, text: Option<Vec<u8>>, base: u32) -> BifResult {
    let text = text.ok_or_else(Exception::badarg)?;
    let i = number::list_to_integer(&text, &Number::Small(i64::from(base))).map_err(raise)?;
    Ok(term_of(p, &i))
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

pub fn list_to_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = latin1_list(p, a[0]).ok_or_else(Exception::badarg)?;
    let f = number::list_to_float(&text).map_err(raise)?;
    Ok(p.float(f))
}

pub fn binary_to_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = binary_bytes(p, a[0]).ok_or_else(Exception::badarg)?;
    let f = number::list_to_float(&text).map_err(raise)?;
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

/// The text of `float_to_list(F, Options)`: the options read left to right
/// into a [`FloatFormat`], then formatted by the number module.
fn float_text_with_options(p: &ProcessMemory, f: f64, options: Term) -> Result<String, Exception> {
    let opts = super::list_elements(p, options).ok_or_else(Exception::badarg)?;
    let mut format = FloatFormat::new();
    for o in opts {
        match o.atom_value().and_then(|a| a.text()) {
            Some("compact") => format.compact(),
            Some("short") => format.short(),
            Some(_) => return Err(Exception::badarg()),
            None => {
                let Some(&[tag, n]) = o.tuple_elements(p) else {
                    return Err(Exception::badarg());
                };
                let n = number_of(p, n).ok_or_else(Exception::badarg)?;
                match tag.atom_value().and_then(|a| a.text()) {
                    Some("decimals") => format.decimals(&n),
                    Some("scientific") => format.scientific(&n),
                    _ => return Err(Exception::badarg()),
                }
                .map_err(raise)?;
            }
        }
    }
    number::float_to_string(f, &format).map_err(raise)
}

fn float_arg(p: &ProcessMemory, t: Term) -> Result<f64, Exception> {
    t.float_value(p).ok_or_else(Exception::badarg)
}

pub fn float_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = number::float_to_string(f, &FloatFormat::new()).map_err(raise)?;
    Ok(text_to_list(p, &s))
}

pub fn float_to_list_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = float_text_with_options(p, f, a[1])?;
    Ok(text_to_list(p, &s))
}

pub fn float_to_binary_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = number::float_to_string(f, &FloatFormat::new()).map_err(raise)?;
    Ok(p.binary(s.as_bytes()))
}

pub fn float_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let f = float_arg(p, a[0])?;
    let s = float_text_with_options(p, f, a[1])?;
    Ok(p.binary(s.as_bytes()))
}
