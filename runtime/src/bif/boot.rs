//! What `init` and `code` answer in a Coral program: there is no boot
//! script, no command-line flags for the runtime, and no code to load,
//! because every module was compiled into the program before it started.
//! These are Erlang functions in OTP (asking the `init` process or the code
//! server); Coral has neither process, so the runtime answers directly.

use super::BifResult;
use crate::atom;
use crate::heap::ProcessMemory;
use crate::term::Term;

/// `init:get_arguments()`: the emulator flags (`-flag Value...`), none.
pub(super) fn get_arguments(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(Term::NIL)
}

/// `init:get_argument(Flag)`: `error`, as for a flag not given.
pub(super) fn get_argument(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(Term::atom(atom::ERROR))
}

/// `code:ensure_modules_loaded(Modules)`: `ok`, all are loaded already.
/// (OTP calls it to tell a failing call from a missing module.)
pub(super) fn ensure_modules_loaded(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(Term::atom(atom::OK))
}
