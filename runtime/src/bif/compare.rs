//! Comparison BIFs (`==`, `<`, `max/2`, ...) over the term order of
//! [`crate::order`]. They never fail.
//!
//! BEAM fact (OTP 25): `max/2` and `min/2` return their first argument when
//! the two compare equal (`max(1, 1.0)` is `1`, `max(1.0, 1)` is `1.0`).

use super::BifResult;
use crate::heap::ProcessMemory;
use crate::order;
use crate::term::Term;
use std::cmp::Ordering;

/// `A == B`.
pub(crate) fn equal(p: &ProcessMemory, a: Term, b: Term) -> bool {
    order::eq(a, b, p)
}

/// `A =:= B`.
pub(crate) fn exact_equal(p: &ProcessMemory, a: Term, b: Term) -> bool {
    order::exact_eq(a, b, p)
}

fn ord(p: &ProcessMemory, a: &[Term]) -> Ordering {
    order::compare(a[0], a[1], p)
}

pub fn eq(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(equal(p, a[0], a[1])))
}

pub fn ne(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(!equal(p, a[0], a[1])))
}

pub fn exact_eq(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(exact_equal(p, a[0], a[1])))
}

pub fn exact_ne(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(!exact_equal(p, a[0], a[1])))
}

pub fn lt(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(ord(p, a) == Ordering::Less))
}

pub fn gt(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(ord(p, a) == Ordering::Greater))
}

pub fn le(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(ord(p, a) != Ordering::Greater))
}

pub fn ge(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(ord(p, a) != Ordering::Less))
}

pub fn max(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(if ord(p, a) == Ordering::Less {
        a[1]
    } else {
        a[0]
    })
}

pub fn min(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(if ord(p, a) == Ordering::Greater {
        a[1]
    } else {
        a[0]
    })
}
