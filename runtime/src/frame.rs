//! Frame descriptors: how the GC, exceptions and stack traces read the Erlang
//! stack.
//!
//! The stack lives at the top of the process's memory block and grows down.
//! A non-tail call leaves the caller's frame on the stack and pushes the
//! continuation (the address of the code that resumes the caller) below it:
//!
//! ```text
//!   higher addresses   (stack base: the end of the block)
//!   | ...older frames ...       |
//!   | caller slot n-1           |
//!   | ...                       |
//!   | caller slot 0             |
//!   | continuation C            |  <- `stop` while the callee runs
//!   lower addresses    (the free gap, then the heap)
//! ```
//!
//! The compiler registers one [`FrameDescriptor`] per continuation: the `n`
//! slots above it, which of them hold live terms, which hold catch markers,
//! and where in the source the call was. A collection, a raise or a stack
//! trace walks from `stop` to the stack base: read the continuation, look up
//! its descriptor, visit the frame, skip `1 + n` words, repeat.
//!
//! A GC that runs inside a function (a failed heap check, a runtime call that
//! allocates) sees that function's own frame the same way: the compiled code
//! pushes the continuation of the safepoint, whose descriptor names the slots
//! live across it, before calling the collector, and pops it afterwards. So
//! whenever a GC runs, `stop` is either the stack base or a continuation.
//!
//! Slots a descriptor does not mark live are dead: the GC neither reads nor
//! updates them, and they may hold stale pointers.

use crate::atom::Atom;
use crate::term::{Continuation, Word};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{OnceLock, RwLock, RwLockReadGuard};

/// Index of a [`CodeLocation`] in a [`FrameTable`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct LocationId(pub u32);

/// The `{Module, Function, Arity, [{file, F}, {line, L}]}` of a call site,
/// for stack traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLocation {
    pub module: Atom,
    pub function: Atom,
    pub arity: u32,
    pub file: Option<std::sync::Arc<str>>,
    /// 0 when unknown.
    pub line: u32,
}

/// What the GC and the exception machinery need to know about one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameDescriptor {
    size: u32,
    location: LocationId,
    /// Live bits of slots 0..64, inline: almost every frame has fewer than
    /// 64 slots, so a collection reads one word and follows no pointer.
    live_low: u64,
    /// Live bits of slots 64 and up: bit `s % 64` of word `s / 64 - 1` for
    /// slot `s`. Empty when none of those slots is live.
    live_high: Box<[u64]>,
    catches: Box<[u32]>,
}

/// A descriptor or stack that breaks the frame rules. Every one is a
/// compiler or runtime bug, reported rather than followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// A live or catch slot index at or beyond the frame size.
    SlotOutOfRange { slot: u32, size: u32 },
    /// A slot marked both live and catch.
    SlotLiveAndCatch { slot: u32 },
    /// A continuation registered twice with different descriptors.
    Conflict { address: usize },
    /// A code address too large to tag.
    BadAddress { address: usize },
    /// The word where a frame should start is not a continuation.
    NotAContinuation { offset: usize },
    /// A continuation with no registered descriptor.
    UnknownContinuation { offset: usize, address: usize },
    /// A frame that runs past the stack base.
    FrameOverrun { offset: usize },
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for FrameError {}

impl FrameDescriptor {
    /// A frame of `size` slots above its continuation, `live` slots holding
    /// terms and `catches` slots holding catch markers (innermost first).
    pub fn new(
        size: u32,
        live: &[u32],
        catches: &[u32],
        location: LocationId,
    ) -> Result<FrameDescriptor, FrameError> {
        let mut bits = vec![0u64; (size as usize).div_ceil(64)].into_boxed_slice();
        for &s in live {
            if s >= size {
                return Err(FrameError::SlotOutOfRange { slot: s, size });
            }
            bits[s as usize / 64] |= 1 << (s % 64);
        }
        for &s in catches {
            if s >= size {
                return Err(FrameError::SlotOutOfRange { slot: s, size });
            }
            if bits[s as usize / 64] & (1 << (s % 64)) != 0 {
                return Err(FrameError::SlotLiveAndCatch { slot: s });
            }
        }
        let live_low = bits.first().copied().unwrap_or(0);
        // Kept empty when no slot beyond 63 is live, so a collection
        // tells wide frames apart by the length alone.
        let high = bits.get(1..).unwrap_or(&[]);
        let live_high = if high.iter().any(|&b| b != 0) {
            high.into()
        } else {
            Box::default()
        };
        Ok(FrameDescriptor {
            size,
            location,
            live_low,
            live_high,
            catches: catches.into(),
        })
    }

    /// Slots above the continuation.
    pub fn size(&self) -> usize {
        self.size as usize
    }

    pub fn is_live(&self, slot: usize) -> bool {
        if slot >= self.size() {
            return false;
        }
        let w = match slot / 64 {
            0 => self.live_low,
            i => self.live_high.get(i - 1).copied().unwrap_or(0),
        };
        w & (1 << (slot % 64)) != 0
    }

    /// The live bits of slots 0 to 63: bit `s` for slot `s`.
    #[inline]
    pub fn live_low(&self) -> u64 {
        self.live_low
    }

    /// The live bits of slots 64 and up: bit `s % 64` of word `s / 64 - 1`
    /// for slot `s`. Empty when none of those slots is live.
    #[inline]
    pub fn live_high(&self) -> &[u64] {
        &self.live_high
    }

    /// The live slots in increasing order.
    pub fn live_slots(&self) -> impl Iterator<Item = usize> + '_ {
        let low = std::iter::once(&self.live_low);
        low.chain(self.live_high.iter())
            .enumerate()
            .flat_map(|(i, &w)| {
                let mut w = w;
                std::iter::from_fn(move || {
                    if w == 0 {
                        return None;
                    }
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    Some(i * 64 + b)
                })
            })
    }

    /// The slots holding catch markers, innermost (most recent) first.
    pub fn catch_slots(&self) -> &[u32] {
        &self.catches
    }

    pub fn location(&self) -> LocationId {
        self.location
    }
}

/// A multiplicative hasher: continuation addresses are already well spread.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

#[derive(Default)]
struct Tables {
    /// Continuation address to an index into `descriptors`.
    index: HashMap<usize, u32, BuildHasherDefault<AddressHasher>>,
    descriptors: Vec<FrameDescriptor>,
    locations: Vec<CodeLocation>,
}

/// Continuation addresses to descriptors, and the call-site locations they
/// name. The runtime has one ([`global_frames`]); tests make their own.
#[derive(Default)]
pub struct FrameTable {
    inner: RwLock<Tables>,
}

/// A locked view of a [`FrameTable`], held for the length of one walk.
pub struct FrameTableReader<'a> {
    guard: RwLockReadGuard<'a, Tables>,
    /// The last continuation found and its descriptor's index: a stack of
    /// recursive calls repeats one continuation many times.
    last: std::cell::Cell<(usize, u32)>,
}

impl FrameTableReader<'_> {
    pub fn get(&self, continuation: Continuation) -> Option<&FrameDescriptor> {
        let a = continuation.address();
        let (la, li) = self.last.get();
        if la == a && a != 0 {
            return self.guard.descriptors.get(li as usize);
        }
        let i = self.index_of(a)?;
        self.last.set((a, i));
        self.guard.descriptors.get(i as usize)
    }

    /// The index of the descriptor registered for the continuation at
    /// `address`, for [`FrameTableReader::descriptor`].
    #[inline(never)]
    fn index_of(&self, address: usize) -> Option<u32> {
        self.guard.index.get(&address).copied()
    }

    /// The descriptor at `index` (as a [`FrameRun`] records it).
    #[inline]
    pub fn descriptor(&self, index: u32) -> Option<&FrameDescriptor> {
        self.guard.descriptors.get(index as usize)
    }

    pub fn location(&self, id: LocationId) -> Option<&CodeLocation> {
        self.guard.locations.get(id.0 as usize)
    }
}

impl FrameTable {
    pub fn new() -> FrameTable {
        FrameTable::default()
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Tables> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn read(&self) -> FrameTableReader<'_> {
        FrameTableReader {
            guard: self.inner.read().unwrap_or_else(|e| e.into_inner()),
            last: std::cell::Cell::new((0, 0)),
        }
    }

    pub fn add_location(&self, location: CodeLocation) -> LocationId {
        let mut t = self.write();
        t.locations.push(location);
        LocationId((t.locations.len() - 1) as u32)
    }

    /// Registers the descriptor of the frame a continuation resumes.
    pub fn register(
        &self,
        code_address: usize,
        descriptor: FrameDescriptor,
    ) -> Result<Continuation, FrameError> {
        let c = Continuation::new(code_address).ok_or(FrameError::BadAddress {
            address: code_address,
        })?;
        let mut t = self.write();
        match t.index.get(&code_address) {
            Some(&i) if t.descriptors[i as usize] != descriptor => Err(FrameError::Conflict {
                address: code_address,
            }),
            Some(_) => Ok(c),
            None => {
                let i = t.descriptors.len() as u32;
                t.descriptors.push(descriptor);
                t.index.insert(code_address, i);
                Ok(c)
            }
        }
    }

    /// Forgets the continuations in `[start, end)` (code being unloaded).
    pub fn unregister_range(&self, start: usize, end: usize) {
        // The descriptors stay (indices must not move); only the addresses
        // are forgotten.
        self.write()
            .index
            .retain(|&a, _| !(start..end).contains(&a));
    }
}

/// The runtime's frame table, used by compiled code.
pub fn global_frames() -> &'static FrameTable {
    static TABLE: OnceLock<FrameTable> = OnceLock::new();
    TABLE.get_or_init(FrameTable::new)
}

/// One frame found by [`walk_frames`].
#[derive(Copy, Clone, Debug)]
pub struct FrameRef<'a> {
    /// Offset of the continuation word from `stop`.
    pub offset: usize,
    pub continuation: Continuation,
    pub descriptor: &'a FrameDescriptor,
}

impl FrameRef<'_> {
    /// Offset from `stop` of slot `i` of this frame.
    pub fn slot_offset(&self, i: usize) -> usize {
        self.offset + 1 + i
    }
}

/// Walks the frames of `stack` (the words from `stop` up to the stack base),
/// innermost first. Stops early when `visit` returns `false`.
pub fn walk_frames<'t>(
    stack: &[Word],
    frames: &'t FrameTableReader<'_>,
    mut visit: impl FnMut(FrameRef<'t>) -> bool,
) -> Result<(), FrameError> {
    let mut pos = 0;
    while pos < stack.len() {
        let c = Continuation::from_word(stack[pos])
            .ok_or(FrameError::NotAContinuation { offset: pos })?;
        let d = frames.get(c).ok_or(FrameError::UnknownContinuation {
            offset: pos,
            address: c.address(),
        })?;
        if pos + 1 + d.size() > stack.len() {
            return Err(FrameError::FrameOverrun { offset: pos });
        }
        let f = FrameRef {
            offset: pos,
            continuation: c,
            descriptor: d,
        };
        if !visit(f) {
            return Ok(());
        }
        pos += 1 + d.size();
    }
    Ok(())
}

/// Consecutive frames with one continuation (a recursion, often) that have
/// live slots, as [`record_frame_runs`] finds them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FrameRun {
    /// Offset from `stop` of the first frame's slot 0 (one above its
    /// continuation).
    pub base: usize,
    /// Frames in the run.
    pub count: usize,
    /// Words per frame: the continuation and [`FrameDescriptor::size`]
    /// slots. Frame `k` of the run has its slot 0 at `base + k * stride`.
    pub stride: usize,
    /// The descriptor's [`FrameDescriptor::live_low`].
    pub live_low: u64,
    /// The descriptor's index in the table when it has live slots beyond
    /// the first 64 ([`FrameTableReader::descriptor`]), else
    /// [`FrameRun::NARROW`].
    pub wide: u32,
}

impl FrameRun {
    /// No descriptor index: no live slot beyond slot 63.
    pub const NARROW: u32 = u32::MAX;

    fn has_live(&self) -> bool {
        self.live_low != 0 || self.wide != FrameRun::NARROW
    }
}

/// Walks the whole stack as [`walk_frames`] does, checking every frame,
/// and appends to `out` one [`FrameRun`] for each stretch of consecutive
/// frames with the same continuation and some live slot, innermost first.
/// On an error `out` may hold some of the runs.
///
/// A collection checks the stack with one lookup per run (a recursion
/// repeats one continuation many times), then visits the live slots from
/// the record without walking the stack again.
pub fn record_frame_runs(
    stack: &[Word],
    frames: &FrameTableReader<'_>,
    out: &mut Vec<FrameRun>,
) -> Result<(), FrameError> {
    // The continuation word of the current run, and the run.
    let mut last: Word = 0;
    let mut run: Option<FrameRun> = None;
    let mut pos = 0;
    while pos < stack.len() {
        let w = stack[pos];
        let stride = match &mut run {
            Some(r) if last == w => {
                r.count += 1;
                r.stride
            }
            _ => {
                let c = Continuation::from_word(w)
                    .ok_or(FrameError::NotAContinuation { offset: pos })?;
                // Indices in the map always name a pushed descriptor.
                let found = frames
                    .index_of(c.address())
                    .and_then(|i| Some((i, frames.descriptor(i)?)));
                let Some((i, d)) = found else {
                    return Err(FrameError::UnknownContinuation {
                        offset: pos,
                        address: c.address(),
                    });
                };
                if let Some(r) = run.take_if(|r| r.has_live()) {
                    out.push(r);
                }
                let r = FrameRun {
                    base: pos + 1,
                    count: 1,
                    stride: 1 + d.size(),
                    live_low: d.live_low,
                    wide: if d.live_high.is_empty() {
                        FrameRun::NARROW
                    } else {
                        i
                    },
                };
                last = w;
                run = Some(r);
                r.stride
            }
        };
        let end = pos + stride;
        if end > stack.len() {
            return Err(FrameError::FrameOverrun { offset: pos });
        }
        pos = end;
    }
    if let Some(r) = run.take_if(|r| r.has_live()) {
        out.push(r);
    }
    Ok(())
}

/// Calls `visit` with the offset (from `stop`) of every live slot.
pub fn for_each_live_slot(
    stack: &[Word],
    frames: &FrameTableReader<'_>,
    mut visit: impl FnMut(usize),
) -> Result<(), FrameError> {
    walk_frames(stack, frames, |f| {
        for s in f.descriptor.live_slots() {
            visit(f.slot_offset(s));
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::Term;

    #[test]
    fn descriptors_check_slots() {
        let d = FrameDescriptor::new(70, &[0, 3, 69], &[5], LocationId(0)).unwrap();
        assert_eq!(d.live_slots().collect::<Vec<_>>(), vec![0, 3, 69]);
        assert!(d.is_live(69) && !d.is_live(5) && !d.is_live(200));
        assert_eq!(
            FrameDescriptor::new(3, &[3], &[], LocationId(0)),
            Err(FrameError::SlotOutOfRange { slot: 3, size: 3 })
        );
        assert_eq!(
            FrameDescriptor::new(3, &[1], &[1], LocationId(0)),
            Err(FrameError::SlotLiveAndCatch { slot: 1 })
        );
    }

    #[test]
    fn walk_reports_bad_stacks() {
        let t = FrameTable::new();
        let c = t
            .register(
                0x1000,
                FrameDescriptor::new(2, &[1], &[], LocationId(0)).unwrap(),
            )
            .unwrap();
        assert_eq!(
            t.register(
                0x1000,
                FrameDescriptor::new(1, &[], &[], LocationId(0)).unwrap()
            ),
            Err(FrameError::Conflict { address: 0x1000 })
        );
        let nil = Term::NIL.raw();
        let r = t.read();
        let good = [c.to_word(), nil, nil, c.to_word(), nil, nil];
        let mut seen = vec![];
        for_each_live_slot(&good, &r, |o| seen.push(o)).unwrap();
        assert_eq!(seen, vec![2, 5]);
        assert_eq!(
            for_each_live_slot(&[nil], &r, |_| ()),
            Err(FrameError::NotAContinuation { offset: 0 })
        );
        assert_eq!(
            for_each_live_slot(&[c.to_word(), nil], &r, |_| ()),
            Err(FrameError::FrameOverrun { offset: 0 })
        );
        let other = Continuation::new(0x2000).unwrap().to_word();
        assert_eq!(
            for_each_live_slot(&[other], &r, |_| ()),
            Err(FrameError::UnknownContinuation {
                offset: 0,
                address: 0x2000
            })
        );
    }

    #[test]
    fn runs_group_repeated_frames_and_skip_dead_ones() {
        let t = FrameTable::new();
        let rec = t
            .register(
                0x1000,
                FrameDescriptor::new(2, &[1], &[], LocationId(0)).unwrap(),
            )
            .unwrap()
            .to_word();
        let dead = t
            .register(
                0x2000,
                FrameDescriptor::new(1, &[], &[], LocationId(0)).unwrap(),
            )
            .unwrap()
            .to_word();
        let wide = t
            .register(
                0x3000,
                FrameDescriptor::new(70, &[0, 69], &[], LocationId(0)).unwrap(),
            )
            .unwrap()
            .to_word();
        let nil = Term::NIL.raw();
        let mut stack = vec![rec, nil, nil, rec, nil, nil, dead, nil, wide];
        stack.extend([nil; 70]);
        stack.extend([rec, nil, nil]);
        let r = t.read();
        let mut runs = vec![];
        record_frame_runs(&stack, &r, &mut runs).unwrap();
        let wide_index = r.index_of(0x3000).unwrap();
        assert_eq!(
            runs,
            vec![
                FrameRun {
                    base: 1,
                    count: 2,
                    stride: 3,
                    live_low: 0b10,
                    wide: FrameRun::NARROW
                },
                FrameRun {
                    base: 9,
                    count: 1,
                    stride: 71,
                    live_low: 1,
                    wide: wide_index
                },
                FrameRun {
                    base: 80,
                    count: 1,
                    stride: 3,
                    live_low: 0b10,
                    wide: FrameRun::NARROW
                },
            ]
        );
        let d = r.descriptor(wide_index).unwrap();
        assert_eq!(d.live_high(), &[1 << 5]);
        assert_eq!(d.live_slots().collect::<Vec<_>>(), vec![0, 69]);
        // The slots the runs name are those `for_each_live_slot` visits.
        let mut seen = vec![];
        for_each_live_slot(&stack, &r, |o| seen.push(o)).unwrap();
        assert_eq!(seen, vec![2, 5, 9, 78, 81]);
        // Errors as `walk_frames` reports them, after a good prefix too.
        let mut bad = vec![rec, nil, nil, rec, nil];
        assert_eq!(
            record_frame_runs(&bad, &r, &mut runs),
            Err(FrameError::FrameOverrun { offset: 3 })
        );
        bad[3] = nil;
        assert_eq!(
            record_frame_runs(&bad, &r, &mut runs),
            Err(FrameError::NotAContinuation { offset: 3 })
        );
        bad[3] = Continuation::new(0x4000).unwrap().to_word();
        assert_eq!(
            record_frame_runs(&bad, &r, &mut runs),
            Err(FrameError::UnknownContinuation {
                offset: 3,
                address: 0x4000
            })
        );
    }
}
