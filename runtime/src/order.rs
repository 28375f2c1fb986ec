//! Erlang's term order and the two equalities, `==` and `=:=`.
//!
//! [`compare`] is the order of `<`, `lists:sort/1` and `==`; [`compare_exact`]
//! is the order that map keys are sorted by, consistent with `=:=`. Both walk
//! terms with an explicit work stack, so a million-deep list or tuple nest
//! needs no native stack. (Comparing two hash-trie maps sorts their keys,
//! which compares keys through a nested call: only maps of more than 32 keys
//! nested inside each other's keys could make that recursion deep.)
//!
//! # The order (checked against OTP 25)
//!
//! `number < atom < reference < fun < port < pid < tuple < map < [] < list <
//! bitstring`, where a local fun sorts before an export fun (`fun m:f/a`).
//!
//! - Integers and floats compare by exact mathematical value (no rounding of
//!   big integers to floats): `1 == 1.0`, and `compare(1, 1.0)` is `Equal`,
//!   so `lists:sort([1.0, 1])` keeps the input order. `0.0 == -0.0`.
//! - In the exact order every integer is less than every float, whatever the
//!   values: `#{1.0 => a, 2 => b}` iterates as `#{2 => b, 1.0 => a}`.
//! - Atoms compare by their text, in code point order (the UTF-8 bytes).
//! - Tuples compare by size first, then element by element.
//! - Maps compare by size, then by their keys in exact order, then by their
//!   values in key order; the keys always compare exactly, even under `==`.
//! - Bitstrings compare bit by bit; a proper prefix is smaller.
//! - Pids compare by number (serial, then id) and only then by node; ports
//!   and references compare by node first (name, then creation), then by
//!   number. A local term lives on node `nonode@nohost` with creation 0.
//!   Reference numbers compare from the most significant 32-bit word, a
//!   shorter one as if padded with zero words.
//! - Local funs compare by module, index, old uniq, free-variable count,
//!   then the environment; export funs by module, function, arity.

use crate::atom::{Atom, NONODE};
use crate::term::{BigView, HeapAccess, Term, TermKind};
use std::borrow::Cow;
use std::cmp::Ordering;

/// `A == B`.
pub fn eq<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H) -> bool {
    a == b || compare(a, b, heap) == Ordering::Equal
}

/// `A =:= B`.
pub fn exact_eq<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H) -> bool {
    a == b || compare_exact(a, b, heap) == Ordering::Equal
}

/// Erlang's term order (`<`, `==`, `lists:sort/1`).
pub fn compare<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H) -> Ordering {
    Comparer::new(heap).run(a, b, false)
}

/// The exact term order: as [`compare`], but integers sort before floats and
/// are never equal to them. Map keys are sorted by this order.
pub fn compare_exact<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H) -> Ordering {
    Comparer::new(heap).run(a, b, true)
}

/// The type classes of the term order, lowest first.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Number,
    Atom,
    Ref,
    Fun,
    Export,
    Port,
    Pid,
    Tuple,
    Map,
    Nil,
    Cons,
    Bits,
    /// Not an Erlang value; sorts last so a comparison never panics.
    Other,
}

fn class(k: TermKind) -> Class {
    match k {
        TermKind::Small | TermKind::BigInt | TermKind::Float => Class::Number,
        TermKind::Atom => Class::Atom,
        TermKind::LocalRef | TermKind::ExternalRef => Class::Ref,
        TermKind::Fun => Class::Fun,
        TermKind::Export => Class::Export,
        TermKind::LocalPort | TermKind::ExternalPort => Class::Port,
        TermKind::LocalPid | TermKind::ExternalPid => Class::Pid,
        TermKind::Tuple => Class::Tuple,
        TermKind::Map => Class::Map,
        TermKind::Nil => Class::Nil,
        TermKind::Cons => Class::Cons,
        TermKind::Binary => Class::Bits,
        TermKind::Other => Class::Other,
    }
}

/// Pending comparisons: element `i..` of two equally long sequences.
struct Seq<'h> {
    a: Cow<'h, [Term]>,
    b: Cow<'h, [Term]>,
    i: usize,
    exact: bool,
}

struct Comparer<'h, H: HeapAccess + ?Sized> {
    heap: &'h H,
    stack: Vec<Seq<'h>>,
}

impl<'h, H: HeapAccess + ?Sized> Comparer<'h, H> {
    fn new(heap: &'h H) -> Self {
        Comparer {
            heap,
            stack: Vec::new(),
        }
    }

    fn push(&mut self, a: Cow<'h, [Term]>, b: Cow<'h, [Term]>, exact: bool) {
        if !a.is_empty() {
            self.stack.push(Seq { a, b, i: 0, exact });
        }
    }

    /// The next pair to compare, or `None` when everything was equal.
    fn pop(&mut self) -> Option<(Term, Term, bool)> {
        loop {
            let top = self.stack.last_mut()?;
            if top.i < top.a.len() {
                let pair = (top.a[top.i], top.b[top.i], top.exact);
                top.i += 1;
                // Drop a finished sequence now, so walking a list's tails
                // does not leave one entry per element behind.
                if top.i == top.a.len() {
                    self.stack.pop();
                }
                return Some(pair);
            }
            self.stack.pop();
        }
    }

    fn run(mut self, a: Term, b: Term, exact: bool) -> Ordering {
        let (mut a, mut b, mut exact) = (a, b, exact);
        loop {
            let o = self.step(a, b, exact);
            if o != Ordering::Equal {
                return o;
            }
            match self.pop() {
                Some((x, y, e)) => (a, b, exact) = (x, y, e),
                None => return Ordering::Equal,
            }
        }
    }

    /// Compares the outer layer of `a` and `b`, pushing their children.
    fn step(&mut self, a: Term, b: Term, exact: bool) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let heap = self.heap;
        // A cons cell is compared as the pair (head, tail); the finished
        // pair leaves the stack before its tail is looked at, so a long
        // list keeps the work stack shallow.
        if let (Some(ca), Some(cb)) = (a.cons_cell(heap), b.cons_cell(heap)) {
            self.push(Cow::Borrowed(ca), Cow::Borrowed(cb), exact);
            return Ordering::Equal;
        }
        let (ka, kb) = (a.kind(heap), b.kind(heap));
        let (ca, cb) = (class(ka), class(kb));
        if ca != cb {
            return ca.cmp(&cb);
        }
        match ca {
            Class::Number => compare_numbers(a, b, heap, exact),
            Class::Atom => compare_atoms(a.atom_value(), b.atom_value()),
            Class::Nil | Class::Other => Ordering::Equal,
            Class::Cons => Ordering::Equal, // handled above
            Class::Tuple => {
                let ea = a.tuple_elements(heap).unwrap_or(&[]);
                let eb = b.tuple_elements(heap).unwrap_or(&[]);
                ea.len().cmp(&eb.len()).then_with(|| {
                    self.push(Cow::Borrowed(ea), Cow::Borrowed(eb), exact);
                    Ordering::Equal
                })
            }
            Class::Bits => compare_bits(a, b, heap),
            Class::Map => self.compare_maps(a, b, exact),
            Class::Export => {
                let ea = a.export_view(heap);
                let eb = b.export_view(heap);
                match (ea, eb) {
                    (Some((ma, fa, aa)), Some((mb, fb, ab))) => compare_atoms(Some(ma), Some(mb))
                        .then_with(|| compare_atoms(Some(fa), Some(fb)))
                        .then(aa.cmp(&ab)),
                    _ => Ordering::Equal,
                }
            }
            Class::Fun => {
                let (Some(fa), Some(fb)) = (a.fun_view(heap), b.fun_view(heap)) else {
                    return Ordering::Equal;
                };
                let (x, y) = (fa.entry, fb.entry);
                compare_atoms(Some(x.module), Some(y.module))
                    .then(x.index.cmp(&y.index))
                    .then(x.old_uniq.cmp(&y.old_uniq))
                    .then(fa.env.len().cmp(&fb.env.len()))
                    .then_with(|| {
                        self.push(Cow::Borrowed(fa.env), Cow::Borrowed(fb.env), exact);
                        Ordering::Equal
                    })
            }
            Class::Pid => {
                let (na, da) = identity(a, heap);
                let (nb, db) = identity(b, heap);
                da.cmp(&db).then_with(|| compare_nodes(na, nb))
            }
            Class::Port => {
                let (na, da) = identity(a, heap);
                let (nb, db) = identity(b, heap);
                compare_nodes(na, nb).then_with(|| da.cmp(&db))
            }
            Class::Ref => {
                let (na, ra) = ref_numbers(a, heap);
                let (nb, rb) = ref_numbers(b, heap);
                compare_nodes(na, nb).then_with(|| {
                    let n = ra.len().max(rb.len());
                    let at = |r: &[u32], i: usize| r.get(i).copied().unwrap_or(0);
                    (0..n)
                        .rev()
                        .map(|i| at(&ra, i).cmp(&at(&rb, i)))
                        .find(|o| o.is_ne())
                        .unwrap_or(Ordering::Equal)
                })
            }
        }
    }

    fn compare_maps(&mut self, a: Term, b: Term, exact: bool) -> Ordering {
        let heap = self.heap;
        let sa = crate::map::size(a, heap).unwrap_or(0);
        let sb = crate::map::size(b, heap).unwrap_or(0);
        if sa != sb {
            return sa.cmp(&sb);
        }
        let (ka, va) = sorted_parts(a, heap);
        let (kb, vb) = sorted_parts(b, heap);
        // Values are compared after all the keys: push them first.
        self.push(va, vb, exact);
        self.push(ka, kb, true);
        Ordering::Equal
    }
}

type Parts<'h> = (Cow<'h, [Term]>, Cow<'h, [Term]>);

/// Keys in exact order and their values, borrowed from a flat map.
fn sorted_parts<'h, H: HeapAccess + ?Sized>(m: Term, heap: &'h H) -> Parts<'h> {
    if let Some((k, v)) = m.flatmap_view(heap) {
        return (Cow::Borrowed(k), Cow::Borrowed(v));
    }
    let mut entries = crate::map::to_vec(m, heap);
    entries.sort_by(|x, y| compare_exact(x.0, y.0, heap));
    let (k, v): (Vec<Term>, Vec<Term>) = entries.into_iter().unzip();
    (Cow::Owned(k), Cow::Owned(v))
}

/// Compares atoms by text (code point order, which UTF-8 byte order is).
pub fn compare_atoms(a: Option<Atom>, b: Option<Atom>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Ordering::Equal,
        (Some(x), Some(y)) => x.text().unwrap_or("").cmp(y.text().unwrap_or("")),
        _ => Ordering::Equal,
    }
}

/// Nodes compare by name, then by creation.
fn compare_nodes(a: (Atom, u32), b: (Atom, u32)) -> Ordering {
    compare_atoms(Some(a.0), Some(b.0)).then(a.1.cmp(&b.1))
}

/// Node and number of a pid or port. A pid's number is `serial << 32 | id`
/// (the external term format's two words); a local one's is its process
/// number, read the same way.
fn identity<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> ((Atom, u32), u64) {
    if let Some(n) = t.local_pid_number().or(t.local_port_number()) {
        return ((NONODE, 0), n);
    }
    match t.external_view(heap) {
        Some(v) => {
            let n = match v.id {
                [id, serial] => (serial << 32) | (id & 0xFFFF_FFFF),
                [id] => *id,
                _ => 0,
            };
            ((v.node, v.creation), n)
        }
        None => ((NONODE, 0), 0),
    }
}

/// Node and 32-bit numbers (least significant first) of a reference.
pub(crate) fn ref_numbers<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> ((Atom, u32), Vec<u32>) {
    if let Some(id) = t.local_ref_id(heap) {
        let mut v = vec![
            id[0] as u32,
            (id[0] >> 32) as u32,
            id[1] as u32,
            (id[1] >> 32) as u32,
        ];
        while v.len() > 3 && v.last() == Some(&0) {
            v.pop();
        }
        return ((NONODE, 0), v);
    }
    match t.external_view(heap) {
        Some(x) => (
            (x.node, x.creation),
            x.id.iter().map(|&w| w as u32).collect(),
        ),
        None => ((NONODE, 0), Vec::new()),
    }
}

/// Compares two bitstrings bit by bit; a proper prefix is smaller.
fn compare_bits<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H) -> Ordering {
    let (Some(x), Some(y)) = (a.bits(heap), b.bits(heap)) else {
        return Ordering::Equal;
    };
    if let (Some(p), Some(q)) = (x.as_bytes(), y.as_bytes()) {
        return p.cmp(q);
    }
    let (p, pn) = x.to_bit_vec();
    let (q, qn) = y.to_bit_vec();
    let n = pn.min(qn);
    let whole = n / 8;
    p[..whole]
        .cmp(&q[..whole])
        .then_with(|| {
            let rest = n % 8;
            if rest == 0 {
                return Ordering::Equal;
            }
            let mask = 0xFFu8 << (8 - rest);
            (p[whole] & mask).cmp(&(q[whole] & mask))
        })
        .then(pn.cmp(&qn))
}

/// A number as the comparison sees it.
enum Num<'h> {
    Small(i64),
    Big(BigView<'h>),
    Float(f64),
}

fn number<'h, H: HeapAccess + ?Sized>(t: Term, heap: &'h H) -> Option<Num<'h>> {
    if let Some(v) = t.small_value() {
        return Some(Num::Small(v));
    }
    if let Some(f) = t.float_value(heap) {
        return Some(Num::Float(f));
    }
    t.bignum(heap).map(Num::Big)
}

fn compare_numbers<H: HeapAccess + ?Sized>(a: Term, b: Term, heap: &H, exact: bool) -> Ordering {
    let (Some(x), Some(y)) = (number(a, heap), number(b, heap)) else {
        return Ordering::Equal;
    };
    match (x, y) {
        (Num::Float(p), Num::Float(q)) => compare_floats(p, q),
        (Num::Float(_), _) if exact => Ordering::Greater,
        (_, Num::Float(_)) if exact => Ordering::Less,
        (Num::Float(p), i) => compare_int_float(&i, p).reverse(),
        (i, Num::Float(q)) => compare_int_float(&i, q),
        (i, j) => compare_ints(&i, &j),
    }
}

/// BEAM's float comparison: `-0.0 == 0.0`; Erlang floats are never NaN.
fn compare_floats(p: f64, q: f64) -> Ordering {
    p.partial_cmp(&q).unwrap_or(Ordering::Equal)
}

/// Compares two integers (each a small or a bignum). A bignum is always
/// outside the small range, so its sign decides against a small.
fn compare_ints(a: &Num<'_>, b: &Num<'_>) -> Ordering {
    match (a, b) {
        (Num::Small(x), Num::Small(y)) => x.cmp(y),
        (Num::Small(_), Num::Big(y)) => {
            if y.negative {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Num::Big(_), Num::Small(_)) => compare_ints(b, a).reverse(),
        (Num::Big(x), Num::Big(y)) => match (x.negative, y.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (neg, _) => {
                let mag = x
                    .limbs
                    .len()
                    .cmp(&y.limbs.len())
                    .then_with(|| x.limbs.iter().rev().cmp(y.limbs.iter().rev()));
                if neg { mag.reverse() } else { mag }
            }
        },
        _ => Ordering::Equal,
    }
}

/// 2^63, exactly, as a float.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// Compares an integer with a float by exact value.
fn compare_int_float(i: &Num<'_>, f: f64) -> Ordering {
    let t = f.trunc();
    let frac = f - t;
    // The integral part, exactly, as an integer the same shape as `i`.
    let by_int = match i {
        Num::Small(v) => {
            if t >= TWO_POW_63 {
                return Ordering::Less;
            }
            if t < -TWO_POW_63 {
                return Ordering::Greater;
            }
            v.cmp(&(t as i64))
        }
        Num::Big(b) => {
            let big = crate::heap::ibig_from_limbs(b.negative, b.limbs);
            big.cmp(&float_integral_to_ibig(t))
        }
        Num::Float(_) => Ordering::Equal,
    };
    by_int.then(if frac > 0.0 {
        Ordering::Less
    } else if frac < 0.0 {
        Ordering::Greater
    } else {
        Ordering::Equal
    })
}

/// The exact value of an integral float.
pub(crate) fn float_integral_to_ibig(t: f64) -> dashu_int::IBig {
    let bits = t.to_bits();
    let negative = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7FF) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        // Zero or subnormal: no integral part.
        return dashu_int::IBig::ZERO;
    }
    let mantissa = frac | (1u64 << 52);
    let shift = exp - 1075;
    let mag = if shift >= 0 {
        dashu_int::UBig::from(mantissa) << shift as usize
    } else {
        dashu_int::UBig::from(mantissa >> (-shift).min(63) as u32)
    };
    let v = dashu_int::IBig::from(mag);
    if negative { -v } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::ProcessMemory;

    #[test]
    fn numbers_compare_by_value_and_exact_order_splits_types() {
        let mut m = ProcessMemory::new();
        let one = Term::small(1).unwrap();
        let onef = m.float(1.0);
        let half = m.float(1.5);
        let big = m.integer(&(dashu_int::IBig::from(1u8) << 70));
        let bigf = m.float((1u128 << 70) as f64);
        assert_eq!(compare(one, onef, &*m), Ordering::Equal);
        assert!(eq(one, onef, &*m) && !exact_eq(one, onef, &*m));
        assert_eq!(compare_exact(one, onef, &*m), Ordering::Less);
        assert_eq!(compare_exact(big, half, &*m), Ordering::Less);
        assert_eq!(compare(one, half, &*m), Ordering::Less);
        assert_eq!(compare(big, bigf, &*m), Ordering::Equal);
        assert_eq!(compare(big, half, &*m), Ordering::Greater);
        let negz = m.float(-0.0);
        let z = m.float(0.0);
        assert!(exact_eq(negz, z, &*m));
    }

    #[test]
    fn deep_lists_and_tuples_need_no_native_stack() {
        let mut m = ProcessMemory::new();
        let mut a = Term::NIL;
        let mut b = Term::NIL;
        for i in 0..200_000 {
            a = m.tuple(&[Term::small(i).unwrap(), a]).unwrap();
            b = m.tuple(&[Term::small(i).unwrap(), b]).unwrap();
            let l = m.cons(a, Term::NIL);
            a = l;
            let l = m.cons(b, Term::NIL);
            b = l;
        }
        assert!(exact_eq(a, b, &*m));
        let c = m.cons(Term::small(1).unwrap(), a);
        let d = m.cons(Term::small(2).unwrap(), b);
        assert_eq!(compare(c, d, &*m), Ordering::Less);
    }

    #[test]
    fn integral_floats_convert_exactly() {
        for v in [
            0.0,
            1.0,
            -3.0,
            (1u128 << 53) as f64,
            (1u128 << 100) as f64,
            -((1u128 << 64) as f64),
        ] {
            let i = float_integral_to_ibig(v);
            assert_eq!(i.to_f64().value(), v);
        }
    }
}
