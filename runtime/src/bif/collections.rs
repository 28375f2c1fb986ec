//! BIFs of `lists`, `maps`, `io` and `os` that OTP's Erlang code reaches
//! and erts implements natively: `lists:keysearch/3`, `maps:take/2`,
//! `maps:from_keys/2`, `io:printable_range/0` and `os:getpid/0`; and
//! `erlang:insert_element/3` and `delete_element/2`.

use super::{BifResult, Exception, char_list, list_elements};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::map;
use crate::term::Term;

fn named(name: &str) -> Result<Atom, Exception> {
    Atom::intern(name).map_err(|_| Exception::system_limit())
}

/// `lists:keysearch(Key, N, TupleList)`: `{value, Tuple}` or `false`, as
/// `lists:keyfind/3` finds it.
pub(super) fn keysearch(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let found = super::lists::keyfind(p, a)?;
    if found.atom_value() == Some(atom::FALSE) {
        return Ok(found);
    }
    p.tuple(&[Term::atom(named("value")?), found])
        .ok_or_else(Exception::system_limit)
}

/// `maps:take(Key, Map)`: `{Value, MapWithoutKey}`, or `error`.
pub(super) fn maps_take(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (key, m) = (a[0], a[1]);
    if !map::is_map(m, &*p) {
        return Err(Exception::badmap(p, m));
    }
    match map::get(m, key, &*p) {
        Some(value) => {
            let rest = map::remove(p, m, key).ok_or_else(Exception::badarg)?;
            p.tuple(&[value, rest]).ok_or_else(Exception::system_limit)
        }
        None => Ok(Term::atom(atom::ERROR)),
    }
}

/// `maps:from_keys(Keys, Value)`: a map of each key to `Value`.
pub(super) fn maps_from_keys(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let keys = list_elements(p, a[0]).ok_or_else(Exception::badarg)?;
    let pairs: Vec<(Term, Term)> = keys.into_iter().map(|k| (k, a[1])).collect();
    Ok(map::from_pairs(p, &pairs))
}

/// `io:printable_range()`: which characters `~p` and the shell print as
/// text; `latin1`, the default of `erl` without `+pc unicode`.
pub(super) fn printable_range(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(Term::atom(atom::LATIN1))
}

/// `os:getpid()`: the operating system's process id, as a string.
pub(super) fn getpid(p: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let text = std::process::id().to_string();
    Ok(char_list(p, text.chars().map(u32::from)))
}

/// `erlang:insert_element(Index, Tuple, Term)`: `Tuple` with `Term` at
/// 1-based `Index` (up to one past the end).
pub(super) fn insert_element(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut elements = a[1]
        .tuple_elements(&*p)
        .ok_or_else(Exception::badarg)?
        .to_vec();
    let i = super::usize_arg(a[0])
        .filter(|&i| (1..=elements.len() + 1).contains(&i))
        .ok_or_else(Exception::badarg)?;
    elements.insert(i - 1, a[2]);
    p.tuple(&elements).ok_or_else(Exception::system_limit)
}

/// `erlang:delete_element(Index, Tuple)`: `Tuple` without the element at
/// 1-based `Index`.
pub(super) fn delete_element(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut elements = a[1]
        .tuple_elements(&*p)
        .ok_or_else(Exception::badarg)?
        .to_vec();
    let i = super::usize_arg(a[0])
        .filter(|&i| (1..=elements.len()).contains(&i))
        .ok_or_else(Exception::badarg)?;
    elements.remove(i - 1);
    p.tuple(&elements).ok_or_else(Exception::system_limit)
}
