//! The name registry: `register/2`, `unregister/1`, `whereis/1`,
//! `registered/0`, and sends to registered names.
//!
//! Names change rarely and are read on every send to a name, so the map sits
//! behind a reader-writer lock. A process's own name is also kept in its
//! shared record (`process_info(P, registered_name)`), and an exiting
//! process removes its name here after closing its inbox; `register` checks
//! that the target's inbox is still open while holding the write lock, so a
//! name can never be left pointing at a dead process.

use crate::atom::Atom;
use std::collections::HashMap;
use std::sync::RwLock;

#[derive(Default)]
pub struct Registry {
    names: RwLock<HashMap<Atom, u64>>,
}

/// Why `register/2` fails (BEAM raises `badarg` for all of them).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RegisterError {
    /// The name is `undefined`.
    Undefined,
    NameTaken,
    /// The process already has a name.
    AlreadyNamed,
    /// The process is not alive.
    NotAlive,
}

impl Registry {
    pub fn whereis(&self, name: Atom) -> Option<u64> {
        self.names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&name)
            .copied()
    }

    /// Registers `pid` under `name` if `claim` (run under the write lock,
    /// so it sees no concurrent exit) lets the process take it.
    pub(crate) fn register(
        &self,
        name: Atom,
        pid: u64,
        claim: impl FnOnce() -> Result<(), RegisterError>,
    ) -> Result<(), RegisterError> {
        if name == crate::atom::UNDEFINED {
            return Err(RegisterError::Undefined);
        }
        let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
        if names.contains_key(&name) {
            return Err(RegisterError::NameTaken);
        }
        claim()?;
        names.insert(name, pid);
        Ok(())
    }

    /// Removes `name`, returning the pid it named.
    pub(crate) fn unregister(&self, name: Atom) -> Option<u64> {
        self.names
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&name)
    }

    /// Removes `name` only if it still names `pid`.
    pub(crate) fn unregister_if(&self, name: Atom, pid: u64) {
        let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
        if names.get(&name) == Some(&pid) {
            names.remove(&name);
        }
    }

    /// Every registered name (`registered/0`), in no particular order.
    pub fn registered(&self) -> Vec<Atom> {
        self.names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect()
    }
}
