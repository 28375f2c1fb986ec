//! The `unicode` BIFs: `characters_to_list/2`, `characters_to_binary/2`
//! (the conversions everything else in `unicode` is built on, with BEAM's
//! results: the converted data, or `{error, Converted, Rest}` /
//! `{incomplete, Converted, Rest}` with `Rest` shaped as BEAM shapes it)
//! and `bin_is_7bit/1`.

use super::{BifResult, Exception, char_list};
use crate::atom::{self, Atom};
use crate::heap::ProcessMemory;
use crate::term::Term;

/// The encoding of the binaries in character data. Integers in lists are
/// code points whatever it is (bytes for `latin1`).
#[derive(Copy, Clone, PartialEq, Eq)]
enum Encoding {
    Latin1,
    Utf8,
    Utf16 { big: bool },
    Utf32 { big: bool },
}

fn encoding_arg(p: &ProcessMemory, t: Term) -> Result<Encoding, Exception> {
    let endian = |t: Term| match t.atom_value() {
        Some(atom::BIG) => Ok(true),
        Some(atom::LITTLE) => Ok(false),
        _ => Err(Exception::badarg()),
    };
    if let Some(a) = t.atom_value() {
        return match a {
            atom::LATIN1 => Ok(Encoding::Latin1),
            atom::UNICODE | atom::UTF8 => Ok(Encoding::Utf8),
            _ if a == Atom::intern("utf16").map_err(|_| Exception::badarg())? => {
                Ok(Encoding::Utf16 { big: true })
            }
            _ if a == Atom::intern("utf32").map_err(|_| Exception::badarg())? => {
                Ok(Encoding::Utf32 { big: true })
            }
            _ => Err(Exception::badarg()),
        };
    }
    match t.tuple_elements(p) {
        Some(&[kind, end]) => match kind.atom_value() {
            Some(a) if Some(a) == Atom::intern("utf16").ok() => {
                Ok(Encoding::Utf16 { big: endian(end)? })
            }
            Some(a) if Some(a) == Atom::intern("utf32").ok() => {
                Ok(Encoding::Utf32 { big: endian(end)? })
            }
            _ => Err(Exception::badarg()),
        },
        _ => Err(Exception::badarg()),
    }
}

/// How a binary's bytes decode: all of them, or up to a byte offset where
/// an invalid sequence starts, or where a sequence is cut short by the end.
enum Decoded {
    All,
    Invalid(usize),
    Truncated(usize),
}

/// Decodes `bytes` in `enc`, pushing the code points to `out`.
fn decode(bytes: &[u8], enc: Encoding, out: &mut Vec<u32>) -> Decoded {
    match enc {
        Encoding::Latin1 => {
            out.extend(bytes.iter().map(|&b| u32::from(b)));
            Decoded::All
        }
        Encoding::Utf8 => {
            let (valid, outcome) = match std::str::from_utf8(bytes) {
                Ok(s) => (s, Decoded::All),
                Err(e) => {
                    let n = e.valid_up_to();
                    // The prefix up to `valid_up_to` is UTF-8.
                    let s = std::str::from_utf8(&bytes[..n]).unwrap_or("");
                    match e.error_len() {
                        Some(_) => (s, Decoded::Invalid(n)),
                        None => (s, Decoded::Truncated(n)),
                    }
                }
            };
            out.extend(valid.chars().map(u32::from));
            outcome
        }
        Encoding::Utf16 { big } => {
            let unit = |i: usize| {
                let b = [bytes[i], bytes[i + 1]];
                u32::from(if big {
                    u16::from_be_bytes(b)
                } else {
                    u16::from_le_bytes(b)
                })
            };
            let mut i = 0;
            while i < bytes.len() {
                if i + 2 > bytes.len() {
                    return Decoded::Truncated(i);
                }
                let u = unit(i);
                match u {
                    0xD800..=0xDBFF => {
                        if i + 4 > bytes.len() {
                            return Decoded::Truncated(i);
                        }
                        let l = unit(i + 2);
                        if !(0xDC00..=0xDFFF).contains(&l) {
                            return Decoded::Invalid(i);
                        }
                        out.push(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
                        i += 4;
                    }
                    0xDC00..=0xDFFF => return Decoded::Invalid(i),
                    _ => {
                        out.push(u);
                        i += 2;
                    }
                }
            }
            Decoded::All
        }
        Encoding::Utf32 { big } => {
            let mut i = 0;
            while i < bytes.len() {
                if i + 4 > bytes.len() {
                    return Decoded::Truncated(i);
                }
                let b = [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
                let c = if big {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                };
                if char::from_u32(c).is_none() {
                    return Decoded::Invalid(i);
                }
                out.push(c);
                i += 4;
            }
            Decoded::All
        }
    }
}

/// The bytes of a byte-aligned binary, or `None` for anything else.
fn bytes_of(p: &ProcessMemory, t: Term) -> Option<Vec<u8>> {
    let v = t.bits(p)?;
    if !v.bit_size.is_multiple_of(8) {
        return None;
    }
    Some(match v.as_bytes() {
        Some(b) => b.to_vec(),
        None => v.to_bit_vec().0,
    })
}

/// Whether `t` is character data by type: nested lists of integers and
/// binaries, a binary allowed as a tail, or a binary. BEAM checks the whole
/// term and raises `badarg` before converting anything.
fn well_formed(p: &ProcessMemory, root: Term) -> bool {
    let binary = |t: Term| t.bits(p).is_some_and(|v| v.bit_size.is_multiple_of(8));
    let mut pending = vec![root];
    while let Some(mut t) = pending.pop() {
        loop {
            if let Some((h, tl)) = t.cons_parts(p) {
                if h.small_value().is_some() || h.bignum(p).is_some() {
                } else if h.cons_parts(p).is_some() || h.is_nil() {
                    pending.push(h);
                } else if !binary(h) {
                    return false;
                }
                t = tl;
            } else {
                if !t.is_nil() && !binary(t) {
                    return false;
                }
                break;
            }
        }
    }
    true
}

/// Whether the well-formed data `ts` hold any character.
fn any_chars(p: &ProcessMemory, ts: &[Term]) -> bool {
    let mut pending: Vec<Term> = ts.to_vec();
    while let Some(mut t) = pending.pop() {
        while let Some((h, tl)) = t.cons_parts(p) {
            if h.cons_parts(p).is_some() {
                pending.push(h);
            } else if !h.is_nil() && h.bits(p).is_none_or(|v| v.bit_size > 0) {
                return true;
            }
            t = tl;
        }
        if t.bits(p).is_some_and(|v| v.bit_size > 0) {
            return true;
        }
    }
    false
}

/// Where a conversion stopped, and what of the input is left, before the
/// tails of the enclosing lists are added.
enum Stop {
    /// At a bad integer: the list from it on.
    Cell(Term),
    /// In a binary that is a list's head, followed by the list's tail.
    Head {
        bin: Term,
        at: usize,
        tail: Term,
        truncated: bool,
    },
    /// In a binary that is the data or a list's tail.
    Tail { bin: Term, at: usize },
}

/// A conversion: the code points converted and, if it stopped early, where
/// (with the tails of the lists it was inside, innermost last) and whether
/// the input was only cut short.
struct Converted {
    chars: Vec<u32>,
    stop: Option<(Stop, Vec<Term>, bool)>,
}

fn convert(p: &ProcessMemory, root: Term, enc: Encoding) -> Converted {
    let mut chars = Vec::new();
    let valid = |c: u32| match enc {
        Encoding::Latin1 => c <= 255,
        _ => char::from_u32(c).is_some(),
    };
    let mut pending: Vec<Term> = Vec::new();
    let mut t = root;
    loop {
        if let Some((h, tl)) = t.cons_parts(p) {
            if h.cons_parts(p).is_some() || h.is_nil() {
                pending.push(tl);
                t = h;
                continue;
            }
            if let Some(bytes) = bytes_of(p, h) {
                match decode(&bytes, enc, &mut chars) {
                    Decoded::All => {}
                    Decoded::Invalid(at) => {
                        let stop = Stop::Head {
                            bin: h,
                            at,
                            tail: tl,
                            truncated: false,
                        };
                        return Converted {
                            chars,
                            stop: Some((stop, pending, false)),
                        };
                    }
                    Decoded::Truncated(at) => {
                        let mut rest = pending.clone();
                        rest.push(tl);
                        let incomplete = !any_chars(p, &rest);
                        let stop = if incomplete {
                            Stop::Tail { bin: h, at }
                        } else {
                            Stop::Head {
                                bin: h,
                                at,
                                tail: tl,
                                truncated: true,
                            }
                        };
                        let pending = if incomplete { Vec::new() } else { pending };
                        return Converted {
                            chars,
                            stop: Some((stop, pending, incomplete)),
                        };
                    }
                }
            } else {
                let c = h
                    .small_value()
                    .and_then(|c| u32::try_from(c).ok())
                    .filter(|&c| valid(c));
                match c {
                    Some(c) => chars.push(c),
                    None => {
                        return Converted {
                            chars,
                            stop: Some((Stop::Cell(t), pending, false)),
                        };
                    }
                }
            }
            t = tl;
            continue;
        }
        if let Some(bytes) = bytes_of(p, t) {
            match decode(&bytes, enc, &mut chars) {
                Decoded::All => {}
                Decoded::Invalid(at) => {
                    return Converted {
                        chars,
                        stop: Some((Stop::Tail { bin: t, at }, pending, false)),
                    };
                }
                Decoded::Truncated(at) => {
                    let incomplete = !any_chars(p, &pending);
                    let pending = if incomplete { Vec::new() } else { pending };
                    return Converted {
                        chars,
                        stop: Some((Stop::Tail { bin: t, at }, pending, incomplete)),
                    };
                }
            }
        }
        match pending.pop() {
            Some(next) => t = next,
            None => return Converted { chars, stop: None },
        }
    }
}

/// The rest of the input after a stop, as BEAM returns it: what is left of
/// the innermost list, then each enclosing list's tail consed on.
fn rest_term(p: &mut ProcessMemory, stop: Stop, pending: &[Term]) -> Term {
    let sub = |p: &mut ProcessMemory, bin: Term, at: usize| {
        let size = bin.bits(p).map_or(0, |v| v.bit_size);
        p.sub_binary(bin, at * 8, size.saturating_sub(at * 8))
            .unwrap_or(bin)
    };
    let mut rest = match stop {
        Stop::Cell(t) => t,
        Stop::Head {
            bin,
            at,
            tail,
            truncated,
        } => {
            let s = sub(p, bin, at);
            if truncated {
                // A cut-short sequence with more data after it.
                let t = p.cons(tail, Term::NIL);
                p.cons(s, t)
            } else {
                p.cons(s, tail)
            }
        }
        Stop::Tail { bin, at } => sub(p, bin, at),
    };
    for &tail in pending.iter().rev() {
        rest = p.cons(rest, tail);
    }
    rest
}

/// Shared by both conversions: `finish` builds the result from code points.
fn characters_to(
    p: &mut ProcessMemory,
    args: &[Term],
    finish: fn(&mut ProcessMemory, &[u32]) -> Term,
) -> BifResult {
    let enc = encoding_arg(p, args[1])?;
    if !well_formed(p, args[0]) {
        return Err(Exception::badarg());
    }
    let Converted { chars, stop } = convert(p, args[0], enc);
    let done = finish(p, &chars);
    match stop {
        None => Ok(done),
        Some((stop, pending, incomplete)) => {
            let rest = rest_term(p, stop, &pending);
            let tag = if incomplete {
                Atom::intern("incomplete").map_err(|_| Exception::badarg())?
            } else {
                atom::ERROR
            };
            p.tuple(&[Term::atom(tag), done, rest])
                .ok_or_else(Exception::system_limit)
        }
    }
}

/// `unicode:characters_to_list(Data, InEncoding)`.
pub(super) fn characters_to_list(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    characters_to(p, args, |p, chars| char_list(p, chars.iter().copied()))
}

/// `unicode:characters_to_binary(Data, InEncoding)`: UTF-8.
pub(super) fn characters_to_binary(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    characters_to(p, args, |p, chars| {
        let mut bytes = Vec::with_capacity(chars.len());
        for &c in chars {
            if let Some(ch) = char::from_u32(c) {
                let mut buf = [0; 4];
                bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
        p.binary(&bytes)
    })
}

/// `unicode:bin_is_7bit(Term)`: whether `Term` is a binary (a whole number
/// of bytes) whose bytes are all below 128; `false` for anything else.
pub(super) fn bin_is_7bit(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let seven_bit = bytes_of(p, args[0]).is_some_and(|b| b.is_ascii());
    Ok(Term::atom(if seven_bit { atom::TRUE } else { atom::FALSE }))
}
