//! The BIFs under `string:to_integer/1` and `string:to_float/1`:
//! `string:list_to_integer/1` and `string:list_to_float/1` read a number
//! at the start of a list of characters and return it with the rest.

use super::{BifResult, Exception};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::term::Term;

/// `{error, Reason}`.
fn error(p: &mut ProcessMemory, reason: &str) -> BifResult {
    let reason = Atom::intern(reason).map_err(|_| Exception::system_limit())?;
    p.tuple(&[Term::atom(atom::ERROR), Term::atom(reason)])
        .ok_or_else(Exception::system_limit)
}

/// The characters at the start of the list `t` for which `more` holds,
/// and the list after them (a cons cell, `[]` or an improper tail).
fn take_chars(p: &ProcessMemory, mut t: Term, mut more: impl FnMut(u8) -> bool) -> (Vec<u8>, Term) {
    let mut taken = Vec::new();
    while let Some((h, tl)) = t.cons_parts(p) {
        match h.small_value().and_then(|c| u8::try_from(c).ok()) {
            Some(c) if c.is_ascii() && more(c) => taken.push(c),
            _ => break,
        }
        t = tl;
    }
    (taken, t)
}

/// The length of the longest prefix of `s` that is an integer: an optional
/// sign, then at least one digit. 0 if there is none.
fn integer_len(s: &[u8]) -> usize {
    let sign = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let digits = s[sign..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 { 0 } else { sign + digits }
}

/// `string:list_to_integer(String)`: `{Integer, Rest}`, or `{error,
/// no_integer}` / `{error, not_a_list}`.
pub(super) fn list_to_integer(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !(a[0].is_nil() || a[0].cons_parts(&*p).is_some()) {
        return error(p, "not_a_list");
    }
    let (text, _) = take_chars(p, a[0], |c| c.is_ascii_digit() || c == b'+' || c == b'-');
    let len = integer_len(&text);
    if len == 0 {
        return error(p, "no_integer");
    }
    let (_, rest) = {
        let mut n = 0;
        take_chars(p, a[0], |_| {
            n += 1;
            n <= len
        })
    };
    let digits = std::str::from_utf8(&text[..len]).map_err(|_| Exception::badarg())?;
    let value = crate::number::Number::from_ibig(
        digits
            .trim_start_matches('+')
            .parse()
            .map_err(|_| Exception::badarg())?,
    )
    .map_err(super::arith::raise)?;
    let int = super::arith::term_of(p, &value);
    p.tuple(&[int, rest]).ok_or_else(Exception::system_limit)
}

/// The length of the longest prefix of `s` that is a float as Erlang
/// writes one: an optional sign, digits, a point (`.`, or `,` as BEAM
/// also takes), digits, and an optional exponent (`e` or `E`, an optional
/// sign, digits). 0 if there is none.
fn float_len(s: &[u8]) -> usize {
    let digits = |from: usize| {
        s[from.min(s.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let mut i = usize::from(matches!(s.first(), Some(b'+' | b'-')));
    let whole = digits(i);
    if whole == 0 {
        return 0;
    }
    i += whole;
    if !matches!(s.get(i), Some(b'.' | b',')) {
        return 0;
    }
    let fraction = digits(i + 1);
    if fraction == 0 {
        return 0;
    }
    i += 1 + fraction;
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(s.get(i + 1), Some(b'+' | b'-')));
        let exponent = digits(i + 1 + sign);
        if exponent > 0 {
            i += 1 + sign + exponent;
        }
    }
    i
}

/// `string:list_to_float(String)`: `{Float, Rest}`, or `{error,
/// no_float}` / `{error, not_a_list}`.
pub(super) fn list_to_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !(a[0].is_nil() || a[0].cons_parts(&*p).is_some()) {
        return error(p, "not_a_list");
    }
    let (text, _) = take_chars(p, a[0], |c| {
        c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.' | b',' | b'e' | b'E')
    });
    let len = float_len(&text);
    let value = std::str::from_utf8(&text[..len])
        .ok()
        .map(|s| s.replace(',', "."))
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|f| len > 0 && f.is_finite());
    let Some(value) = value else {
        return error(p, "no_float");
    };
    let (_, rest) = {
        let mut n = 0;
        take_chars(p, a[0], |_| {
            n += 1;
            n <= len
        })
    };
    let float = p.float(value);
    p.tuple(&[float, rest]).ok_or_else(Exception::system_limit)
}
