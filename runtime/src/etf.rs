//! The external term format (version 131): `term_to_binary/1` and
//! `binary_to_term/1`, byte for byte as OTP 25 writes and reads them.
//!
//! Both directions walk terms with an explicit stack, so a deep term needs
//! no native stack, and decoding never panics: every malformed, truncated or
//! unsupported input is an [`EtfError`] (BEAM's `badarg`). Lengths read from
//! the input are checked against the bytes that remain before anything is
//! allocated for them.
//!
//! # What OTP 25 writes (checked against `erl`)
//!
//! - Atoms: `ATOM_EXT` (100) with Latin-1 bytes when every character is
//!   below 256, else `SMALL_ATOM_UTF8_EXT` (119) or, for more than 255
//!   bytes of UTF-8, `ATOM_UTF8_EXT` (118). (UTF-8 for all atoms is OTP 26.)
//! - Integers: `SMALL_INTEGER_EXT` (97) for 0..=255, `INTEGER_EXT` (98) for
//!   the rest of the signed 32-bit range, else `SMALL_BIG_EXT` (110) or, for
//!   more than 255 magnitude bytes, `LARGE_BIG_EXT` (111).
//! - Floats: `NEW_FLOAT_EXT` (70), the IEEE bits big-endian (`-0.0` keeps
//!   its sign).
//! - Lists: `STRING_EXT` (107) for a proper list of at most 65535 integers
//!   in 0..=255, `NIL_EXT` (106) for `[]`, else `LIST_EXT` (108) with the
//!   elements and then the tail.
//! - Maps: `MAP_EXT` (116), pairs in iteration order (`map::to_vec`).
//! - Bitstrings: `BINARY_EXT` (109), or `BIT_BINARY_EXT` (77) with the bit
//!   count of the last byte, unused low bits zero.
//! - Pids `NEW_PID_EXT` (88), ports `NEW_PORT_EXT` (89) (`V4_PORT_EXT` (120)
//!   above 32 bits), references `NEWER_REFERENCE_EXT` (90), export funs
//!   `EXPORT_EXT` (113). A local pid, port or reference is written with node
//!   `nonode@nohost` and creation 0, as an unnamed BEAM node writes it.
//!
//! # How Coral's local identifiers map to the format
//!
//! A local pid's number `n` is written as ID `n & 0xFFFF_FFFF` and serial
//! `n >> 32`; a local reference's two 64-bit id words are four 32-bit
//! numbers, least significant first, written as three when the fourth is 0
//! (BEAM's local references have three). Reading maps back the same way,
//! and a pid, port or reference of node `nonode@nohost` with creation 0 is
//! read as a local one.
//!
//! Local funs are written as `NEW_FUN_EXT` (112) with the creator pid
//! `<0.0.0>` (Coral's closures do not record their creator); reading a local
//! fun needs the module's fun table and is refused for now.

use crate::atom::{Atom, NONODE};
use crate::heap::ProcessMemory;
use crate::term::{HeapAccess, Term, TermKind};

pub const VERSION: u8 = 131;
const NEW_FLOAT_EXT: u8 = 70;
const BIT_BINARY_EXT: u8 = 77;
const COMPRESSED: u8 = 80;
const NEW_PID_EXT: u8 = 88;
const NEW_PORT_EXT: u8 = 89;
const NEWER_REFERENCE_EXT: u8 = 90;
const SMALL_INTEGER_EXT: u8 = 97;
const INTEGER_EXT: u8 = 98;
const FLOAT_EXT: u8 = 99;
const ATOM_EXT: u8 = 100;
const PORT_EXT: u8 = 102;
const PID_EXT: u8 = 103;
const SMALL_TUPLE_EXT: u8 = 104;
const LARGE_TUPLE_EXT: u8 = 105;
const NIL_EXT: u8 = 106;
const STRING_EXT: u8 = 107;
const LIST_EXT: u8 = 108;
const BINARY_EXT: u8 = 109;
const SMALL_BIG_EXT: u8 = 110;
const LARGE_BIG_EXT: u8 = 111;
const NEW_FUN_EXT: u8 = 112;
const EXPORT_EXT: u8 = 113;
const NEW_REFERENCE_EXT: u8 = 114;
const SMALL_ATOM_EXT: u8 = 115;
const MAP_EXT: u8 = 116;
const ATOM_UTF8_EXT: u8 = 118;
const SMALL_ATOM_UTF8_EXT: u8 = 119;
const V4_PORT_EXT: u8 = 120;

/// Why bytes could not be decoded (`binary_to_term` raises `badarg`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EtfError {
    /// The input ends inside a term.
    Truncated,
    /// The first byte is not 131.
    BadVersion,
    /// An unknown or unsupported tag.
    BadTag(u8),
    /// A well-formed tag with a value BEAM refuses (a non-finite float, an
    /// atom that is not UTF-8, a duplicate map key, ...).
    BadValue(&'static str),
    /// The atom table refused the atom.
    AtomLimit,
}

impl std::fmt::Display for EtfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EtfError::Truncated => write!(f, "truncated external term"),
            EtfError::BadVersion => write!(f, "not an external term (version byte)"),
            EtfError::BadTag(t) => write!(f, "unsupported external term tag {t}"),
            EtfError::BadValue(what) => write!(f, "bad external term: {what}"),
            EtfError::AtomLimit => write!(f, "atom cannot be created"),
        }
    }
}

impl std::error::Error for EtfError {}

/// `term_to_binary(Term)`: the version byte and the encoded term.
pub fn term_to_binary<H: HeapAccess + ?Sized>(t: Term, heap: &H) -> Vec<u8> {
    let mut out = vec![VERSION];
    encode(t, heap, &mut out);
    out
}

fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

thread_local! {
    /// The `minor_version` of the encoding under way (`term_to_binary/2`):
    /// 0 writes floats as text, 2 writes every atom as UTF-8; 1 is the
    /// default of OTP 25.
    static MINOR: std::cell::Cell<u8> = const { std::cell::Cell::new(1) };
}

/// Options of `term_to_binary/2`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    pub minor_version: u8,
    /// zlib level 0-9 when compressing.
    pub compressed: Option<u8>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            minor_version: 1,
            compressed: None,
        }
    }
}

/// `term_to_binary(Term, Options)`. A compressed encoding is only used
/// when it is smaller, as BEAM does; the deflate stream is miniz's, which
/// any zlib inflates (BEAM's own bytes come from zlib and may differ).
pub fn term_to_binary_with<H: HeapAccess + ?Sized>(
    t: Term,
    heap: &H,
    opts: EncodeOptions,
) -> Vec<u8> {
    let old = MINOR.with(|m| m.replace(opts.minor_version));
    let mut body = Vec::new();
    encode(t, heap, &mut body);
    MINOR.with(|m| m.set(old));
    if let Some(level) = opts.compressed
        && level > 0
    {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&body, level);
        if z.len() + 5 < body.len() {
            let mut out = vec![VERSION, COMPRESSED];
            put_u32(&mut out, body.len() as u32);
            out.extend_from_slice(&z);
            return out;
        }
    }
    let mut out = vec![VERSION];
    out.extend_from_slice(&body);
    out
}

/// `FLOAT_EXT`'s 31 bytes: C's `%.20e`, zero-padded.
fn float_text_ext(f: f64, out: &mut Vec<u8>) {
    let s = format!("{f:.20e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let text = format!(
        "{mantissa}e{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.unsigned_abs()
    );
    let mut bytes = text.into_bytes();
    bytes.resize(31, 0);
    out.extend_from_slice(&bytes);
}

fn encode_atom(a: Atom, out: &mut Vec<u8>) {
    let text = a.text().unwrap_or("");
    let utf8 = MINOR.with(|m| m.get()) >= 2;
    if !utf8 && text.chars().all(|c| (c as u32) < 256) {
        out.push(ATOM_EXT);
        put_u16(out, text.chars().count() as u16);
        out.extend(text.chars().map(|c| c as u32 as u8));
    } else if text.len() < 256 {
        out.push(SMALL_ATOM_UTF8_EXT);
        out.push(text.len() as u8);
        out.extend_from_slice(text.as_bytes());
    } else {
        out.push(ATOM_UTF8_EXT);
        put_u16(out, text.len() as u16);
        out.extend_from_slice(text.as_bytes());
    }
}

fn encode_big(negative: bool, limbs: &[u64], out: &mut Vec<u8>) {
    let mut mag: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
    while mag.last() == Some(&0) {
        mag.pop();
    }
    if mag.len() < 256 {
        out.push(SMALL_BIG_EXT);
        out.push(mag.len() as u8);
    } else {
        out.push(LARGE_BIG_EXT);
        put_u32(out, mag.len() as u32);
    }
    out.push(negative as u8);
    out.extend_from_slice(&mag);
}

fn encode_int(v: i64, out: &mut Vec<u8>) {
    if (0..=255).contains(&v) {
        out.push(SMALL_INTEGER_EXT);
        out.push(v as u8);
    } else if let Ok(i) = i32::try_from(v) {
        out.push(INTEGER_EXT);
        out.extend_from_slice(&i.to_be_bytes());
    } else {
        encode_big(v < 0, &[v.unsigned_abs()], out);
    }
}

/// The length of `l` if it is a proper list of at most 65535 bytes.
fn string_length<H: HeapAccess + ?Sized>(mut l: Term, heap: &H) -> Option<usize> {
    let mut n = 0;
    while let Some((h, t)) = l.cons_parts(heap) {
        if !matches!(h.small_value(), Some(0..=255)) || n == 65535 {
            return None;
        }
        n += 1;
        l = t;
    }
    l.is_nil().then_some(n)
}

fn encode_node(node: Atom, creation: u32, out: &mut Vec<u8>) -> u32 {
    encode_atom(node, out);
    creation
}

/// What the encoder has left to do.
enum Work {
    Term(Term),
    /// The free variables of the fun whose size field starts at this offset
    /// of the output are written: fill the field in.
    FunSize(usize),
}

/// Appends the encoding of `t` (without the version byte).
pub fn encode<H: HeapAccess + ?Sized>(t: Term, heap: &H, out: &mut Vec<u8>) {
    let mut stack = vec![Work::Term(t)];
    while let Some(work) = stack.pop() {
        let t = match work {
            Work::Term(t) => t,
            Work::FunSize(at) => {
                // The size counts the field itself and everything after it.
                let size = (out.len() - at) as u32;
                out[at..at + 4].copy_from_slice(&size.to_be_bytes());
                continue;
            }
        };
        if let Some(v) = t.small_value() {
            encode_int(v, out);
            continue;
        }
        if let Some(a) = t.atom_value() {
            encode_atom(a, out);
            continue;
        }
        if t.is_nil() {
            out.push(NIL_EXT);
            continue;
        }
        if t.is_list() {
            if let Some(n) = string_length(t, heap) {
                out.push(STRING_EXT);
                put_u16(out, n as u16);
                let mut l = t;
                while let Some((h, tl)) = l.cons_parts(heap) {
                    out.push(h.small_value().unwrap_or(0) as u8);
                    l = tl;
                }
                continue;
            }
            let mut elems = Vec::new();
            let mut l = t;
            while let Some((h, tl)) = l.cons_parts(heap) {
                elems.push(h);
                l = tl;
            }
            out.push(LIST_EXT);
            put_u32(out, elems.len() as u32);
            stack.push(Work::Term(l));
            stack.extend(elems.into_iter().rev().map(Work::Term));
            continue;
        }
        match t.kind(heap) {
            TermKind::BigInt => {
                if let Some(b) = t.bignum(heap) {
                    encode_big(b.negative, b.limbs, out);
                }
            }
            TermKind::Float => {
                let f = t.float_value(heap).unwrap_or(0.0);
                if MINOR.with(|m| m.get()) == 0 {
                    out.push(FLOAT_EXT);
                    float_text_ext(f, out);
                } else {
                    out.push(NEW_FLOAT_EXT);
                    out.extend_from_slice(&f.to_bits().to_be_bytes());
                }
            }
            TermKind::Tuple => {
                let el = t.tuple_elements(heap).unwrap_or(&[]);
                if el.len() < 256 {
                    out.push(SMALL_TUPLE_EXT);
                    out.push(el.len() as u8);
                } else {
                    out.push(LARGE_TUPLE_EXT);
                    put_u32(out, el.len() as u32);
                }
                stack.extend(el.iter().rev().map(|&e| Work::Term(e)));
            }
            TermKind::Map => {
                let pairs = crate::map::to_vec(t, heap);
                out.push(MAP_EXT);
                put_u32(out, pairs.len() as u32);
                for (k, v) in pairs.into_iter().rev() {
                    stack.push(Work::Term(v));
                    stack.push(Work::Term(k));
                }
            }
            TermKind::Binary => {
                let Some(v) = t.bits(heap) else { continue };
                if let Some(b) = v.as_bytes() {
                    out.push(BINARY_EXT);
                    put_u32(out, b.len() as u32);
                    out.extend_from_slice(b);
                } else if v.bit_size % 8 == 0 {
                    // Whole bytes at a bit offset: still a binary.
                    let (bytes, _) = v.to_bit_vec();
                    out.push(BINARY_EXT);
                    put_u32(out, bytes.len() as u32);
                    out.extend_from_slice(&bytes);
                } else {
                    let (bytes, n) = v.to_bit_vec();
                    out.push(BIT_BINARY_EXT);
                    put_u32(out, bytes.len() as u32);
                    out.push(match n % 8 {
                        0 => 8,
                        r => r as u8,
                    });
                    out.extend_from_slice(&bytes);
                }
            }
            TermKind::LocalPid => {
                let n = t.local_pid_number().unwrap_or(0);
                out.push(NEW_PID_EXT);
                encode_atom(NONODE, out);
                put_u32(out, n as u32);
                put_u32(out, (n >> 32) as u32);
                put_u32(out, 0);
            }
            TermKind::ExternalPid => {
                let Some(v) = t.external_view(heap) else {
                    continue;
                };
                out.push(NEW_PID_EXT);
                let c = encode_node(v.node, v.creation, out);
                put_u32(out, v.id.first().copied().unwrap_or(0) as u32);
                put_u32(out, v.id.get(1).copied().unwrap_or(0) as u32);
                put_u32(out, c);
            }
            TermKind::LocalPort | TermKind::ExternalPort => {
                let (node, creation, n) = match t.local_port_number() {
                    Some(n) => (NONODE, 0, n),
                    None => match t.external_view(heap) {
                        Some(v) => (v.node, v.creation, v.id.first().copied().unwrap_or(0)),
                        None => continue,
                    },
                };
                if n > u32::MAX as u64 {
                    out.push(V4_PORT_EXT);
                    encode_node(node, creation, out);
                    out.extend_from_slice(&n.to_be_bytes());
                } else {
                    out.push(NEW_PORT_EXT);
                    encode_node(node, creation, out);
                    put_u32(out, n as u32);
                }
                put_u32(out, creation);
            }
            TermKind::LocalRef | TermKind::ExternalRef => {
                let ((node, creation), nums) = crate::order::ref_numbers(t, heap);
                out.push(NEWER_REFERENCE_EXT);
                put_u16(out, nums.len() as u16);
                encode_node(node, creation, out);
                put_u32(out, creation);
                for n in nums {
                    put_u32(out, n);
                }
            }
            TermKind::Export => {
                let Some((m, f, a)) = t.export_view(heap) else {
                    continue;
                };
                out.push(EXPORT_EXT);
                encode_atom(m, out);
                encode_atom(f, out);
                encode_int(a as i64, out);
            }
            TermKind::Fun => {
                let Some(fv) = t.fun_view(heap) else { continue };
                // The size field covers the whole fun, free variables
                // included: it is filled in once they are written, so a
                // chain of nested funs needs no native recursion.
                let e = fv.entry;
                out.push(NEW_FUN_EXT);
                let size_at = out.len();
                put_u32(out, 0);
                out.push(e.arity as u8);
                out.extend_from_slice(&e.uniq);
                put_u32(out, e.index);
                put_u32(out, fv.env.len() as u32);
                encode_atom(e.module, out);
                encode_int(e.index as i64, out);
                encode_int(e.old_uniq as i32 as i64, out);
                out.push(NEW_PID_EXT);
                encode_atom(NONODE, out);
                out.extend_from_slice(&[0; 12]);
                stack.push(Work::FunSize(size_at));
                stack.extend(fv.env.iter().rev().map(|&x| Work::Term(x)));
            }
            TermKind::Small | TermKind::Atom | TermKind::Nil | TermKind::Cons | TermKind::Other => {
            }
        }
    }
}

/// `binary_to_term(Bin)`: decodes a whole external term. Bytes after the
/// term are ignored, as BEAM ignores them.
pub fn binary_to_term(mem: &mut ProcessMemory, bytes: &[u8]) -> Result<Term, EtfError> {
    binary_to_term_used(mem, bytes).map(|(t, _)| t)
}

/// Decodes an external term; also returns how many bytes it took
/// (`binary_to_term(Bin, [used])`).
pub fn binary_to_term_used(
    mem: &mut ProcessMemory,
    bytes: &[u8],
) -> Result<(Term, usize), EtfError> {
    match bytes.first() {
        Some(&VERSION) => {}
        Some(_) => return Err(EtfError::BadVersion),
        None => return Err(EtfError::Truncated),
    }
    if bytes.get(1) == Some(&COMPRESSED) {
        // `131, 80, Size:32, zlib stream`: the term without its version
        // byte, deflated.
        let size = bytes.get(2..6).ok_or(EtfError::Truncated)?;
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let body = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes[6..], size)
            .map_err(|_| EtfError::BadValue("compressed data"))?;
        if body.len() != size {
            return Err(EtfError::BadValue("compressed size"));
        }
        let mut whole = Vec::with_capacity(size + 1);
        whole.push(VERSION);
        whole.extend_from_slice(&body);
        let mut r = Reader {
            bytes: &whole,
            pos: 1,
        };
        let t = decode(mem, &mut r)?;
        if r.pos != whole.len() {
            return Err(EtfError::BadValue("bytes after a compressed term"));
        }
        return Ok((t, bytes.len()));
    }
    let mut r = Reader { bytes, pos: 1 };
    let t = decode(mem, &mut r)?;
    Ok((t, r.pos))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], EtfError> {
        if n > self.remaining() {
            return Err(EtfError::Truncated);
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, EtfError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, EtfError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, EtfError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, EtfError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// A count of items that each take at least `min_bytes` bytes, refused
    /// when the input cannot hold them together with the `owed` terms that
    /// enclosing containers still expect (at least a byte each). So the
    /// space reserved for all open containers never exceeds the input's
    /// length, however deeply they nest.
    fn count(&self, n: usize, min_bytes: usize, owed: usize) -> Result<usize, EtfError> {
        let need = n.saturating_mul(min_bytes).saturating_add(owed);
        if need > self.remaining() {
            return Err(EtfError::Truncated);
        }
        Ok(n)
    }

    /// An atom in any of the atom encodings.
    fn atom(&mut self) -> Result<Atom, EtfError> {
        let tag = self.u8()?;
        read_atom(self, tag)
    }
}

fn read_atom(r: &mut Reader<'_>, tag: u8) -> Result<Atom, EtfError> {
    let (len, utf8) = match tag {
        ATOM_EXT => (r.u16()? as usize, false),
        SMALL_ATOM_EXT => (r.u8()? as usize, false),
        ATOM_UTF8_EXT => (r.u16()? as usize, true),
        SMALL_ATOM_UTF8_EXT => (r.u8()? as usize, true),
        t => return Err(EtfError::BadTag(t)),
    };
    let b = r.take(len)?;
    let res = if utf8 {
        let s = std::str::from_utf8(b).map_err(|_| EtfError::BadValue("atom is not UTF-8"))?;
        Atom::intern(s)
    } else {
        Atom::intern_latin1(b)
    };
    res.map_err(|_| EtfError::AtomLimit)
}

/// A container being decoded: the terms read so far and how many it needs.
enum Pending {
    Tuple(Vec<Term>, usize),
    /// Elements then the tail.
    List(Vec<Term>, usize),
    /// Keys and values alternating.
    Map(Vec<Term>, usize),
}

impl Pending {
    fn parts(&mut self) -> (&mut Vec<Term>, usize) {
        match self {
            Pending::Tuple(v, n) | Pending::List(v, n) | Pending::Map(v, n) => (v, *n),
        }
    }
}

fn is_local_node(node: Atom, creation: u32) -> bool {
    node == NONODE && creation == 0
}

fn decode(mem: &mut ProcessMemory, r: &mut Reader<'_>) -> Result<Term, EtfError> {
    let mut stack: Vec<Pending> = Vec::new();
    // Terms the open containers still need after the one being read: the
    // sum over `stack` of `n - len - 1`.
    let mut owed = 0usize;
    loop {
        let mut t = match read_one(mem, r, owed)? {
            Item::Done(t) => t,
            Item::Open(mut p) => {
                owed += p.parts().1 - 1;
                stack.push(p);
                continue;
            }
        };
        // Hand the finished term to its container, closing every container
        // it completes.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(t);
            };
            let (v, n) = top.parts();
            v.push(t);
            if v.len() < n {
                // The next term of this container is being read now.
                owed -= 1;
                break;
            }
            t = match stack.pop() {
                Some(Pending::Tuple(v, _)) => mem.tuple(&v).ok_or(EtfError::BadValue("tuple"))?,
                Some(Pending::List(v, _)) => {
                    let (tail, elems) = v.split_last().ok_or(EtfError::BadValue("list"))?;
                    mem.list(elems, *tail)
                }
                Some(Pending::Map(v, _)) => make_map(mem, &v)?,
                None => return Err(EtfError::BadValue("empty stack")),
            };
        }
    }
}

fn make_map(mem: &mut ProcessMemory, kv: &[Term]) -> Result<Term, EtfError> {
    let pairs: Vec<(Term, Term)> = kv.chunks_exact(2).map(|c| (c[0], c[1])).collect();
    let m = crate::map::from_pairs(mem, &pairs);
    if crate::map::size(m, &*mem) != Some(pairs.len()) {
        return Err(EtfError::BadValue("duplicate map key"));
    }
    Ok(m)
}

enum Item {
    Done(Term),
    Open(Pending),
}

fn read_one(mem: &mut ProcessMemory, r: &mut Reader<'_>, owed: usize) -> Result<Item, EtfError> {
    let tag = r.u8()?;
    let t = match tag {
        SMALL_INTEGER_EXT => Term::small(r.u8()? as i64).unwrap_or(Term::NIL),
        INTEGER_EXT => mem.int(r.u32()? as i32 as i64),
        SMALL_BIG_EXT | LARGE_BIG_EXT => {
            let n = if tag == SMALL_BIG_EXT {
                r.u8()? as usize
            } else {
                r.u32()? as usize
            };
            let sign = r.u8()?;
            if sign > 1 {
                return Err(EtfError::BadValue("bignum sign"));
            }
            let digits = r.take(n)?;
            let mag = dashu_int::UBig::from_le_bytes(digits);
            let v = dashu_int::IBig::from(mag);
            mem.integer(&if sign == 1 { -v } else { v })
        }
        NEW_FLOAT_EXT => {
            let f = f64::from_bits(r.u64()?);
            if !f.is_finite() {
                return Err(EtfError::BadValue("float is not finite"));
            }
            mem.float(f)
        }
        FLOAT_EXT => {
            let b = r.take(31)?;
            let end = b.iter().position(|&c| c == 0).unwrap_or(31);
            let s = std::str::from_utf8(&b[..end]).map_err(|_| EtfError::BadValue("float"))?;
            let f: f64 = s.trim().parse().map_err(|_| EtfError::BadValue("float"))?;
            if !f.is_finite() {
                return Err(EtfError::BadValue("float is not finite"));
            }
            mem.float(f)
        }
        ATOM_EXT | SMALL_ATOM_EXT | ATOM_UTF8_EXT | SMALL_ATOM_UTF8_EXT => {
            Term::atom(read_atom(r, tag)?)
        }
        SMALL_TUPLE_EXT | LARGE_TUPLE_EXT => {
            let n = if tag == SMALL_TUPLE_EXT {
                r.u8()? as usize
            } else {
                r.u32()? as usize
            };
            let n = r.count(n, 1, owed)?;
            if n == 0 {
                mem.tuple(&[]).ok_or(EtfError::BadValue("tuple"))?
            } else {
                return Ok(Item::Open(Pending::Tuple(Vec::with_capacity(n), n)));
            }
        }
        NIL_EXT => Term::NIL,
        STRING_EXT => {
            let n = r.u16()? as usize;
            let b = r.take(n)?;
            let elems: Vec<Term> = b
                .iter()
                .map(|&c| Term::small(c as i64).unwrap_or(Term::NIL))
                .collect();
            mem.list(&elems, Term::NIL)
        }
        LIST_EXT => {
            let raw = r.u32()? as usize;
            let n = r.count(raw + 1, 1, owed)? - 1;
            return Ok(Item::Open(Pending::List(Vec::with_capacity(n + 1), n + 1)));
        }
        MAP_EXT => {
            let raw = r.u32()? as usize;
            let n = r.count(raw, 2, owed)?;
            if n == 0 {
                crate::map::new(mem)
            } else {
                return Ok(Item::Open(Pending::Map(Vec::with_capacity(2 * n), 2 * n)));
            }
        }
        BINARY_EXT => {
            let n = r.u32()? as usize;
            let b = r.take(n)?;
            mem.binary(b)
        }
        BIT_BINARY_EXT => {
            let n = r.u32()? as usize;
            let bits = r.u8()? as usize;
            let b = r.take(n)?;
            if n == 0 {
                if bits != 0 {
                    return Err(EtfError::BadValue("bitstring size"));
                }
                mem.binary(&[])
            } else {
                if !(1..=8).contains(&bits) {
                    return Err(EtfError::BadValue("bitstring size"));
                }
                let mut v = b.to_vec();
                if let Some(last) = v.last_mut() {
                    *last &= 0xFFu8 << (8 - bits);
                }
                let bin = mem.binary(&v);
                mem.sub_binary(bin, 0, (n - 1) * 8 + bits)
                    .ok_or(EtfError::BadValue("bitstring"))?
            }
        }
        NEW_PID_EXT | PID_EXT => {
            let node = r.atom()?;
            let id = r.u32()?;
            let serial = r.u32()?;
            let creation = if tag == NEW_PID_EXT {
                r.u32()?
            } else {
                r.u8()? as u32
            };
            let number = (id as u64) | ((serial as u64) << 32);
            match Term::local_pid(number).filter(|_| is_local_node(node, creation)) {
                Some(p) => p,
                None => mem.external_pid(node, creation, id, serial),
            }
        }
        NEW_PORT_EXT | PORT_EXT | V4_PORT_EXT => {
            let node = r.atom()?;
            let id = if tag == V4_PORT_EXT {
                r.u64()?
            } else {
                r.u32()? as u64
            };
            let creation = if tag == PORT_EXT {
                r.u8()? as u32
            } else {
                r.u32()?
            };
            match Term::local_port(id).filter(|_| is_local_node(node, creation)) {
                Some(p) => p,
                None => mem.external_port(node, creation, id),
            }
        }
        NEWER_REFERENCE_EXT | NEW_REFERENCE_EXT => {
            let len = r.u16()? as usize;
            if !(1..=5).contains(&len) {
                return Err(EtfError::BadValue("reference length"));
            }
            let node = r.atom()?;
            let creation = if tag == NEWER_REFERENCE_EXT {
                r.u32()?
            } else {
                r.u8()? as u32
            };
            let mut ids = Vec::with_capacity(len);
            for _ in 0..len {
                ids.push(r.u32()?);
            }
            if is_local_node(node, creation) && len <= 4 {
                let w = |i: usize| ids.get(i).copied().unwrap_or(0) as u64;
                mem.local_ref([w(0) | (w(1) << 32), w(2) | (w(3) << 32)])
            } else {
                mem.external_ref(node, creation, &ids)
                    .ok_or(EtfError::BadValue("reference"))?
            }
        }
        EXPORT_EXT => {
            let m = r.atom()?;
            let f = r.atom()?;
            let a = match r.u8()? {
                SMALL_INTEGER_EXT => r.u8()?,
                _ => return Err(EtfError::BadValue("export arity")),
            };
            mem.export_fun(m, f, a)
        }
        t => return Err(EtfError::BadTag(t)),
    };
    Ok(Item::Done(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size_field(bytes: &[u8], at: usize) -> usize {
        u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize
    }

    #[test]
    fn nested_fun_sizes_cover_their_free_variables() {
        use crate::fun::FunEntry;
        let module = Atom::intern("etf_fun_test").unwrap();
        let f = Atom::intern("-t/0-fun-0-").unwrap();
        let entry = |n| FunEntry::register(module, f, 0, n, 5);
        let mut m = ProcessMemory::new();
        let bare = m.closure(entry(0), &[]).unwrap();
        let bare = term_to_binary(bare, &*m);
        // Version byte, tag, then the size field covering the rest.
        assert_eq!(bare[1], NEW_FUN_EXT);
        assert_eq!(size_field(&bare, 2), bare.len() - 2);
        let head = bare.len() - 1;

        let inner = m.closure(entry(1), &[Term::small(7).unwrap()]).unwrap();
        let outer = m
            .closure(entry(2), &[inner, Term::small(300).unwrap()])
            .unwrap();
        let b = term_to_binary(outer, &*m);
        assert_eq!(b.len(), 1 + head + head + 2 + 5);
        assert_eq!(size_field(&b, 2), b.len() - 2);
        // The inner fun starts right after the outer fun's fixed part and
        // its size stops before the outer fun's second free variable.
        assert_eq!(b[1 + head], NEW_FUN_EXT);
        assert_eq!(size_field(&b, 2 + head), head - 1 + 2);
        assert_eq!(
            &b[b.len() - 7..],
            &[SMALL_INTEGER_EXT, 7, INTEGER_EXT, 0, 0, 1, 44]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut m = ProcessMemory::new();
        let mut seed: u64 = 0x1234_5678;
        for len in 0..2000usize {
            let mut v = vec![VERSION];
            for _ in 0..(len % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                v.push(seed as u8);
            }
            let _ = binary_to_term(&mut m, &v);
        }
        assert_eq!(binary_to_term(&mut m, &[]), Err(EtfError::Truncated));
        assert_eq!(
            binary_to_term(&mut m, &[130, 97, 1]),
            Err(EtfError::BadVersion)
        );
        assert_eq!(
            binary_to_term(&mut m, &[131, 108, 255, 255, 255, 255]),
            Err(EtfError::Truncated)
        );
    }
}
