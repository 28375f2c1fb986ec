//! The atom table: one per runtime, shared by every scheduler thread.
//!
//! An atom term carries its index into this table. Atoms are never freed (as
//! in BEAM), which is what lets readers go without a lock: the texts live in an
//! append-only chunked array whose chunks never move, and a name-to-index hash
//! index is read through an atomic pointer. Writers (new atoms) take a mutex;
//! when the index fills up they publish a bigger one and keep the old one alive
//! for readers still probing it.
//!
//! The atoms the runtime itself needs are interned first, in a fixed order, so
//! their indices are constants (`atom::TRUE`, `atom::BADARG`, ...).

use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// An atom: an index into the global atom table.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct Atom(u32);

/// Why an atom could not be made.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AtomError {
    /// More than [`MAX_ATOM_CHARACTERS`] characters (BEAM raises
    /// `system_limit`).
    TooLong,
    /// The table holds [`MAX_ATOMS`] atoms already (BEAM aborts the node).
    TableFull,
}

/// The longest atom, in characters (Unicode code points), as in BEAM.
pub const MAX_ATOM_CHARACTERS: usize = 255;
/// BEAM's default atom table limit (`+t`).
pub const MAX_ATOMS: u32 = 1_048_576;

impl Atom {
    /// How many atoms exist (`erlang:system_info(atom_count)`).
    pub fn count() -> usize {
        table().count.load(Ordering::Acquire) as usize
    }

    pub const fn from_index(index: u32) -> Atom {
        Atom(index)
    }

    pub const fn index(self) -> u32 {
        self.0
    }

    /// The atom named `text`, created if needed.
    pub fn intern(text: &str) -> Result<Atom, AtomError> {
        table().intern(text)
    }

    /// The atom whose name is these Latin-1 bytes (each byte one character).
    pub fn intern_latin1(bytes: &[u8]) -> Result<Atom, AtomError> {
        let text: String = bytes.iter().map(|&b| b as char).collect();
        table().intern(&text)
    }

    /// The atom named `text` if it exists (`list_to_existing_atom`).
    pub fn existing(text: &str) -> Option<Atom> {
        table().lookup(text)
    }

    /// The atom's name; `None` only for an index no atom has.
    pub fn text(self) -> Option<&'static str> {
        table().text(self.0)
    }
}

impl std::fmt::Debug for Atom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.text() {
            Some(t) => write!(f, "'{t}'"),
            None => write!(f, "#atom{}", self.0),
        }
    }
}

macro_rules! predefined_atoms {
    ($($name:ident = $text:literal,)*) => {
        /// The texts of the predefined atoms, in index order.
        const PREDEFINED: &[&str] = &[$($text,)*];
        predefined_atoms!(@consts 0u32, $($name,)*);
    };
    (@consts $i:expr, $name:ident, $($rest:ident,)*) => {
        #[doc = concat!("A predefined atom with a fixed index.")]
        pub const $name: Atom = Atom($i);
        predefined_atoms!(@consts $i + 1, $($rest,)*);
    };
    (@consts $i:expr,) => {};
}

predefined_atoms! {
    FALSE = "false",
    TRUE = "true",
    UNDEFINED = "undefined",
    OK = "ok",
    ERROR = "error",
    EXIT = "exit",
    THROW = "throw",
    NOCATCH = "nocatch",
    BADARG = "badarg",
    BADARITH = "badarith",
    BADMATCH = "badmatch",
    FUNCTION_CLAUSE = "function_clause",
    CASE_CLAUSE = "case_clause",
    IF_CLAUSE = "if_clause",
    TRY_CLAUSE = "try_clause",
    UNDEF = "undef",
    BADFUN = "badfun",
    BADARITY = "badarity",
    BADMAP = "badmap",
    BADKEY = "badkey",
    BADRECORD = "badrecord",
    SYSTEM_LIMIT = "system_limit",
    NOPROC = "noproc",
    NOCONNECTION = "noconnection",
    NORMAL = "normal",
    KILL = "kill",
    KILLED = "killed",
    EXIT_UPPER = "EXIT",
    DOWN = "DOWN",
    TIMEOUT = "timeout",
    INFINITY = "infinity",
    NONODE = "nonode@nohost",
    EMPTY = "",
    ERLANG = "erlang",
    APPLY = "apply",
    CALL = "call",
    PROCESS = "process",
    PORT = "port",
    PORT_CLOSED = "port_closed",
    TRAP_EXIT = "trap_exit",
    FILE = "file",
    LINE = "line",
    ERROR_INFO = "error_info",
    MODULE = "module",
    MODULE_INFO = "module_info",
    LITERAL = "literal",
    NIL = "nil",
    ALL = "all",
    INTEGER = "integer",
    FLOAT = "float",
    BINARY = "binary",
    LATIN1 = "latin1",
    UTF8 = "utf8",
    UNICODE = "unicode",
    LITTLE = "little",
    BIG = "big",
    SIGNED = "signed",
    UNSIGNED = "unsigned",
    NATIVE = "native",
}

/// Number of predefined atoms.
pub fn predefined_count() -> usize {
    PREDEFINED.len()
}

struct Entry {
    text: Box<str>,
}

/// The first chunk holds this many entries; chunk `k` holds `FIRST_CHUNK << k`.
const FIRST_CHUNK: usize = 1024;
const CHUNKS: usize = 12; // 1024 * (2^12 - 1) > MAX_ATOMS

/// Open-addressing index from names to `index + 1` (0 marks a free slot).
struct HashIndex {
    mask: usize,
    slots: Box<[AtomicU32]>,
}

impl HashIndex {
    fn with_capacity(slots: usize) -> HashIndex {
        HashIndex {
            mask: slots - 1,
            slots: (0..slots).map(|_| AtomicU32::new(0)).collect(),
        }
    }
}

struct Writer {
    /// Indices replaced by bigger ones; kept because readers may still hold
    /// them. Their total size is less than the current index's.
    retired: Vec<*mut HashIndex>,
}

// SAFETY: the raw pointers are only dereferenced by the table, which never
// frees them while it lives; moving the list between threads is harmless.
unsafe impl Send for Writer {}

pub(crate) struct AtomTable {
    chunks: [AtomicPtr<AtomicPtr<Entry>>; CHUNKS],
    count: AtomicU32,
    index: AtomicPtr<HashIndex>,
    writer: Mutex<Writer>,
}

fn fnv1a(text: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as usize
}

fn chunk_of(index: usize) -> (usize, usize) {
    let j = index / FIRST_CHUNK + 1;
    let k = (usize::BITS - 1 - j.leading_zeros()) as usize;
    let start = FIRST_CHUNK * ((1 << k) - 1);
    (k, index - start)
}

fn table() -> &'static AtomTable {
    static TABLE: OnceLock<AtomTable> = OnceLock::new();
    TABLE.get_or_init(AtomTable::new)
}

impl AtomTable {
    fn new() -> AtomTable {
        let t = AtomTable {
            chunks: std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())),
            count: AtomicU32::new(0),
            index: AtomicPtr::new(Box::into_raw(Box::new(HashIndex::with_capacity(1024)))),
            writer: Mutex::new(Writer {
                retired: Vec::new(),
            }),
        };
        for (i, text) in PREDEFINED.iter().enumerate() {
            // The predefined texts are short and distinct, so this cannot fail.
            let a = t.intern(text).unwrap_or(Atom(u32::MAX));
            assert_eq!(a.0 as usize, i, "predefined atom {text:?} is duplicated");
        }
        t
    }

    fn entry(&self, index: u32) -> Option<&Entry> {
        if index >= self.count.load(Ordering::Acquire) {
            return None;
        }
        let (k, off) = chunk_of(index as usize);
        let chunk = self.chunks[k].load(Ordering::Acquire);
        if chunk.is_null() {
            return None;
        }
        // SAFETY: chunk `k` has `FIRST_CHUNK << k` slots and `off` is below
        // that; chunks are never freed.
        let e = unsafe { (*chunk.add(off)).load(Ordering::Acquire) };
        // SAFETY: entries are leaked boxes, published before `count` grew.
        (!e.is_null()).then(|| unsafe { &*e })
    }

    fn text(&self, index: u32) -> Option<&'static str> {
        let e = self.entry(index)?;
        // SAFETY: entries are never freed, so the text lives forever.
        Some(unsafe { &*(e.text.as_ref() as *const str) })
    }

    fn probe(&self, index: &HashIndex, text: &str) -> Result<Atom, usize> {
        let mut i = fnv1a(text) & index.mask;
        loop {
            let v = index.slots[i].load(Ordering::Acquire);
            if v == 0 {
                return Err(i);
            }
            if self.entry(v - 1).is_some_and(|e| &*e.text == text) {
                return Ok(Atom(v - 1));
            }
            i = (i + 1) & index.mask;
        }
    }

    fn lookup(&self, text: &str) -> Option<Atom> {
        let index = self.index.load(Ordering::Acquire);
        // SAFETY: published indices are never freed while the table lives.
        self.probe(unsafe { &*index }, text).ok()
    }

    fn intern(&self, text: &str) -> Result<Atom, AtomError> {
        if let Some(a) = self.lookup(text) {
            return Ok(a);
        }
        if text.chars().count() > MAX_ATOM_CHARACTERS {
            return Err(AtomError::TooLong);
        }
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: as in `lookup`; under the lock no one else publishes.
        let index = unsafe { &*self.index.load(Ordering::Acquire) };
        let slot = match self.probe(index, text) {
            Ok(a) => return Ok(a),
            Err(slot) => slot,
        };
        let n = self.count.load(Ordering::Relaxed);
        if n >= MAX_ATOMS {
            return Err(AtomError::TableFull);
        }
        let (k, off) = chunk_of(n as usize);
        let mut chunk = self.chunks[k].load(Ordering::Acquire);
        if chunk.is_null() {
            let slots: Box<[AtomicPtr<Entry>]> = (0..FIRST_CHUNK << k)
                .map(|_| AtomicPtr::new(std::ptr::null_mut()))
                .collect();
            chunk = Box::into_raw(slots) as *mut AtomicPtr<Entry>;
            self.chunks[k].store(chunk, Ordering::Release);
        }
        let entry = Box::into_raw(Box::new(Entry { text: text.into() }));
        // SAFETY: `off` is within chunk `k` (see `entry`).
        unsafe { (*chunk.add(off)).store(entry, Ordering::Release) };
        self.count.store(n + 1, Ordering::Release);

        if (n as usize + 1) * 2 > index.slots.len() {
            // Keep the load factor at most one half so probes stay short.
            let bigger = HashIndex::with_capacity(index.slots.len() * 2);
            for i in 0..=n {
                if let Some(e) = self.entry(i)
                    && let Err(s) = self.probe(&bigger, &e.text)
                {
                    bigger.slots[s].store(i + 1, Ordering::Relaxed);
                }
            }
            let old = self
                .index
                .swap(Box::into_raw(Box::new(bigger)), Ordering::AcqRel);
            writer.retired.push(old);
        } else {
            index.slots[slot].store(n + 1, Ordering::Release);
        }
        Ok(Atom(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_atoms_have_fixed_indices() {
        assert_eq!(FALSE.text(), Some("false"));
        assert_eq!(TRUE.text(), Some("true"));
        assert_eq!(BADARG.text(), Some("badarg"));
        assert_eq!(Atom::intern("badarith"), Ok(BADARITH));
        assert_eq!(Atom::existing("nonode@nohost"), Some(NONODE));
        assert_eq!(EMPTY.text(), Some(""));
    }

    #[test]
    fn interning_is_idempotent_and_distinct() {
        let a = Atom::intern("coral_test_atom_a").unwrap();
        let b = Atom::intern("coral_test_atom_b").unwrap();
        assert_ne!(a, b);
        assert_eq!(Atom::intern("coral_test_atom_a"), Ok(a));
        assert_eq!(a.text(), Some("coral_test_atom_a"));
        assert_eq!(Atom::existing("coral_test_never_made_atom"), None);
    }

    #[test]
    fn length_limit_counts_characters() {
        let ok: String = "é".repeat(255);
        assert!(Atom::intern(&ok).is_ok());
        let long: String = "é".repeat(256);
        assert_eq!(Atom::intern(&long), Err(AtomError::TooLong));
        assert_eq!(Atom::intern(&"x".repeat(256)), Err(AtomError::TooLong));
        let latin = Atom::intern_latin1(&[b'f', 0xE9]).unwrap();
        assert_eq!(latin.text(), Some("fé"));
    }

    #[test]
    fn many_atoms_from_many_threads() {
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    (0..3000)
                        .map(|i| {
                            // Half the names are shared between threads.
                            let name = if i % 2 == 0 {
                                format!("coral_mt_{i}")
                            } else {
                                format!("coral_mt_{t}_{i}")
                            };
                            (name.clone(), Atom::intern(&name).unwrap())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for t in threads {
            all.extend(t.join().unwrap());
        }
        for (name, a) in &all {
            assert_eq!(a.text(), Some(name.as_str()));
            assert_eq!(Atom::existing(name), Some(*a));
        }
    }

    #[test]
    fn chunk_arithmetic() {
        assert_eq!(chunk_of(0), (0, 0));
        assert_eq!(chunk_of(1023), (0, 1023));
        assert_eq!(chunk_of(1024), (1, 0));
        assert_eq!(chunk_of(3071), (1, 2047));
        assert_eq!(chunk_of(3072), (2, 0));
        assert!(chunk_of(MAX_ATOMS as usize - 1).0 < CHUNKS);
    }
}
