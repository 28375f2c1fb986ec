//! Fun entries: the static description of each `fun` expression in loaded
//! code, which closure objects on the heap point at.
//!
//! Entries are registered when a module is loaded and never freed, so a
//! closure's pointer to its entry stays valid wherever the closure is copied.
//! The code address is atomic so that a reloaded module can redirect it.

use crate::atom::Atom;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One `fun` expression of a module: what a closure calls and how BEAM
/// would name it (`#Fun<m.index.uniq>`, the external term format).
/// `repr(C)`: compiled code reads `arity` and `code` at fixed offsets.
#[derive(Debug)]
#[repr(C)]
pub struct FunEntry {
    pub module: Atom,
    /// The name of the function the fun was lifted into (`-f/1-fun-0-`).
    pub function: Atom,
    /// Arguments the fun takes (not counting the environment).
    pub arity: u32,
    /// Free variables captured in the environment.
    pub num_free: u32,
    pub index: u32,
    pub old_uniq: u32,
    pub uniq: [u8; 16],
    code: AtomicUsize,
}

impl FunEntry {
    /// Registers an entry for the life of the runtime.
    pub fn register(
        module: Atom,
        function: Atom,
        arity: u32,
        num_free: u32,
        index: u32,
    ) -> &'static FunEntry {
        Box::leak(Box::new(FunEntry {
            module,
            function,
            arity,
            num_free,
            index,
            old_uniq: 0,
            uniq: [0; 16],
            code: AtomicUsize::new(0),
        }))
    }

    /// The native code address, 0 until the module's code is installed.
    /// Byte offset of the code address in the entry.
    pub const CODE_OFFSET: usize = std::mem::offset_of!(FunEntry, code);

    pub fn code(&self) -> usize {
        self.code.load(Ordering::Acquire)
    }

    pub fn set_code(&self, address: usize) {
        self.code.store(address, Ordering::Release);
    }
}
