//! Term hashing as BEAM does it: `erlang:phash2/1,2` (portable, the same on
//! every node) and the internal hash that places keys in a hash-trie map.
//!
//! Both mix 32-bit words with Bob Jenkins' 1996 `mix` function, seeded with
//! multiples of the golden ratio (`0x9e3779b9 * k`), one per term type, the
//! scheme of OTP's `make_hash2` and `make_internal_hash` (OTP 25).
//!
//! # `phash2` (checked against OTP 25)
//!
//! - `phash2(T)` is the 32-bit hash masked to 27 bits; `phash2(T, Range)`
//!   is the hash modulo `Range` (1..=2^32; 2^32 gives the hash itself).
//! - An atom hashes to the PJW hash of its name (in UTF-8, but with each
//!   two-byte sequence for U+0080..U+00FF folded back into its Latin-1
//!   byte), so `phash2(a) = 97`. An atom or `[]` met when the running hash is
//!   still 0 (a term on its own, or the first key of a map pair) takes that
//!   value directly instead of mixing it.
//! - Integers that fit in 28 signed bits hash as 32-bit values; larger ones
//!   hash as bignums, by 64-bit digit, whatever their representation.
//! - Lists hash runs of byte elements (0..=255) four at a time, so a string
//!   hashes faster than a general list; the hash of a map XORs the hashes of
//!   its key-value pairs, so it does not depend on the map's layout.
//! - `-0.0` hashes as `0.0`.
//!
//! # The internal hash
//!
//! An immediate (small integer, atom, `[]`, local pid or port) hashes its
//! raw tagged word. Coral's small integers and `[]` have exactly BEAM's
//! 64-bit words (`value << 4 | 0xF` and `0x3B`), so such keys, and lists
//! and tuples of them, land where BEAM puts them. Atom words hold atom-table indices,
//! which differ between runs and between BEAM and Coral, so maps of more than
//! 32 atom keys iterate in an order no one can rely on, in BEAM too.

use crate::atom::Atom;
use crate::term::{HeapAccess, Term, TermKind};

const HCONST: u32 = 0x9e37_79b9;
const HCONST_2: u32 = 0x3c6e_f372;
const HCONST_3: u32 = 0xdaa6_6d2b;
const HCONST_4: u32 = 0x78dd_e6e4;
const HCONST_5: u32 = 0x1715_609d;
const HCONST_6: u32 = 0xb54c_da56;
const HCONST_7: u32 = 0x5384_540f;
const HCONST_8: u32 = 0xf1bb_cdc8;
const HCONST_9: u32 = 0x8ff3_4781;
const HCONST_10: u32 = 0x2e2a_c13a;
const HCONST_11: u32 = 0xcc62_3af3;
const HCONST_12: u32 = 0x6a99_b4ac;
const HCONST_13: u32 = 0x08d1_2e65;
const HCONST_14: u32 = 0xa708_a81e;
const HCONST_15: u32 = 0x4540_21d7;
const HCONST_16: u32 = 0xe377_9b90;
const HCONST_17: u32 = 0x81af_1549;
const HCONST_18: u32 = 0x1fe6_8f02;
const HCONST_19: u32 = 0xbe1e_08bb;
const HCONST_20: u32 = 0x5c55_8274;
const HCONST_21: u32 = 0xfa8c_fc2d;
const HCONST_22: u32 = 0x98c4_75e6;

/// Mixed into every internal hash so that it differs from `phash2`.
const INTERNAL_HASH_SALT: u32 = 3_432_918_353;
/// BEAM's type code for `[]` (`NIL_DEF`), which `make_hash2` mixes in.
const NIL_DEF: u32 = 0x2;
/// The value `phash2` gives `[]` when nothing was hashed before it.
const NIL_FIRST: u32 = 3_468_870_702;

#[inline]
fn mix(mut a: u32, mut b: u32, mut c: u32) -> (u32, u32, u32) {
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 13);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 8);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 13);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 12);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 16);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 5);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 3);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 10);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 15);
    (a, b, c)
}

/// Mixes two words into `hash`, each offset by `k`.
#[inline]
fn hash2(hash: &mut u32, x: u32, y: u32, k: u32) {
    *hash = mix(k.wrapping_add(x), k.wrapping_add(y), *hash).2;
}

#[inline]
fn hash1(hash: &mut u32, x: u32, k: u32) {
    hash2(hash, x, 0, k);
}

/// Jenkins' one-at-a-time-block hash of bytes, continuing from `init`.
fn block_hash(k: &[u8], init: u32) -> u32 {
    let word = |b: &[u8]| {
        b.iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc.wrapping_add((x as u32) << (8 * i)))
    };
    let (mut a, mut b, mut c) = (HCONST, HCONST, init);
    let mut chunks = k.chunks_exact(12);
    for ch in &mut chunks {
        a = a.wrapping_add(word(&ch[0..4]));
        b = b.wrapping_add(word(&ch[4..8]));
        c = c.wrapping_add(word(&ch[8..12]));
        (a, b, c) = mix(a, b, c);
    }
    let rest = chunks.remainder();
    c = c.wrapping_add(k.len() as u32);
    // The first byte of `c` is taken by the length, so its bytes shift up.
    a = a.wrapping_add(word(&rest[..rest.len().min(4)]));
    if rest.len() > 4 {
        b = b.wrapping_add(word(&rest[4..rest.len().min(8)]));
    }
    if rest.len() > 8 {
        c = c.wrapping_add(word(&rest[8..]) << 8);
    }
    mix(a, b, c).2
}

/// The PJW hash BEAM keeps for each atom (its atom-table bucket value).
pub fn atom_text_hash(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let mut v = bytes[i] as u32;
        i += 1;
        // Latin-1 characters were hashed as one byte before atoms were
        // UTF-8; BEAM still folds their two-byte forms back.
        if i < bytes.len() && (v & 0xFE) == 0xC2 && (bytes[i] & 0xC0) == 0x80 {
            v = ((v << 6) | (bytes[i] as u32 & 0x3F)) & 0xFF;
            i += 1;
        }
        h = (h << 4).wrapping_add(v);
        let g = h & 0xF000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

fn atom_hash(a: Atom) -> u32 {
    atom_text_hash(a.text().unwrap_or(""))
}

/// `erlang:phash2(Term)`.
pub fn phash2<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> u32 {
    make_hash2(t, heap) & ((1 << 27) - 1)
}

/// `erlang:phash2(Term, Range)`; `None` unless `1 <= range <= 2^32`.
pub fn phash2_range<H: HeapAccess + ?Sized>(t: Term, range: u64, heap: &H) -> Option<u32> {
    if range == 0 || range > 1 << 32 {
        return None;
    }
    let h = make_hash2(t, heap);
    Some(if range == 1 << 32 {
        h
    } else {
        (h as u64 % range) as u32
    })
}

/// Work items of the `phash2` walk.
enum Op {
    Term(Term),
    /// A map key-value pair is done: fold its hash into the pair XOR.
    Pair,
    /// A map is done: restore the outer hash and mix the XOR into it.
    MapEnd {
        saved_hash: u32,
        saved_xor: u32,
    },
}

fn hash_bits(hash: u32, bytes: &[u8], bit_size: usize) -> u32 {
    let whole = bit_size / 8;
    let rest = bit_size % 8;
    let con = HCONST_13.wrapping_add(hash);
    if bit_size == 0 {
        return con;
    }
    let mut h = block_hash(&bytes[..whole], con);
    if rest > 0 {
        hash2(
            &mut h,
            rest as u32,
            (bytes[whole] >> (8 - rest)) as u32,
            HCONST_15,
        );
    }
    h
}

fn hash_limbs(hash: &mut u32, negative: bool, limbs: &[u64]) {
    let con = if negative { HCONST_10 } else { HCONST_11 };
    for &d in limbs {
        hash2(hash, d as u32, (d >> 32) as u32, con);
    }
}

/// The 32-bit hash behind `phash2`: BEAM's `make_hash2`.
pub fn make_hash2<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> u32 {
    let mut hash: u32 = 0;
    let mut xor: u32 = 0;
    let mut stack = vec![Op::Term(t)];
    while let Some(op) = stack.pop() {
        let term = match op {
            Op::Term(t) => t,
            Op::Pair => {
                xor ^= hash;
                hash = 0;
                continue;
            }
            Op::MapEnd {
                saved_hash,
                saved_xor,
            } => {
                let pairs = xor;
                hash = saved_hash;
                hash1(&mut hash, pairs, HCONST_19);
                xor = saved_xor;
                continue;
            }
        };
        if term.is_list() {
            // Runs of bytes go four to a word; then the first non-byte
            // head, with the rest of the list pushed after it.
            let mut cur = term;
            let mut sh: u32 = 0;
            let mut c = 0;
            while let Some((h, tl)) = cur.cons_parts(heap) {
                match h.small_value() {
                    Some(v @ 0..=255) => {
                        sh = (sh << 8).wrapping_add(v as u32);
                        if c == 3 {
                            hash1(&mut hash, sh, HCONST_4);
                            c = 0;
                            sh = 0;
                        } else {
                            c += 1;
                        }
                        cur = tl;
                    }
                    _ => break,
                }
            }
            if c > 0 {
                hash1(&mut hash, sh, HCONST_4);
            }
            match cur.cons_parts(heap) {
                Some((h, tl)) => {
                    stack.push(Op::Term(tl));
                    stack.push(Op::Term(h));
                }
                None => stack.push(Op::Term(cur)),
            }
            continue;
        }
        match term.kind(heap) {
            TermKind::Atom => {
                let v = term.atom_value().map_or(0, atom_hash);
                if hash == 0 {
                    hash = v;
                } else {
                    hash1(&mut hash, v, HCONST_3);
                }
            }
            TermKind::Nil => {
                if hash == 0 {
                    hash = NIL_FIRST;
                } else {
                    hash1(&mut hash, NIL_DEF, HCONST_2);
                }
            }
            TermKind::Small => {
                let x = term.small_value().unwrap_or(0);
                if (-(1 << 27)..(1 << 27)).contains(&x) {
                    let y = x as i32;
                    if y < 0 {
                        hash1(&mut hash, y.wrapping_neg() as u32, HCONST);
                    }
                    hash1(&mut hash, y as u32, HCONST);
                } else {
                    hash_limbs(&mut hash, x < 0, &[x.unsigned_abs()]);
                }
            }
            TermKind::BigInt => {
                if let Some(b) = term.bignum(heap) {
                    hash_limbs(&mut hash, b.negative, b.limbs);
                }
            }
            TermKind::Float => {
                let f = term.float_value(heap).unwrap_or(0.0);
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash2(&mut hash, (bits >> 32) as u32, bits as u32, HCONST_12);
            }
            TermKind::Tuple => {
                let el = term.tuple_elements(heap).unwrap_or(&[]);
                hash1(&mut hash, el.len() as u32, HCONST_9);
                stack.extend(el.iter().rev().map(|&e| Op::Term(e)));
            }
            TermKind::Map => {
                let entries = crate::map::to_vec(term, heap);
                hash1(&mut hash, entries.len() as u32, HCONST_16);
                if entries.is_empty() {
                    continue;
                }
                stack.push(Op::MapEnd {
                    saved_hash: hash,
                    saved_xor: xor,
                });
                hash = 0;
                xor = 0;
                for (k, v) in entries.into_iter().rev() {
                    stack.push(Op::Pair);
                    stack.push(Op::Term(v));
                    stack.push(Op::Term(k));
                }
            }
            TermKind::Binary => {
                if let Some(v) = term.bits(heap) {
                    let (bytes, n) = match v.as_bytes() {
                        Some(b) => (std::borrow::Cow::Borrowed(b), v.bit_size),
                        None => {
                            let (b, n) = v.to_bit_vec();
                            (std::borrow::Cow::Owned(b), n)
                        }
                    };
                    hash = hash_bits(hash, &bytes, n);
                }
            }
            TermKind::Export => {
                if let Some((m, f, a)) = term.export_view(heap) {
                    hash2(&mut hash, a, atom_hash(m), HCONST);
                    hash1(&mut hash, atom_hash(f), HCONST_14);
                }
            }
            TermKind::Fun => {
                if let Some(fv) = term.fun_view(heap) {
                    let e = fv.entry;
                    hash2(&mut hash, fv.env.len() as u32, atom_hash(e.module), HCONST);
                    hash2(&mut hash, e.index, e.old_uniq, HCONST);
                    stack.extend(fv.env.iter().rev().map(|&x| Op::Term(x)));
                }
            }
            TermKind::LocalPid => {
                let n = term.local_pid_number().unwrap_or(0);
                hash1(&mut hash, n as u32, HCONST_5);
            }
            TermKind::LocalPort => {
                let n = term.local_port_number().unwrap_or(0);
                hash1(&mut hash, n as u32, HCONST_6);
            }
            TermKind::ExternalPid | TermKind::ExternalPort => {
                let k = if term.kind(heap) == TermKind::ExternalPid {
                    HCONST_5
                } else {
                    HCONST_6
                };
                let n = term
                    .external_view(heap)
                    .and_then(|v| v.id.first().copied())
                    .unwrap_or(0);
                hash1(&mut hash, n as u32, k);
            }
            TermKind::LocalRef | TermKind::ExternalRef => {
                let (_, nums) = crate::order::ref_numbers(term, heap);
                hash1(&mut hash, nums.first().copied().unwrap_or(0), HCONST_7);
            }
            TermKind::Cons | TermKind::Other => {}
        }
    }
    hash
}

/// A mix of a constant into the running hash (type information).
#[inline]
fn const_hash(hash: &mut u32, k: u32) {
    *hash ^= k;
    *hash = hash.rotate_left(17);
}

enum IOp {
    Term(Term),
    /// The tail of a cons cell whose head was not a byte is next.
    Cdr,
}

/// BEAM's internal hash (`make_internal_hash`), salted: the hash a
/// hash-trie map uses for a key at levels `8 * salt ..= 8 * salt + 7`.
pub fn internal_hash<H: HeapAccess + ?Sized>(t: Term, salt: u32, heap: &H) -> u32 {
    let mut hash = salt ^ INTERNAL_HASH_SALT;
    let mut stack = vec![IOp::Term(t)];
    while let Some(op) = stack.pop() {
        let term = match op {
            IOp::Term(t) => t,
            IOp::Cdr => {
                const_hash(&mut hash, HCONST_18);
                continue;
            }
        };
        if term.is_immediate() {
            let w = term.raw();
            hash2(&mut hash, w as u32, (w >> 32) as u32, HCONST);
            continue;
        }
        if term.is_list() {
            let mut cur = term;
            let mut sh: u32 = 0;
            let mut c: u32 = 0;
            while let Some((h, tl)) = cur.cons_parts(heap) {
                match h.small_value() {
                    Some(v @ 0..=255) => {
                        sh = (sh << 8).wrapping_add(v as u32);
                        if c == 3 {
                            hash1(&mut hash, sh, HCONST_4);
                            c = 0;
                            sh = 0;
                        } else {
                            c += 1;
                        }
                        cur = tl;
                    }
                    _ => break,
                }
            }
            if c > 0 {
                hash2(&mut hash, sh, c, HCONST_22);
            }
            match cur.cons_parts(heap) {
                Some((h, tl)) => {
                    const_hash(&mut hash, HCONST_17);
                    stack.push(IOp::Term(tl));
                    if !tl.is_list() {
                        stack.push(IOp::Cdr);
                    }
                    stack.push(IOp::Term(h));
                }
                None => stack.push(IOp::Term(cur)),
            }
            continue;
        }
        match term.kind(heap) {
            TermKind::Tuple => {
                let el = term.tuple_elements(heap).unwrap_or(&[]);
                hash1(&mut hash, el.len() as u32, HCONST_9);
                stack.extend(el.iter().rev().map(|&e| IOp::Term(e)));
            }
            TermKind::Map => {
                hash1(
                    &mut hash,
                    crate::map::size(term, heap).unwrap_or(0) as u32,
                    HCONST_16,
                );
                // BEAM's walk pops a trie's children from the highest slot
                // down, which is its iteration order.
                let pairs = crate::map::to_vec(term, heap);
                for (k, v) in pairs.into_iter().rev() {
                    stack.push(IOp::Term(v));
                    stack.push(IOp::Term(k));
                }
            }
            TermKind::Float => {
                let f = term.float_value(heap).unwrap_or(0.0);
                let bits = if f == 0.0 { 0 } else { f.to_bits() };
                hash2(&mut hash, bits as u32, (bits >> 32) as u32, HCONST_12);
            }
            TermKind::BigInt => {
                if let Some(b) = term.bignum(heap) {
                    hash_limbs(&mut hash, b.negative, b.limbs);
                }
            }
            TermKind::Binary => {
                if let Some(v) = term.bits(heap) {
                    let (bytes, n) = v.to_bit_vec();
                    hash = hash_bits(hash, &bytes, n);
                }
            }
            TermKind::Export => {
                if let Some((m, f, a)) = term.export_view(heap) {
                    // BEAM hashes the export entry's address; any hash that
                    // uses every field equality looks at will do here.
                    hash2(&mut hash, m.index(), f.index(), HCONST_14);
                    hash1(&mut hash, a, HCONST_14);
                }
            }
            TermKind::Fun => {
                if let Some(fv) = term.fun_view(heap) {
                    let e = fv.entry;
                    hash2(&mut hash, fv.env.len() as u32, e.module.index(), HCONST_20);
                    hash2(&mut hash, e.index, e.old_uniq, HCONST_21);
                    stack.extend(fv.env.iter().rev().map(|&x| IOp::Term(x)));
                }
            }
            TermKind::LocalRef | TermKind::ExternalRef => {
                let (node, nums) = crate::order::ref_numbers(term, heap);
                let at = |i: usize| nums.get(i).copied().unwrap_or(0);
                hash2(&mut hash, node.0.index(), node.1, HCONST_7);
                hash1(&mut hash, at(0), HCONST_7);
                hash2(&mut hash, at(1), at(2), HCONST_8);
                hash2(&mut hash, at(3), at(4), HCONST_8);
            }
            TermKind::ExternalPid | TermKind::ExternalPort => {
                if let Some(v) = term.external_view(heap) {
                    hash2(&mut hash, v.node.index(), v.creation, HCONST_5);
                    for &w in v.id {
                        hash2(&mut hash, w as u32, (w >> 32) as u32, HCONST_5);
                    }
                }
            }
            _ => {}
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_hash_is_pjw_with_latin1_folding() {
        assert_eq!(atom_text_hash("a"), 97);
        assert_eq!(atom_text_hash("ab"), 97 * 16 + 98);
        // "é" is hashed as its Latin-1 byte 0xE9.
        assert_eq!(atom_text_hash("é"), 0xE9);
    }

    #[test]
    fn block_hash_uses_every_byte() {
        let a = block_hash(b"hello world, this is long", 1);
        let b = block_hash(b"hello world, this is lonh", 1);
        assert_ne!(a, b);
        assert_ne!(block_hash(b"", 1), block_hash(b"", 2));
    }
}
