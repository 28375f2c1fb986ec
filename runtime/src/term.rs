//! Terms: the 64-bit tagged words every Erlang value is made of, and the layout
//! of the heap objects that boxed terms point at.
//!
//! Everything above the heap reads terms through the safe accessors here
//! (`Term::small_value`, `Term::tuple_elements(&heap)`, ...); the raw memory
//! reads behind them are the only `unsafe` in this module.
//!
//! # Word layout
//!
//! Low bits are the tag. Pointers are 8-byte aligned, so a pointer's low three
//! bits are free; the primary tag uses two of them.
//!
//! | low bits  | meaning                     | payload (upper bits)                         |
//! |-----------|-----------------------------|----------------------------------------------|
//! | `..00`    | header word (heap only)     | `arity << 8 \| kind << 2`, see below         |
//! | `..00`    | continuation (stack only)   | code address (16-byte aligned); never a term |
//! | `..01`    | list: pointer to a cons     | address of the cell (car, cdr), `\| 1`       |
//! | `..10`    | boxed: pointer to a header  | address of the header word, `\| 2`           |
//! | `0011`    | local pid                   | process number `<< 4`                        |
//! | `0111`    | local port                  | port number `<< 4`                           |
//! | `1111`    | small integer               | signed 60-bit value `<< 4`                   |
//! | `00 1011` | atom                        | atom table index `<< 6`                      |
//! | `01 1011` | catch marker (stack only)   | handler code address `<< 6`                  |
//! | `10 1011` | special                     | `0x2B` is `NON_VALUE` ("no term")            |
//! | `11 1011` | `[]` (nil)                  | nothing: the word is exactly `0x3B`          |
//!
//! Small integers cover `[-2^59, 2^59 - 1]`; every integer outside that range is
//! a bignum and every integer inside it is a small, so equal integers have one
//! representation.
//!
//! # Heap objects
//!
//! A cons cell is two words, car then cdr, with no header. Every other heap
//! object starts with a header word: primary tag `00`, a 6-bit kind in bits
//! 2..8, and in bits 8..64 the number of words that follow the header
//! ("arity"). A linear walk of a heap tells a header from a cons cell because
//! a car is a term, and no term has primary tag `00`.
//!
//! | kind | name            | words after the header                                              | traced words |
//! |------|-----------------|---------------------------------------------------------------------|--------------|
//! | 0    | `TUPLE`         | the elements                                                        | all          |
//! | 1    | `BIG_POS`       | magnitude limbs, little-endian u64, no leading zero limb            | none         |
//! | 2    | `BIG_NEG`       | as `BIG_POS`; the sign lives in the kind                            | none         |
//! | 3    | `FLOAT`         | the f64 bits                                                        | none         |
//! | 4    | `REF`           | local reference: two u64 id words                                   | none         |
//! | 5    | `FUN`           | `*const FunEntry`, then the captured environment                    | 2..          |
//! | 6    | `EXPORT`        | module atom, function atom, arity small (`fun m:f/a`)               | all          |
//! | 7    | `HEAP_BIN`      | byte size, then the bytes packed into words (at most 64 bytes in a process heap) | none |
//! | 8    | `REFC_BIN`      | byte size, `*const OffHeapBinary` (one counted reference), data pointer | none    |
//! | 9    | `SUB_BIN`       | original binary term, bit offset, bit size                          | 1 only       |
//! | 10   | `FLATMAP`       | a tuple of the sorted keys, then the values in key order            | all          |
//! | 11   | `EXTERNAL_PID`  | node atom, creation, id words (2: number, serial)                   | none         |
//! | 12   | `EXTERNAL_PORT` | node atom, creation, id words (1)                                   | none         |
//! | 13   | `EXTERNAL_REF`  | node atom, creation, id words (up to 5 u32 values, one per word)    | none         |
//! | 14   | `HASHMAP_HEAD`  | key count (small), bitmap (small), then the children                | all          |
//! | 15   | `HASHMAP_NODE`  | bitmap (small), then the children                                   | all          |
//!
//! Kinds 16..64 are free. A map above 32 keys is a hash-array-mapped trie
//! (see `map.rs`): a `HASHMAP_HEAD` is the map term itself, a `HASHMAP_NODE`
//! an inner node reachable only from a head. Each child is a leaf (a list
//! pointer to a `[Key | Value]` cons cell) or a boxed pointer to a
//! `HASHMAP_NODE`; the bitmap says which of the 16 slots are present. Counts
//! and bitmaps are small integers so that every word of a trie node is a term. "Traced" words hold terms the GC must visit; untraced
//! words are copied as raw bits. Atoms and creations in the external kinds are
//! immediates, so there is nothing in them to trace.
//!
//! # Stack words
//!
//! **A stack frame holds only terms, tagged continuations and catch markers.**
//! A continuation has primary tag `00` (it is never a term, so the GC skips it
//! even without a descriptor) and a catch marker is an immediate. No stack
//! word points into the stack, so a stack can be moved by copying it.
//!
//! # Forwarding during GC
//!
//! A moved boxed object has its header replaced by a boxed pointer (tag `10`)
//! to its new copy. A moved cons cell has its car replaced by the word `0`
//! (a header word, which no car can be) and its cdr by a list pointer to the
//! new cell.

use crate::atom::Atom;
use crate::binary::OffHeapBinary;
use crate::fun::FunEntry;

/// One machine word of a heap or stack.
pub type Word = u64;

/// Bits of the primary tag.
pub const PRIMARY_MASK: Word = 0b11;
/// Primary tag of header words (on a heap) and continuations (on a stack).
pub const TAG_HEADER: Word = 0b00;
/// Primary tag of a pointer to a cons cell.
pub const TAG_LIST: Word = 0b01;
/// Primary tag of a pointer to a header word.
pub const TAG_BOXED: Word = 0b10;
/// Primary tag of immediates.
pub const TAG_IMMEDIATE: Word = 0b11;

const IMM1_MASK: Word = 0b1111;
/// Immediate tag of local pids.
pub const TAG_PID: Word = 0b0011;
/// Immediate tag of local ports.
pub const TAG_PORT: Word = 0b0111;
const TAG_IMM2: Word = 0b1011;
/// Immediate tag of small integers.
pub const TAG_SMALL: Word = 0b1111;
const IMM1_SHIFT: u32 = 4;

const IMM2_MASK: Word = 0b11_1111;
/// Immediate tag of atoms.
pub const TAG_ATOM: Word = 0b00_1011;
/// Immediate tag of catch markers.
pub const TAG_CATCH: Word = 0b01_1011;
const TAG_SPECIAL: Word = 0b10_1011;
const TAG_NIL: Word = 0b11_1011;
const IMM2_SHIFT: u32 = 6;
// Every immediate-2 tag extends the immediate-1 tag `1011`.
const _: () = assert!(
    TAG_ATOM & IMM1_MASK == TAG_IMM2
        && TAG_CATCH & IMM1_MASK == TAG_IMM2
        && TAG_SPECIAL & IMM1_MASK == TAG_IMM2
        && TAG_NIL & IMM1_MASK == TAG_IMM2
);

/// Bits of a small integer's payload.
pub const SMALL_BITS: u32 = 60;
/// The largest small integer.
pub const MAX_SMALL: i64 = (1 << (SMALL_BITS - 1)) - 1;
/// The smallest small integer.
pub const MIN_SMALL: i64 = -(1 << (SMALL_BITS - 1));
/// The largest pid or port number an immediate can hold.
pub const MAX_LOCAL_ID: u64 = (1 << SMALL_BITS) - 1;

/// Heap binaries hold at most this many bytes; larger binaries live off-heap.
pub const HEAP_BIN_LIMIT: usize = 64;
/// Flat maps hold at most this many keys (BEAM's `MAP_SMALL_MAP_LIMIT`).
pub const FLATMAP_LIMIT: usize = 32;

/// The kind field of a header word.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum HeaderKind {
    Tuple = 0,
    BigPos = 1,
    BigNeg = 2,
    Float = 3,
    Ref = 4,
    Fun = 5,
    Export = 6,
    HeapBin = 7,
    RefcBin = 8,
    SubBin = 9,
    FlatMap = 10,
    ExternalPid = 11,
    ExternalPort = 12,
    ExternalRef = 13,
    HashHead = 14,
    HashNode = 15,
}

impl HeaderKind {
    fn from_bits(bits: u8) -> Option<HeaderKind> {
        use HeaderKind::*;
        Some(match bits {
            0 => Tuple,
            1 => BigPos,
            2 => BigNeg,
            3 => Float,
            4 => Ref,
            5 => Fun,
            6 => Export,
            7 => HeapBin,
            8 => RefcBin,
            9 => SubBin,
            10 => FlatMap,
            11 => ExternalPid,
            12 => ExternalPort,
            13 => ExternalRef,
            14 => HashHead,
            15 => HashNode,
            _ => return None,
        })
    }

    /// The range of words after the header (1-based offsets from the header,
    /// end exclusive, clamped to the arity) that hold terms the GC must visit.
    pub fn traced_words(self, arity: usize) -> (usize, usize) {
        use HeaderKind::*;
        match self {
            Tuple | Export | FlatMap | HashHead | HashNode => (1, 1 + arity),
            Fun => (2, 1 + arity),
            SubBin => (1, 2),
            BigPos | BigNeg | Float | Ref | HeapBin | RefcBin | ExternalPid | ExternalPort
            | ExternalRef => (1, 1),
        }
    }
}

/// A decoded header word.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub kind: HeaderKind,
    /// Words after the header.
    pub arity: usize,
}

/// The largest arity a header can record.
pub const MAX_ARITY: usize = (1 << 56) - 1;

impl Header {
    pub const fn new(kind: HeaderKind, arity: usize) -> Header {
        Header { kind, arity }
    }

    pub const fn to_word(self) -> Word {
        ((self.arity as Word) << 8) | ((self.kind as Word) << 2)
    }

    /// Decodes a header word; `None` when the word is not a header.
    pub fn from_word(w: Word) -> Option<Header> {
        if w & PRIMARY_MASK != TAG_HEADER {
            return None;
        }
        let kind = HeaderKind::from_bits(((w >> 2) & 0x3F) as u8)?;
        Some(Header {
            kind,
            arity: (w >> 8) as usize,
        })
    }

    /// Words the whole object takes, header included.
    pub const fn object_words(self) -> usize {
        1 + self.arity
    }
}

/// An Erlang term: one tagged word.
///
/// `PartialEq` compares words, which is Erlang's exact equality only for
/// immediates; boxed terms need a structural comparison.
///
/// A boxed or list term is a pointer, valid until the next garbage collection
/// of the heap it points into (or for as long as its literal area is loaded).
/// The accessors that read through it take the heap by shared reference, so a
/// slice they return cannot outlive a point where the heap could be collected.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Term(Word);

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(v) = self.small_value() {
            write!(f, "Small({v})")
        } else if let Some(a) = self.atom_value() {
            write!(f, "Atom({a:?})")
        } else if self.is_nil() {
            write!(f, "Nil")
        } else if self.is_list() {
            write!(f, "List({:#x})", self.0 & !PRIMARY_MASK)
        } else if self.is_boxed() {
            write!(f, "Boxed({:#x})", self.0 & !PRIMARY_MASK)
        } else {
            write!(f, "Term({:#x})", self.0)
        }
    }
}

/// Read access to the memory that boxed terms point into: a process's
/// memory, a heap fragment or a literal area. Holding `&H` proves no
/// collection can move the objects while a borrowed view is alive.
pub trait HeapAccess {
    /// Whether `addr` may be the address of an object reachable from this
    /// heap's terms (its own memory or a literal area). Only used by debug
    /// assertions, so it may be slow.
    fn may_hold(&self, addr: usize) -> bool;
}

/// A view of a bignum's sign and magnitude.
#[derive(Copy, Clone, Debug)]
pub struct BigView<'h> {
    pub negative: bool,
    /// Little-endian 64-bit limbs, no leading zero limb.
    pub limbs: &'h [u64],
}

/// A view of a binary or bitstring (heap, off-heap or sub-binary).
#[derive(Copy, Clone, Debug)]
pub struct BitsView<'h> {
    /// The bytes of the underlying binary; the bitstring is bits
    /// `bit_offset .. bit_offset + bit_size` of them (most significant first).
    pub bytes: &'h [u8],
    pub bit_offset: usize,
    pub bit_size: usize,
}

impl BitsView<'_> {
    /// The bytes when the bitstring is byte-aligned and a whole number of
    /// bytes, which is every binary that is not a sub-binary at a bit offset.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        if self.bit_offset.is_multiple_of(8) && self.bit_size.is_multiple_of(8) {
            let start = self.bit_offset / 8;
            self.bytes.get(start..start + self.bit_size / 8)
        } else {
            None
        }
    }

    /// The bitstring copied out as bytes, the last one padded with zero bits
    /// on the right, and its length in bits.
    pub fn to_bit_vec(&self) -> (Vec<u8>, usize) {
        let mut out = vec![0u8; self.bit_size.div_ceil(8)];
        for i in 0..self.bit_size {
            let src = self.bit_offset + i;
            let bit = (self.bytes[src / 8] >> (7 - src % 8)) & 1;
            out[i / 8] |= bit << (7 - i % 8);
        }
        (out, self.bit_size)
    }
}

/// A view of a local closure.
#[derive(Copy, Clone, Debug)]
pub struct FunView<'h> {
    pub entry: &'static FunEntry,
    pub env: &'h [Term],
}

/// A view of a pid, port or reference on another node.
#[derive(Copy, Clone, Debug)]
pub struct ExternalView<'h> {
    pub node: Atom,
    pub creation: u32,
    pub id: &'h [u64],
}

/// What a term is, as far as the type tests of Erlang care.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TermKind {
    Small,
    BigInt,
    Float,
    Atom,
    Nil,
    Cons,
    Tuple,
    Map,
    Fun,
    Export,
    Binary,
    LocalPid,
    LocalPort,
    LocalRef,
    ExternalPid,
    ExternalPort,
    ExternalRef,
    /// Not an Erlang value: `NON_VALUE`, a catch marker, a continuation or
    /// a header word.
    Other,
}

impl Term {
    /// `[]`.
    pub const NIL: Term = Term(TAG_NIL);
    /// "No value": what a failing BIF returns, never stored in a live term.
    pub const NON_VALUE: Term = Term(TAG_SPECIAL);

    /// The term with these bits. The bits must be a valid term for the heap
    /// they are used with; the accessors check tags, not provenance.
    pub const fn from_raw(bits: Word) -> Term {
        Term(bits)
    }

    pub const fn raw(self) -> Word {
        self.0
    }

    /// A small integer, or `None` when `v` needs a bignum.
    pub const fn small(v: i64) -> Option<Term> {
        if v >= MIN_SMALL && v <= MAX_SMALL {
            Some(Term(((v as Word) << IMM1_SHIFT) | TAG_SMALL))
        } else {
            None
        }
    }

    pub const fn is_small(self) -> bool {
        self.0 & IMM1_MASK == TAG_SMALL
    }

    pub const fn small_value(self) -> Option<i64> {
        if self.is_small() {
            Some((self.0 as i64) >> IMM1_SHIFT)
        } else {
            None
        }
    }

    pub const fn atom(a: Atom) -> Term {
        Term(((a.index() as Word) << IMM2_SHIFT) | TAG_ATOM)
    }

    pub const fn is_atom(self) -> bool {
        self.0 & IMM2_MASK == TAG_ATOM
    }

    pub fn atom_value(self) -> Option<Atom> {
        if self.is_atom() {
            Some(Atom::from_index((self.0 >> IMM2_SHIFT) as u32))
        } else {
            None
        }
    }

    /// `true` or `false` as an atom term.
    pub const fn boolean(b: bool) -> Term {
        Term::atom(if b {
            crate::atom::TRUE
        } else {
            crate::atom::FALSE
        })
    }

    pub fn local_pid(number: u64) -> Option<Term> {
        (number <= MAX_LOCAL_ID).then_some(Term((number << IMM1_SHIFT) | TAG_PID))
    }

    pub const fn is_local_pid(self) -> bool {
        self.0 & IMM1_MASK == TAG_PID
    }

    pub const fn local_pid_number(self) -> Option<u64> {
        if self.is_local_pid() {
            Some(self.0 >> IMM1_SHIFT)
        } else {
            None
        }
    }

    pub fn local_port(number: u64) -> Option<Term> {
        (number <= MAX_LOCAL_ID).then_some(Term((number << IMM1_SHIFT) | TAG_PORT))
    }

    pub const fn is_local_port(self) -> bool {
        self.0 & IMM1_MASK == TAG_PORT
    }

    pub const fn local_port_number(self) -> Option<u64> {
        if self.is_local_port() {
            Some(self.0 >> IMM1_SHIFT)
        } else {
            None
        }
    }

    /// A catch marker naming the handler at `handler` (a code address).
    pub fn catch_marker(handler: usize) -> Option<Term> {
        let h = handler as Word;
        (h >> (64 - IMM2_SHIFT) == 0).then_some(Term((h << IMM2_SHIFT) | TAG_CATCH))
    }

    pub const fn is_catch_marker(self) -> bool {
        self.0 & IMM2_MASK == TAG_CATCH
    }

    pub const fn catch_handler(self) -> Option<usize> {
        if self.is_catch_marker() {
            Some((self.0 >> IMM2_SHIFT) as usize)
        } else {
            None
        }
    }

    pub const fn is_nil(self) -> bool {
        self.0 == TAG_NIL
    }

    pub const fn is_non_value(self) -> bool {
        self.0 == TAG_SPECIAL
    }

    /// A pointer to a cons cell (not `[]`).
    pub const fn is_list(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_LIST
    }

    pub const fn is_boxed(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_BOXED
    }

    /// A list or boxed pointer.
    pub const fn is_pointer(self) -> bool {
        self.is_list() || self.is_boxed()
    }

    pub const fn is_immediate(self) -> bool {
        self.0 & PRIMARY_MASK == TAG_IMMEDIATE
    }

    /// The address a list or boxed term points at.
    pub const fn address(self) -> Option<usize> {
        if self.is_pointer() {
            Some((self.0 & !PRIMARY_MASK) as usize)
        } else {
            None
        }
    }

    /// A list term pointing at the cons cell at `addr` (8-byte aligned).
    pub fn list_from_address(addr: usize) -> Term {
        debug_assert!(addr.is_multiple_of(8) && addr != 0);
        Term(addr as Word | TAG_LIST)
    }

    /// A boxed term pointing at the header word at `addr` (8-byte aligned).
    pub fn boxed_from_address(addr: usize) -> Term {
        debug_assert!(addr.is_multiple_of(8) && addr != 0);
        Term(addr as Word | TAG_BOXED)
    }

    fn checked_object<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<*const Word> {
        let addr = self.address()?;
        debug_assert!(
            heap.may_hold(addr),
            "term {self:?} does not point into this heap"
        );
        let _ = heap;
        Some(addr as *const Word)
    }

    /// The header of the object a boxed term points at.
    pub fn header<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<Header> {
        if !self.is_boxed() {
            return None;
        }
        let p = self.checked_object(heap)?;
        // SAFETY: a boxed term points at the header word of a live object
        // (the term invariant), and `&H` keeps the heap from being collected.
        Header::from_word(unsafe { *p })
    }

    /// The words after the header of the boxed object, if its kind is `kind`.
    fn payload<'h, H: HeapAccess + ?Sized>(
        self,
        heap: &'h H,
        kinds: &[HeaderKind],
    ) -> Option<(Header, &'h [Word])> {
        let h = self.header(heap)?;
        if !kinds.contains(&h.kind) {
            return None;
        }
        let p = self.checked_object(heap)?;
        // SAFETY: the object is live (see `header`) and its header says
        // `arity` words follow it, all inside the same allocation.
        let words = unsafe { std::slice::from_raw_parts(p.add(1), h.arity) };
        Some((h, words))
    }

    /// What kind of value this is. Reads the header of boxed terms.
    pub fn kind<H: HeapAccess + ?Sized>(self, heap: &H) -> TermKind {
        if self.is_small() {
            TermKind::Small
        } else if self.is_atom() {
            TermKind::Atom
        } else if self.is_nil() {
            TermKind::Nil
        } else if self.is_list() {
            TermKind::Cons
        } else if self.is_local_pid() {
            TermKind::LocalPid
        } else if self.is_local_port() {
            TermKind::LocalPort
        } else if let Some(h) = self.header(heap) {
            match h.kind {
                HeaderKind::Tuple => TermKind::Tuple,
                HeaderKind::BigPos | HeaderKind::BigNeg => TermKind::BigInt,
                HeaderKind::Float => TermKind::Float,
                HeaderKind::Ref => TermKind::LocalRef,
                HeaderKind::Fun => TermKind::Fun,
                HeaderKind::Export => TermKind::Export,
                HeaderKind::HeapBin | HeaderKind::RefcBin | HeaderKind::SubBin => TermKind::Binary,
                HeaderKind::FlatMap | HeaderKind::HashHead => TermKind::Map,
                HeaderKind::HashNode => TermKind::Other,
                HeaderKind::ExternalPid => TermKind::ExternalPid,
                HeaderKind::ExternalPort => TermKind::ExternalPort,
                HeaderKind::ExternalRef => TermKind::ExternalRef,
            }
        } else {
            TermKind::Other
        }
    }

    /// Head and tail of a cons cell.
    pub fn cons_parts<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<(Term, Term)> {
        if !self.is_list() {
            return None;
        }
        let p = self.checked_object(heap)? as *const Term;
        // SAFETY: a list term points at a live two-word cons cell.
        unsafe { Some((*p, *p.add(1))) }
    }

    /// A cons cell as a two-element slice, head then tail.
    pub fn cons_cell<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<&[Term]> {
        if !self.is_list() {
            return None;
        }
        let p = self.checked_object(heap)? as *const Term;
        // SAFETY: a list term points at a live two-word cons cell, which
        // `&H` keeps in place.
        Some(unsafe { std::slice::from_raw_parts(p, 2) })
    }

    pub fn tuple_elements<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<&[Term]> {
        let (_, w) = self.payload(heap, &[HeaderKind::Tuple])?;
        Some(words_as_terms(w))
    }

    pub fn float_value<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<f64> {
        let (_, w) = self.payload(heap, &[HeaderKind::Float])?;
        w.first().map(|b| f64::from_bits(*b))
    }

    pub fn bignum<'h, H: HeapAccess + ?Sized>(self, heap: &'h H) -> Option<BigView<'h>> {
        let (h, w) = self.payload(heap, &[HeaderKind::BigPos, HeaderKind::BigNeg])?;
        Some(BigView {
            negative: h.kind == HeaderKind::BigNeg,
            limbs: w,
        })
    }

    /// The integer value of a small or a bignum.
    pub fn integer_value<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<dashu_int::IBig> {
        if let Some(v) = self.small_value() {
            return Some(dashu_int::IBig::from(v));
        }
        let b = self.bignum(heap)?;
        Some(crate::heap::ibig_from_limbs(b.negative, b.limbs))
    }

    /// A binary, off-heap binary or sub-binary (any bitstring).
    pub fn bits<'h, H: HeapAccess + ?Sized>(self, heap: &'h H) -> Option<BitsView<'h>> {
        let (h, w) = self.payload(
            heap,
            &[HeaderKind::HeapBin, HeaderKind::RefcBin, HeaderKind::SubBin],
        )?;
        match h.kind {
            HeaderKind::HeapBin => {
                let len = *w.first()? as usize;
                if len > w.len().saturating_sub(1) * 8 {
                    return None;
                }
                // SAFETY: the bytes follow the size word inside the object
                // and the check above keeps `len` within the arity.
                let bytes =
                    unsafe { std::slice::from_raw_parts(w.as_ptr().add(1) as *const u8, len) };
                Some(BitsView {
                    bytes,
                    bit_offset: 0,
                    bit_size: len * 8,
                })
            }
            HeaderKind::RefcBin => {
                let len = *w.first()? as usize;
                let data = *w.get(2)? as *const u8;
                // SAFETY: the handle holds a counted reference to the
                // off-heap binary, which therefore outlives the handle;
                // `data`/`len` were taken from it when the handle was made.
                let bytes = unsafe { std::slice::from_raw_parts(data, len) };
                Some(BitsView {
                    bytes,
                    bit_offset: 0,
                    bit_size: len * 8,
                })
            }
            HeaderKind::SubBin => {
                let orig = Term(*w.first()?);
                let off = *w.get(1)? as usize;
                let size = *w.get(2)? as usize;
                let base = orig.bits(heap)?;
                if base.bit_offset + off + size > base.bytes.len() * 8 {
                    return None;
                }
                Some(BitsView {
                    bytes: base.bytes,
                    bit_offset: base.bit_offset + off,
                    bit_size: size,
                })
            }
            _ => None,
        }
    }

    /// The off-heap binary a `REFC_BIN` handle refers to.
    pub fn off_heap_binary<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<&OffHeapBinary> {
        let (_, w) = self.payload(heap, &[HeaderKind::RefcBin])?;
        let p = *w.get(1)? as *const OffHeapBinary;
        // SAFETY: the handle owns one counted reference, so the binary is
        // alive at least as long as the handle, which `&'h H` keeps alive.
        Some(unsafe { &*p })
    }

    pub fn fun_view<'h, H: HeapAccess + ?Sized>(self, heap: &'h H) -> Option<FunView<'h>> {
        let (_, w) = self.payload(heap, &[HeaderKind::Fun])?;
        let entry = *w.first()? as *const FunEntry;
        // SAFETY: fun entries are leaked at registration and never freed.
        let entry = unsafe { &*entry };
        Some(FunView {
            entry,
            env: words_as_terms(&w[1..]),
        })
    }

    /// Module, function and arity of a `fun m:f/a`.
    pub fn export_view<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<(Atom, Atom, u32)> {
        let (_, w) = self.payload(heap, &[HeaderKind::Export])?;
        let m = Term(*w.first()?).atom_value()?;
        let f = Term(*w.get(1)?).atom_value()?;
        let a = Term(*w.get(2)?).small_value()?;
        Some((m, f, u32::try_from(a).ok()?))
    }

    /// Keys and values of a flat map, keys sorted in term order.
    pub fn flatmap_view<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<(&[Term], &[Term])> {
        let (_, w) = self.payload(heap, &[HeaderKind::FlatMap])?;
        let keys = Term(*w.first()?).tuple_elements(heap)?;
        let values = words_as_terms(&w[1..]);
        (keys.len() == values.len()).then_some((keys, values))
    }

    /// Key count, bitmap and children of a hash-trie map's root node.
    pub fn hashmap_head_view<H: HeapAccess + ?Sized>(
        self,
        heap: &H,
    ) -> Option<(usize, u16, &[Term])> {
        let (_, w) = self.payload(heap, &[HeaderKind::HashHead])?;
        let size = Term(*w.first()?).small_value()?;
        let bitmap = Term(*w.get(1)?).small_value()?;
        Some((
            usize::try_from(size).ok()?,
            u16::try_from(bitmap).ok()?,
            words_as_terms(&w[2..]),
        ))
    }

    /// Bitmap and children of an inner hash-trie node.
    pub fn hashmap_node_view<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<(u16, &[Term])> {
        let (_, w) = self.payload(heap, &[HeaderKind::HashNode])?;
        let bitmap = Term(*w.first()?).small_value()?;
        Some((u16::try_from(bitmap).ok()?, words_as_terms(&w[1..])))
    }

    /// The id words of a local reference.
    pub fn local_ref_id<H: HeapAccess + ?Sized>(self, heap: &H) -> Option<[u64; 2]> {
        let (_, w) = self.payload(heap, &[HeaderKind::Ref])?;
        Some([*w.first()?, *w.get(1)?])
    }

    pub fn external_view<'h, H: HeapAccess + ?Sized>(
        self,
        heap: &'h H,
    ) -> Option<ExternalView<'h>> {
        let (_, w) = self.payload(
            heap,
            &[
                HeaderKind::ExternalPid,
                HeaderKind::ExternalPort,
                HeaderKind::ExternalRef,
            ],
        )?;
        Some(ExternalView {
            node: Term(*w.first()?).atom_value()?,
            creation: u32::try_from(*w.get(1)?).ok()?,
            id: &w[2..],
        })
    }
}

fn words_as_terms(w: &[Word]) -> &[Term] {
    // SAFETY: `Term` is `repr(transparent)` over `Word`.
    unsafe { std::slice::from_raw_parts(w.as_ptr() as *const Term, w.len()) }
}

/// A continuation: the code address that resumes a caller, as it sits on the
/// process stack above the caller's frame. Primary tag `00`, so it is never
/// mistaken for a term.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Continuation(usize);

impl Continuation {
    /// `None` for an address not aligned to 4 bytes (compiled functions are
    /// aligned to 16), which could not be its own word.
    pub fn new(code_address: usize) -> Option<Continuation> {
        (code_address as Word & PRIMARY_MASK == TAG_HEADER).then_some(Continuation(code_address))
    }

    pub fn address(self) -> usize {
        self.0
    }

    /// The stack word: the address itself, whose low two bits are zero.
    pub fn to_word(self) -> Word {
        self.0 as Word
    }

    /// Decodes a stack word; `None` unless its primary tag is `00`.
    pub fn from_word(w: Word) -> Option<Continuation> {
        (w & PRIMARY_MASK == TAG_HEADER).then_some(Continuation(w as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_round_trip_and_limits() {
        for v in [0, 1, -1, 42, MAX_SMALL, MIN_SMALL, 1 << 40, -(1 << 40)] {
            let t = Term::small(v).unwrap();
            assert!(t.is_small());
            assert_eq!(t.small_value(), Some(v));
            assert!(!t.is_atom() && !t.is_pointer() && !t.is_nil());
        }
        assert!(Term::small(MAX_SMALL + 1).is_none());
        assert!(Term::small(MIN_SMALL - 1).is_none());
        assert!(Term::small(i64::MAX).is_none());
    }

    #[test]
    fn immediates_are_disjoint() {
        let terms = [
            Term::small(7).unwrap(),
            Term::atom(Atom::from_index(7)),
            Term::local_pid(7).unwrap(),
            Term::local_port(7).unwrap(),
            Term::catch_marker(7).unwrap(),
            Term::NIL,
            Term::NON_VALUE,
        ];
        for (i, a) in terms.iter().enumerate() {
            assert!(a.is_immediate());
            for (j, b) in terms.iter().enumerate() {
                assert_eq!(i == j, a == b);
            }
        }
        assert_eq!(terms[1].atom_value(), Some(Atom::from_index(7)));
        assert_eq!(terms[2].local_pid_number(), Some(7));
        assert_eq!(terms[3].local_port_number(), Some(7));
        assert_eq!(terms[4].catch_handler(), Some(7));
        assert!(terms[2].small_value().is_none());
    }

    #[test]
    fn headers_round_trip() {
        for bits in 0..64u8 {
            if let Some(kind) = HeaderKind::from_bits(bits) {
                let h = Header::new(kind, 12345);
                assert_eq!(Header::from_word(h.to_word()), Some(h));
                assert_eq!(h.to_word() & PRIMARY_MASK, TAG_HEADER);
            }
        }
        assert_eq!(Header::from_word(Term::NIL.raw()), None);
    }

    #[test]
    fn continuations_are_not_terms() {
        let c = Continuation::new(0x7fff_1234_5678).unwrap();
        let w = c.to_word();
        assert_eq!(Continuation::from_word(w), Some(c));
        let t = Term::from_raw(w);
        assert!(!t.is_pointer() && !t.is_immediate());
        assert!(Continuation::new(0x7fff_1234_5679).is_none());
    }
}
