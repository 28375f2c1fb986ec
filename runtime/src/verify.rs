//! The heap verifier: checks, after a collection, that every live pointer of
//! a process lands where it may.
//!
//! It walks every object of the young heap, the old generation and the heap
//! fragments, and every root (live x registers, dictionary, extra roots, live
//! stack slots), and checks that:
//! - every header decodes and every object lies inside its space;
//! - every list pointer lands on a cons cell and every boxed pointer on a
//!   header, in this process's spaces or in a registered literal area;
//! - no old-generation object points into the young generation, but for
//!   the tails of remembered cells, and every open cell (see `gc::HOLE`)
//!   made before the last collection is remembered;
//! - every `REFC_BIN` handle holds a live count and is on exactly the
//!   off-heap list of its generation;
//! - sub-binaries point at a heap or off-heap binary and stay inside it,
//!   flat maps have a key tuple of the right size, bignums are normalised.
//!
//! Collections run it when the process's `verify` flag is on (set by
//! `ProcessMemory::set_verify` or the `CORAL_VERIFY_HEAP` environment
//! variable). It reads only this process's memory and the literal registry.

use crate::binary::OffHeapBinary;
use crate::frame::{FrameError, FrameTable, FrameTableReader, for_each_live_slot};
use crate::heap::ProcessMemory;
use crate::term::{
    Header, HeaderKind, MAX_SMALL, PRIMARY_MASK, TAG_BOXED, TAG_HEADER, TAG_LIST, Term, Word,
};
use std::collections::HashSet;

/// What the verifier found wrong, with the address involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    BadHeader {
        addr: usize,
        word: Word,
    },
    ObjectOverrun {
        addr: usize,
    },
    /// A word that must be a term is a header, continuation, catch marker
    /// or `NON_VALUE`.
    NotATerm {
        place: String,
        word: Word,
    },
    /// A pointer that lands on no object of the right shape.
    Dangling {
        place: String,
        word: Word,
    },
    OldToYoung {
        place: String,
        word: Word,
    },
    BadBinary {
        addr: usize,
        reason: &'static str,
    },
    BadMap {
        addr: usize,
    },
    BadBignum {
        addr: usize,
    },
    OffHeapList {
        reason: String,
    },
    Stack(FrameError),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for VerifyError {}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Space {
    Young,
    Old,
    Fragment,
}

struct Region {
    space: Space,
    lo: usize,
    hi: usize,
    starts: Vec<u64>,
    objects: Vec<usize>,
}

impl Region {
    fn scan(space: Space, lo: usize, hi: usize) -> Result<Region, VerifyError> {
        let words = (hi - lo) / 8;
        let mut r = Region {
            space,
            lo,
            hi,
            starts: vec![0; words.div_ceil(64)],
            objects: Vec::new(),
        };
        let mut i = 0;
        while i < words {
            let addr = lo + i * 8;
            // SAFETY: `addr` is inside the used part of the space.
            let w = unsafe { *(addr as *const Word) };
            let n = if w & PRIMARY_MASK == TAG_HEADER {
                let h = Header::from_word(w).ok_or(VerifyError::BadHeader { addr, word: w })?;
                h.object_words()
            } else {
                2
            };
            if i + n > words {
                return Err(VerifyError::ObjectOverrun { addr });
            }
            r.starts[i / 64] |= 1 << (i % 64);
            r.objects.push(addr);
            i += n;
        }
        Ok(r)
    }

    fn contains(&self, addr: usize) -> bool {
        addr >= self.lo && addr < self.hi
    }

    fn is_start(&self, addr: usize) -> bool {
        let i = (addr - self.lo) / 8;
        addr.is_multiple_of(8) && self.starts[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The fewest words after the header an object of `kind` has (term.rs).
fn min_arity(kind: HeaderKind) -> usize {
    match kind {
        HeaderKind::Tuple | HeaderKind::BigPos | HeaderKind::BigNeg => 0,
        HeaderKind::Float | HeaderKind::Fun | HeaderKind::HeapBin | HeaderKind::FlatMap => 1,
        HeaderKind::HashNode => 1,
        HeaderKind::Ref | HeaderKind::HashHead => 2,
        HeaderKind::ExternalPort | HeaderKind::ExternalRef => 3,
        HeaderKind::Export | HeaderKind::RefcBin | HeaderKind::SubBin => 3,
        HeaderKind::ExternalPid => 4,
    }
}

struct Checker<'a> {
    regions: Vec<Region>,
    mem: &'a ProcessMemory,
}

fn read(addr: usize) -> Word {
    // SAFETY: only called on addresses the checker has found to be object
    // starts (or words inside objects) of a space or literal area.
    unsafe { *(addr as *const Word) }
}

impl Checker<'_> {
    fn check_term(
        &self,
        word: Word,
        from: Option<Space>,
        place: &dyn Fn() -> String,
    ) -> Result<(), VerifyError> {
        let t = Term::from_raw(word);
        if t.is_immediate() {
            if t.is_non_value() || t.is_catch_marker() {
                return Err(VerifyError::NotATerm {
                    place: place(),
                    word,
                });
            }
            return Ok(());
        }
        let Some(addr) = t.address() else {
            return Err(VerifyError::NotATerm {
                place: place(),
                word,
            });
        };
        let dangling = || VerifyError::Dangling {
            place: place(),
            word,
        };
        let target = if let Some(r) = self.regions.iter().find(|r| r.contains(addr)) {
            if !r.is_start(addr) {
                return Err(dangling());
            }
            if from == Some(Space::Old) && r.space != Space::Old {
                return Err(VerifyError::OldToYoung {
                    place: place(),
                    word,
                });
            }
            read(addr)
        } else if crate::literal::is_literal_object(addr) {
            crate::literal::literal_word(addr).ok_or_else(dangling)?
        } else {
            return Err(dangling());
        };
        let is_header = target & PRIMARY_MASK == TAG_HEADER;
        match word & PRIMARY_MASK {
            TAG_LIST if !is_header => Ok(()),
            TAG_BOXED if is_header && Header::from_word(target).is_some() => Ok(()),
            _ => Err(dangling()),
        }
    }

    fn check_object(
        &self,
        r: &Region,
        addr: usize,
        refc: &mut Vec<usize>,
    ) -> Result<(), VerifyError> {
        let w = read(addr);
        let Some(h) = Header::from_word(w) else {
            let remembered = || {
                self.mem
                    .remembered
                    .iter()
                    .any(|e| e.address() == Some(addr))
            };
            if read(addr + 8) == crate::gc::HOLE.raw() {
                // An open cell: made since the last collection, or
                // remembered.
                let fresh = r.space == Space::Young && addr >= self.mem.high_water as usize;
                if !fresh && !remembered() {
                    return Err(VerifyError::NotATerm {
                        place: format!("open cons {addr:#x} not remembered"),
                        word: read(addr + 8),
                    });
                }
                let place = || format!("cons {addr:#x} word 0");
                return self.check_term(read(addr), Some(r.space), &place);
            }
            for i in 0..2 {
                let place = || format!("cons {addr:#x} word {i}");
                // A remembered cell's tail may point at younger data.
                let from = if i == 1 && r.space == Space::Old && remembered() {
                    None
                } else {
                    Some(r.space)
                };
                self.check_term(read(addr + 8 * i), from, &place)?;
            }
            return Ok(());
        };
        // The checks below read fixed words of each kind; a header too short
        // for its kind would send them past the object (and the space).
        if h.arity < min_arity(h.kind) {
            return Err(VerifyError::BadHeader { addr, word: w });
        }
        let (a, b) = h.kind.traced_words(h.arity);
        for i in a..b {
            let place = || format!("{:?} {addr:#x} word {i}", h.kind);
            self.check_term(read(addr + 8 * i), Some(r.space), &place)?;
        }
        let t = Term::boxed_from_address(addr);
        match h.kind {
            HeaderKind::RefcBin => {
                refc.push(addr);
                let bin = read(addr + 16) as *const OffHeapBinary;
                if bin.is_null() {
                    return Err(VerifyError::BadBinary {
                        addr,
                        reason: "null binary",
                    });
                }
                // SAFETY: a handle's binary is live while the handle holds its
                // count; a count of zero would be the bug reported below.
                let bin = unsafe { &*bin };
                if bin.refcount() == 0 {
                    return Err(VerifyError::BadBinary {
                        addr,
                        reason: "zero count",
                    });
                }
                if read(addr + 24) as *const u8 != bin.bytes().as_ptr()
                    || read(addr + 8) as usize > bin.bytes().len()
                {
                    return Err(VerifyError::BadBinary {
                        addr,
                        reason: "data pointer or size",
                    });
                }
            }
            HeaderKind::HeapBin if read(addr + 8) as usize > (h.arity - 1) * 8 => {
                return Err(VerifyError::BadBinary {
                    addr,
                    reason: "size beyond object",
                });
            }
            HeaderKind::SubBin => {
                let orig = Term::from_raw(read(addr + 8));
                let kind = orig.header(self.mem).map(|h| h.kind);
                if !matches!(kind, Some(HeaderKind::HeapBin | HeaderKind::RefcBin)) {
                    return Err(VerifyError::BadBinary {
                        addr,
                        reason: "sub-binary of a non-binary",
                    });
                }
                if t.bits(self.mem).is_none() {
                    return Err(VerifyError::BadBinary {
                        addr,
                        reason: "sub-binary out of range",
                    });
                }
            }
            HeaderKind::FlatMap => {
                let keys = Term::from_raw(read(addr + 8));
                match keys.tuple_elements(self.mem) {
                    Some(k) if k.len() + 1 == h.arity => {}
                    _ => return Err(VerifyError::BadMap { addr }),
                }
            }
            HeaderKind::BigPos | HeaderKind::BigNeg => {
                let limbs: Vec<u64> = (1..=h.arity).map(|i| read(addr + 8 * i)).collect();
                let fits_small = match limbs.as_slice() {
                    [] => true,
                    [l] => {
                        if h.kind == HeaderKind::BigPos {
                            *l <= MAX_SMALL as u64
                        } else {
                            *l <= MAX_SMALL as u64 + 1
                        }
                    }
                    _ => false,
                };
                if fits_small || limbs.last() == Some(&0) {
                    return Err(VerifyError::BadBignum { addr });
                }
            }
            HeaderKind::Fun if read(addr + 8) == 0 => {
                return Err(VerifyError::BadBinary {
                    addr,
                    reason: "fun without entry",
                });
            }
            _ => {}
        }
        Ok(())
    }
}

fn same_set(list: &[*mut Word], found: &[usize], what: &str) -> Result<(), VerifyError> {
    let a: HashSet<usize> = list.iter().map(|&p| p as usize).collect();
    let b: HashSet<usize> = found.iter().copied().collect();
    if a.len() != list.len() {
        return Err(VerifyError::OffHeapList {
            reason: format!("{what} list has duplicates"),
        });
    }
    if a != b {
        return Err(VerifyError::OffHeapList {
            reason: format!("{what} list has {} handles, heap has {}", a.len(), b.len()),
        });
    }
    Ok(())
}

/// Verifies `m` with `live_x` x registers and `roots` live.
pub fn verify(
    m: &ProcessMemory,
    live_x: usize,
    roots: &[Term],
    frames: &FrameTableReader<'_>,
) -> Result<(), VerifyError> {
    let mut regions = vec![Region::scan(
        Space::Young,
        m.ctx.heap_start as usize,
        m.ctx.htop as usize,
    )?];
    if let Some(o) = &m.old {
        regions.push(Region::scan(
            Space::Old,
            o.block.start() as usize,
            o.top as usize,
        )?);
    }
    for f in &m.fragments {
        let s = f.block.start() as usize;
        regions.push(Region::scan(Space::Fragment, s, s + f.used * 8)?);
    }
    let c = Checker { regions, mem: m };
    let mut young_refc = Vec::new();
    let mut old_refc = Vec::new();
    for r in &c.regions {
        let list = if r.space == Space::Old {
            &mut old_refc
        } else {
            &mut young_refc
        };
        for &addr in &r.objects {
            c.check_object(r, addr, list)?;
        }
    }
    same_set(&m.off_heap, &young_refc, "young off-heap")?;
    same_set(&m.off_heap_old, &old_refc, "old off-heap")?;

    for (i, x) in m.x().iter().take(live_x).enumerate() {
        c.check_term(x.raw(), None, &|| format!("x{i}"))?;
    }
    c.check_term(m.dictionary.raw(), None, &|| "dictionary".into())?;
    for (i, r) in roots.iter().enumerate() {
        c.check_term(r.raw(), None, &|| format!("root {i}"))?;
    }
    let stack = m.stack();
    let mut bad = None;
    for_each_live_slot(stack, frames, |off| {
        if bad.is_none() {
            bad = c
                .check_term(stack[off], None, &|| format!("stack slot {off}"))
                .err();
        }
    })
    .map_err(VerifyError::Stack)?;
    bad.map_or(Ok(()), Err)
}

impl ProcessMemory {
    /// Runs the verifier now (outside a collection).
    pub fn verify_heap(
        &self,
        live_x: usize,
        roots: &[Term],
        frames: &FrameTable,
    ) -> Result<(), VerifyError> {
        verify(self, live_x, roots, &frames.read())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::Header;

    fn word_at(t: Term, i: usize) -> *mut Word {
        (t.address().unwrap() as *mut Word).wrapping_add(i)
    }

    #[test]
    fn accepts_a_sound_heap() {
        let t = FrameTable::new();
        let mut m = ProcessMemory::new();
        let b = m.binary(&[1; 100]);
        let s = m.sub_binary(b, 3, 17).unwrap();
        let tup = m.tuple(&[b, s, Term::NIL]).unwrap();
        m.verify_heap(0, &[tup], &t).unwrap();
    }

    #[test]
    fn finds_dangling_and_misdirected_pointers() {
        let t = FrameTable::new();
        let mut m = ProcessMemory::new();
        let inner = m.tuple(&[Term::NIL]).unwrap();
        let outer = m.tuple(&[inner, Term::NIL]).unwrap();
        m.verify_heap(0, &[outer], &t).unwrap();
        // SAFETY: writing inside objects this test owns.
        unsafe {
            // A boxed pointer into the middle of an object.
            *word_at(outer, 1) = inner.raw() + 8;
        }
        assert!(matches!(
            m.verify_heap(0, &[outer], &t),
            Err(VerifyError::Dangling { .. })
        ));
        // SAFETY: as above.
        unsafe {
            // A list pointer at a header.
            *word_at(outer, 1) = inner.raw() - 1;
        }
        assert!(matches!(
            m.verify_heap(0, &[outer], &t),
            Err(VerifyError::Dangling { .. })
        ));
        // SAFETY: as above.
        unsafe {
            *word_at(outer, 1) = Term::NON_VALUE.raw();
        }
        assert!(matches!(
            m.verify_heap(0, &[outer], &t),
            Err(VerifyError::NotATerm { .. })
        ));
        // SAFETY: as above.
        unsafe {
            *word_at(outer, 1) = inner.raw();
        }
        m.verify_heap(0, &[outer], &t).unwrap();
        // A root pointing nowhere near the heap.
        let bogus = Term::boxed_from_address(0x1000);
        assert!(matches!(
            m.verify_heap(0, &[bogus], &t),
            Err(VerifyError::Dangling { .. })
        ));
    }

    #[test]
    fn finds_old_to_young_pointers_and_bad_objects() {
        let t = FrameTable::new();
        let mut m = ProcessMemory::new();
        let old = m.tuple(&[Term::NIL]).unwrap();
        let mut roots = [old];
        m.collect(0, 0, &mut roots, &t).unwrap();
        m.collect(0, 0, &mut roots, &t).unwrap();
        assert!(m.old_heap_used() > 0);
        let young = m.tuple(&[Term::NIL]).unwrap();
        // SAFETY: the old tuple belongs to this test's process.
        unsafe { *word_at(roots[0], 1) = young.raw() };
        assert!(matches!(
            m.verify_heap(0, &roots, &t),
            Err(VerifyError::OldToYoung { .. })
        ));
        // SAFETY: restore it, then break a bignum's normal form.
        unsafe { *word_at(roots[0], 1) = Term::NIL.raw() };
        let big = m.int(i64::MAX);
        m.verify_heap(0, &[big], &t).unwrap();
        // SAFETY: the bignum belongs to this test's process.
        unsafe { *word_at(big, 1) = 5 };
        assert!(matches!(
            m.verify_heap(0, &[big], &t),
            Err(VerifyError::BadBignum { .. })
        ));
        // SAFETY: as above; an unknown header kind.
        unsafe {
            *word_at(big, 0) = Header::new(HeaderKind::BigPos, 1).to_word() | (60 << 2);
        }
        assert!(matches!(
            m.verify_heap(0, &[], &t),
            Err(VerifyError::BadHeader { .. })
        ));
    }

    #[test]
    fn finds_headers_too_short_for_their_kind() {
        let t = FrameTable::new();
        for kind in [
            HeaderKind::HeapBin,
            HeaderKind::RefcBin,
            HeaderKind::SubBin,
            HeaderKind::Fun,
            HeaderKind::FlatMap,
        ] {
            let mut m = ProcessMemory::new();
            // A two-word tuple rewritten as an object of `kind` with no
            // words, followed by a cons cell whose words the checks of
            // `kind` would otherwise read as its payload.
            let obj = m.tuple(&[Term::NIL, Term::NIL]).unwrap();
            // SAFETY: the tuple belongs to this test's process; its two
            // element words become a cons cell of two `[]`.
            unsafe { *word_at(obj, 0) = Header::new(kind, 0).to_word() };
            assert!(
                matches!(
                    m.verify_heap(0, &[], &t),
                    Err(VerifyError::BadHeader { .. })
                ),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn finds_unlisted_off_heap_handles() {
        let t = FrameTable::new();
        let mut m = ProcessMemory::new();
        let b = m.binary(&[0; 200]);
        let h = m.off_heap.pop().unwrap();
        assert!(matches!(
            m.verify_heap(0, &[b], &t),
            Err(VerifyError::OffHeapList { .. })
        ));
        m.off_heap.push(h);
        m.verify_heap(0, &[b], &t).unwrap();
    }
}
