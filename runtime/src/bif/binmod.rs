//! The BIFs of OTP's `binary` module: searching (`match`, `matches`,
//! `split`, `compile_pattern`), slicing (`part`, `at`, `first`, `last`),
//! `copy`, integer encodings (`decode_unsigned`, `encode_unsigned`),
//! `list_to_bin` and the common prefix and suffix lengths. The rest of
//! `binary` (`replace`, `encode_hex`, ...) is Erlang and compiled from OTP.

use super::binaries::{binary_part_2, binary_part_3, list_to_binary};
use super::{BifResult, Exception, list_elements, usize_arg};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::term::Term;
use dashu_int::{IBig, UBig};

/// The bytes of a binary argument (whole bytes), or `badarg`.
fn bytes_arg(p: &ProcessMemory, t: Term) -> Result<Vec<u8>, Exception> {
    super::binary_bytes(p, t).ok_or_else(Exception::badarg)
}

fn named(name: &str) -> Result<Atom, Exception> {
    Atom::intern(name).map_err(|_| Exception::system_limit())
}

/// Bytes `start..start + len` of the binary `bin`, sharing its data.
fn slice(p: &mut ProcessMemory, bin: Term, start: usize, len: usize) -> Result<Term, Exception> {
    p.sub_binary(bin, start * 8, len * 8)
        .ok_or_else(Exception::badarg)
}

/// A search pattern: a non-empty binary, a non-empty list of non-empty
/// binaries, or what `compile_pattern/1` made of one (`{bm, Bin}` or
/// `{ac, [Bin]}`; BEAM's hold a reference instead).
fn patterns(p: &ProcessMemory, t: Term) -> Result<Vec<Vec<u8>>, Exception> {
    let one = |t: Term| -> Result<Vec<u8>, Exception> {
        let b = bytes_arg(p, t)?;
        if b.is_empty() {
            Err(Exception::badarg())
        } else {
            Ok(b)
        }
    };
    if t.bits(p).is_some() {
        return Ok(vec![one(t)?]);
    }
    if let Some(&[tag, inner]) = t.tuple_elements(p) {
        if tag.atom_value() == Some(named("bm")?) || tag.atom_value() == Some(named("ac")?) {
            return patterns(p, inner);
        }
        return Err(Exception::badarg());
    }
    let list = list_elements(p, t).ok_or_else(Exception::badarg)?;
    if list.is_empty() {
        return Err(Exception::badarg());
    }
    list.into_iter().map(one).collect()
}

/// The part of a subject of `size` bytes that searches look at: all of it,
/// or the `{scope, {Start, Length}}` in `opts` (`Length` may be negative,
/// counting back from `Start`). Also whether `global`, `trim` and
/// `trim_all` are given, for `split`.
struct Options {
    from: usize,
    to: usize,
    global: bool,
    trim: bool,
    trim_all: bool,
}

fn options(p: &ProcessMemory, opts: Term, size: usize, split: bool) -> Result<Options, Exception> {
    let mut o = Options {
        from: 0,
        to: size,
        global: false,
        trim: false,
        trim_all: false,
    };
    for opt in list_elements(p, opts).ok_or_else(Exception::badarg)? {
        if split && let Some(a) = opt.atom_value() {
            match a {
                _ if a == named("global")? => o.global = true,
                _ if a == named("trim")? => o.trim = true,
                _ if a == named("trim_all")? => o.trim_all = true,
                _ => return Err(Exception::badarg()),
            }
            continue;
        }
        let Some(&[key, scope]) = opt.tuple_elements(p) else {
            return Err(Exception::badarg());
        };
        let Some(&[start, len]) = scope.tuple_elements(p) else {
            return Err(Exception::badarg());
        };
        if key.atom_value() != Some(named("scope")?) {
            return Err(Exception::badarg());
        }
        let start = usize_arg(start).ok_or_else(Exception::badarg)?;
        let len = len.small_value().ok_or_else(Exception::badarg)?;
        let (from, to) = if len >= 0 {
            (
                start,
                start
                    .checked_add(len as usize)
                    .ok_or_else(Exception::badarg)?,
            )
        } else {
            (
                start
                    .checked_sub(len.unsigned_abs() as usize)
                    .ok_or_else(Exception::badarg)?,
                start,
            )
        };
        if to > size {
            return Err(Exception::badarg());
        }
        (o.from, o.to) = (from, to);
    }
    Ok(o)
}

/// The first match in `subject[from..to]`: the leftmost, and the longest
/// of the patterns matching there.
fn find(subject: &[u8], pats: &[Vec<u8>], from: usize, to: usize) -> Option<(usize, usize)> {
    (from..to).find_map(|pos| {
        pats.iter()
            .filter(|pat| pos + pat.len() <= to && subject[pos..pos + pat.len()] == pat[..])
            .map(|pat| pat.len())
            .max()
            .map(|len| (pos, len))
    })
}

/// Every match, left to right, none overlapping.
fn find_all(subject: &[u8], pats: &[Vec<u8>], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = from;
    while let Some((pos, len)) = find(subject, pats, at, to) {
        out.push((pos, len));
        at = pos + len;
    }
    out
}

fn pos_len(p: &mut ProcessMemory, (pos, len): (usize, usize)) -> Result<Term, Exception> {
    let (pos, len) = (p.int(pos as i64), p.int(len as i64));
    p.tuple(&[pos, len]).ok_or_else(Exception::system_limit)
}

fn match_n(p: &mut ProcessMemory, subject: Term, pattern: Term, opts: Term) -> BifResult {
    let bytes = bytes_arg(p, subject)?;
    if bytes.is_empty() && opts == Term::NIL {
        // BEAM answers an empty subject before it looks at the pattern.
        return Ok(Term::atom(named("nomatch")?));
    }
    let pats = patterns(p, pattern)?;
    let o = options(p, opts, bytes.len(), false)?;
    match find(&bytes, &pats, o.from, o.to) {
        Some(m) => pos_len(p, m),
        None => Ok(Term::atom(named("nomatch")?)),
    }
}

/// `binary:match(Subject, Pattern)`.
pub(super) fn match_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match_n(p, a[0], a[1], Term::NIL)
}

/// `binary:match(Subject, Pattern, Options)`.
pub(super) fn match_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match_n(p, a[0], a[1], a[2])
}

fn matches_n(p: &mut ProcessMemory, subject: Term, pattern: Term, opts: Term) -> BifResult {
    let bytes = bytes_arg(p, subject)?;
    if bytes.is_empty() && opts == Term::NIL {
        return Ok(Term::NIL);
    }
    let pats = patterns(p, pattern)?;
    let o = options(p, opts, bytes.len(), false)?;
    let mut list = Term::NIL;
    for m in find_all(&bytes, &pats, o.from, o.to).into_iter().rev() {
        let t = pos_len(p, m)?;
        list = p.cons(t, list);
    }
    Ok(list)
}

/// `binary:matches(Subject, Pattern)`.
pub(super) fn matches_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    matches_n(p, a[0], a[1], Term::NIL)
}

/// `binary:matches(Subject, Pattern, Options)`.
pub(super) fn matches_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    matches_n(p, a[0], a[1], a[2])
}

fn split_n(p: &mut ProcessMemory, subject: Term, pattern: Term, opts: Term) -> BifResult {
    let bytes = bytes_arg(p, subject)?;
    if bytes.is_empty() && opts == Term::NIL {
        // BEAM answers an empty subject before it looks at the pattern.
        return Ok(p.cons(subject, Term::NIL));
    }
    let pats = patterns(p, pattern)?;
    let o = options(p, opts, bytes.len(), true)?;
    let found = if o.global {
        find_all(&bytes, &pats, o.from, o.to)
    } else {
        find(&bytes, &pats, o.from, o.to).into_iter().collect()
    };
    // The pieces between the matches, as (start, length).
    let mut pieces = Vec::with_capacity(found.len() + 1);
    let mut at = 0;
    for (pos, len) in found {
        pieces.push((at, pos - at));
        at = pos + len;
    }
    pieces.push((at, bytes.len() - at));
    if o.trim_all {
        pieces.retain(|&(_, len)| len > 0);
    } else if o.trim {
        while pieces.last().is_some_and(|&(_, len)| len == 0) {
            pieces.pop();
        }
    }
    let mut list = Term::NIL;
    for (start, len) in pieces.into_iter().rev() {
        let piece = slice(p, subject, start, len)?;
        list = p.cons(piece, list);
    }
    Ok(list)
}

/// `binary:split(Subject, Pattern)`.
pub(super) fn split_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    split_n(p, a[0], a[1], Term::NIL)
}

/// `binary:split(Subject, Pattern, Options)`.
pub(super) fn split_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    split_n(p, a[0], a[1], a[2])
}

/// `binary:compile_pattern(Pattern)`: `{bm, Bin}` for one binary, `{ac,
/// [Bin]}` for a list, which the searches accept as they accept the
/// pattern itself.
pub(super) fn compile_pattern(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    patterns(p, a[0])?;
    let tag = if a[0].bits(p).is_some() {
        named("bm")?
    } else {
        named("ac")?
    };
    p.tuple(&[Term::atom(tag), a[0]])
        .ok_or_else(Exception::system_limit)
}

/// `binary:part(Subject, {Pos, Len})`, as `erlang:binary_part/2`.
pub(super) fn part_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_part_2(p, a)
}

/// `binary:part(Subject, Pos, Len)`, as `erlang:binary_part/3`.
pub(super) fn part_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_part_3(p, a)
}

/// `binary:at(Subject, Pos)`.
pub(super) fn at(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    let pos = usize_arg(a[1]).ok_or_else(Exception::badarg)?;
    let b = bytes.get(pos).ok_or_else(Exception::badarg)?;
    Ok(p.int(i64::from(*b)))
}

/// `binary:first(Subject)`.
pub(super) fn first(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    let b = bytes.first().ok_or_else(Exception::badarg)?;
    Ok(p.int(i64::from(*b)))
}

/// `binary:last(Subject)`.
pub(super) fn last(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    let b = bytes.last().ok_or_else(Exception::badarg)?;
    Ok(p.int(i64::from(*b)))
}

/// `binary:copy(Subject)`.
pub(super) fn copy_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    Ok(p.binary(&bytes))
}

/// The largest binary the binary module's BIFs build (4 GiB).
const MAX_BINARY_BYTES: usize = 1 << 32;

/// `binary:copy(Subject, N)`: `N` copies one after another.
pub(super) fn copy_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    let n = usize_arg(a[1]).ok_or_else(Exception::badarg)?;
    let total = bytes
        .len()
        .checked_mul(n)
        .ok_or_else(Exception::system_limit)?;
    // Far beyond any heap (BEAM would fail to allocate it): refused
    // before anything is allocated.
    if total > MAX_BINARY_BYTES {
        return Err(Exception::system_limit());
    }
    Ok(p.binary(&bytes.repeat(n)))
}

/// `big` (true) or `little` (false).
fn endian_arg(t: Term) -> Result<bool, Exception> {
    match t.atom_value() {
        Some(atom::BIG) => Ok(true),
        Some(atom::LITTLE) => Ok(false),
        _ => Err(Exception::badarg()),
    }
}

fn decode_unsigned(p: &mut ProcessMemory, bin: Term, big: bool) -> BifResult {
    let bytes = bytes_arg(p, bin)?;
    let n = if big {
        UBig::from_be_bytes(&bytes)
    } else {
        UBig::from_le_bytes(&bytes)
    };
    let n = crate::number::Number::from_ibig(IBig::from(n)).map_err(super::arith::raise)?;
    Ok(super::arith::term_of(p, &n))
}

/// `binary:decode_unsigned(Subject)`.
pub(super) fn decode_unsigned_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    decode_unsigned(p, a[0], true)
}

/// `binary:decode_unsigned(Subject, Endianness)`.
pub(super) fn decode_unsigned_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let big = endian_arg(a[1])?;
    decode_unsigned(p, a[0], big)
}

fn encode_unsigned(p: &mut ProcessMemory, int: Term, big: bool) -> BifResult {
    let n = super::arith::number_of(p, int)
        .and_then(|n| n.to_ibig())
        .ok_or_else(Exception::badarg)?;
    let n = UBig::try_from(n).map_err(|_| Exception::badarg())?;
    let mut bytes = n.to_be_bytes().to_vec();
    if bytes.is_empty() {
        bytes.push(0);
    }
    if !big {
        bytes.reverse();
    }
    Ok(p.binary(&bytes))
}

/// `binary:encode_unsigned(Unsigned)`.
pub(super) fn encode_unsigned_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    encode_unsigned(p, a[0], true)
}

/// `binary:encode_unsigned(Unsigned, Endianness)`.
pub(super) fn encode_unsigned_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let big = endian_arg(a[1])?;
    encode_unsigned(p, a[0], big)
}

/// `binary:list_to_bin(ByteList)`, as `erlang:list_to_binary/1`.
pub(super) fn list_to_bin(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    list_to_binary(p, a)
}

/// The binaries of a non-empty list argument.
fn binaries_arg(p: &ProcessMemory, t: Term) -> Result<Vec<Vec<u8>>, Exception> {
    let list = list_elements(p, t).ok_or_else(Exception::badarg)?;
    if list.is_empty() {
        return Err(Exception::badarg());
    }
    list.into_iter().map(|b| bytes_arg(p, b)).collect()
}

/// `binary:longest_common_prefix(Binaries)`.
pub(super) fn longest_common_prefix(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bins = binaries_arg(p, a[0])?;
    let n = (0..)
        .take_while(|&i| {
            bins.iter()
                .all(|b| b.get(i).is_some_and(|&c| c == bins[0][i]))
        })
        .count();
    Ok(p.int(n as i64))
}

/// `binary:longest_common_suffix(Binaries)`.
pub(super) fn longest_common_suffix(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bins = binaries_arg(p, a[0])?;
    let at = |b: &Vec<u8>, i: usize| b.len().checked_sub(i + 1).map(|j| b[j]);
    let n = (0..)
        .take_while(|&i| {
            let c = at(&bins[0], i);
            c.is_some() && bins.iter().all(|b| at(b, i) == c)
        })
        .count();
    Ok(p.int(n as i64))
}

/// `binary:referenced_byte_size(Binary)`: the size of the binary a
/// (sub-)binary's bytes live in.
pub(super) fn referenced_byte_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    // Any bitstring, as BEAM: the bytes of the binary it refers to.
    let n = a[0]
        .bits(p)
        .map(|v| v.bytes.len())
        .ok_or_else(Exception::badarg)?;
    Ok(p.int(n as i64))
}
