//! `erlang` BIFs over whole terms and bytes: `term_to_binary/1` and
//! `binary_to_term/1` (the external term format, `etf.rs`), `phash2/1,2`
//! (`phash.rs`), and the checksums `crc32/1,2`, `adler32/1,2` and `md5`.

use super::{BifResult, Exception};
use crate::etf;
use crate::heap::ProcessMemory;
use crate::term::Term;

/// `erlang:term_to_binary(Term)`.
pub(super) fn term_to_binary(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = etf::term_to_binary(a[0], &*p);
    Ok(p.binary(&bytes))
}

/// `erlang:term_to_binary(Term, Options)`: `compressed`, `{compressed,
/// Level}`, `{minor_version, 0..2}`, `deterministic` and `local` (which
/// change nothing here: maps are written in one order, and there is one
/// node).
pub(super) fn term_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let mut opts = etf::EncodeOptions::default();
    let opt_list = super::list_elements(p, a[1]).ok_or_else(Exception::badarg)?;
    for o in opt_list {
        let name = |t: Term| t.atom_value().and_then(crate::atom::Atom::text);
        match (name(o), o.tuple_elements(p)) {
            (Some("compressed"), _) => opts.compressed = Some(6),
            (Some("deterministic" | "local"), _) => {}
            (_, Some(&[k, v])) if name(k) == Some("compressed") => {
                let l = v.small_value().filter(|l| (0..=9).contains(l));
                opts.compressed = Some(l.ok_or_else(Exception::badarg)? as u8);
            }
            (_, Some(&[k, v])) if name(k) == Some("minor_version") => {
                let l = v.small_value().filter(|l| (0..=2).contains(l));
                opts.minor_version = l.ok_or_else(Exception::badarg)? as u8;
            }
            _ => return Err(Exception::badarg()),
        }
    }
    let bytes = etf::term_to_binary_with(a[0], &*p, opts);
    Ok(p.binary(&bytes))
}

/// `erlang:external_size(Term)`: the size `term_to_binary/1` would have.
pub(super) fn external_size_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = etf::term_to_binary(a[0], &*p).len();
    Ok(p.int(n as i64))
}

/// `erlang:binary_to_term(Binary)`: `badarg` for anything but a whole
/// external term.
pub(super) fn binary_to_term(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = super::binary_bytes(p, a[0]).ok_or_else(Exception::badarg)?;
    etf::binary_to_term(p, &bytes).map_err(|_| Exception::badarg())
}

/// `erlang:phash2(Term)`: BEAM's portable hash, in `0..2^27`.
pub(super) fn phash2_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let h = crate::phash::phash2(a[0], &*p);
    Ok(p.int(i64::from(h)))
}

/// `erlang:phash2(Term, Range)`: in `0..Range`, for `Range` in `1..=2^32`.
pub(super) fn phash2_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let range = a[1]
        .small_value()
        .and_then(|r| u64::try_from(r).ok())
        .filter(|r| (1..=1 << 32).contains(r))
        .ok_or_else(Exception::badarg)?;
    let h = crate::phash::phash2_range(a[0], range, &*p).ok_or_else(Exception::badarg)?;
    Ok(p.int(i64::from(h)))
}

/// `erlang:phash(Term, Range)`: BEAM's older portable hash, in
/// `1..=Range` (what `sets` and `dict` place their elements with).
pub(super) fn phash_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let range = a[1]
        .small_value()
        .and_then(|r| u64::try_from(r).ok())
        .filter(|r| (1..=1 << 32).contains(r))
        .ok_or_else(Exception::badarg)?;
    let h = crate::phash::phash_range(a[0], range, &*p).ok_or_else(Exception::badarg)?;
    Ok(p.int(i64::from(h)))
}

/// The CRC-32 of zlib (polynomial 0xEDB88320, reflected) continued from
/// `crc` over `bytes`.
fn crc32_update(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// `erlang:crc32(Data)`: the CRC-32 of an iolist.
pub(super) fn crc32_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = super::binaries::iolist_bytes(p, a[0])?;
    Ok(p.int(i64::from(crc32_update(0, &bytes))))
}

/// `erlang:crc32(OldCrc, Data)`: `OldCrc` continued over `Data`.
pub(super) fn crc32_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let old = a[0]
        .small_value()
        .and_then(|c| u32::try_from(c).ok())
        .ok_or_else(Exception::badarg)?;
    let bytes = super::binaries::iolist_bytes(p, a[1])?;
    Ok(p.int(i64::from(crc32_update(old, &bytes))))
}

/// The Adler-32 of zlib continued from `adler` over `bytes`.
fn adler32_update(adler: u32, bytes: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (adler & 0xFFFF, adler >> 16);
    for chunk in bytes.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// `erlang:adler32(Data)`.
pub(super) fn adler32_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = super::binaries::iolist_bytes(p, a[0])?;
    Ok(p.int(i64::from(adler32_update(1, &bytes))))
}

/// `erlang:adler32(OldAdler, Data)`.
pub(super) fn adler32_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let old = a[0]
        .small_value()
        .and_then(|c| u32::try_from(c).ok())
        .ok_or_else(Exception::badarg)?;
    let bytes = super::binaries::iolist_bytes(p, a[1])?;
    Ok(p.int(i64::from(adler32_update(old, &bytes))))
}

/// MD5 (RFC 1321) as a running context laid out as BEAM's: the state
/// words, the bit count (low, high) and the 64-byte block buffer, all
/// little-endian: 88 bytes, which `md5_init/0` returns and `md5_update/2`
/// and `md5_final/1` take.
struct Md5 {
    state: [u32; 4],
    count: [u32; 2],
    buffer: [u8; 64],
}

const MD5_CONTEXT_BYTES: usize = 88;

impl Md5 {
    fn new() -> Md5 {
        Md5 {
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            count: [0, 0],
            buffer: [0; 64],
        }
    }

    fn from_bytes(b: &[u8]) -> Option<Md5> {
        if b.len() != MD5_CONTEXT_BYTES {
            return None;
        }
        let w = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut buffer = [0; 64];
        buffer.copy_from_slice(&b[24..88]);
        Some(Md5 {
            state: [w(0), w(4), w(8), w(12)],
            count: [w(16), w(20)],
            buffer,
        })
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MD5_CONTEXT_BYTES);
        for w in self.state.iter().chain(&self.count) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&self.buffer);
        out
    }

    fn transform(state: &mut [u32; 4], block: &[u8]) {
        const S: [u32; 64] = [
            7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20,
            5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
        ];
        let m: Vec<u32> = block
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = *state;
        for i in 0..64 {
            // K[i] = floor(2^32 * |sin(i + 1)|).
            let k = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        state[0] = state[0].wrapping_add(a);
        state[1] = state[1].wrapping_add(b);
        state[2] = state[2].wrapping_add(c);
        state[3] = state[3].wrapping_add(d);
    }

    fn update(&mut self, input: &[u8]) {
        let index = ((self.count[0] >> 3) & 0x3f) as usize;
        let bits = (input.len() as u64).wrapping_mul(8);
        let (low, carry) = self.count[0].overflowing_add(bits as u32);
        self.count[0] = low;
        self.count[1] = self.count[1]
            .wrapping_add((bits >> 32) as u32)
            .wrapping_add(carry as u32);
        let part = 64 - index;
        if input.len() >= part {
            self.buffer[index..].copy_from_slice(&input[..part]);
            let block = self.buffer;
            Md5::transform(&mut self.state, &block);
            let mut i = part;
            while i + 64 <= input.len() {
                Md5::transform(&mut self.state, &input[i..i + 64]);
                i += 64;
            }
            self.buffer[..input.len() - i].copy_from_slice(&input[i..]);
        } else {
            self.buffer[index..index + input.len()].copy_from_slice(input);
        }
    }

    fn finish(mut self) -> [u8; 16] {
        let mut bits = [0u8; 8];
        bits[..4].copy_from_slice(&self.count[0].to_le_bytes());
        bits[4..].copy_from_slice(&self.count[1].to_le_bytes());
        let index = ((self.count[0] >> 3) & 0x3f) as usize;
        let pad = if index < 56 { 56 - index } else { 120 - index };
        let mut padding = vec![0u8; pad];
        padding[0] = 0x80;
        self.update(&padding);
        self.update(&bits);
        let mut out = [0; 16];
        for (i, w) in self.state.iter().enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// The MD5 digest of `data`.
fn md5(data: &[u8]) -> [u8; 16] {
    let mut m = Md5::new();
    m.update(data);
    m.finish()
}

/// `erlang:md5(Data)`.
pub(super) fn md5_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let bytes = super::binaries::iolist_bytes(p, a[0])?;
    Ok(p.binary(&md5(&bytes)))
}

/// `erlang:md5_init()`: a context for `md5_update/2` and `md5_final/1`.
pub(super) fn md5_init(p: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(p.binary(&Md5::new().to_bytes()))
}

/// `erlang:md5_update(Context, Data)`.
pub(super) fn md5_update(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let ctx = super::binary_bytes(p, a[0]).ok_or_else(Exception::badarg)?;
    let mut m = Md5::from_bytes(&ctx).ok_or_else(Exception::badarg)?;
    m.update(&super::binaries::iolist_bytes(p, a[1])?);
    Ok(p.binary(&m.to_bytes()))
}

/// `erlang:md5_final(Context)`.
pub(super) fn md5_final(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let ctx = super::binary_bytes(p, a[0]).ok_or_else(Exception::badarg)?;
    let m = Md5::from_bytes(&ctx).ok_or_else(Exception::badarg)?;
    Ok(p.binary(&m.finish()))
}
