//! Copying terms between heaps: for send, spawn arguments, and building
//! literal areas.
//!
//! A copy is size-then-copy: one pass counts the words the term needs, the
//! second fills a contiguous region of exactly that size, scanning it
//! Cheney-style so neither pass recurses on the native stack (a million-deep
//! list or tuple nest is fine). Sharing inside the term is not preserved, as
//! in BEAM: a subterm reached twice is copied twice.
//!
//! What is not copied:
//! - immediates;
//! - terms in literal areas (anything the source does not own): they are
//!   shared by pointer. A literal area stays alive while its module is loaded,
//!   and a purge copies surviving references out before freeing it (see
//!   `literal.rs`), so a receiver may hold literal pointers safely. BEAM copies
//!   literals on send unless the receiver can see the literal area; in Coral
//!   every process can see every registered area, so it never needs to;
//! - off-heap binaries: the copy gets a new handle and the binary one more
//!   count.

use crate::binary::OffHeapBinary;
use crate::heap::{HeapFragment, ProcessMemory};
use crate::term::{Header, HeaderKind, HeapAccess, Term, Word};

/// Memory a copy may read from: it copies what the source owns and shares
/// everything else (literals).
pub trait CopySource: HeapAccess {
    fn owns(&self, addr: usize) -> bool;
}

impl CopySource for ProcessMemory {
    fn owns(&self, addr: usize) -> bool {
        ProcessMemory::owns(self, addr)
    }
}

impl CopySource for HeapFragment {
    fn owns(&self, addr: usize) -> bool {
        self.contains(addr)
    }
}

/// Words of the object at `addr`, as copied (`flatten`: an off-heap binary
/// becomes a heap binary holding its bytes).
fn object_words(t: Term, flatten: bool) -> usize {
    if t.is_list() {
        return 2;
    }
    let addr = t.address().unwrap_or(0) as *const Word;
    // SAFETY: `t` is a boxed term of the source, pointing at a live header.
    let h = Header::from_word(unsafe { *addr });
    match h {
        Some(h) if flatten && h.kind == HeaderKind::RefcBin => {
            // SAFETY: word 1 of a REFC_BIN handle is its byte size.
            let len = unsafe { *addr.add(1) } as usize;
            2 + len.div_ceil(8)
        }
        Some(h) => h.object_words(),
        None => 0,
    }
}

fn traced_children(t: Term, mut f: impl FnMut(*mut Word)) {
    let addr = t.address().unwrap_or(0) as *mut Word;
    if t.is_list() {
        f(addr);
        // SAFETY: a cons cell has two words.
        f(unsafe { addr.add(1) });
        return;
    }
    // SAFETY: a boxed term points at a live header.
    if let Some(h) = Header::from_word(unsafe { *addr }) {
        let (a, b) = h.kind.traced_words(h.arity);
        for i in a..b {
            // SAFETY: `i <= arity`, inside the object.
            f(unsafe { addr.add(i) });
        }
    }
}

fn size_impl<S: CopySource + ?Sized>(term: Term, src: &S, flatten: bool) -> usize {
    if !term.address().is_some_and(|a| src.owns(a)) {
        return 0;
    }
    // The root first: a message is often one object whose children are
    // all immediates, which needs no work stack.
    let words = object_words(term, flatten);
    let mut inner = false;
    traced_children(term, |slot| {
        // SAFETY: `slot` is a traced word of a live source object.
        inner |= Term::from_raw(unsafe { *slot }).is_pointer();
    });
    if !inner {
        return words;
    }
    words + size_children(term, src, flatten)
}

/// Words of copies of the objects below `term`'s own.
#[inline(never)]
fn size_children<S: CopySource + ?Sized>(term: Term, src: &S, flatten: bool) -> usize {
    let mut words = 0;
    let mut pending = WorkStack::new();
    traced_children(term, |slot| {
        // SAFETY: `slot` is a traced word of a live source object.
        let c = Term::from_raw(unsafe { *slot });
        if c.is_pointer() {
            pending.push(c);
        }
    });
    while let Some(t) = pending.pop() {
        let Some(addr) = t.address() else { continue };
        if !src.owns(addr) {
            continue;
        }
        words += object_words(t, flatten);
        traced_children(t, |slot| {
            // SAFETY: `slot` is a traced word of a live source object.
            let c = Term::from_raw(unsafe { *slot });
            if c.is_pointer() {
                pending.push(c);
            }
        });
    }
    words
}

/// A stack of terms still to visit: a few on the native stack, the rest in
/// a vector, so sizing a small message allocates nothing.
struct WorkStack {
    inline: [std::mem::MaybeUninit<Term>; 32],
    len: usize,
    spill: Vec<Term>,
}

impl WorkStack {
    fn new() -> WorkStack {
        WorkStack {
            inline: [std::mem::MaybeUninit::uninit(); 32],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, t: Term) {
        if self.len < self.inline.len() {
            self.inline[self.len].write(t);
            self.len += 1;
        } else {
            self.spill.push(t);
        }
    }

    fn pop(&mut self) -> Option<Term> {
        if let Some(t) = self.spill.pop() {
            return Some(t);
        }
        self.len = self.len.checked_sub(1)?;
        // SAFETY: the first `len` entries were written by `push`.
        Some(unsafe { self.inline[self.len].assume_init() })
    }
}

/// Words a copy of `term` takes (0 for immediates and literals).
pub fn size_of<S: CopySource + ?Sized>(term: Term, src: &S) -> usize {
    size_impl(term, src, false)
}

pub(crate) fn size_of_flattened<S: CopySource + ?Sized>(term: Term, src: &S) -> usize {
    size_impl(term, src, true)
}

/// A region of exactly the words a copy needs.
pub(crate) struct RawDest {
    start: *mut Word,
    top: *mut Word,
    end: *mut Word,
    /// New REFC_BIN handles, each owning a fresh count.
    pub(crate) off_heap: Vec<*mut Word>,
}

impl RawDest {
    pub(crate) fn new(start: *mut Word, words: usize) -> RawDest {
        RawDest {
            start,
            top: start,
            // SAFETY: the caller provides `words` words from `start`.
            end: unsafe { start.add(words) },
            off_heap: Vec::new(),
        }
    }

    pub(crate) fn used(&self) -> usize {
        (self.top as usize - self.start as usize) / 8
    }

    /// Copies one object shallowly to the top of the region.
    fn shallow<S: CopySource + ?Sized>(&mut self, t: Term, src: &S, flatten: bool) -> Term {
        let n = object_words(t, flatten);
        assert!(
            self.top as usize + n * 8 <= self.end as usize,
            "copy overran the size computed for it"
        );
        let from = t.address().unwrap_or(0) as *const Word;
        let to = self.top;
        // SAFETY: `to` has `n` free words (checked above); `from` is a live
        // source object of `n` words (or a handle whose bytes we read).
        unsafe {
            self.top = to.add(n);
            if t.is_list() {
                std::ptr::copy_nonoverlapping(from, to, 2);
                return Term::list_from_address(to as usize);
            }
            let h = Header::from_word(*from);
            if h.is_some_and(|h| h.kind == HeaderKind::RefcBin) {
                if flatten {
                    let view = t.bits(src).map(|v| v.bytes).unwrap_or(&[]);
                    let data_words = view.len().div_ceil(8);
                    *to = Header::new(HeaderKind::HeapBin, 1 + data_words).to_word();
                    *to.add(1) = view.len() as Word;
                    if data_words > 0 {
                        *to.add(1 + data_words) = 0;
                    }
                    std::ptr::copy_nonoverlapping(view.as_ptr(), to.add(2) as *mut u8, view.len());
                } else {
                    std::ptr::copy_nonoverlapping(from, to, n);
                    OffHeapBinary::retain(*from.add(2) as *const OffHeapBinary);
                    self.off_heap.push(to);
                }
            } else {
                std::ptr::copy_nonoverlapping(from, to, n);
            }
        }
        Term::boxed_from_address(to as usize)
    }

    /// Copies a small tuple none of whose elements is a pointer (the usual
    /// message) in one pass; `None` for anything else.
    #[inline]
    fn copy_flat_tuple(&mut self, t: Term) -> Option<Term> {
        const MAX_ARITY: usize = 8;
        if !t.is_boxed() {
            return None;
        }
        let from = t.address()? as *const Word;
        // SAFETY: a boxed term of the source points at a live header.
        let h = Header::from_word(unsafe { *from })?;
        let n = h.object_words();
        if h.kind != HeaderKind::Tuple
            || h.arity > MAX_ARITY
            || self.top as usize + n * 8 > self.end as usize
        {
            return None;
        }
        let to = self.top;
        // SAFETY: the tuple has `n` words; `to` has `n` free words (checked
        // above). Words written before giving up lie above `top`, unused.
        unsafe {
            *to = *from;
            for i in 1..n {
                let w = *from.add(i);
                if Term::from_raw(w).is_pointer() {
                    return None;
                }
                *to.add(i) = w;
            }
            self.top = to.add(n);
        }
        Some(Term::boxed_from_address(to as usize))
    }

    pub(crate) fn copy<S: CopySource + ?Sized>(
        &mut self,
        term: Term,
        src: &S,
        flatten: bool,
    ) -> Term {
        let owned = |t: Term| t.address().is_some_and(|a| src.owns(a));
        if !owned(term) {
            return term;
        }
        if let Some(t) = self.copy_flat_tuple(term) {
            return t;
        }
        let mut scan = self.top;
        let root = self.shallow(term, src, flatten);
        while scan < self.top {
            let t = Term::from_raw(scan as Word | 1);
            // SAFETY: `scan` is the start of an object we just wrote.
            let w = unsafe { *scan };
            let (obj, words) = match Header::from_word(w) {
                Some(h) => (Term::boxed_from_address(scan as usize), h.object_words()),
                None => (t, 2),
            };
            traced_children(obj, |slot| {
                // SAFETY: a traced word of an object inside the region.
                let c = Term::from_raw(unsafe { *slot });
                if owned(c) {
                    let n = self.shallow(c, src, flatten);
                    // SAFETY: as above.
                    unsafe { *slot = n.raw() };
                }
            });
            // SAFETY: the object ends at or before `top`.
            scan = unsafe { scan.add(words) };
        }
        root
    }
}

/// Copies `term` from `src` into `dest`'s heap (or a fragment of it if the
/// heap is full). Never collects either process.
pub fn copy_term<S: CopySource + ?Sized>(term: Term, src: &S, dest: &mut ProcessMemory) -> Term {
    let words = size_of(term, src);
    if words == 0 {
        return term;
    }
    let p = dest.alloc(words);
    let mut d = RawDest::new(p, words);
    let t = d.copy(term, src, false);
    dest.off_heap.append(&mut d.off_heap);
    t
}

/// Copies `term` into a new heap fragment: a message for a process that may
/// be running, attached to it later with `ProcessMemory::attach_fragment`.
pub fn copy_to_fragment<S: CopySource + ?Sized>(term: Term, src: &S) -> (HeapFragment, Term) {
    let words = size_of(term, src);
    let mut frag = HeapFragment::new(words);
    if words == 0 {
        return (frag, term);
    }
    let p = frag.alloc(words).unwrap_or(std::ptr::null_mut());
    let mut d = RawDest::new(p, words);
    let t = d.copy(term, src, false);
    frag.off_heap.append(&mut d.off_heap);
    (frag, t)
}

pub(crate) fn copy_flattened<S: CopySource + ?Sized>(
    term: Term,
    src: &S,
    dest: &mut RawDest,
) -> Term {
    dest.copy(term, src, true)
}
