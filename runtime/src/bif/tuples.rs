//! Tuple BIFs: `element/2`, `setelement/3`, `make_tuple/2,3`, ...

use super::{BifResult, Exception, list_elements, usize_arg};
use crate::heap::ProcessMemory;
use crate::term::Term;

/// BEAM's largest tuple arity (`MAX_ARITYVAL`, 2^24 - 1). Every tuple BIF
/// that would make a bigger tuple raises `badarg`, as BEAM does
/// (`make_tuple/2`, `append_element/2`, `list_to_tuple/1`; checked on
/// OTP 25).
pub const MAX_TUPLE_SIZE: usize = (1 << 24) - 1;

fn tuple(p: &mut ProcessMemory, elements: &[Term]) -> BifResult {
    if elements.len() > MAX_TUPLE_SIZE {
        return Err(Exception::badarg());
    }
    p.tuple(elements).ok_or_else(Exception::badarg)
}

/// The elements of tuple `t`, copied out.
fn elements(p: &ProcessMemory, t: Term) -> Result<Vec<Term>, Exception> {
    t.tuple_elements(p)
        .map(|e| e.to_vec())
        .ok_or_else(Exception::badarg)
}

/// A 1-based position within `len`.
fn position(t: Term, len: usize) -> Result<usize, Exception> {
    match usize_arg(t) {
        Some(i) if (1..=len).contains(&i) => Ok(i - 1),
        _ => Err(Exception::badarg()),
    }
}

pub fn element(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let els = a[1].tuple_elements(p).ok_or_else(Exception::badarg)?;
    let i = position(a[0], els.len())?;
    Ok(els[i])
}

pub fn setelement(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut els = elements(p, a[1])?;
    let i = position(a[0], els.len())?;
    els[i] = a[2];
    tuple(p, &els)
}

pub fn tuple_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = a[0].tuple_elements(p).ok_or_else(Exception::badarg)?.len();
    Ok(p.int(n as i64))
}

/// `size/1`: a tuple's arity, or a bitstring's size in whole bytes
/// (rounded down: `size(<<1:3>>)` is 0 while `byte_size` rounds up).
pub fn size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = if let Some(e) = a[0].tuple_elements(p) {
        e.len()
    } else if let Some(v) = a[0].bits(p) {
        v.bit_size / 8
    } else {
        return Err(Exception::badarg());
    };
    Ok(p.int(n as i64))
}

fn tuple_len(t: Term) -> Result<usize, Exception> {
    match usize_arg(t) {
        Some(n) if n <= MAX_TUPLE_SIZE => Ok(n),
        _ => Err(Exception::badarg()),
    }
}

pub fn make_tuple_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = tuple_len(a[0])?;
    tuple(p, &vec![a[1]; n])
}

/// `make_tuple(N, Default, [{Pos, Value}])`: later pairs override earlier
/// ones; any bad pair or position is `badarg`.
pub fn make_tuple_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = tuple_len(a[0])?;
    let inits = list_elements(p, a[2]).ok_or_else(Exception::badarg)?;
    let mut els = vec![a[1]; n];
    for init in inits {
        match init.tuple_elements(p) {
            Some(&[pos, v]) => {
                let i = position(pos, n)?;
                els[i] = v;
            }
            _ => return Err(Exception::badarg()),
        }
    }
    tuple(p, &els)
}

pub fn append_element(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut els = elements(p, a[0])?;
    els.push(a[1]);
    tuple(p, &els)
}

pub fn tuple_to_list(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let els = elements(p, a[0])?;
    Ok(p.list(&els, Term::NIL))
}

pub fn list_to_tuple(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let els = list_elements(p, a[0]).ok_or_else(Exception::badarg)?;
    tuple(p, &els)
}
