//! `erts_internal:map_next/3`, the BIF under `maps:iterator/1`,
//! `maps:next/1` and the `maps` functions built on them (`fold`, `map`,
//! `filter`, ...), which Coral compiles from OTP.

use super::{BifResult, Exception};
use crate::atom::Atom;
use crate::heap::ProcessMemory;
use crate::map;
use crate::term::Term;

/// `erts_internal:map_next(Path, Map, iterator | Acc)`.
///
/// With `iterator`, the pairs of `Map` from the start (`Path` 0) in
/// iteration order as the chain `{K1, V1, {K2, V2, ... none}}`, or `none`
/// for an empty map: what BEAM returns for a map of up to 32 keys. (For a
/// larger map BEAM returns the chain in pieces, each ending in a path to
/// resume from; Coral returns it whole, so such an iterator looks different
/// if printed, but walks the same.) With a list `Acc`, the pairs as
/// `{K, V}` tuples in `maps:to_list/1`'s order, followed by `Acc`. A path
/// other than 0 or a `Map` that is not a map is `badarg`.
pub(super) fn map_next(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let (path, m, acc) = (args[0], args[1], args[2]);
    if path.small_value() != Some(0) || !map::is_map(m, &*p) {
        return Err(Exception::badarg());
    }
    if acc.atom_value() == Some(named("iterator")?) {
        let pairs = map::iterator_order(m, &*p);
        let mut next = Term::atom(named("none")?);
        for &(k, v) in pairs.iter().rev() {
            next = p.tuple(&[k, v, next]).ok_or_else(Exception::system_limit)?;
        }
        return Ok(next);
    }
    if !(acc.is_nil() || acc.cons_parts(&*p).is_some()) {
        return Err(Exception::badarg());
    }
    let pairs = map::to_vec(m, &*p);
    let mut list = acc;
    for &(k, v) in pairs.iter().rev() {
        let pair = p.tuple(&[k, v]).ok_or_else(Exception::system_limit)?;
        list = p.cons(pair, list);
    }
    Ok(list)
}

/// The atom `name`.
fn named(name: &str) -> Result<Atom, Exception> {
    Atom::intern(name).map_err(|_| Exception::system_limit())
}
