//! `persistent_term`: terms stored for the whole node, read by any process.
//!
//! BEAM keeps them in a literal area every process can read without
//! copying. Coral keeps each key and value in the external term format and
//! decodes the value onto the reader's heap: the same values, paid for by
//! a copy on each read (fine for what OTP's own modules keep there, such
//! as `erl_features`' settings).

use super::{BifResult, Exception};
use crate::atom;
use crate::etf;
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::sync::Mutex;

/// Every stored key and value, encoded, in the order first put.
static STORE: Mutex<Vec<(Vec<u8>, Vec<u8>)>> = Mutex::new(Vec::new());

fn store() -> std::sync::MutexGuard<'static, Vec<(Vec<u8>, Vec<u8>)>> {
    // A panic while holding the lock leaves the store consistent (every
    // change is one push, assignment or removal), so poisoning is ignored.
    STORE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The value stored under the key `key` (encoded), decoded onto `p`.
fn lookup(p: &mut ProcessMemory, key: &[u8]) -> Result<Option<Term>, Exception> {
    let value = store()
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone());
    match value {
        Some(v) => etf::binary_to_term(p, &v)
            .map(Some)
            .map_err(|_| Exception::system_limit()),
        None => Ok(None),
    }
}

/// `persistent_term:get(Key)`: `badarg` if nothing is stored under it.
pub(super) fn get_1(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let key = etf::term_to_binary(args[0], &*p);
    lookup(p, &key)?.ok_or_else(Exception::badarg)
}

/// `persistent_term:get(Key, Default)`.
pub(super) fn get_2(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let key = etf::term_to_binary(args[0], &*p);
    Ok(lookup(p, &key)?.unwrap_or(args[1]))
}

/// `persistent_term:get()`: every `{Key, Value}`.
pub(super) fn get_0(p: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let all = store().clone();
    let mut list = Term::NIL;
    for (k, v) in all.iter().rev() {
        let k = etf::binary_to_term(p, k).map_err(|_| Exception::system_limit())?;
        let v = etf::binary_to_term(p, v).map_err(|_| Exception::system_limit())?;
        let pair = p.tuple(&[k, v]).ok_or_else(Exception::system_limit)?;
        list = p.cons(pair, list);
    }
    Ok(list)
}

/// `persistent_term:put(Key, Value) -> ok`.
pub(super) fn put_2(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let key = etf::term_to_binary(args[0], &*p);
    let value = etf::term_to_binary(args[1], &*p);
    let mut s = store();
    match s.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => s.push((key, value)),
    }
    Ok(Term::atom(atom::OK))
}

/// `persistent_term:erase(Key)`: whether something was stored under it.
pub(super) fn erase_1(p: &mut ProcessMemory, args: &[Term]) -> BifResult {
    let key = etf::term_to_binary(args[0], &*p);
    let mut s = store();
    let before = s.len();
    s.retain(|(k, _)| *k != key);
    let erased = s.len() != before;
    Ok(Term::atom(if erased { atom::TRUE } else { atom::FALSE }))
}
