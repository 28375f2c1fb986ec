//! Literal areas: the immutable terms of a loaded module (constant tuples,
//! lists, strings, binaries), laid out once in a block of their own.
//!
//! A process term may point into a literal area. A process GC recognises such
//! pointers as lying outside the process's memory and leaves them alone, and
//! a send shares them by pointer instead of copying them. That is sound
//! because an area stays registered (and alive) while its module's code is
//! loaded. Purging a module must first copy the literals still referenced by
//! processes into their heaps (as BEAM's literal-area collector does) and only
//! then unregister the area; that step comes with code unloading.
//!
//! Binaries of every size are stored inline in a literal area as heap
//! binaries: nothing in an area holds an off-heap reference count.

use crate::heap::{Block, ProcessMemory};
use crate::term::{Header, Term, Word};
use std::sync::{Arc, RwLock};

/// One module's literals.
pub struct LiteralArea {
    block: Block,
    used: usize,
    /// One bit per word: which words start an object (for the verifier).
    starts: Vec<u64>,
}

// SAFETY: the area is immutable after construction.
unsafe impl Send for LiteralArea {}
// SAFETY: as above.
unsafe impl Sync for LiteralArea {}

static AREAS: RwLock<Vec<Arc<LiteralArea>>> = RwLock::new(Vec::new());

impl LiteralArea {
    /// Builds an area holding copies of `roots` (terms of `src`), registers
    /// it, and returns it with the copied roots in the same order.
    pub fn build(src: &ProcessMemory, roots: &[Term]) -> (Arc<LiteralArea>, Vec<Term>) {
        let words: usize = roots
            .iter()
            .map(|&t| crate::copy::size_of_flattened(t, src))
            .sum();
        let block = Block::new(words.max(1));
        let mut dest = crate::copy::RawDest::new(block.start(), words);
        let copied = roots
            .iter()
            .map(|&t| crate::copy::copy_flattened(t, src, &mut dest))
            .collect();
        let used = dest.used();
        debug_assert_eq!(used, words);
        let mut starts = vec![0u64; words.div_ceil(64)];
        let mut i = 0;
        while i < used {
            starts[i / 64] |= 1 << (i % 64);
            // SAFETY: `i < used`, inside the block we just filled.
            let w = unsafe { *block.start().add(i) };
            i += Header::from_word(w).map_or(2, |h| h.object_words());
        }
        let area = Arc::new(LiteralArea {
            block,
            used,
            starts,
        });
        AREAS
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(area.clone());
        (area, copied)
    }

    /// Words the area's objects take.
    pub fn words(&self) -> usize {
        self.used
    }

    pub fn contains(&self, addr: usize) -> bool {
        let s = self.block.start() as usize;
        (s..s + self.used * 8).contains(&addr)
    }

    /// Whether `addr` is the first word of an object in this area.
    pub fn is_object_start(&self, addr: usize) -> bool {
        if !self.contains(addr) || !addr.is_multiple_of(8) {
            return false;
        }
        let i = (addr - self.block.start() as usize) / 8;
        self.starts[i / 64] & (1 << (i % 64)) != 0
    }

    /// Removes the area from the registry (module purge, after processes
    /// no longer refer to it). The memory is freed with the last `Arc`.
    pub fn unregister(area: &Arc<LiteralArea>) {
        AREAS
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|a| !Arc::ptr_eq(a, area));
    }
}

impl crate::term::HeapAccess for LiteralArea {
    fn may_hold(&self, addr: usize) -> bool {
        self.contains(addr) || is_literal(addr)
    }
}

/// The registered area holding `addr`, if any.
pub fn find_area(addr: usize) -> Option<Arc<LiteralArea>> {
    AREAS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|a| a.contains(addr))
        .cloned()
}

/// Whether `addr` lies in a registered literal area.
pub fn is_literal(addr: usize) -> bool {
    AREAS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .any(|a| a.contains(addr))
}

/// Whether `addr` is an object start in a registered literal area.
pub fn is_literal_object(addr: usize) -> bool {
    AREAS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .any(|a| a.is_object_start(addr))
}

/// The word at `addr` in a literal area (for the verifier's checks).
pub(crate) fn literal_word(addr: usize) -> Option<Word> {
    let area = find_area(addr)?;
    // SAFETY: `addr` is inside the area's used words, which are immutable.
    Some(unsafe { *(addr as *const Word) }).filter(|_| area.contains(addr))
}
