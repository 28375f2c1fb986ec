//! The per-process garbage collector: precise, copying (Cheney), generational.
//!
//! # Generations
//!
//! Young data lives in the process block; the old generation is a second
//! block. BEAM's high-water mark decides promotion: after every collection
//! `high_water = htop`, so young objects below the mark have survived one
//! collection. A *minor* collection copies the young objects below the mark
//! into the old generation, those above it (and everything in heap fragments)
//! into a fresh young block, and leaves the old generation alone. A *major*
//! (full-sweep) collection copies every live object, young and old, into one
//! fresh block and drops the old generation. It runs after `fullsweep_after`
//! minor collections (65535 by default, as BEAM), when the old generation
//! has no room for the data a minor collection would promote, or, as in
//! BEAM, when there is no old generation and nothing to promote (a
//! process's first collection). The heap's size after a collection follows
//! BEAM's rules (`minor_collection`, `major_collection` and
//! `adjust_after_fullsweep` in `erl_gc.c`), so processes collect about as
//! often as under BEAM, with one exception.
//!
//! # Busy processes
//!
//! BEAM sizes a young heap by the data that survives, and a full sweep
//! shrinks it to twice that. A process that allocates a lot and keeps
//! little then collects every few hundred words: naive reverse of 30
//! elements, run 300,000 times, ends on a 376-word heap (610 under erl,
//! whose `-eval` process holds more) and collects 430,000 times, a third
//! of its run time. Each collection costs a fixed part (the stack walk,
//! the sizing, the new block) besides the copying, and that part is paid
//! per collection, not per word.
//!
//! So a process that collects [`BUSY_AFTER`] times and runs [`BUSY_REDS`]
//! reductions without waiting for a message in between is *busy*: its
//! young heap is at least 4,185 words, one size more every [`BUSY_STEP`]
//! collections after that, up to [`BUSY_FLOOR_MAX`] (139 KiB, within a
//! core's second-level cache). Waiting for a message (or hibernating) ends
//! it: a process that waits with a heap grown so is collected once more by
//! BEAM's rules, which shrink it, so an idle process does not keep a
//! nursery. The floor applies to collections a full heap asks for, not to
//! `erlang:garbage_collect`, and not to a process with a `max_heap_size`,
//! whose limit is set against BEAM's sizes. A process that waits for
//! messages between short bursts of work, the common server, never becomes
//! busy and keeps BEAM's sizes; a long computation gets a nursery, as in
//! GHC or OCaml. The floors of all busy processes together stay within
//! [`BUSY_BUDGET`] words: of ten thousand workers computing at once, all
//! but the first few hundred keep BEAM's sizes. Naive reverse and
//! quicksort in the benchmarks run in two thirds of the time they took
//! without it (0.39 s to 0.26 s, 0.50 s to 0.31 s).
//!
//! # Why a minor collection needs (almost) no remembered set
//!
//! A minor collection treats the old generation as if it were all live and
//! does not scan it for pointers into the young generation, because there
//! are almost none. Erlang terms are immutable: an object can only point at
//! objects that existed when it was made, which are older than it or in the
//! same collection's age. Promotion keeps age order (everything promoted
//! was below the high-water mark, so older than everything left young), so
//! every pointer from an old object lands in the old generation, a literal
//! area or off-heap. The runtime's own writes into existing heap objects
//! (filling a tuple or a cons cell being built, BEAM's in-place
//! `setelement` on a fresh tuple) go to objects it has just allocated and
//! not yet published across a safepoint; such objects are young, so no
//! old-to-young pointer appears.
//!
//! # Lists built front to back
//!
//! The one exception: compiled code builds some lists front to back (see
//! `lower/trmc.rs` in the compiler). It allocates each cell *open*, with
//! [`HOLE`] as its tail, and writes the tail once the next cell exists,
//! possibly after a collection. A collection that moves an open cell
//! remembers it (`ProcessMemory::remembered`). A minor collection treats
//! the tail of each remembered cell in the old generation as a root; a
//! remembered cell in the young heap is no root, but if something else
//! keeps it alive it moves (to the old generation) and its tail with it. A
//! cell stays remembered while it is open or while its tail points into
//! the young heap. A major collection leaves everything in one age, so it
//! remembers only the open cells. The verifier checks all of this after
//! every collection.

//! # Roots
//!
//! The live x registers (`live_x`), the process dictionary, the caller's
//! extra roots (terms held in Rust locals or a native frame's stack map), and
//! the live slots of every stack frame, found through the frame descriptors
//! registered for each continuation (see `frame.rs`). Nothing else: dead
//! stack slots are neither read nor written.
//!
//! # What is never moved
//!
//! Pointers that lead outside the collected spaces (into a literal area, or
//! in a minor collection into the old generation) are left untouched, and
//! off-heap binaries are never moved: only their small heap handles are, and a
//! handle that did not survive gives its count back.
//!
//! Collecting one process reads and writes only that process's memory (and
//! the atomic counts of the off-heap binaries it drops).

use crate::frame::{
    FrameError, FrameRun, FrameTable, FrameTableReader, global_frames, record_frame_runs,
};
use crate::heap::{Block, OldHeap, ProcessContext, ProcessMemory, next_heap_size, release_handle};
use crate::term::{
    Header, HeaderKind, PRIMARY_MASK, TAG_BOXED, TAG_IMMEDIATE, TAG_LIST, Term, Word,
};
use crate::verify::VerifyError;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Words BEAM keeps free above the stack on x86-64 (`S_RESERVED`: a
/// continuation pointer and the JIT's red zone) and counts when it sizes a
/// heap after a full sweep. Coral needs no such reserve, but sizing as if
/// it did makes a process's heap grow at the same points as under BEAM: a
/// young heap filled to within a few words at a full sweep moves to the
/// next size at once, where without the reserve it stayed at 233 words
/// for the 65535 minor collections before the first forced full sweep
/// (naive reverse in a fresh process collected half again as often as
/// BEAM). Checked against OTP 25: after `erlang:garbage_collect/0` a
/// process grows at the next full sweep from 164 live words on a 7-word
/// stack, as this rule says.
const BEAM_RESERVE: usize = 4;

/// Collections without a wait in between after which a process is busy
/// (see "Busy processes" above).
const BUSY_AFTER: u32 = 4;
/// Reductions without a wait after which a process is busy: four time
/// slices. A short-lived worker, or a server handling a message, stays
/// below it and keeps BEAM's sizes however much it allocates.
const BUSY_REDS: u64 = 4 * crate::process::CONTEXT_REDS as u64;
/// A busy process's floor grows one heap size per this many collections.
const BUSY_STEP: u32 = 4;
/// A busy process's first floor and its largest.
const BUSY_FLOOR_FIRST: usize = 4185;
const BUSY_FLOOR_MAX: usize = 17731;
/// At most this many words (64 MiB) of young heap floors at once, over all
/// busy processes.
const BUSY_BUDGET: usize = 1 << 23;
/// The words of floors busy processes hold now (`ProcessMemory::busy_granted`).
static BUSY_WORDS: AtomicUsize = AtomicUsize::new(0);

/// Takes `words` more of `budget` from `used`, if that many are left.
fn grant(used: &AtomicUsize, budget: usize, words: usize) -> bool {
    used.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| {
        (u + words <= budget).then_some(u + words)
    })
    .is_ok()
}

/// Which collection ran.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GcKind {
    Minor,
    Major,
}

/// A collection that could not run, or whose result failed verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GcError {
    /// The stack broke the frame rules; nothing was collected.
    Stack(FrameError),
    /// The verifier found a broken heap after the collection.
    Verify(VerifyError),
}

impl std::fmt::Display for GcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GcError::Stack(e) => write!(f, "bad stack: {e}"),
            GcError::Verify(e) => write!(f, "heap verification failed: {e}"),
        }
    }
}

impl std::error::Error for GcError {}

/// Where an object found during a collection goes.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Dest {
    Young,
    Old,
}

/// The tail of an open cons cell: one whose tail compiled code has yet to
/// write (see "Lists built front to back" above). Never a term, so never
/// seen outside the loop building the list and the collector.
pub const HOLE: Term = Term::NON_VALUE;

/// One collection in progress.
struct Collector {
    young_lo: usize,
    young_hi: usize,
    /// Young objects below this go to the old generation (minor only; equal
    /// to `young_lo` in a major collection).
    mature_hi: usize,
    /// Old generation range, collected in a major collection only.
    old_lo: usize,
    old_hi: usize,
    fragments: Vec<(usize, usize)>,
    young_top: *mut Word,
    old_top: *mut Word,
    new_off_young: Vec<*mut Word>,
    new_off_old: Vec<*mut Word>,
    /// The open cells moved so far (see [`HOLE`]), at their new places.
    holes: Vec<Term>,
}

impl Collector {
    #[inline]
    fn classify(&self, addr: usize) -> Option<Dest> {
        if addr >= self.young_lo && addr < self.young_hi {
            return Some(if addr < self.mature_hi {
                Dest::Old
            } else {
                Dest::Young
            });
        }
        if addr >= self.old_lo && addr < self.old_hi {
            return Some(Dest::Young);
        }
        self.fragments
            .iter()
            .any(|&(lo, hi)| addr >= lo && addr < hi)
            .then_some(Dest::Young)
    }

    /// Moves the object `t` points at (if it is in a collected space) and
    /// returns the term for its new place.
    /// Immediates (most list elements, many tuple fields) are answered
    /// here, inline at every call site, and so are cons cells in the young
    /// heap (most of what a collection moves); other pointers go to
    /// [`Collector::evacuate_pointer`].
    #[inline(always)]
    fn evacuate(&mut self, t: Term) -> Term {
        let raw = t.raw();
        let tag = raw & PRIMARY_MASK;
        if tag == TAG_IMMEDIATE || tag == 0 {
            return t;
        }
        let addr = (raw & !PRIMARY_MASK) as usize;
        if tag == TAG_LIST && addr >= self.young_lo && addr < self.young_hi {
            let dest = if addr < self.mature_hi {
                Dest::Old
            } else {
                Dest::Young
            };
            // SAFETY: `addr` is in the young heap, being collected, and a
            // list term always lands on a live cons cell there (the heap
            // invariant the verifier checks).
            return unsafe { self.move_cons(addr as *mut Word, dest) };
        }
        self.evacuate_pointer(t)
    }

    /// Moves the cons cell at `from` to `dest` unless it moved already;
    /// returns the list term for its new place.
    ///
    /// # Safety
    /// `from` must be a cons cell (possibly forwarded) in a space being
    /// collected whose objects go to `dest`.
    #[inline(always)]
    unsafe fn move_cons(&mut self, from: *mut Word, dest: Dest) -> Term {
        // SAFETY: per the contract `from` is two words of a cons cell; the
        // destination has room: to-spaces are sized for all the data they
        // can receive.
        unsafe {
            let head = *from;
            if head == 0 {
                return Term::from_raw(*from.add(1));
            }
            let to = self.bump(dest, 2);
            let tail = *from.add(1);
            *to = head;
            *to.add(1) = tail;
            let new = Term::list_from_address(to as usize);
            *from = 0;
            *from.add(1) = new.raw();
            if tail == HOLE.raw() {
                self.holes.push(new);
            }
            new
        }
    }

    #[inline(never)]
    fn evacuate_pointer(&mut self, t: Term) -> Term {
        let raw = t.raw();
        let tag = raw & PRIMARY_MASK;
        let addr = (raw & !PRIMARY_MASK) as usize;
        let Some(dest) = self.classify(addr) else {
            return t;
        };
        let from = addr as *mut Word;
        if tag == TAG_LIST {
            // SAFETY: `addr` is in a space being collected, and a list term
            // always lands on a live cons cell there.
            return unsafe { self.move_cons(from, dest) };
        }
        // SAFETY: `addr` is in a space being collected, and a pointer term
        // always lands on a live object there (the heap invariant the
        // verifier checks). The destination has room: to-spaces are sized
        // for all the data they can receive.
        unsafe {
            let w = *from;
            if w & PRIMARY_MASK == TAG_BOXED {
                return Term::from_raw(w);
            }
            let Some(h) = Header::from_word(w) else {
                corrupt_header(w, addr)
            };
            let n = h.object_words();
            let to = self.bump(dest, n);
            std::ptr::copy_nonoverlapping(from, to, n);
            if h.kind == HeaderKind::RefcBin {
                match dest {
                    Dest::Young => self.new_off_young.push(to),
                    Dest::Old => self.new_off_old.push(to),
                }
            }
            let new = Term::boxed_from_address(to as usize);
            *from = new.raw();
            new
        }
    }

    #[inline]
    unsafe fn bump(&mut self, dest: Dest, n: usize) -> *mut Word {
        let top = match dest {
            Dest::Young => &mut self.young_top,
            Dest::Old => &mut self.old_top,
        };
        let p = *top;
        // SAFETY: the caller guarantees room (see `evacuate`).
        *top = unsafe { p.add(n) };
        p
    }

    /// Evacuates the children of the object at `p`; returns the next object.
    ///
    /// # Safety
    /// `p` must be the start of an object in a to-space.
    #[inline(always)]
    unsafe fn scan_object(&mut self, p: *mut Word) -> *mut Word {
        // SAFETY: per the contract, `p` starts an object we copied, so its
        // words (header plus arity, or the two cons words) are initialised.
        unsafe {
            match Header::from_word(*p) {
                None => {
                    *p = self.evacuate(Term::from_raw(*p)).raw();
                    *p.add(1) = self.evacuate(Term::from_raw(*p.add(1))).raw();
                    p.add(2)
                }
                Some(h) => {
                    let (a, b) = h.kind.traced_words(h.arity);
                    for i in a..b {
                        let slot = p.add(i);
                        *slot = self.evacuate(Term::from_raw(*slot)).raw();
                    }
                    p.add(h.object_words())
                }
            }
        }
    }

    /// Scans both to-spaces until no unscanned object remains.
    fn scan(&mut self, mut young: *mut Word, mut old: *mut Word) {
        loop {
            let mut progressed = false;
            while young < self.young_top {
                // SAFETY: `young` walks object starts of the young to-space.
                young = unsafe { self.scan_object(young) };
                progressed = true;
            }
            while old < self.old_top {
                // SAFETY: likewise for the promoted part of the old heap.
                old = unsafe { self.scan_object(old) };
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
    }
}

/// A broken heap invariant, out of the collector's hot path.
#[cold]
#[inline(never)]
fn corrupt_header(w: Word, addr: usize) -> ! {
    panic!("GC found a corrupt header {w:#x} at {addr:#x}")
}

/// The stack's frames for one collection: the table they were checked
/// against and the runs of frames with live slots, as `record_frame_runs`
/// found them before anything was changed.
#[derive(Copy, Clone)]
struct StackRoots<'a, 'r> {
    frames: &'a FrameTableReader<'r>,
    runs: &'a [FrameRun],
}

thread_local! {
    /// The record of frame runs, kept between collections so a collection
    /// allocates nothing for it once a thread is warm.
    static FRAME_RUNS: Cell<Vec<FrameRun>> = const { Cell::new(Vec::new()) };
}

/// A record longer than this is freed after use rather than kept.
const FRAME_RUNS_KEEP: usize = 1 << 12;

fn take_frame_runs() -> Vec<FrameRun> {
    FRAME_RUNS.try_with(Cell::take).unwrap_or_default()
}

fn give_back_frame_runs(mut v: Vec<FrameRun>) {
    if v.capacity() <= FRAME_RUNS_KEEP {
        v.clear();
        // Fails only while the thread exits; `v` is then simply freed.
        let _ = FRAME_RUNS.try_with(|c| c.set(v));
    }
}

/// Calls `f` on every root slot: live x registers, the dictionary, `extra`
/// and the live stack slots of the stack at `stop`, which `stack` describes
/// (the stack as it was checked, or a copy of it at `stop`).
fn visit_roots(
    m: &mut ProcessMemory,
    live_x: usize,
    extra: &mut [Term],
    stop: *mut Word,
    stack: StackRoots<'_, '_>,
    mut f: impl FnMut(*mut Word),
) {
    let live_x = live_x.min(m.x_regs.len());
    for x in &mut m.x_regs[..live_x] {
        f(x as *mut Term as *mut Word);
    }
    f(&mut m.dictionary as *mut Term as *mut Word);
    for r in extra.iter_mut() {
        f(r as *mut Term as *mut Word);
    }
    for run in stack.runs {
        let FrameRun {
            base,
            count,
            stride,
            live_low,
            wide,
        } = *run;
        // Frame `k` of the run has its slot 0 at `stop + base + k * stride`;
        // `record_frame_runs` checked that every frame of the run lies
        // inside the stack. (`wrapping_add` only steps past the last frame,
        // never to be read.)
        let mut frame = stop.wrapping_add(base);
        for _ in 0..count {
            let mut bits = live_low;
            while bits != 0 {
                let s = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                // A live slot is inside its (checked) frame.
                f(frame.wrapping_add(s));
            }
            if wide != FrameRun::NARROW {
                visit_wide_frame(stack.frames, wide, frame, stride - 1, &mut f);
            }
            frame = frame.wrapping_add(stride);
        }
    }
}

/// The live slots from slot 64 up of a frame of `size` slots with slot 0
/// at `base`.
#[cold]
#[inline(never)]
fn visit_wide_frame(
    frames: &FrameTableReader<'_>,
    index: u32,
    base: *mut Word,
    size: usize,
    f: &mut impl FnMut(*mut Word),
) {
    let Some(d) = frames.descriptor(index) else {
        return;
    };
    for (i, &bits) in d.live_high().iter().enumerate() {
        let mut w = bits;
        while w != 0 {
            let s = (i + 1) * 64 + w.trailing_zeros() as usize;
            w &= w - 1;
            if s < size {
                // SAFETY: slot `s < size` of a frame inside the stack.
                f(unsafe { base.add(s) });
            }
        }
    }
}

impl ProcessMemory {
    /// Collects this process, using the runtime's frame table.
    pub fn garbage_collect(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
    ) -> Result<GcKind, GcError> {
        self.collect(need, live_x, roots, global_frames())
    }

    /// Collects this process so that afterwards at least `need` words are
    /// free between `htop` and `stop`. `live_x` x registers and `roots` are
    /// live and are updated in place.
    pub fn collect(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        frames: &FrameTable,
    ) -> Result<GcKind, GcError> {
        self.collect_with(need, live_x, roots, frames, false)
    }

    /// A full-sweep collection, whatever the counters say
    /// (`erlang:garbage_collect/0`).
    pub fn collect_major(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        frames: &FrameTable,
    ) -> Result<(), GcError> {
        self.collect_with(need, live_x, roots, frames, true)
            .map(|_| ())
    }

    fn collect_with(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        frames: &FrameTable,
        force_major: bool,
    ) -> Result<GcKind, GcError> {
        let reader = frames.read();
        let mut runs = take_frame_runs();
        // The whole stack is checked, and its frames recorded, before
        // anything changes: a bad stack is reported with nothing collected.
        let r = match record_frame_runs(self.stack(), &reader, &mut runs) {
            Err(e) => Err(GcError::Stack(e)),
            Ok(()) => {
                let stack = StackRoots {
                    frames: &reader,
                    runs: &runs,
                };
                self.ctx.x_live = live_x as u32;
                let floor = if force_major {
                    self.min_heap_size
                } else {
                    self.young_floor()
                };
                self.busy = self.busy.saturating_add(1);
                let kind = if force_major
                    || self.minor_since_full >= self.fullsweep_after
                    || !self.minor(need, live_x, roots, stack, floor)
                {
                    self.major(need, live_x, roots, stack, floor);
                    GcKind::Major
                } else {
                    GcKind::Minor
                };
                if self.verify {
                    crate::verify::verify(self, live_x, roots, &reader)
                        .map_err(GcError::Verify)
                        .map(|()| kind)
                } else {
                    Ok(kind)
                }
            }
        };
        give_back_frame_runs(runs);
        r
    }

    /// Ends a stretch of work: the process waits for a message, hibernates
    /// or exits. Returns whether its young heap grew past BEAM's sizes
    /// meanwhile; the caller then collects it once more, by BEAM's rules.
    pub(crate) fn end_busy(&mut self) -> bool {
        self.busy = 0;
        self.busy_reds = 0;
        if self.busy_granted == 0 {
            return false;
        }
        // Only a process that held a floor touches the shared count.
        BUSY_WORDS.fetch_sub(std::mem::take(&mut self.busy_granted), Ordering::Relaxed);
        true
    }

    /// The smallest young heap a collection asked for by a full heap may
    /// leave: `min_heap_size`, raised for a busy process while the budget
    /// of all busy processes allows.
    fn young_floor(&mut self) -> usize {
        self.young_floor_within(&BUSY_WORDS, BUSY_BUDGET)
    }

    /// [`ProcessMemory::young_floor`] with the floors taken from `used`
    /// out of `budget`.
    fn young_floor_within(&mut self, used: &AtomicUsize, budget: usize) -> usize {
        // The current slice's reductions so far: compiled code stores what
        // is left of the slice before it collects.
        let slice = (crate::process::CONTEXT_REDS - self.ctx.reds).max(0) as u64;
        if !self.busy_floor || self.busy < BUSY_AFTER || self.busy_reds + slice < BUSY_REDS {
            return self.min_heap_size;
        }
        let mut floor = BUSY_FLOOR_FIRST;
        for _ in 0..(self.busy - BUSY_AFTER) / BUSY_STEP {
            if floor >= BUSY_FLOOR_MAX {
                break;
            }
            floor = next_heap_size(floor, 1);
        }
        let floor = floor.min(BUSY_FLOOR_MAX);
        if floor > self.busy_granted {
            if !grant(used, budget, floor - self.busy_granted) {
                return self.busy_granted.max(self.min_heap_size);
            }
            self.busy_granted = floor;
        }
        floor.max(self.min_heap_size)
    }

    fn stack_len(&self) -> usize {
        (self.ctx.hend as usize - self.ctx.stop as usize) / 8
    }

    /// Allocates the to-space and copies the stack to its top.
    fn new_block_with_stack(&self, words: usize) -> (Block, *mut Word) {
        let to = Block::new(words);
        let n = self.stack_len();
        // SAFETY: `words` includes the stack, so `end - n` is in the block;
        // the old stack is `n` initialised words.
        unsafe {
            let stop = to.end().sub(n);
            std::ptr::copy_nonoverlapping(self.ctx.stop, stop, n);
            (to, stop)
        }
    }

    fn collector(&self, full: bool) -> Collector {
        let young_lo = self.ctx.heap_start as usize;
        let (old_lo, old_hi) = match (&self.old, full) {
            (Some(o), true) => (o.block.start() as usize, o.top as usize),
            _ => (0, 0),
        };
        Collector {
            young_lo,
            young_hi: self.ctx.htop as usize,
            mature_hi: if full {
                young_lo
            } else {
                self.high_water as usize
            },
            old_lo,
            old_hi,
            fragments: self
                .fragments
                .iter()
                .map(|f| {
                    let s = f.block.start() as usize;
                    (s, s + f.used * 8)
                })
                .collect(),
            young_top: std::ptr::null_mut(),
            old_top: self.old.as_ref().map_or(std::ptr::null_mut(), |o| o.top),
            new_off_young: Vec::new(),
            new_off_old: Vec::new(),
            holes: Vec::new(),
        }
    }

    /// Gives back the counts of handles in `list` that were not moved.
    fn sweep_off_heap(list: &[*mut Word]) {
        for &h in list {
            // SAFETY: every listed handle is a REFC_BIN object in a from-space
            // that is still allocated; a moved one has a forwarding pointer
            // in its header and its count now belongs to the copy.
            unsafe {
                if *h & PRIMARY_MASK != TAG_BOXED {
                    release_handle(h);
                }
            }
        }
    }

    /// The addresses of the old generation's objects.
    fn old_range(&self) -> std::ops::Range<usize> {
        self.old
            .as_ref()
            .map_or(0..0, |o| o.block.start() as usize..o.top as usize)
    }

    /// After a minor collection's scan: the remembered cells to keep, at
    /// their new places, with `holes`, the open cells it moved.
    ///
    /// A cell in the old generation stayed put and its tail was a root. A
    /// cell in the young heap was no root (the loop that wrote it may have
    /// finished and dropped its list): if it is alive it moved, to the old
    /// generation since it was below the mark, and its tail was scanned
    /// with it; if it is still open it is among `holes` already.
    fn still_remembered(&self, old: &std::ops::Range<usize>, mut holes: Vec<Term>) -> Vec<Term> {
        for e in &self.remembered {
            let Some(a) = e.address() else { continue };
            if old.contains(&a) {
                holes.push(*e);
                continue;
            }
            // SAFETY: a young remembered cell is a cons cell of the
            // from-space, still allocated; a moved one holds 0 and its new
            // place.
            unsafe {
                let w = a as *const Word;
                if *w == 0 {
                    let new = Term::from_raw(*w.add(1));
                    let tail = *((new.address().unwrap_or(0) + 8) as *const Word);
                    if tail != HOLE.raw() {
                        holes.push(new);
                    }
                }
            }
        }
        holes
    }

    fn install_young(&mut self, to: Block, htop: *mut Word, stop: *mut Word) {
        self.ctx.htop = htop;
        self.ctx.stop = stop;
        self.ctx.heap_start = to.start();
        self.ctx.hend = to.end();
        self.young = to;
        self.high_water = htop;
    }

    /// Returns `false` (having changed nothing) when the old generation has
    /// no room for the data to promote: a major collection must run.
    fn minor(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        stack_roots: StackRoots<'_, '_>,
        floor: usize,
    ) -> bool {
        let before = self.heap_used() + self.fragment_words();
        // What BEAM's heap would have held: no overflow fragments.
        let beam_before = before.saturating_sub(self.overflow_used);
        let mature = (self.high_water as usize - self.ctx.heap_start as usize) / 8;
        if self.old.is_none() {
            if mature == 0 {
                // Nothing survived the last collection (or there was none
                // yet: a fresh process), so there is nothing to promote and
                // no old generation to promote into. BEAM makes this a full
                // sweep, and its sizing rules then let a young heap that
                // fills up grow at once (see `major`); as a minor collection
                // a fresh process's heap would keep its first size until the
                // first forced full sweep.
                return false;
            }
            // Bigger than needed right now, as BEAM: fewer full sweeps later.
            let b = Block::new(next_heap_size(before, 1));
            self.old = Some(OldHeap {
                top: b.start(),
                block: b,
            });
        }
        if self.old.as_ref().is_some_and(|o| mature > o.free()) {
            return false;
        }
        let stack = self.stack_len();
        // Room for everything that could survive (as BEAM, not counting
        // `need`: growing for it is a separate step below, rarely taken).
        let size = next_heap_size(stack + before, 0).max(floor);
        let (to, stop) = self.new_block_with_stack(size);
        let mut c = self.collector(false);
        c.young_top = to.start();
        let old_scan = c.old_top;
        visit_roots(self, live_x, roots, stop, stack_roots, |slot| {
            // SAFETY: root slots hold terms.
            unsafe { *slot = c.evacuate(Term::from_raw(*slot)).raw() }
        });
        let old = self.old_range();
        for e in &self.remembered {
            if let Some(a) = e.address().filter(|a| old.contains(a)) {
                // SAFETY: a remembered cell is a cons cell; in the old
                // generation it stays put, and its tail is a root.
                unsafe {
                    let slot = (a + 8) as *mut Word;
                    *slot = c.evacuate(Term::from_raw(*slot)).raw();
                }
            }
        }
        c.scan(to.start(), old_scan);
        self.remembered = self.still_remembered(&old, std::mem::take(&mut c.holes));

        Self::sweep_off_heap(&self.off_heap);
        self.off_heap = std::mem::take(&mut c.new_off_young);
        self.off_heap_old.append(&mut c.new_off_old);
        let promoted = if let Some(o) = &mut self.old {
            let p = (c.old_top as usize - o.top as usize) / 8;
            o.top = c.old_top;
            p
        } else {
            0
        };
        self.clear_fragments();
        self.install_young(to, c.young_top, stop);
        let (lo, hi) = (self.ctx.heap_start as usize, self.ctx.htop as usize);
        self.remembered.retain(|e| {
            // SAFETY: a remembered cell is a cons cell of this process.
            let tail = unsafe { *((e.address().unwrap_or(0) + 8) as *const Word) };
            tail == HOLE.raw()
                || Term::from_raw(tail)
                    .address()
                    .is_some_and(|t| t >= lo && t < hi)
        });
        let after = self.heap_used() + promoted;
        self.stats.minor += 1;
        self.stats.reclaimed += before.saturating_sub(after) as u64;
        crate::stats::collection_done(before.saturating_sub(after) as u64);
        self.minor_since_full += 1;

        // Shrink a heap that is mostly empty after the collection, by
        // BEAM's rule: only when it is big enough to matter. The rule
        // applies to the heap BEAM would have swept into, which is smaller
        // than the to-space when runtime code overflowed into fragments.
        let size = next_heap_size(stack + beam_before, 0).max(floor);
        let need_after = self.heap_used() + need + stack;
        let old_size = self.old_heap_size();
        let mut wanted = size;
        if size > 3000 && 4 * need_after < size && (size > 8000 || size > old_size) {
            let mut w = 3 * need_after;
            if w * 9 < old_size {
                w = w.max(old_size / 8);
            }
            wanted = next_heap_size(w, 0).max(floor).min(size);
        } else if need_after > size {
            wanted = next_heap_size(need_after, 0);
        }
        if wanted != self.young.words() && wanted >= need_after {
            self.relocate_young(wanted, live_x, roots, stack_roots);
        }
        true
    }

    fn major(
        &mut self,
        need: usize,
        live_x: usize,
        roots: &mut [Term],
        stack_roots: StackRoots<'_, '_>,
        floor: usize,
    ) {
        let before = self.heap_used() + self.fragment_words() + self.old_heap_used();
        let beam_before = before.saturating_sub(self.overflow_used);
        let stack = self.stack_len();
        // The to-space holds whatever can survive; the heap's size after
        // the sweep is decided below.
        let size = next_heap_size(stack + before, 0).max(floor);
        // BEAM's size for the swept heap, with its reserve counted (and
        // without overflow fragments, see `minor`).
        let mut target = next_heap_size(stack + beam_before + BEAM_RESERVE, 0).max(floor);
        // The last full sweep found the heap more than three quarters full
        // of live data: grow now, even though everything would fit again,
        // rather than collect a nearly full heap over and over (BEAM's
        // `F_HEAP_GROW`).
        let grow = self.heap_grow && target == self.young.words();
        if grow {
            target = next_heap_size(target, 1);
        }
        self.heap_grow = false;
        // Most likely the live data still fills most of the heap: sweep
        // straight into the bigger one rather than move it afterwards.
        let (to, stop) = self.new_block_with_stack(if grow { target } else { size });
        let mut c = self.collector(true);
        c.young_top = to.start();
        visit_roots(self, live_x, roots, stop, stack_roots, |slot| {
            // SAFETY: root slots hold terms.
            unsafe { *slot = c.evacuate(Term::from_raw(*slot)).raw() }
        });
        c.scan(to.start(), c.old_top);
        // Everything alive is now in one block, of one age: only the open
        // cells (all of which moved) need remembering.
        self.remembered = std::mem::take(&mut c.holes);

        Self::sweep_off_heap(&self.off_heap);
        Self::sweep_off_heap(&self.off_heap_old);
        self.off_heap = std::mem::take(&mut c.new_off_young);
        self.off_heap_old.clear();
        self.old = None;
        self.clear_fragments();
        self.install_young(to, c.young_top, stop);
        self.stats.major += 1;
        self.stats.reclaimed += before.saturating_sub(self.heap_used()) as u64;
        crate::stats::collection_done(before.saturating_sub(self.heap_used()) as u64);
        self.minor_since_full = 0;

        // BEAM's `adjust_after_fullsweep`, applied to the heap BEAM would
        // have swept into: grow to fit `need`, mark the heap to grow at the
        // next full sweep when over three quarters used, or shrink when
        // under a quarter used. The heap moves only if the result differs
        // from the to-space, so a sweep that finds little alive does not
        // grow the heap for its reserve only to shrink it back.
        let need_after = self.heap_used() + need + stack + BEAM_RESERVE;
        let mut wanted = target;
        if need_after > target {
            wanted = next_heap_size(need_after, 0);
        } else if 3 * target < 4 * need_after {
            self.heap_grow = true;
        } else if 4 * need_after < target && target > floor {
            wanted = wanted.min(next_heap_size(2 * need_after, 0).max(floor));
        }
        if wanted != self.young.words() {
            self.relocate_young(wanted, live_x, roots, stack_roots);
        }
    }

    /// Moves the young heap and the stack into a block of `words` words,
    /// sliding every pointer into the young heap by the distance moved.
    fn relocate_young(
        &mut self,
        words: usize,
        live_x: usize,
        roots: &mut [Term],
        stack_roots: StackRoots<'_, '_>,
    ) {
        let used = self.heap_used();
        let (to, stop) = self.new_block_with_stack(words);
        let lo = self.ctx.heap_start as usize;
        let hi = self.ctx.htop as usize;
        let delta = (to.start() as usize).wrapping_sub(lo);
        let fix = move |slot: *mut Word| {
            // SAFETY: callers pass slots holding terms.
            unsafe {
                let t = Term::from_raw(*slot);
                if let Some(a) = t.address()
                    && a >= lo
                    && a < hi
                {
                    *slot = t.raw().wrapping_add(delta as Word);
                }
            }
        };
        // SAFETY: the new block has room for `used` heap words below the
        // stack (callers size it for the heap in use, the stack and `need`).
        unsafe { std::ptr::copy_nonoverlapping(self.ctx.heap_start, to.start(), used) };
        let mut p = to.start();
        // SAFETY: `used` words were just copied.
        let end = unsafe { to.start().add(used) };
        while p < end {
            // SAFETY: `p` walks the object starts of the copied heap.
            unsafe {
                match Header::from_word(*p) {
                    None => {
                        fix(p);
                        fix(p.add(1));
                        p = p.add(2);
                    }
                    Some(h) => {
                        let (a, b) = h.kind.traced_words(h.arity);
                        for i in a..b {
                            fix(p.add(i));
                        }
                        p = p.add(h.object_words());
                    }
                }
            }
        }
        visit_roots(self, live_x, roots, stop, stack_roots, fix);
        let old = self.old_range();
        for e in &mut self.remembered {
            match e.address() {
                Some(a) if old.contains(&a) => fix((a + 8) as *mut Word),
                _ => fix(e as *mut Term as *mut Word),
            }
        }
        for h in &mut self.off_heap {
            *h = (*h as usize).wrapping_add(delta) as *mut Word;
        }
        self.install_young(to, end, stop);
    }
}

/// The collector entry point for compiled code: collect the process whose
/// context is `ctx` so that `need` words are free, with `live_x` x registers
/// live. Returns 0 on success, 1 for a broken stack, 2 for a failed
/// verification, 3 if the collector panicked. Never unwinds.
///
/// # Safety
/// `ctx` must be the context of a live `ProcessMemory` owned by the caller's
/// thread, as `ProcessMemory::context_ptr` gives it, with its stack set up
/// as `frame.rs` describes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_gc(ctx: *mut ProcessContext, need: usize, live_x: u32) -> u32 {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: per this function's contract.
        let m = unsafe { ProcessMemory::from_context(ctx) };
        m.garbage_collect(need, live_x as usize, &mut [])
    }));
    match r {
        Ok(Ok(_)) => 0,
        Ok(Err(GcError::Stack(_))) => 1,
        Ok(Err(GcError::Verify(_))) => 2,
        Err(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{FrameDescriptor, LocationId};
    use crate::term::Continuation;

    fn table() -> FrameTable {
        FrameTable::new()
    }

    #[test]
    fn garbage_is_dropped_and_live_data_kept() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        let keep = m.tuple(&[Term::small(1).unwrap(), Term::NIL]).unwrap();
        for _ in 0..50 {
            m.cons(Term::NIL, Term::NIL);
        }
        let mut roots = [keep];
        // A fresh process's first collection is a full sweep, as BEAM's.
        assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Major);
        assert_eq!(m.heap_used(), 3);
        let el = roots[0].tuple_elements(&*m).unwrap();
        assert_eq!(el, &[Term::small(1).unwrap(), Term::NIL]);
        // Survived once: the next minor collection promotes it.
        assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Minor);
        assert_eq!(m.heap_used(), 0);
        assert_eq!(m.old_heap_used(), 3);
        assert!(
            m.old
                .as_ref()
                .unwrap()
                .contains(roots[0].address().unwrap())
        );
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert_eq!((m.heap_used(), m.old_heap_used()), (3, 0));
    }

    #[test]
    fn need_is_honoured() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        m.collect(10_000, 0, &mut [], &t).unwrap();
        assert!(m.free_words() >= 10_000);
        assert_eq!(m.heap_size(), next_heap_size(10_000, 0));
    }

    #[test]
    fn unknown_continuation_is_an_error_and_changes_nothing() {
        let t = table();
        let mut m = ProcessMemory::new();
        let c = Continuation::new(0x4000).unwrap();
        m.push_frame(c, &[Term::NIL]).unwrap();
        let before = m.heap_size();
        assert!(matches!(
            m.collect(0, 0, &mut [], &t),
            Err(GcError::Stack(FrameError::UnknownContinuation { .. }))
        ));
        assert_eq!(m.heap_size(), before);
        t.register(
            0x4000,
            FrameDescriptor::new(1, &[0], &[], LocationId(0)).unwrap(),
        )
        .unwrap();
        m.collect(0, 0, &mut [], &t).unwrap();
    }

    #[test]
    fn fullsweep_after_forces_major() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_fullsweep_after(2);
        let mut roots = [m.tuple(&[Term::NIL]).unwrap()];
        let kinds: Vec<GcKind> = (0..5)
            .map(|_| m.collect(0, 0, &mut roots, &t).unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                GcKind::Major,
                GcKind::Minor,
                GcKind::Minor,
                GcKind::Major,
                GcKind::Minor
            ]
        );
    }

    #[test]
    fn open_cells_are_remembered_while_their_tail_may_be_younger() {
        let t = table();
        let small = |v| Term::small(v).unwrap();
        let tail_of = |c: Term| (c.address().unwrap() + 8) as *mut Word;
        // An old generation from the start: collections are minor ones.
        let mut m = ProcessMemory::with_heap_sizes(0, 1000, 0);
        m.set_verify(true);
        let open = m.list(&[small(1)], HOLE);
        let mut roots = [open];
        // Moved while open: remembered (the verifier insists).
        assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Minor);
        assert_eq!(m.remembered, [roots[0]]);
        // Filled with a younger cell, itself open.
        let next = m.list(&[small(2)], HOLE);
        // SAFETY: the open cell belongs to this process; nothing has seen it.
        unsafe { *tail_of(roots[0]) = next.raw() };
        // The first cell is promoted, its tail stays young: both remembered.
        assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Minor);
        assert!(
            m.old
                .as_ref()
                .unwrap()
                .contains(roots[0].address().unwrap())
        );
        assert_eq!(m.remembered.len(), 2);
        let second = Term::from_raw(unsafe { *tail_of(roots[0]) });
        // SAFETY: as above.
        unsafe { *tail_of(second) = Term::NIL.raw() };
        // Once the tail is promoted too, nothing is remembered; the list is
        // whole.
        m.collect(0, 0, &mut roots, &t).unwrap();
        m.collect(0, 0, &mut roots, &t).unwrap();
        assert!(m.remembered.is_empty());
        assert_eq!(
            crate::bif::list_elements(&*m, roots[0]),
            Some(vec![small(1), small(2)])
        );
        // A dead open cell is forgotten, and a full sweep keeps only open
        // cells.
        let _dead = m.list(&[small(3)], HOLE);
        let open = m.list(&[small(4)], HOLE);
        let mut roots = [roots[0], open];
        m.collect(0, 0, &mut roots, &t).unwrap();
        m.collect(0, 0, &mut roots, &t).unwrap();
        assert_eq!(m.remembered, [roots[1]]);
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert_eq!(m.remembered, [roots[1]]);
    }

    #[test]
    fn overflow_fragments_do_not_size_the_heap() {
        let t = table();
        let mut m = ProcessMemory::with_heap_sizes(2586, 4185, 0);
        let mut roots = [Term::NIL];
        for _ in 0..3 {
            // Full, then runtime code allocates past the end (a BIF's result
            // goes to a fragment). BEAM's BIF would not have: its heap stays.
            while m.free_words() > 8 {
                m.tuple(&[Term::NIL; 3]).unwrap();
            }
            for _ in 0..8 {
                m.tuple(&[Term::NIL; 3]).unwrap();
            }
            assert!(m.overflow_used > 0);
            assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Minor);
            assert_eq!(m.young.words(), 2586);
            assert_eq!(m.overflow_used, 0);
        }
    }

    #[test]
    fn a_process_started_with_an_old_generation_keeps_its_heap() {
        let t = table();
        let mut m = ProcessMemory::with_heap_sizes(2586, 4185, 0);
        assert_eq!((m.young.words(), m.old_heap_size()), (2586, 4185));
        let mut roots = [m.tuple(&[Term::NIL]).unwrap()];
        // Collections of a full heap with little alive are minor ones, and
        // the young heap is too small to shrink (BEAM's rule: above 3000
        // words only).
        for _ in 0..4 {
            while m.free_words() > 8 {
                m.tuple(&[Term::NIL; 3]).unwrap();
            }
            assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Minor);
        }
        assert_eq!(m.young.words(), 2586);
        assert_eq!(m.min_heap_size, crate::heap::MIN_HEAP_SIZE);
    }

    #[test]
    fn nothing_to_promote_and_no_old_generation_is_a_full_sweep() {
        let t = table();
        let mut m = ProcessMemory::new();
        let kinds: Vec<GcKind> = (0..3)
            .map(|_| m.collect(0, 0, &mut [], &t).unwrap())
            .collect();
        assert_eq!(kinds, [GcKind::Major; 3]);
        assert!(m.old.is_none());
    }

    #[test]
    fn a_heap_full_to_within_beams_reserve_grows_at_a_full_sweep() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        // 115 live cons cells: 230 of 233 words, less than BEAM's reserve
        // left free.
        let mut l = Term::NIL;
        for i in 0..115 {
            l = m.cons(Term::small(i).unwrap(), l);
        }
        assert_eq!(m.free_words(), 3);
        let mut roots = [l];
        assert_eq!(m.collect(0, 0, &mut roots, &t).unwrap(), GcKind::Major);
        assert_eq!((m.heap_size(), m.heap_used()), (376, 230));
    }

    #[test]
    fn a_full_heap_after_a_full_sweep_grows_at_the_next_one() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        // 100 live cons cells: 200 of 233 words, over three quarters.
        let mut l = Term::NIL;
        for i in 0..100 {
            l = m.cons(Term::small(i).unwrap(), l);
        }
        let mut roots = [l];
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert_eq!(m.heap_size(), 233);
        assert!(m.heap_grow);
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert_eq!(m.heap_size(), 376);
        assert!(!m.heap_grow);
        assert_eq!(m.heap_used(), 200);
    }

    /// The elements of the proper list `l`.
    fn elements(m: &ProcessMemory, mut l: Term) -> Vec<Term> {
        let mut v = Vec::new();
        while let Some((h, t)) = l.cons_parts(m) {
            v.push(h);
            l = t;
        }
        assert_eq!(l, Term::NIL);
        v
    }

    /// Fills the heap with garbage around `keep` live cells and collects
    /// as a full heap asks; returns the young heap's size after.
    fn churn(m: &mut ProcessMemory, roots: &mut [Term], t: &FrameTable) -> usize {
        while m.free_words() >= 2 {
            m.cons(Term::NIL, Term::NIL);
        }
        m.collect(2, 0, roots, t).unwrap();
        m.heap_size()
    }

    #[test]
    fn a_busy_process_gets_a_bigger_young_heap_until_it_waits() {
        let t = table();
        let kept: Vec<Term> = (0..20).map(|i| Term::small(i).unwrap()).collect();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        let mut roots = [Term::NIL];
        roots[0] = m.list(&kept, Term::NIL);
        // By BEAM's rules alone the heap keeps its small size.
        let beam: Vec<usize> = (0..24).map(|_| churn(&mut m, &mut roots, &t)).collect();
        assert!(beam.iter().all(|&s| s < BUSY_FLOOR_FIRST), "{beam:?}");

        // Collecting often is not enough: a short run of work (a worker, a
        // server handling a message) keeps BEAM's sizes.
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        m.busy_floor = true;
        roots[0] = Term::NIL;
        roots[0] = m.list(&kept, Term::NIL);
        let short: Vec<usize> = (0..24).map(|_| churn(&mut m, &mut roots, &t)).collect();
        assert_eq!(short, beam);

        let mut m = ProcessMemory::new();
        m.set_verify(true);
        m.busy_floor = true;
        m.busy_reds = BUSY_REDS;
        roots[0] = Term::NIL;
        roots[0] = m.list(&kept, Term::NIL);
        let sizes: Vec<usize> = (0..24).map(|_| churn(&mut m, &mut roots, &t)).collect();
        // Busy after four collections, one size more every four.
        assert!(
            sizes[..4].iter().all(|&s| s < BUSY_FLOOR_FIRST),
            "{sizes:?}"
        );
        assert_eq!(&sizes[4..8], &[4185; 4], "{sizes:?}");
        assert_eq!(&sizes[8..12], &[6772; 4], "{sizes:?}");
        assert_eq!(&sizes[12..16], &[10958; 4], "{sizes:?}");
        assert!(
            sizes[16..].iter().all(|&s| s == BUSY_FLOOR_MAX),
            "{sizes:?}"
        );
        // The live data came through every collection.
        assert_eq!(elements(&m, roots[0]), kept);

        // Waiting for a message ends it: a full sweep shrinks the heap by
        // BEAM's rule again.
        assert!(m.end_busy());
        m.minor_since_full = m.fullsweep_after;
        let after = churn(&mut m, &mut roots, &t);
        assert!(after < BUSY_FLOOR_FIRST, "{after}");
        // So does an explicit full sweep of a busy process.
        m.busy_reds = BUSY_REDS;
        for _ in 0..8 {
            churn(&mut m, &mut roots, &t);
        }
        assert!(m.heap_size() >= BUSY_FLOOR_FIRST);
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert!(m.heap_size() < BUSY_FLOOR_FIRST, "{}", m.heap_size());
        assert_eq!(elements(&m, roots[0]), kept);
    }

    #[test]
    fn busy_floors_share_one_budget() {
        let used = AtomicUsize::new(0);
        assert!(grant(&used, 10_000, 4185));
        assert!(grant(&used, 10_000, 4185));
        // A third floor would pass the budget: none is taken.
        assert!(!grant(&used, 10_000, 4185));
        assert_eq!(used.load(Ordering::Relaxed), 8370);
        assert!(grant(&used, 10_000, 1630));
        assert!(!grant(&used, 10_000, 1));

        // A busy process takes its floor from the budget while there is
        // room, and keeps BEAM's sizes when there is none.
        let mut m = ProcessMemory::new();
        m.busy_floor = true;
        m.busy = BUSY_AFTER;
        m.busy_reds = BUSY_REDS;
        let used = AtomicUsize::new(0);
        assert_eq!(m.young_floor_within(&used, 5000), BUSY_FLOOR_FIRST);
        assert_eq!(used.load(Ordering::Relaxed), BUSY_FLOOR_FIRST);
        // The next step does not fit: it keeps what it has.
        m.busy = BUSY_AFTER + BUSY_STEP;
        assert_eq!(m.young_floor_within(&used, 5000), BUSY_FLOOR_FIRST);
        assert_eq!(used.load(Ordering::Relaxed), BUSY_FLOOR_FIRST);
        // Another process finds the budget spent.
        let mut n = ProcessMemory::new();
        n.busy_floor = true;
        n.busy = BUSY_AFTER;
        n.busy_reds = BUSY_REDS;
        assert_eq!(n.young_floor_within(&used, 5000), n.min_heap_size);
        assert_eq!(n.busy_granted, 0);
        // (Taken from `used`, not the runtime's budget: give nothing back
        // there.)
        m.busy_granted = 0;
    }

    #[test]
    fn big_heaps_shrink_after_garbage() {
        let t = table();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        let mut l = Term::NIL;
        let mut roots = [Term::NIL];
        for i in 0..100_000 {
            l = m.cons(Term::small(i).unwrap(), l);
            if m.free_words() < 2 {
                roots[0] = l;
                m.collect(2, 0, &mut roots, &t).unwrap();
                l = roots[0];
            }
        }
        roots[0] = l;
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        let grown = m.heap_size();
        assert!(grown >= 200_000, "heap {grown}");
        roots[0] = Term::NIL;
        m.collect_major(0, 0, &mut roots, &t).unwrap();
        assert_eq!(m.heap_size(), 233);
    }

    #[test]
    fn live_slots_of_recursive_and_wide_frames_are_roots() {
        let t = table();
        let narrow = t
            .register(
                0x5000,
                FrameDescriptor::new(2, &[1], &[], LocationId(0)).unwrap(),
            )
            .unwrap();
        let wide = t
            .register(
                0x6000,
                FrameDescriptor::new(70, &[3, 68], &[], LocationId(0)).unwrap(),
            )
            .unwrap();
        let mut m = ProcessMemory::new();
        m.set_verify(true);
        let mut slots = vec![Term::NIL; 70];
        slots[3] = m.tuple(&[Term::small(3).unwrap()]).unwrap();
        slots[68] = m.tuple(&[Term::small(68).unwrap()]).unwrap();
        m.push_frame(wide, &slots).unwrap();
        for i in 0..5 {
            let live = m.cons(Term::small(i).unwrap(), Term::NIL);
            m.push_frame(narrow, &[Term::NIL, live]).unwrap();
        }
        // Garbage, then a major and a minor collection.
        for _ in 0..20 {
            m.cons(Term::NIL, Term::NIL);
        }
        for kind in [GcKind::Major, GcKind::Minor, GcKind::Minor] {
            assert_eq!(m.collect(0, 0, &mut [], &t).unwrap(), kind);
            for i in 0..5 {
                let l = m.stack_term(3 * i + 2).unwrap();
                let (h, _) = l.cons_parts(&*m).unwrap();
                assert_eq!(h, Term::small(4 - i as i64).unwrap());
            }
            for s in [3, 68] {
                let t = m.stack_term(15 + 1 + s).unwrap();
                let el = t.tuple_elements(&*m).unwrap();
                assert_eq!(el, &[Term::small(s as i64).unwrap()]);
            }
        }
        assert_eq!(m.heap_used() + m.old_heap_used(), 5 * 2 + 2 * 2);
    }
}
