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

// ----- phash/2: BEAM's older `make_hash` ----------------------------------------

// Primes just above 2^28, as BEAM's `make_hash` uses them.
const F1: u32 = 268_440_163;
const F2: u32 = 268_439_161;
const F3: u32 = 268_435_459;
const F4: u32 = 268_436_141;
const F5: u32 = 268_438_633;
const F6: u32 = 268_437_017;
const F8: u32 = 268_437_511;
const F9: u32 = 268_439_627;
const F10: u32 = 268_440_479;
const F11: u32 = 268_440_577;
const F12: u32 = 268_440_581;
const F13: u32 = 268_440_593;
const F14: u32 = 268_440_611;

/// `hash` stepped through the four bytes of `x`, least significant first.
fn u32_step(hash: u32, x: u32, prime: u32) -> u32 {
    let mut h = hash;
    for i in 0..4 {
        h = h.wrapping_mul(prime).wrapping_add((x >> (8 * i)) & 0xFF);
    }
    h
}

/// An integer's magnitude, as its bytes least significant first: the
/// 32-bit words it needs, four bytes each.
fn magnitude_step(hash: u32, limbs: &[u64]) -> u32 {
    let mut h = hash;
    let Some((&last, rest)) = limbs.split_last() else {
        return h;
    };
    for &d in rest {
        for i in 0..8 {
            h = h
                .wrapping_mul(F2)
                .wrapping_add(((d >> (8 * i)) & 0xFF) as u32);
        }
    }
    let n = if last >> 32 == 0 { 4 } else { 8 };
    for i in 0..n {
        h = h
            .wrapping_mul(F2)
            .wrapping_add(((last >> (8 * i)) & 0xFF) as u32);
    }
    h
}

/// The bytes of a bitstring, then its trailing bits.
fn binary_step(hash: u32, bytes: &[u8], bit_offset: usize, bit_size: usize) -> u32 {
    let byte_at = |i: usize| -> u8 {
        // Byte `i` of the bitstring, which starts `bit_offset` bits in.
        let bit = bit_offset + 8 * i;
        let (q, r) = (bit / 8, bit % 8);
        if r == 0 {
            bytes[q]
        } else {
            (bytes[q] << r) | bytes.get(q + 1).map_or(0, |b| b >> (8 - r))
        }
    };
    let whole = bit_size / 8;
    let rest = bit_size % 8;
    let mut h = hash;
    for i in 0..whole {
        h = h.wrapping_mul(F1).wrapping_add(byte_at(i) as u32);
    }
    if rest > 0 {
        let b = (byte_at(whole) >> (8 - rest)) as u32;
        h = h.wrapping_mul(F1).wrapping_add(b);
        h = h.wrapping_mul(F12).wrapping_add(rest as u32);
    }
    h.wrapping_mul(F4).wrapping_add(whole as u32)
}

enum OldOp<'h> {
    Term(Term),
    /// Elements left of a tuple or a fun's environment; for a tuple, its
    /// arity is mixed in after them.
    Elements(&'h [Term], Option<u32>),
    /// The tail of a list whose head has just been hashed.
    Tail(Term),
    /// A list has ended (after its final tail).
    ListEnd,
}

/// The 32-bit hash behind `erlang:phash/2`: BEAM's `make_hash`, which
/// hashes integers bytewise whatever their size, text strings byte by byte,
/// and maps with `make_hash2`.
pub fn make_hash<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> u32 {
    let mut hash: u32 = 0;
    let mut stack: Vec<OldOp> = vec![OldOp::Term(t)];
    while let Some(op) = stack.pop() {
        let t = match op {
            OldOp::Term(t) => t,
            OldOp::Elements(els, arity) => {
                match els.split_first() {
                    Some((&first, rest)) => {
                        stack.push(OldOp::Elements(rest, arity));
                        stack.push(OldOp::Term(first));
                    }
                    None => {
                        if let Some(a) = arity {
                            hash = hash.wrapping_mul(F9).wrapping_add(a);
                        }
                    }
                }
                continue;
            }
            OldOp::Tail(tail) => {
                if tail.cons_parts(heap).is_none() {
                    stack.push(OldOp::ListEnd);
                }
                tail
            }
            OldOp::ListEnd => {
                hash = hash.wrapping_mul(F8);
                continue;
            }
        };
        match t.kind(heap) {
            TermKind::Nil => hash = hash.wrapping_mul(F3).wrapping_add(1),
            TermKind::Atom => {
                let h = t.atom_value().map_or(0, atom_hash);
                hash = hash.wrapping_mul(F1).wrapping_add(h);
            }
            TermKind::Small => {
                let v = t.small_value().unwrap_or(0);
                let m = v.unsigned_abs();
                hash = u32_step(hash, m as u32, F2);
                if m >> 32 != 0 {
                    hash = u32_step(hash, (m >> 32) as u32, F2);
                }
                hash = hash.wrapping_mul(if v < 0 { F4 } else { F3 });
            }
            TermKind::BigInt => {
                if let Some(b) = t.bignum(heap) {
                    hash = magnitude_step(hash, b.limbs);
                    hash = hash.wrapping_mul(if b.negative { F4 } else { F3 });
                }
            }
            TermKind::Float => {
                let mut f = t.float_value(heap).unwrap_or(0.0);
                if f == 0.0 {
                    f = 0.0;
                }
                let bits = f.to_bits();
                let w = (bits as u32) ^ ((bits >> 32) as u32);
                hash = hash.wrapping_mul(F6).wrapping_add(w);
            }
            TermKind::Binary => {
                if let Some(v) = t.bits(heap) {
                    hash = binary_step(hash, v.bytes, v.bit_offset, v.bit_size);
                }
            }
            TermKind::Cons => {
                // Bytes in a row (text) are hashed inline.
                let mut l = t;
                loop {
                    let Some((h, tail)) = l.cons_parts(heap) else {
                        break;
                    };
                    match h.small_value().filter(|b| (0..256).contains(b)) {
                        Some(b) => {
                            hash = hash.wrapping_mul(F2).wrapping_add(b as u32);
                            if tail.cons_parts(heap).is_none() {
                                stack.push(OldOp::ListEnd);
                                stack.push(OldOp::Term(tail));
                                break;
                            }
                            l = tail;
                        }
                        None => {
                            stack.push(OldOp::Tail(tail));
                            stack.push(OldOp::Term(h));
                            break;
                        }
                    }
                }
            }
            TermKind::Tuple => {
                let els = t.tuple_elements(heap).unwrap_or(&[]);
                stack.push(OldOp::Elements(els, Some(els.len() as u32)));
            }
            TermKind::Map => {
                let h2 = make_hash2(t, heap);
                hash = hash.wrapping_mul(F13).wrapping_add(F14).wrapping_add(h2);
            }
            TermKind::Fun => {
                if let Some(f) = t.fun_view(heap) {
                    let e = f.entry;
                    hash = hash.wrapping_mul(F10).wrapping_add(e.num_free);
                    hash = hash.wrapping_mul(F1).wrapping_add(atom_hash(e.module));
                    hash = hash.wrapping_mul(F2).wrapping_add(e.index);
                    hash = hash.wrapping_mul(F2).wrapping_add(e.old_uniq);
                    stack.push(OldOp::Elements(f.env, None));
                }
            }
            TermKind::Export => {
                if let Some((m, f, a)) = t.export_view(heap) {
                    hash = hash.wrapping_mul(F11).wrapping_add(a);
                    hash = hash.wrapping_mul(F1).wrapping_add(atom_hash(m));
                    hash = hash.wrapping_mul(F1).wrapping_add(atom_hash(f));
                }
            }
            TermKind::LocalPid => {
                let n = t.local_pid_number().unwrap_or(0) as u32;
                hash = u32_step(hash, n, F5).wrapping_mul(F6);
            }
            TermKind::LocalPort => {
                let n = t.local_port_number().unwrap_or(0);
                if n >> 32 != 0 {
                    hash = u32_step(hash, (n >> 32) as u32, F11);
                }
                hash = u32_step(hash, n as u32, F9).wrapping_mul(F10);
            }
            TermKind::LocalRef => {
                let id = t.local_ref_id(heap).unwrap_or([0, 0]);
                hash = u32_step(hash, id[0] as u32, F9).wrapping_mul(F10);
            }
            _ => {
                // Remote pids, ports and references: hashed as the local
                // kinds on their number.
                hash = u32_step(hash, 0, F9).wrapping_mul(F10);
            }
        }
    }
    hash
}

/// `erlang:phash(Term, Range)`: `1..=Range`.
pub fn phash_range<H: HeapAccess + ?Sized>(t: Term, range: u64, heap: &H) -> Option<u32> {
    if range == 0 || range > 1 << 32 {
        return None;
    }
    Some(((make_hash(t, heap) as u64 % range) + 1) as u32)
}
