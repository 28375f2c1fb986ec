//! Conversions between atoms and lists or binaries.
//!
//! Atom names are Unicode (at most 255 code points). BEAM facts (OTP 25):
//! `list_to_atom` walks its list in order, so a list with more than 255
//! valid characters is `system_limit` even when a bad element follows them;
//! surrogates and code points above `16#10FFFF` are `badarg`;
//! `atom_to_binary(A, latin1)` is `badarg` for names with a character above
//! 255; `binary_to_atom` takes only whole binaries and, in `utf8`, only
//! valid UTF-8.

use super::{BifResult, Exception, binary_bytes, char_list, latin1_encoding};
use crate::atom::{Atom, AtomError, MAX_ATOM_CHARACTERS};
use crate::heap::ProcessMemory;
use crate::term::Term;

fn atom_arg(t: Term) -> Result<Atom, Exception> {
    t.atom_value().ok_or_else(Exception::badarg)
}

fn atom_text(a: Atom) -> Result<&'static str, Exception> {
    a.text().ok_or_else(Exception::badarg)
}

fn intern(text: &str) -> BifResult {
    match Atom::intern(text) {
        Ok(a) => Ok(Term::atom(a)),
        Err(AtomError::TooLong) | Err(AtomError::TableFull) => Err(Exception::system_limit()),
    }
}

/// The name an atom list spells: its characters in order; `system_limit`
/// once a 256th character is reached, `badarg` for a bad element or tail.
fn atom_name_from_list(p: &ProcessMemory, list: Term) -> Result<String, Exception> {
    let mut s = String::new();
    let mut n = 0usize;
    let mut t = list;
    while let Some((h, tl)) = t.cons_parts(p) {
        let c = h
            .small_value()
            .and_then(|v| u32::try_from(v).ok())
            .and_then(char::from_u32)
            .ok_or_else(Exception::badarg)?;
        n += 1;
        if n > MAX_ATOM_CHARACTERS {
            return Err(Exception::system_limit());
        }
        s.push(c);
        t = tl;
    }
    if !t.is_nil() {
        return Err(Exception::badarg());
    }
    Ok(s)
}

/// The name a binary spells in the given encoding.
fn atom_name_from_binary(p: &ProcessMemory, bin: Term, latin1: bool) -> Result<String, Exception> {
    let bytes = binary_bytes(p, bin).ok_or_else(Exception::badarg)?;
    if latin1 {
        if bytes.len() > MAX_ATOM_CHARACTERS {
            return Err(Exception::system_limit());
        }
        return Ok(bytes.iter().map(|&b| b as char).collect());
    }
    // Decoded in order, as erts does: too many characters before a bad
    // sequence is `system_limit`, a bad sequence within the limit `badarg`.
    let (valid, bad) = match std::str::from_utf8(&bytes) {
        Ok(s) => (s, false),
        Err(e) => (
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
            true,
        ),
    };
    if valid.chars().count() > MAX_ATOM_CHARACTERS {
        return Err(Exception::system_limit());
    }
    if bad {
        return Err(Exception::badarg());
    }
    Ok(valid.to_string())
}

pub fn atom_to_list(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let text = atom_text(atom_arg(a[0])?)?;
    let chars: Vec<u32> = text.chars().map(|c| c as u32).collect();
    Ok(char_list(p, chars.into_iter()))
}

pub fn list_to_atom(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = atom_name_from_list(p, a[0])?;
    intern(&name)
}

/// No atom has more than 255 characters, so a longer name is `badarg`
/// here, not `system_limit`.
pub fn list_to_existing_atom(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = atom_name_from_list(p, a[0]).map_err(|_| Exception::badarg())?;
    Atom::existing(&name)
        .map(Term::atom)
        .ok_or_else(Exception::badarg)
}

fn atom_to_binary(p: &mut ProcessMemory, atom: Term, latin1: bool) -> BifResult {
    let text = atom_text(atom_arg(atom)?)?;
    if latin1 {
        let bytes: Option<Vec<u8>> = text.chars().map(|c| u8::try_from(c as u32).ok()).collect();
        let bytes = bytes.ok_or_else(Exception::badarg)?;
        Ok(p.binary(&bytes))
    } else {
        Ok(p.binary(text.as_bytes()))
    }
}

pub fn atom_to_binary_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    atom_to_binary(p, a[0], false)
}

pub fn atom_to_binary_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let latin1 = latin1_encoding(a[1])?;
    atom_to_binary(p, a[0], latin1)
}

pub fn binary_to_atom_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = atom_name_from_binary(p, a[0], false)?;
    intern(&name)
}

pub fn binary_to_atom_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let latin1 = latin1_encoding(a[1])?;
    let name = atom_name_from_binary(p, a[0], latin1)?;
    intern(&name)
}

fn existing(name: &str) -> BifResult {
    Atom::existing(name)
        .map(Term::atom)
        .ok_or_else(Exception::badarg)
}

pub fn binary_to_existing_atom_1(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let name = atom_name_from_binary(p, a[0], false).map_err(|_| Exception::badarg())?;
    existing(&name)
}

pub fn binary_to_existing_atom_2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let latin1 = latin1_encoding(a[1])?;
    let name = atom_name_from_binary(p, a[0], latin1).map_err(|_| Exception::badarg())?;
    existing(&name)
}
