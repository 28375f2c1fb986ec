//! The `os` BIFs for the environment: `getenv/0,1`, `putenv/2`,
//! `unsetenv/1`. Names and values are strings of characters, decoded from
//! UTF-8 (bytes that are not UTF-8 read as Latin-1), as BEAM does with its
//! default `+fnu` file-name encoding.

use super::{BifResult, Exception, char_list, list_elements};
use crate::atom;
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// Environment changes go through this lock: `std::env::set_var` is not
/// safe while another thread reads the environment.
static ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A name or value argument: a flat string of characters, encoded in
/// UTF-8. `None` for anything else, or a string holding NUL.
fn string_arg(p: &ProcessMemory, t: Term) -> Option<OsString> {
    let mut s = String::new();
    for c in list_elements(p, t)? {
        let c = char::from_u32(u32::try_from(c.small_value()?).ok()?)?;
        if c == '\0' {
            return None;
        }
        s.push(c);
    }
    Some(OsString::from(s))
}

/// Characters of a name or value read from the environment.
fn decode(bytes: &[u8]) -> Vec<u32> {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().map(u32::from).collect(),
        Err(_) => bytes.iter().map(|&b| u32::from(b)).collect(),
    }
}

/// `os:getenv(Name)`: the value, or `false` if `Name` is not set.
pub(super) fn getenv_1(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let name = string_arg(p, args[0]).ok_or_else(Exception::badarg)?;
    let value = {
        let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
        std::env::var_os(&name)
    };
    match value {
        Some(v) => Ok(char_list(p, decode(v.as_bytes()).into_iter())),
        None => Ok(Term::atom(atom::FALSE)),
    }
}

/// `os:getenv()`: every variable as `"NAME=VALUE"`.
pub(super) fn getenv_0(p: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let vars: Vec<(OsString, OsString)> = {
        let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
        std::env::vars_os().collect()
    };
    let mut list = Term::NIL;
    for (k, v) in vars.iter().rev() {
        let mut bytes = k.as_bytes().to_vec();
        bytes.push(b'=');
        bytes.extend_from_slice(v.as_bytes());
        let s = char_list(p, decode(&bytes).into_iter());
        list = p.cons(s, list);
    }
    Ok(list)
}

/// `os:putenv(Name, Value) -> true`.
pub(super) fn putenv_2(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let name = string_arg(p, args[0]).ok_or_else(Exception::badarg)?;
    let value = string_arg(p, args[1]).ok_or_else(Exception::badarg)?;
    if name.is_empty() || name.as_bytes().contains(&b'=') {
        return Err(Exception::badarg());
    }
    let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: every read and write of the environment by the runtime holds
    // `ENV`, and compiled code reaches the environment only through it.
    unsafe { std::env::set_var(OsStr::from_bytes(name.as_bytes()), value) };
    Ok(Term::atom(atom::TRUE))
}

/// `os:unsetenv(Name) -> true`.
pub(super) fn unsetenv_1(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let name = string_arg(p, args[0]).ok_or_else(Exception::badarg)?;
    if name.is_empty() || name.as_bytes().contains(&b'=') {
        return Err(Exception::badarg());
    }
    let _guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: as in `putenv_2`.
    unsafe { std::env::remove_var(&name) };
    Ok(Term::atom(atom::TRUE))
}
