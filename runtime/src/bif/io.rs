//! The I/O primitive under Coral's I/O server (`stdlib/src/coral_io_server.erl`):
//! `coral_io:put_chars/4` converts characters to a device's encoding and
//! writes them to standard output or standard error.

use super::{BifResult, Exception};
use crate::atom;
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::io::Write;

/// An encoding of characters: of the data given, or of a device.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Encoding {
    Latin1,
    Unicode,
}

fn encoding_arg(t: Term) -> Result<Encoding, Exception> {
    match t.atom_value() {
        Some(atom::LATIN1) => Ok(Encoding::Latin1),
        Some(atom::UNICODE) | Some(atom::UTF8) => Ok(Encoding::Unicode),
        _ => Err(Exception::badarg()),
    }
}

/// `coral_io:put_chars(Fd, Chars, InEncoding, DeviceEncoding) -> ok | error`.
///
/// Writes the character data `Chars` (in `InEncoding`: `latin1` or
/// `unicode`) to file descriptor `Fd` (1, standard output, or 2, standard
/// error) as a device in `DeviceEncoding` shows them: UTF-8 for `unicode`;
/// bytes for `latin1`, where a character above 255 is written as
/// `\x{HEX}`, as OTP's `user` server does when standard output is not a
/// terminal. A binary in the device's own encoding is written as it is.
/// Returns `error`, writing nothing, when `Chars` is not character data in
/// `InEncoding`; raises `badarg` for a bad descriptor or encoding. Standard
/// output is written through the same handle as `erlang:display/1`, and
/// flushed, so their output stays in order.
pub(super) fn put_chars(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let fd = args[0].small_value().ok_or_else(Exception::badarg)?;
    let input = encoding_arg(args[2])?;
    let device = encoding_arg(args[3])?;
    if fd != 1 && fd != 2 {
        return Err(Exception::badarg());
    }
    let bytes = match device_bytes(p, args[1], input, device) {
        Some(b) => b,
        None => return Ok(Term::atom(atom::ERROR)),
    };
    // A closed descriptor is not the program's error: BEAM ignores it too.
    let _ = if fd == 1 {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).and_then(|_| out.flush())
    } else {
        let mut err = std::io::stderr().lock();
        err.write_all(&bytes).and_then(|_| err.flush())
    };
    Ok(Term::atom(atom::OK))
}

/// The bytes a device in `device` encoding shows for the characters
/// `chars`, or `None` if `chars` is not character data in `input`.
fn device_bytes(
    p: &ProcessMemory,
    chars: Term,
    input: Encoding,
    device: Encoding,
) -> Option<Vec<u8>> {
    if input == device
        && let Some(v) = chars.bits(p)
    {
        if !v.bit_size.is_multiple_of(8) {
            return None;
        }
        return Some(match v.as_bytes() {
            Some(b) => b.to_vec(),
            None => v.to_bit_vec().0,
        });
    }
    let mut out = Vec::new();
    let mut put = |c: u32| match device {
        Encoding::Unicode => {
            // Every character given passed `char::from_u32`.
            if let Some(ch) = char::from_u32(c) {
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
        }
        Encoding::Latin1 => match u8::try_from(c) {
            Ok(b) => out.push(b),
            Err(_) => out.extend_from_slice(format!("\\x{{{c:X}}}").as_bytes()),
        },
    };
    walk_chars(p, chars, input, &mut put)?;
    Some(out)
}

/// Calls `put` with each character of the character data `root` (nested
/// lists of characters and binaries, a binary tail allowed) in encoding
/// `input`; `None` if `root` is not such data. Binaries are UTF-8 in
/// `unicode`, bytes in `latin1`; characters are code points (not
/// surrogates) in `unicode`, bytes in `latin1`.
fn walk_chars(
    p: &ProcessMemory,
    root: Term,
    input: Encoding,
    put: &mut impl FnMut(u32),
) -> Option<()> {
    let char_ok = |c: i64| -> Option<u32> {
        let c = u32::try_from(c).ok()?;
        match input {
            Encoding::Latin1 => (c <= 255).then_some(c),
            Encoding::Unicode => char::from_u32(c).map(|_| c),
        }
    };
    let binary = |t: Term, put: &mut dyn FnMut(u32)| -> Option<()> {
        let v = t.bits(p)?;
        if !v.bit_size.is_multiple_of(8) {
            return None;
        }
        let owned;
        let bytes = match v.as_bytes() {
            Some(b) => b,
            None => {
                owned = v.to_bit_vec().0;
                &owned[..]
            }
        };
        match input {
            Encoding::Latin1 => bytes.iter().for_each(|&b| put(u32::from(b))),
            Encoding::Unicode => std::str::from_utf8(bytes)
                .ok()?
                .chars()
                .for_each(|c| put(u32::from(c))),
        }
        Some(())
    };
    let mut pending: Vec<Term> = Vec::new();
    let mut t = root;
    loop {
        if let Some((h, tl)) = t.cons_parts(p) {
            if let Some(c) = h.small_value() {
                put(char_ok(c)?);
            } else if h.cons_parts(p).is_some() || h.is_nil() {
                pending.push(tl);
                t = h;
                continue;
            } else {
                binary(h, put)?;
            }
            t = tl;
            continue;
        }
        if !t.is_nil() {
            binary(t, put)?;
        }
        match pending.pop() {
            Some(next) => t = next,
            None => return Some(()),
        }
    }
}

/// `net_kernel:dflag_unicode_io(Pid)`: whether the node of `Pid` takes
/// I/O requests with encodings, which `io` asks before each request. Every
/// process is local, and the local node does.
pub(super) fn dflag_unicode_io(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    if super::types::is_pid(p, args)? == Term::atom(atom::TRUE) {
        Ok(Term::atom(atom::TRUE))
    } else {
        Err(Exception::badarg())
    }
}
