//! Binary and iolist BIFs.
//!
//! An iolist is `[]`, or a cons whose head is a byte (0..255), a binary or
//! an iolist, and whose tail is an iolist or a binary. Iolists are walked
//! with an explicit stack of pending tails, so any nesting depth is fine.
//!
//! BEAM facts (OTP 25): `size(<<1:3>>)` is 0 while `byte_size(<<1:9>>)` is 2;
//! `split_binary/2` and `binary_part/2,3` accept bitstrings; `binary_part`
//! takes a negative length to mean the bytes before `Start`;
//! `binary_to_list(B, Start, Stop)` needs `1 =< Start =< Stop =< size`;
//! `bitstring_to_list(<<1,2:3>>)` is `[1, <<2:3>>]`.

use super::{BifResult, Exception, binary_bytes, byte_list, make_bitstring, usize_arg};
use crate::heap::ProcessMemory;
use crate::term::{BitsView, Term};

/// Bits appended one byte or bitstring at a time.
#[derive(Default)]
pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    bits: usize,
}

impl BitWriter {
    fn push_byte(&mut self, b: u8) {
        let shift = self.bits % 8;
        if shift == 0 {
            self.bytes.push(b);
        } else {
            let last = self.bytes.len() - 1;
            self.bytes[last] |= b >> shift;
            self.bytes.push(b << (8 - shift));
        }
        self.bits += 8;
    }

    fn push_bits(&mut self, v: &BitsView<'_>) {
        if self.bits.is_multiple_of(8)
            && let Some(b) = v.as_bytes()
        {
            self.bytes.extend_from_slice(b);
            self.bits += b.len() * 8;
            return;
        }
        let (bytes, n) = v.to_bit_vec();
        for &b in &bytes[..n / 8] {
            self.push_byte(b);
        }
        let rest = n % 8;
        if rest > 0 {
            let b = bytes[n / 8];
            let shift = self.bits % 8;
            if shift == 0 {
                self.bytes.push(b);
            } else {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= b >> shift;
                if shift + rest > 8 {
                    self.bytes.push(b << (8 - shift));
                }
            }
            self.bits += rest;
        }
    }

    fn finish(self, p: &mut ProcessMemory) -> Term {
        make_bitstring(p, &self.bytes, self.bits)
    }
}

/// One leaf of an iolist.
pub(crate) enum Leaf<'h> {
    Byte(u8),
    Bits(BitsView<'h>),
}

/// Visits the leaves of the iolist `root` in order. With `bitstrings`,
/// bitstrings of any length are allowed where binaries are. `Err` when
/// `root` is not such a list (or a binary, which the callers that need a
/// list check first).
pub(crate) fn walk_iolist<'h>(
    p: &'h ProcessMemory,
    root: Term,
    bitstrings: bool,
    mut f: impl FnMut(Leaf<'h>),
) -> Result<(), Exception> {
    let bits_ok = |v: &BitsView<'_>| bitstrings || v.bit_size.is_multiple_of(8);
    let mut pending: Vec<Term> = Vec::new();
    let mut t = root;
    loop {
        if let Some((h, tl)) = t.cons_parts(p) {
            if let Some(v) = h.small_value() {
                let b = u8::try_from(v).map_err(|_| Exception::badarg())?;
                f(Leaf::Byte(b));
            } else if h.is_list() || h.is_nil() {
                pending.push(tl);
                t = h;
                continue;
            } else {
                match h.bits(p) {
                    Some(v) if bits_ok(&v) => f(Leaf::Bits(v)),
                    _ => return Err(Exception::badarg()),
                }
            }
            t = tl;
            continue;
        }
        if !t.is_nil() {
            match t.bits(p) {
                Some(v) if bits_ok(&v) => f(Leaf::Bits(v)),
                _ => return Err(Exception::badarg()),
            }
        }
        match pending.pop() {
            Some(next) => t = next,
            None => return Ok(()),
        }
    }
}

/// The bytes of an iolist (or binary) as one buffer.
pub(crate) fn iolist_bytes(p: &ProcessMemory, root: Term) -> Result<Vec<u8>, Exception> {
    let mut out = Vec::new();
    walk_iolist(p, root, false, |leaf| match leaf {
        Leaf::Byte(b) => out.push(b),
        Leaf::Bits(v) => match v.as_bytes() {
            Some(b) => out.extend_from_slice(b),
            None => out.extend_from_slice(&v.to_bit_vec().0),
        },
    })?;
    Ok(out)
}

fn bytes_arg(p: &ProcessMemory, t: Term) -> Result<Vec<u8>, Exception> {
    binary_bytes(p, t).ok_or_else(Exception::badarg)
}

pub fn binary_to_list_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    Ok(byte_list(p, &bytes, Term::NIL))
}

pub fn binary_to_list_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = bytes_arg(p, a[0])?;
    match (usize_arg(a[1]), usize_arg(a[2])) {
        (Some(start), Some(stop)) if 1 <= start && start <= stop && stop <= bytes.len() => {
            Ok(byte_list(p, &bytes[start - 1..stop], Term::NIL))
        }
        _ => Err(Exception::badarg()),
    }
}

pub fn list_to_binary(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !(a[0].is_list() || a[0].is_nil()) {
        return Err(Exception::badarg());
    }
    let bytes = iolist_bytes(p, a[0])?;
    Ok(p.binary(&bytes))
}

pub fn iolist_to_binary(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if let Some(v) = a[0].bits(p) {
        return if v.bit_size.is_multiple_of(8) {
            Ok(a[0])
        } else {
            Err(Exception::badarg())
        };
    }
    let bytes = iolist_bytes(p, a[0])?;
    Ok(p.binary(&bytes))
}

pub fn iolist_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut n: u64 = 0;
    walk_iolist(p, a[0], false, |leaf| match leaf {
        Leaf::Byte(_) => n += 1,
        Leaf::Bits(v) => n += (v.bit_size / 8) as u64,
    })?;
    Ok(p.integer(&dashu_int::IBig::from(n)))
}

pub fn list_to_bitstring(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !(a[0].is_list() || a[0].is_nil()) {
        return Err(Exception::badarg());
    }
    let mut w = BitWriter::default();
    walk_iolist(p, a[0], true, |leaf| match leaf {
        Leaf::Byte(b) => w.push_byte(b),
        Leaf::Bits(v) => w.push_bits(&v),
    })?;
    Ok(w.finish(p))
}

pub fn bitstring_to_list(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (bytes, bits) = a[0].bits(p).ok_or_else(Exception::badarg)?.to_bit_vec();
    let whole = bits / 8;
    let tail = if bits % 8 == 0 {
        Term::NIL
    } else {
        let last = make_bitstring(p, &bytes[whole..], bits % 8);
        p.cons(last, Term::NIL)
    };
    Ok(byte_list(p, &bytes[..whole], tail))
}

pub fn split_binary(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let size = a[0].bits(p).ok_or_else(Exception::badarg)?.bit_size;
    let pos = match usize_arg(a[1]) {
        Some(n) if n * 8 <= size => n * 8,
        _ => return Err(Exception::badarg()),
    };
    let left = p.sub_binary(a[0], 0, pos).ok_or_else(Exception::badarg)?;
    let right = p
        .sub_binary(a[0], pos, size - pos)
        .ok_or_else(Exception::badarg)?;
    p.tuple(&[left, right]).ok_or_else(Exception::badarg)
}

fn binary_part(p: &mut ProcessMemory, bin: Term, start: Term, len: Term) -> BifResult {
    let size = bin.bits(p).ok_or_else(Exception::badarg)?.bit_size / 8;
    let (Some(start), Some(len)) = (start.small_value(), len.small_value()) else {
        return Err(Exception::badarg());
    };
    let (from, to) = if len >= 0 {
        (start, start.checked_add(len))
    } else {
        (start + len, Some(start))
    };
    match to {
        Some(to) if from >= 0 && to as u64 <= size as u64 => {
            let (from, to) = (from as usize, to as usize);
            p.sub_binary(bin, from * 8, (to - from) * 8)
                .ok_or_else(Exception::badarg)
        }
        _ => Err(Exception::badarg()),
    }
}

pub fn binary_part_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    match a[1].tuple_elements(p) {
        Some(&[start, len]) => binary_part(p, a[0], start, len),
        _ => Err(Exception::badarg()),
    }
}

pub fn binary_part_3(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_part(p, a[0], a[1], a[2])
}

pub fn byte_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bits = a[0].bits(p).ok_or_else(Exception::badarg)?.bit_size;
    Ok(p.int(bits.div_ceil(8) as i64))
}

pub fn bit_size(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bits = a[0].bits(p).ok_or_else(Exception::badarg)?.bit_size;
    Ok(p.int(bits as i64))
}
