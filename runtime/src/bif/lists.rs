//! List BIFs: `length/1`, `hd/1`, `tl/1`, `++`, `--`, and the BIF parts of
//! the `lists` module.
//!
//! BEAM facts (OTP 25): `lists:keyfind/3` and `lists:keymember/3` compare
//! keys with `==` (`keyfind(1, 1, [{1.0, a}])` finds `{1.0, a}`) and skip
//! elements that are not tuples or are too short; `lists:member/2` and `--`
//! use `=:=`. The search BIFs stop at the first match, so an improper tail
//! after it is never seen (`member(1, [1|b])` is `true`); reaching an
//! improper tail is `badarg`, and so is a key position below 1 even for `[]`.

use super::compare::{equal, exact_equal};
use super::{BifResult, Exception, list_elements, usize_arg};
use crate::heap::ProcessMemory;
use crate::order::compare_exact;
use crate::term::Term;
use std::cmp::Ordering;

pub fn length(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = proper_length(p, a[0]).ok_or_else(Exception::badarg)?;
    Ok(p.int(n as i64))
}

pub fn hd(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    a[0].cons_parts(p)
        .map(|(h, _)| h)
        .ok_or_else(Exception::badarg)
}

pub fn tl(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    a[0].cons_parts(p)
        .map(|(_, t)| t)
        .ok_or_else(Exception::badarg)
}

/// `A ++ B`: `A` must be a proper list; `B` can be anything (`[] ++ a` is `a`).
pub fn append(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = proper_length(p, a[0]).ok_or_else(Exception::badarg)?;
    if n == 0 {
        return Ok(a[1]);
    }
    // Counted first (a walk is cheaper than an allocation per cell), then
    // the copy's cells in one block, front to back, each tail the next
    // cell (the last one's `B`).
    let cells = p.alloc(2 * n);
    let mut t = a[0];
    let mut i = 0;
    while let Some((h, tl)) = t.cons_parts(p) {
        // SAFETY: `cells` has `2 * n` fresh words and `i < n` (the list
        // has `n` cells).
        unsafe {
            let cell = cells.add(2 * i);
            let next = if i + 1 < n {
                Term::list_from_address(cell.add(2) as usize)
            } else {
                a[1]
            };
            *cell = h.raw();
            *cell.add(1) = next.raw();
        }
        i += 1;
        t = tl;
    }
    Ok(Term::list_from_address(cells as usize))
}

/// The number of cells of `t` if it is a proper list.
fn proper_length(p: &ProcessMemory, mut t: Term) -> Option<usize> {
    let mut n = 0;
    while let Some((_, tl)) = t.cons_parts(p) {
        n += 1;
        t = tl;
    }
    t.is_nil().then_some(n)
}

/// `A -- B`: for each element of `B`, the first element of `A` exactly equal
/// to it is removed. Both must be proper lists.
pub fn subtract(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let left = list_elements(p, a[0]).ok_or_else(Exception::badarg)?;
    let mut right = list_elements(p, a[1]).ok_or_else(Exception::badarg)?;
    if right.is_empty() {
        return Ok(a[0]);
    }
    // Walking `A` in order and dropping an element while an equal one is
    // left in `B` removes exactly the first occurrences. `B` is kept as a
    // sorted multiset (exact order: equal in it means `=:=`), so long lists
    // cost `O((|A| + |B|) log |B|)` instead of `|A| * |B|` comparisons.
    let heap: &ProcessMemory = p;
    right.sort_unstable_by(|&x, &y| compare_exact(x, y, heap));
    let mut left_in_b: Vec<(Term, usize)> = Vec::new();
    for y in right {
        match left_in_b.last_mut() {
            Some((z, n)) if compare_exact(*z, y, heap) == Ordering::Equal => *n += 1,
            _ => left_in_b.push((y, 1)),
        }
    }
    let mut kept = Vec::with_capacity(left.len());
    for x in left {
        match left_in_b.binary_search_by(|&(y, _)| compare_exact(y, x, heap)) {
            Ok(i) if left_in_b[i].1 > 0 => left_in_b[i].1 -= 1,
            _ => kept.push(x),
        }
    }
    Ok(p.list(&kept, Term::NIL))
}

/// `lists:reverse(List, Tail)`: `List` must be a proper list.
pub fn reverse(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    // An improper list leaves the cells made so far as garbage.
    let mut out = a[1];
    let mut t = a[0];
    while let Some((h, tl)) = t.cons_parts(p) {
        out = p.cons(h, out);
        t = tl;
    }
    if !t.is_nil() {
        return Err(Exception::badarg());
    }
    Ok(out)
}

/// The first tuple of `list` whose element `n` (1-based) equals `key`.
fn keysearch(p: &ProcessMemory, key: Term, n: Term, list: Term) -> Result<Option<Term>, Exception> {
    let n = match usize_arg(n) {
        Some(n) if n >= 1 => n,
        _ => return Err(Exception::badarg()),
    };
    let mut t = list;
    while let Some((h, tl)) = t.cons_parts(p) {
        if let Some(els) = h.tuple_elements(p)
            && els.len() >= n
            && equal(p, els[n - 1], key)
        {
            return Ok(Some(h));
        }
        t = tl;
    }
    if t.is_nil() {
        Ok(None)
    } else {
        Err(Exception::badarg())
    }
}

pub fn keyfind(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(keysearch(p, a[0], a[1], a[2])?.unwrap_or(Term::boolean(false)))
}

pub fn keymember(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    Ok(Term::boolean(keysearch(p, a[0], a[1], a[2])?.is_some()))
}

pub fn member(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut t = a[1];
    while let Some((h, tl)) = t.cons_parts(p) {
        if exact_equal(p, h, a[0]) {
            return Ok(Term::boolean(true));
        }
        t = tl;
    }
    if t.is_nil() {
        Ok(Term::boolean(false))
    } else {
        Err(Exception::badarg())
    }
}
