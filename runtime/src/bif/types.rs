//! Type tests: `is_atom/1` and friends, which never fail except on a bad
//! arity or record argument.

use super::{BifResult, Exception};
use crate::heap::ProcessMemory;
use crate::term::{Term, TermKind};

fn kind(p: &ProcessMemory, t: Term) -> TermKind {
    t.kind(p)
}

fn test(b: bool) -> BifResult {
    Ok(Term::boolean(b))
}

pub fn is_atom(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(a[0].is_atom())
}

pub fn is_binary(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(a[0].bits(p).is_some_and(|v| v.bit_size.is_multiple_of(8)))
}

pub fn is_bitstring(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(kind(p, a[0]) == TermKind::Binary)
}

pub fn is_boolean(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(a[0] == Term::boolean(true) || a[0] == Term::boolean(false))
}

pub fn is_float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(kind(p, a[0]) == TermKind::Float)
}

pub fn is_function_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(kind(p, a[0]), TermKind::Fun | TermKind::Export))
}

/// The number of arguments a fun takes, if `t` is a fun.
pub(crate) fn fun_arity(p: &ProcessMemory, t: Term) -> Option<u32> {
    if let Some(f) = t.fun_view(p) {
        Some(f.entry.arity)
    } else {
        t.export_view(p).map(|(_, _, a)| a)
    }
}

/// `is_function(F, Arity)`: `badarg` unless `Arity` is a non-negative
/// integer (a bignum arity is valid and simply never matches).
pub fn is_function_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let arity = match a[1].kind(p) {
        TermKind::Small => match a[1].small_value() {
            Some(v) if v >= 0 => Some(v),
            _ => return Err(Exception::badarg()),
        },
        TermKind::BigInt => match a[1].bignum(p) {
            Some(b) if !b.negative => None,
            _ => return Err(Exception::badarg()),
        },
        _ => return Err(Exception::badarg()),
    };
    test(arity.is_some_and(|n| fun_arity(p, a[0]).is_some_and(|f| f as i64 == n)))
}

pub fn is_integer(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(kind(p, a[0]), TermKind::Small | TermKind::BigInt))
}

pub fn is_list(_: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(a[0].is_list() || a[0].is_nil())
}

pub fn is_map(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(crate::map::is_map(a[0], &*p))
}

pub fn is_number(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(
        kind(p, a[0]),
        TermKind::Small | TermKind::BigInt | TermKind::Float
    ))
}

pub fn is_pid(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(
        kind(p, a[0]),
        TermKind::LocalPid | TermKind::ExternalPid
    ))
}

pub fn is_port(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(
        kind(p, a[0]),
        TermKind::LocalPort | TermKind::ExternalPort
    ))
}

pub fn is_reference(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(matches!(
        kind(p, a[0]),
        TermKind::LocalRef | TermKind::ExternalRef
    ))
}

pub fn is_tuple(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    test(kind(p, a[0]) == TermKind::Tuple)
}

/// `is_record(Term, Tag)`: `badarg` unless `Tag` is an atom.
pub fn is_record_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !a[1].is_atom() {
        return Err(Exception::badarg());
    }
    let els = a[0].tuple_elements(p);
    test(els.is_some_and(|e| e.first() == Some(&a[1])))
}

/// `is_record(Term, Tag, Size)`: `badarg` unless `Tag` is an atom and
/// `Size` a small integer (a bignum size is `badarg` too, while a negative
/// size is simply false).
pub fn is_record_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !a[1].is_atom() || !a[2].is_small() {
        return Err(Exception::badarg());
    }
    let els = a[0].tuple_elements(p);
    test(els.is_some_and(|e| {
        e.first() == Some(&a[1]) && a[2].small_value() == i64::try_from(e.len()).ok()
    }))
}
