//! Map BIFs over [`crate::map`]: `map_size/1`, `map_get/2`, `is_map_key/2`
//! and the BIF parts of the `maps` module.
//!
//! BEAM facts (OTP 25): a non-map argument is `{badmap, M}` for every one of
//! them except `maps:from_list/1`, which raises `badarg` for anything but a
//! proper list of pairs; `maps:merge/2` checks its first argument first; a
//! missing key is `{badkey, K}` for `maps:get/2`, `map_get/2` and
//! `maps:update/3`.

use super::{BifResult, Exception};
use crate::heap::ProcessMemory;
use crate::map::{self, MapError};
use crate::term::Term;

fn check_map(p: &mut ProcessMemory, m: Term) -> Result<(), Exception> {
    if map::is_map(m, &*p) {
        Ok(())
    } else {
        Err(Exception::badmap(p, m))
    }
}

fn lookup(p: &mut ProcessMemory, key: Term, m: Term) -> Result<Option<Term>, Exception> {
    check_map(p, m)?;
    Ok(map::get(m, key, &*p))
}

pub fn map_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[0])?;
    let n = map::size(a[0], &*p).unwrap_or(0);
    Ok(p.int(n as i64))
}

pub fn size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    map_size(p, a)
}

pub fn is_map_key(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(lookup(p, a[0], a[1])?.is_some()))
}

pub fn is_key(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    is_map_key(p, a)
}

pub fn map_get(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match lookup(p, a[0], a[1])? {
        Some(v) => Ok(v),
        None => Err(Exception::badkey(p, a[0])),
    }
}

pub fn get_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    map_get(p, a)
}

pub fn get_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(lookup(p, a[0], a[1])?.unwrap_or(a[2]))
}

pub fn find(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match lookup(p, a[0], a[1])? {
        Some(v) => p
            .tuple(&[Term::atom(crate::atom::OK), v])
            .ok_or_else(Exception::badarg),
        None => Ok(Term::atom(crate::atom::ERROR)),
    }
}

pub fn put(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[2])?;
    map::put(p, a[2], a[0], a[1]).ok_or_else(Exception::badarg)
}

pub fn update(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[2])?;
    match map::update(p, a[2], a[0], a[1]) {
        Ok(m) => Ok(m),
        Err(MapError::BadKey) => Err(Exception::badkey(p, a[0])),
        Err(MapError::BadMap) => Err(Exception::badmap(p, a[2])),
    }
}

pub fn remove(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[1])?;
    map::remove(p, a[1], a[0]).ok_or_else(Exception::badarg)
}

pub fn keys(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[0])?;
    map::keys(p, a[0]).ok_or_else(Exception::badarg)
}

pub fn values(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[0])?;
    map::values(p, a[0]).ok_or_else(Exception::badarg)
}

pub fn to_list(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    check_map(p, a[0])?;
    map::to_list(p, a[0]).ok_or_else(Exception::badarg)
}

pub fn from_list(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    map::from_list(p, a[0]).ok_or_else(Exception::badarg)
}

pub fn merge(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match map::merge(p, a[0], a[1]) {
        Ok(m) => Ok(m),
        Err((_, bad)) => Err(Exception::badmap(p, bad)),
    }
}

pub fn new(p: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(map::new(p))
}
