//! Process memory: one block per process holding its heap (growing up from the
//! start) and its Erlang stack (growing down from the end), plus the old
//! generation, heap fragments and the off-heap binary lists the GC needs.
//!
//! Compiled code allocates by bumping `htop` and pushes frames by lowering
//! `stop`, both fields of the `#[repr(C)]` [`ProcessContext`] at the start of
//! [`ProcessMemory`]. Its heap check is `stop - htop >= need` (in words); when
//! that fails it calls the collector, which makes room.
//!
//! Runtime code (BIFs) allocates through the constructors here. They never
//! collect: when the block is full they allocate in a heap fragment, which the
//! next collection folds into the heap (BEAM's `HAlloc`). So a term held in a
//! Rust local stays valid across constructor calls, and only an explicit
//! collection can move terms.

use crate::atom::Atom;
use crate::binary::{BinaryRef, OffHeapBinary};
use crate::fun::FunEntry;
use crate::term::{
    FLATMAP_LIMIT, HEAP_BIN_LIMIT, Header, HeaderKind, HeapAccess, MAX_ARITY, Term, Word,
};
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::ptr::NonNull;
use std::sync::OnceLock;

/// BEAM's minimum (and default) heap size, in words.
pub const MIN_HEAP_SIZE: usize = 233;
/// BEAM's default `fullsweep_after`.
pub const DEFAULT_FULLSWEEP_AFTER: u32 = 65535;
/// Words of the smallest heap fragment made when the heap is full.
const MIN_FRAGMENT_WORDS: usize = 64;

/// The heap sizes BEAM uses (`erts_next_heap_size`): a Fibonacci-like series
/// (each term the sum of the previous two plus one) from 12 and 38, which
/// reaches 233 at its sixth term, for 23 terms; then 20% steps, each
/// `s + s / 5`, up to the largest size a 64-bit heap may have.
///
/// Checked against OTP 25 by spawning processes with `min_heap_size` set
/// and reading `process_info(P, heap_size)`: 233, 376, 610, 987, ..., 514838,
/// 833026, then 999631, 1199557, 1439468, 1727361, 2072833.
pub fn heap_sizes() -> &'static [usize] {
    static SIZES: OnceLock<Vec<usize>> = OnceLock::new();
    SIZES.get_or_init(|| {
        // A bound far above any heap a machine can hold; BEAM stops its
        // table at its own maximum heap size in the same way.
        const MAX_WORDS: usize = (1 << 58) - 1;
        let mut v = vec![12usize, 38];
        for i in 2..23 {
            let next = v[i - 1] + v[i - 2] + 1;
            v.push(next);
        }
        loop {
            let last = *v.last().unwrap_or(&MIN_HEAP_SIZE);
            let next = last + last / 5;
            if next > MAX_WORDS {
                break;
            }
            v.push(next);
        }
        v
    })
}

/// The smallest heap size in BEAM's series that holds `words`, moved
/// `offset` steps further up (BEAM's `erts_next_heap_size(size, offset)`).
pub fn next_heap_size(words: usize, offset: usize) -> usize {
    let sizes = heap_sizes();
    let i = sizes.partition_point(|&s| s < words);
    let j = (i + offset).min(sizes.len() - 1);
    sizes[j].max(words)
}

/// A raw, word-aligned allocation of some words.
pub(crate) struct Block {
    ptr: NonNull<Word>,
    words: usize,
}

/// At most this many words are kept in one thread's cache.
const CACHE_MAX_WORDS: usize = 1 << 22;
/// At most this many sizes are kept in one thread's cache (the least
/// recently used size goes first): a thread's processes use few heap sizes
/// at a time.
const CACHE_MAX_SIZES: usize = 8;
/// At most this many blocks of one size are kept: enough for the heaps of
/// the processes one time slice spawns and that exit before the next, few
/// enough (with `CACHE_MAX_WORDS`) that a million exiting processes pin
/// little memory.
const CACHE_MAX_PER_SIZE: usize = 4096;

/// Blocks of at most this many words (message fragments of small terms)
/// are kept on per-thread free lists by size, so sending a small message
/// costs no allocator call once a thread is warm.
const SMALL_BLOCK_MAX: usize = 16;
/// Blocks kept per size.
const SMALL_BLOCKS_PER_SIZE: usize = 256;

thread_local! {
    static SMALL_BLOCKS: std::cell::RefCell<SmallBlocks> =
        const { std::cell::RefCell::new(SmallBlocks([const { Vec::new() }; SMALL_BLOCK_MAX + 1])) };
}

/// A thread's free small blocks, index = size in words; freed when the
/// thread exits.
struct SmallBlocks([Vec<NonNull<Word>>; SMALL_BLOCK_MAX + 1]);

impl Drop for SmallBlocks {
    fn drop(&mut self) {
        for (words, list) in self.0.iter_mut().enumerate() {
            for p in list.drain(..) {
                free_block(p, words);
            }
        }
    }
}

thread_local! {
    /// Freed blocks of this scheduler thread (above `SMALL_BLOCK_MAX`
    /// words), kept for the next block of the same size. Heap sizes come
    /// from a small series, so exact-size reuse is common: a collection's
    /// from-space is often the next one's to-space, and an exiting
    /// process's heap the next spawned one's. A kept block also stays
    /// mapped, so a big to-space does not page-fault its way in again.
    static BLOCK_CACHE: std::cell::RefCell<BlockCache> =
        const { std::cell::RefCell::new(BlockCache { sizes: Vec::new(), words: 0 }) };
}

fn block_layout(words: usize) -> Layout {
    Layout::array::<Word>(words).unwrap_or_else(|_| handle_alloc_error(Layout::new::<Word>()))
}

impl Block {
    pub(crate) fn new(words: usize) -> Block {
        let words = words.max(1);
        if words <= SMALL_BLOCK_MAX {
            let hit = SMALL_BLOCKS
                .try_with(|c| c.borrow_mut().0[words].pop())
                .ok()
                .flatten();
            if let Some(ptr) = hit {
                return Block { ptr, words };
            }
        }
        if words > SMALL_BLOCK_MAX && words <= CACHE_MAX_WORDS {
            let hit = BLOCK_CACHE
                .try_with(|c| c.try_borrow_mut().ok()?.take(words))
                .ok()
                .flatten();
            if let Some(ptr) = hit {
                return Block { ptr, words };
            }
        }
        let layout = block_layout(words);
        // SAFETY: the layout has a non-zero size.
        let p = unsafe { alloc(layout) } as *mut Word;
        let Some(ptr) = NonNull::new(p) else {
            handle_alloc_error(layout)
        };
        Block { ptr, words }
    }

    pub(crate) fn start(&self) -> *mut Word {
        self.ptr.as_ptr()
    }

    pub(crate) fn end(&self) -> *mut Word {
        // SAFETY: one past the end of the allocation.
        unsafe { self.ptr.as_ptr().add(self.words) }
    }

    pub(crate) fn words(&self) -> usize {
        self.words
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        let (ptr, words) = (self.ptr, self.words);
        if words <= SMALL_BLOCK_MAX {
            let kept = SMALL_BLOCKS
                .try_with(|c| {
                    let list = &mut c.borrow_mut().0[words];
                    if list.len() < SMALL_BLOCKS_PER_SIZE {
                        list.push(ptr);
                        true
                    } else {
                        false
                    }
                })
                .unwrap_or(false);
            if !kept {
                free_block(ptr, words);
            }
            return;
        }
        let cached = words <= CACHE_MAX_WORDS
            && BLOCK_CACHE
                .try_with(|c| c.try_borrow_mut().is_ok_and(|mut c| c.keep(ptr, words)))
                .unwrap_or(false);
        if !cached {
            free_block(ptr, words);
        }
    }
}

fn free_block(ptr: NonNull<Word>, words: usize) {
    // SAFETY: allocated by `Block::new` with this very layout.
    unsafe { dealloc(ptr.as_ptr() as *mut u8, block_layout(words)) }
}

/// A thread's cached blocks, freed when the thread exits.
struct BlockCache {
    /// The blocks kept, by size; the most recently used size last.
    sizes: Vec<SizeClass>,
    /// The words of all kept blocks, summed.
    words: usize,
}

/// Kept blocks of one size.
struct SizeClass {
    words: usize,
    blocks: Vec<NonNull<Word>>,
}

impl SizeClass {
    fn free_all(&mut self) {
        for p in self.blocks.drain(..) {
            free_block(p, self.words);
        }
    }
}

impl BlockCache {
    /// The position of the class of `words`, moved to the end (most
    /// recently used).
    #[inline]
    fn class(&mut self, words: usize) -> Option<usize> {
        let i = self.sizes.iter().rposition(|c| c.words == words)?;
        let last = self.sizes.len() - 1;
        if i != last {
            self.sizes[i..].rotate_left(1);
        }
        Some(last)
    }

    /// A kept block of exactly `words` words, the most recently kept first.
    #[inline]
    fn take(&mut self, words: usize) -> Option<NonNull<Word>> {
        let i = self.class(words)?;
        let p = self.sizes[i].blocks.pop()?;
        self.words -= words;
        Some(p)
    }

    /// Frees the blocks of the least recently used size.
    fn evict_oldest(&mut self) {
        let mut c = self.sizes.remove(0);
        self.words -= c.words * c.blocks.len();
        c.free_all();
    }

    /// Keeps a block of `words` words if the bounds allow, freeing blocks
    /// of the least recently used sizes to make room. `false` if it was
    /// not kept (the caller frees it).
    fn keep(&mut self, ptr: NonNull<Word>, words: usize) -> bool {
        if words > CACHE_MAX_WORDS {
            return false;
        }
        let i = match self.class(words) {
            Some(i) => i,
            None => {
                if self.sizes.len() >= CACHE_MAX_SIZES {
                    self.evict_oldest();
                }
                self.sizes.push(SizeClass {
                    words,
                    blocks: Vec::new(),
                });
                self.sizes.len() - 1
            }
        };
        if self.sizes[i].blocks.len() >= CACHE_MAX_PER_SIZE {
            return false;
        }
        // Make room by dropping other sizes (the class of `words` is
        // last, so `evict_oldest` never reaches it while others remain).
        while self.words + words > CACHE_MAX_WORDS {
            if self.sizes.len() <= 1 {
                return false;
            }
            self.evict_oldest();
        }
        let i = self.sizes.len() - 1;
        self.sizes[i].blocks.push(ptr);
        self.words += words;
        true
    }
}

impl Drop for BlockCache {
    fn drop(&mut self) {
        for c in &mut self.sizes {
            c.free_all();
        }
        self.words = 0;
    }
}

/// The part of a process that compiled code reads and writes directly. Field
/// offsets are fixed (`#[repr(C)]`, see the `OFFSET_*` constants).
#[repr(C)]
#[derive(Debug)]
pub struct ProcessContext {
    /// Next free heap word. The heap is `[heap_start, htop)`.
    pub htop: *mut Word,
    /// Top of the Erlang stack (its lowest used word). The stack is
    /// `[stop, hend)`; the free gap is `[htop, stop)`.
    pub stop: *mut Word,
    pub heap_start: *mut Word,
    pub hend: *mut Word,
    /// Reductions left in this time slice.
    pub reds: i64,
    /// Live x registers at the current safepoint (set before a GC).
    pub x_live: u32,
    /// Length of the x register array.
    pub x_capacity: u32,
    /// The argument (x) registers: arguments to a call being entered or
    /// resumed, saved when the process is scheduled out.
    pub x: *mut Term,
    /// Where a runtime call made through a register-keeping adapter of
    /// compiled code leaves its result.
    pub ret: u64,
    /// The arguments after the context of such a call.
    pub args: [u64; 4],
    /// Where a failing BIF or runtime operation called from compiled code
    /// writes the exception's class and reason.
    pub exc: [u64; 2],
    /// The arguments of a BIF call from compiled code with at most four.
    pub bif_args: [u64; 4],
}

pub const OFFSET_HTOP: usize = std::mem::offset_of!(ProcessContext, htop);
pub const OFFSET_STOP: usize = std::mem::offset_of!(ProcessContext, stop);
pub const OFFSET_HEAP_START: usize = std::mem::offset_of!(ProcessContext, heap_start);
pub const OFFSET_HEND: usize = std::mem::offset_of!(ProcessContext, hend);
pub const OFFSET_REDS: usize = std::mem::offset_of!(ProcessContext, reds);
pub const OFFSET_X_LIVE: usize = std::mem::offset_of!(ProcessContext, x_live);
pub const OFFSET_X: usize = std::mem::offset_of!(ProcessContext, x);
pub const OFFSET_RET: usize = std::mem::offset_of!(ProcessContext, ret);
pub const OFFSET_ARGS: usize = std::mem::offset_of!(ProcessContext, args);
pub const OFFSET_EXC: usize = std::mem::offset_of!(ProcessContext, exc);
pub const OFFSET_BIF_ARGS: usize = std::mem::offset_of!(ProcessContext, bif_args);

/// A heap fragment: a block outside the process heap holding terms made while
/// the heap was full, or a message copied for a process that was running.
/// Once attached to a process it is part of the young generation until the
/// next collection copies its live data out.
pub struct HeapFragment {
    pub(crate) block: Block,
    pub(crate) used: usize,
    /// `REFC_BIN` handles in this fragment, each owning one count.
    pub(crate) off_heap: Vec<*mut Word>,
}

// SAFETY: a fragment owns its block and its counts; a detached fragment is
// only ever used by one thread at a time (it moves with a message).
unsafe impl Send for HeapFragment {}

impl HeapFragment {
    pub fn new(words: usize) -> HeapFragment {
        HeapFragment {
            block: Block::new(words),
            used: 0,
            off_heap: Vec::new(),
        }
    }

    fn free(&self) -> usize {
        self.block.words() - self.used
    }

    pub fn used_words(&self) -> usize {
        self.used
    }

    pub(crate) fn contains(&self, addr: usize) -> bool {
        let s = self.block.start() as usize;
        (s..s + self.used * 8).contains(&addr)
    }

    pub(crate) fn alloc(&mut self, words: usize) -> Option<*mut Word> {
        if self.free() < words {
            return None;
        }
        // SAFETY: `used + words <= block.words()`.
        let p = unsafe { self.block.start().add(self.used) };
        self.used += words;
        Some(p)
    }
}

impl Drop for HeapFragment {
    fn drop(&mut self) {
        for &h in &self.off_heap {
            // SAFETY: each listed handle owns one count (see the field).
            unsafe { release_handle(h) };
        }
    }
}

impl HeapAccess for HeapFragment {
    fn may_hold(&self, addr: usize) -> bool {
        self.contains(addr) || crate::literal::is_literal(addr)
    }
}

/// Gives back the count owned by the `REFC_BIN` handle at `handle`.
///
/// # Safety
/// `handle` must point at a `REFC_BIN` object (its header possibly replaced
/// by a forwarding pointer) whose count has not been given back yet.
pub(crate) unsafe fn release_handle(handle: *mut Word) {
    // SAFETY: word 2 of a handle is its `*const OffHeapBinary` (term.rs).
    unsafe { OffHeapBinary::release(*handle.add(2) as *const OffHeapBinary) }
}

/// The old generation: data that survived two collections.
pub(crate) struct OldHeap {
    pub(crate) block: Block,
    pub(crate) top: *mut Word,
}

impl OldHeap {
    pub(crate) fn contains(&self, addr: usize) -> bool {
        (self.block.start() as usize..self.top as usize).contains(&addr)
    }

    pub(crate) fn free(&self) -> usize {
        (self.block.end() as usize - self.top as usize) / 8
    }

    pub(crate) fn used(&self) -> usize {
        (self.top as usize - self.block.start() as usize) / 8
    }
}

/// Counters of collections, for tests, benchmarks and `process_info`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    pub minor: u64,
    pub major: u64,
    /// Words reclaimed in total.
    pub reclaimed: u64,
}

/// Not enough free words between `htop` and `stop`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct NoSpace;

/// All the memory of one process.
#[repr(C)]
pub struct ProcessMemory {
    /// First, so a `*mut ProcessContext` is also a `*mut ProcessMemory`.
    pub ctx: ProcessContext,
    // Fields used only by collections and a few BIFs come first, those read
    // on every time slice and message last, next to the fields of
    // `Process` that follow a process's memory and are read as often: a
    // process that wakes for one message touches few cache lines.
    /// Young data below this survived a collection; the next minor
    /// collection promotes it to the old generation.
    pub(crate) high_water: *mut Word,
    /// The open cons cells (see `gc::HOLE`) that survived a collection,
    /// and the cells that were open then and whose tail may since point at
    /// younger data. See "Lists built front to back" in `gc.rs`.
    pub(crate) remembered: Vec<Term>,
    pub(crate) old: Option<OldHeap>,
    /// `REFC_BIN` handles in the old generation.
    pub(crate) off_heap_old: Vec<*mut Word>,
    /// The process dictionary (a list of `{Key, Value}` tuples for now).
    pub dictionary: Term,
    pub(crate) min_heap_size: usize,
    pub(crate) fullsweep_after: u32,
    pub(crate) minor_since_full: u32,
    /// Collections since the process last waited for a message (see "Busy
    /// processes" in `gc.rs`).
    pub(crate) busy: u32,
    /// Reductions the process ran in the time slices since it last waited
    /// for a message, the current one not counted.
    pub(crate) busy_reds: u64,
    /// The young heap floor this process holds of the busy processes'
    /// budget, in words: 0 unless a collection since the last wait sized
    /// the heap past BEAM's rules (see "Busy processes" in `gc.rs`).
    pub(crate) busy_granted: usize,
    /// Whether a busy process's young heap may be bigger than BEAM's rules
    /// make it: off for a process with a `max_heap_size`, which is set
    /// against those rules, and for a bare `ProcessMemory`.
    pub(crate) busy_floor: bool,
    pub(crate) verify: bool,
    /// BEAM's `F_HEAP_GROW`: a full sweep left the young heap more than
    /// three quarters full, so the next full sweep grows it one size even
    /// if the data would fit.
    pub(crate) heap_grow: bool,
    pub(crate) stats: GcStats,
    pub(crate) young: Block,
    pub(crate) fragments: Vec<HeapFragment>,
    /// The words used in `fragments`, kept as they change: the scheduler
    /// asks between time slices, and summing the list touches one cold
    /// cache line per fragment.
    fragments_used: usize,
    /// The part of `fragments_used` that runtime code allocated because the
    /// heap was full (not delivered messages). BEAM's BIFs collect or trap
    /// rather than allocate such fragments, so its heap sizes leave them
    /// out (see `gc.rs`).
    pub(crate) overflow_used: usize,
    /// `REFC_BIN` handles in the young heap and the fragments.
    pub(crate) off_heap: Vec<*mut Word>,
    pub(crate) x_regs: Vec<Term>,
}

// SAFETY: a process's memory is used by one scheduler thread at a time; the
// raw pointers all point into memory it owns, or into immutable literal
// areas and atomically counted off-heap binaries.
unsafe impl Send for ProcessMemory {}

impl Drop for ProcessMemory {
    fn drop(&mut self) {
        self.end_busy();
        for &h in self.off_heap.iter().chain(&self.off_heap_old) {
            // SAFETY: each listed handle owns one count, given back once here.
            unsafe { release_handle(h) };
        }
    }
}

fn verify_from_env() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CORAL_VERIFY_HEAP").is_some_and(|v| v != "0"))
}

impl ProcessMemory {
    /// A fresh process's memory, with BEAM's default heap size.
    pub fn new() -> Box<ProcessMemory> {
        ProcessMemory::with_min_heap_size(MIN_HEAP_SIZE)
    }

    /// A process whose heap never shrinks below `min` words (rounded up to
    /// BEAM's series, as `spawn_opt(..., [{min_heap_size, N}])`).
    pub fn with_min_heap_size(min: usize) -> Box<ProcessMemory> {
        ProcessMemory::with_heap_sizes(0, 0, min)
    }

    /// A process whose young heap starts at `initial` words and never
    /// shrinks below `min`, with an empty old generation of `old` words if
    /// `old` is not 0 (all rounded up to BEAM's series).
    pub fn with_heap_sizes(initial: usize, old: usize, min: usize) -> Box<ProcessMemory> {
        let size = next_heap_size(min.max(MIN_HEAP_SIZE), 0);
        let young = Block::new(next_heap_size(initial.max(size), 0));
        let mut m = Box::new(ProcessMemory {
            ctx: ProcessContext {
                htop: young.start(),
                stop: young.end(),
                heap_start: young.start(),
                hend: young.end(),
                reds: 0,
                x_live: 0,
                x_capacity: 0,
                x: std::ptr::null_mut(),
                ret: 0,
                args: [0; 4],
                exc: [0; 2],
                bif_args: [0; 4],
            },
            high_water: young.start(),
            remembered: Vec::new(),
            young,
            old: (old > 0).then(|| {
                let block = Block::new(next_heap_size(old, 0));
                OldHeap {
                    top: block.start(),
                    block,
                }
            }),
            fragments: Vec::new(),
            fragments_used: 0,
            overflow_used: 0,
            off_heap: Vec::new(),
            off_heap_old: Vec::new(),
            x_regs: Vec::new(),
            dictionary: Term::NIL,
            min_heap_size: size,
            fullsweep_after: DEFAULT_FULLSWEEP_AFTER,
            minor_since_full: 0,
            busy: 0,
            busy_reds: 0,
            busy_granted: 0,
            busy_floor: false,
            verify: verify_from_env(),
            heap_grow: false,
            stats: GcStats::default(),
        });
        m.sync_x();
        m
    }

    /// The context pointer to hand to compiled code (and to get back with
    /// [`ProcessMemory::from_context`]).
    ///
    /// It is made from a pointer to the whole `ProcessMemory`, not from
    /// `&mut self.ctx`: a pointer derived from a field reference may only
    /// reach that field's bytes, so turning it back into the whole structure
    /// would be undefined behaviour (Miri reports it as such).
    pub fn context_ptr(&mut self) -> *mut ProcessContext {
        (self as *mut ProcessMemory).cast::<ProcessContext>()
    }

    /// The memory behind a context pointer handed to compiled code.
    ///
    /// # Safety
    /// `ctx` must come from [`ProcessMemory::context_ptr`] (or otherwise be
    /// derived from a pointer to the whole `ProcessMemory`, never from a
    /// reference to its `ctx` field alone), the memory must be live, and no
    /// one else may borrow it for the returned lifetime.
    pub unsafe fn from_context<'a>(ctx: *mut ProcessContext) -> &'a mut ProcessMemory {
        // SAFETY: `ctx` is the first field of a `repr(C)` `ProcessMemory`
        // and, per the contract, carries the whole structure's provenance.
        unsafe { &mut *(ctx as *mut ProcessMemory) }
    }

    /// Turns the heap verifier on or off for this process's collections
    /// (it starts on when `CORAL_VERIFY_HEAP` is set).
    pub fn set_verify(&mut self, on: bool) {
        self.verify = on;
    }

    pub fn set_fullsweep_after(&mut self, n: u32) {
        self.fullsweep_after = n;
    }

    pub fn stats(&self) -> GcStats {
        self.stats
    }

    /// Words of the young block (heap plus stack), as `heap_size` in
    /// `process_info`.
    pub fn heap_size(&self) -> usize {
        self.young.words()
    }

    /// Words of the old generation's block (0 when there is none).
    pub fn old_heap_size(&self) -> usize {
        self.old.as_ref().map_or(0, |o| o.block.words())
    }

    /// Words in use on the young heap (not counting the stack or fragments).
    pub fn heap_used(&self) -> usize {
        (self.ctx.htop as usize - self.ctx.heap_start as usize) / 8
    }

    pub fn old_heap_used(&self) -> usize {
        self.old.as_ref().map_or(0, |o| o.used())
    }

    /// Words used in heap fragments.
    pub fn fragment_words(&self) -> usize {
        debug_assert_eq!(
            self.fragments_used,
            self.fragments.iter().map(|f| f.used).sum::<usize>()
        );
        self.fragments_used
    }

    /// Drops every heap fragment (a collection has copied their live data).
    pub(crate) fn clear_fragments(&mut self) {
        self.fragments.clear();
        self.fragments_used = 0;
        self.overflow_used = 0;
    }

    /// Free words between the heap top and the stack top.
    #[inline]
    pub fn free_words(&self) -> usize {
        (self.ctx.stop as usize - self.ctx.htop as usize) / 8
    }

    /// Bytes this process's memory takes: the structure, the young block,
    /// the old block, fragments, x registers and the off-heap lists (not the
    /// off-heap binaries themselves, which are shared).
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<ProcessMemory>()
            + 8 * (self.young.words() + self.old_heap_size())
            + self
                .fragments
                .iter()
                .map(|f| 8 * f.block.words())
                .sum::<usize>()
            + 8 * (self.x_regs.capacity() + self.off_heap.capacity() + self.off_heap_old.capacity())
            + std::mem::size_of::<HeapFragment>() * self.fragments.capacity()
    }

    /// The number of REFC_BIN handles this process holds.
    pub fn off_heap_handles(&self) -> usize {
        self.off_heap.len() + self.off_heap_old.len()
    }

    fn sync_x(&mut self) {
        self.ctx.x = self.x_regs.as_mut_ptr();
        self.ctx.x_capacity = self.x_regs.len() as u32;
    }

    /// Makes at least `n` x registers available.
    pub fn ensure_x(&mut self, n: usize) {
        if self.x_regs.len() < n {
            self.x_regs.resize(n, Term::NIL);
            self.sync_x();
        }
    }

    /// The x registers.
    pub fn x(&self) -> &[Term] {
        &self.x_regs
    }

    pub fn x_mut(&mut self) -> &mut [Term] {
        &mut self.x_regs
    }

    pub(crate) fn in_young_heap(&self, addr: usize) -> bool {
        (self.ctx.heap_start as usize..self.ctx.htop as usize).contains(&addr)
    }

    /// Whether `addr` lies in this process's own data: young heap, old
    /// generation or an attached fragment.
    pub fn owns(&self, addr: usize) -> bool {
        self.in_young_heap(addr)
            || self.old.as_ref().is_some_and(|o| o.contains(addr))
            || self.fragments.iter().any(|f| f.contains(addr))
    }

    /// Allocates `words` contiguous words, on the heap if they fit, else in
    /// a heap fragment. Never collects.
    #[inline]
    pub(crate) fn alloc(&mut self, words: usize) -> *mut Word {
        if self.free_words() >= words {
            let p = self.ctx.htop;
            // SAFETY: there are at least `words` free words above `htop`.
            self.ctx.htop = unsafe { p.add(words) };
            return p;
        }
        self.alloc_in_fragment(words)
    }

    #[cold]
    fn alloc_in_fragment(&mut self, words: usize) -> *mut Word {
        self.overflow_used += words;
        if let Some(p) = self.fragments.last_mut().and_then(|f| f.alloc(words)) {
            self.fragments_used += words;
            return p;
        }
        // Grow fragments geometrically so that runtime code allocating a lot
        // between two collections makes few of them (each GC range check
        // walks the list).
        let total: usize = self.fragments.iter().map(|f| f.block.words()).sum();
        let size = words
            .max(MIN_FRAGMENT_WORDS)
            .max(total)
            .max(self.young.words() / 2);
        let mut f = HeapFragment::new(size);
        let p = f.alloc(words).unwrap_or(std::ptr::null_mut());
        self.fragments_used += f.used;
        self.fragments.push(f);
        p
    }

    /// Attaches a fragment (a delivered message) to the young generation.
    pub fn attach_fragment(&mut self, mut fragment: HeapFragment) {
        self.off_heap.append(&mut fragment.off_heap);
        self.fragments_used += fragment.used;
        self.fragments.push(fragment);
    }

    fn write_object(&mut self, header: Header, words: &[Word]) -> Term {
        debug_assert_eq!(words.len(), header.arity);
        let p = self.alloc(header.object_words());
        // SAFETY: `p` has room for the header and `arity` words.
        unsafe {
            *p = header.to_word();
            std::ptr::copy_nonoverlapping(words.as_ptr(), p.add(1), words.len());
        }
        Term::boxed_from_address(p as usize)
    }

    #[inline]
    pub fn cons(&mut self, head: Term, tail: Term) -> Term {
        let p = self.alloc(2);
        // SAFETY: two fresh words.
        unsafe {
            *p = head.raw();
            *p.add(1) = tail.raw();
        }
        Term::list_from_address(p as usize)
    }

    /// The list of `elements` ending in `tail`.
    pub fn list(&mut self, elements: &[Term], tail: Term) -> Term {
        let mut t = tail;
        for &e in elements.iter().rev() {
            t = self.cons(e, t);
        }
        t
    }

    /// `None` above the largest arity a header records.
    pub fn tuple(&mut self, elements: &[Term]) -> Option<Term> {
        if elements.len() > MAX_ARITY {
            return None;
        }
        let p = self.alloc(1 + elements.len());
        // SAFETY: fresh words for the header and the elements.
        unsafe {
            *p = Header::new(HeaderKind::Tuple, elements.len()).to_word();
            std::ptr::copy_nonoverlapping(
                elements.as_ptr() as *const Word,
                p.add(1),
                elements.len(),
            );
        }
        Some(Term::boxed_from_address(p as usize))
    }

    pub fn float(&mut self, f: f64) -> Term {
        self.write_object(Header::new(HeaderKind::Float, 1), &[f.to_bits()])
    }

    /// An integer: a small when it fits, else a bignum.
    pub fn int(&mut self, v: i64) -> Term {
        match Term::small(v) {
            Some(t) => t,
            None => {
                let kind = if v < 0 {
                    HeaderKind::BigNeg
                } else {
                    HeaderKind::BigPos
                };
                self.write_object(Header::new(kind, 1), &[v.unsigned_abs()])
            }
        }
    }

    /// An integer of any size: a small when it fits, else a bignum whose
    /// limbs are copied onto the heap.
    pub fn integer(&mut self, v: &dashu_int::IBig) -> Term {
        if let Ok(i) = i64::try_from(v) {
            return self.int(i);
        }
        let (sign, words) = v.as_sign_words();
        let limbs = words_to_u64(words);
        let kind = if sign == dashu_int::Sign::Negative {
            HeaderKind::BigNeg
        } else {
            HeaderKind::BigPos
        };
        self.write_object(Header::new(kind, limbs.len()), &limbs)
    }

    /// A binary holding `bytes`: on the heap up to 64 bytes, off-heap above.
    pub fn binary(&mut self, bytes: &[u8]) -> Term {
        if bytes.len() <= HEAP_BIN_LIMIT {
            self.heap_binary(bytes)
        } else {
            self.binary_from_ref(BinaryRef::new(bytes.to_vec()))
        }
    }

    /// A heap binary of any size (literal areas use this for big ones).
    pub(crate) fn heap_binary(&mut self, bytes: &[u8]) -> Term {
        let data_words = bytes.len().div_ceil(8);
        let p = self.alloc(2 + data_words);
        // SAFETY: fresh words: header, size, then the packed bytes (the last
        // word zeroed first so no uninitialised padding is ever read).
        unsafe {
            *p = Header::new(HeaderKind::HeapBin, 1 + data_words).to_word();
            *p.add(1) = bytes.len() as Word;
            if data_words > 0 {
                *p.add(1 + data_words) = 0;
            }
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.add(2) as *mut u8, bytes.len());
        }
        Term::boxed_from_address(p as usize)
    }

    /// A handle to an off-heap binary; the handle takes over `bin`'s count.
    pub fn binary_from_ref(&mut self, bin: BinaryRef) -> Term {
        let len = bin.bytes().len();
        let data = bin.bytes().as_ptr() as Word;
        let raw = bin.into_raw() as Word;
        let t = self.write_object(
            Header::new(HeaderKind::RefcBin, 3),
            &[len as Word, raw, data],
        );
        self.off_heap.push(t.address().unwrap_or(0) as *mut Word);
        t
    }

    /// The bits `bit_offset .. bit_offset + bit_size` of the binary or
    /// bitstring `orig`. `None` if `orig` is not one or the range is outside it.
    pub fn sub_binary(&mut self, orig: Term, bit_offset: usize, bit_size: usize) -> Option<Term> {
        let view = orig.bits(self)?;
        if bit_offset.checked_add(bit_size)? > view.bit_size {
            return None;
        }
        // Point at the underlying heap or off-heap binary, never at another
        // sub-binary, so a sub-binary chain is always one level deep.
        let h = orig.header(self)?;
        let (base, base_off) = if h.kind == HeaderKind::SubBin {
            let (_, w) = orig.payload_words(self)?;
            (Term::from_raw(w[0]), w[1] as usize)
        } else {
            (orig, 0)
        };
        Some(self.write_object(
            Header::new(HeaderKind::SubBin, 3),
            &[
                base.raw(),
                (base_off + bit_offset) as Word,
                bit_size as Word,
            ],
        ))
    }

    /// A closure over `env`; `None` unless `env` has the entry's `num_free`.
    pub fn closure(&mut self, entry: &'static FunEntry, env: &[Term]) -> Option<Term> {
        if env.len() != entry.num_free as usize {
            return None;
        }
        let p = self.alloc(2 + env.len());
        // SAFETY: fresh words: header, entry pointer, environment.
        unsafe {
            *p = Header::new(HeaderKind::Fun, 1 + env.len()).to_word();
            *p.add(1) = entry as *const FunEntry as Word;
            std::ptr::copy_nonoverlapping(env.as_ptr() as *const Word, p.add(2), env.len());
        }
        Some(Term::boxed_from_address(p as usize))
    }

    /// `fun Module:Function/Arity`.
    pub fn export_fun(&mut self, module: Atom, function: Atom, arity: u8) -> Term {
        self.write_object(
            Header::new(HeaderKind::Export, 3),
            &[
                Term::atom(module).raw(),
                Term::atom(function).raw(),
                Term::small(arity as i64).map_or(0, |t| t.raw()),
            ],
        )
    }

    /// A flat map. `keys` must be distinct and sorted in Erlang term order
    /// (the caller sorts: term comparison lives with the BIFs); `None` if the
    /// lengths differ or there are more than 32 keys.
    pub fn flatmap(&mut self, keys: &[Term], values: &[Term]) -> Option<Term> {
        if keys.len() != values.len() || keys.len() > FLATMAP_LIMIT {
            return None;
        }
        let k = self.tuple(keys)?;
        let p = self.alloc(2 + values.len());
        // SAFETY: fresh words: header, keys tuple, values.
        unsafe {
            *p = Header::new(HeaderKind::FlatMap, 1 + values.len()).to_word();
            *p.add(1) = k.raw();
            std::ptr::copy_nonoverlapping(values.as_ptr() as *const Word, p.add(2), values.len());
        }
        Some(Term::boxed_from_address(p as usize))
    }

    pub fn local_ref(&mut self, id: [u64; 2]) -> Term {
        self.write_object(Header::new(HeaderKind::Ref, 2), &id)
    }

    pub fn external_pid(&mut self, node: Atom, creation: u32, number: u32, serial: u32) -> Term {
        self.external(
            HeaderKind::ExternalPid,
            node,
            creation,
            &[number as u64, serial as u64],
        )
    }

    pub fn external_port(&mut self, node: Atom, creation: u32, id: u64) -> Term {
        self.external(HeaderKind::ExternalPort, node, creation, &[id])
    }

    /// `None` for more than 5 id words (the external term format's limit).
    pub fn external_ref(&mut self, node: Atom, creation: u32, ids: &[u32]) -> Option<Term> {
        if ids.is_empty() || ids.len() > 5 {
            return None;
        }
        let ids: Vec<u64> = ids.iter().map(|&i| i as u64).collect();
        Some(self.external(HeaderKind::ExternalRef, node, creation, &ids))
    }

    fn external(&mut self, kind: HeaderKind, node: Atom, creation: u32, ids: &[u64]) -> Term {
        let mut w = vec![Term::atom(node).raw(), creation as Word];
        w.extend_from_slice(ids);
        self.write_object(Header::new(kind, w.len()), &w)
    }

    /// The stack as words, from `stop` (index 0) to the stack base.
    pub fn stack(&self) -> &[Word] {
        let n = (self.ctx.hend as usize - self.ctx.stop as usize) / 8;
        // SAFETY: `[stop, hend)` is the initialised stack inside the block.
        unsafe { std::slice::from_raw_parts(self.ctx.stop, n) }
    }

    pub fn stack_mut(&mut self) -> &mut [Word] {
        let n = (self.ctx.hend as usize - self.ctx.stop as usize) / 8;
        // SAFETY: as in `stack`, and `&mut self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ctx.stop, n) }
    }

    /// Pushes a frame: `slots` (slot 0 lowest) with `continuation` below
    /// them, as a non-tail call does. The caller makes room first.
    pub fn push_frame(
        &mut self,
        continuation: crate::term::Continuation,
        slots: &[Term],
    ) -> Result<(), NoSpace> {
        let n = slots.len() + 1;
        if self.free_words() < n {
            return Err(NoSpace);
        }
        // SAFETY: `n` free words lie below `stop`.
        unsafe {
            self.ctx.stop = self.ctx.stop.sub(n);
            *self.ctx.stop = continuation.to_word();
            std::ptr::copy_nonoverlapping(
                slots.as_ptr() as *const Word,
                self.ctx.stop.add(1),
                slots.len(),
            );
        }
        Ok(())
    }

    /// Pops `words` stack words (a continuation and its frame, say).
    pub fn pop_stack(&mut self, words: usize) -> Result<(), NoSpace> {
        if self.stack().len() < words {
            return Err(NoSpace);
        }
        // SAFETY: at least `words` stack words are in use.
        self.ctx.stop = unsafe { self.ctx.stop.add(words) };
        Ok(())
    }

    /// Slot `offset` words above `stop`, read as a term.
    pub fn stack_term(&self, offset: usize) -> Option<Term> {
        self.stack().get(offset).map(|&w| Term::from_raw(w))
    }
}

impl HeapAccess for ProcessMemory {
    fn may_hold(&self, addr: usize) -> bool {
        self.owns(addr) || crate::literal::is_literal(addr)
    }
}

impl Term {
    /// Header and payload words of a boxed term, whatever its kind.
    pub(crate) fn payload_words<H: HeapAccess + ?Sized>(
        self,
        heap: &H,
    ) -> Option<(Header, &[Word])> {
        let h = self.header(heap)?;
        let p = self.address()? as *const Word;
        // SAFETY: a live object of `arity` words follows its header.
        Some((h, unsafe { std::slice::from_raw_parts(p.add(1), h.arity) }))
    }
}

fn words_to_u64(words: &[dashu_int::Word]) -> Vec<u64> {
    // dashu's word is 64 bits on every 64-bit target, the only targets the
    // runtime supports (terms are 64-bit words).
    const _: () = assert!(std::mem::size_of::<dashu_int::Word>() == 8);
    words.to_vec()
}

/// The integer with these limbs (as a bignum stores them).
pub fn ibig_from_limbs(negative: bool, limbs: &[u64]) -> dashu_int::IBig {
    let words: Vec<dashu_int::Word> = limbs.iter().map(|&w| w as dashu_int::Word).collect();
    let mag = dashu_int::UBig::from_words(&words);
    let sign = if negative {
        dashu_int::Sign::Negative
    } else {
        dashu_int::Sign::Positive
    };
    dashu_int::IBig::from_parts(sign, mag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_size_series_shape() {
        // The real values are checked against `erl` in tests/heap_sizes.rs.
        let s = heap_sizes();
        assert_eq!(&s[..2], &[12, 38]);
        assert_eq!(s[2], s[0] + s[1] + 1);
        assert!(s.contains(&MIN_HEAP_SIZE));
        for w in s.windows(2) {
            assert!(w[1] > w[0]);
        }
        assert_eq!(s[23], s[22] + s[22] / 5);
        assert_eq!(next_heap_size(1, 0), 12);
        assert_eq!(next_heap_size(MIN_HEAP_SIZE, 0), MIN_HEAP_SIZE);
        assert_eq!(
            next_heap_size(MIN_HEAP_SIZE + 1, 0),
            next_heap_size(MIN_HEAP_SIZE, 1)
        );
    }

    #[test]
    fn constructors_and_accessors() {
        let mut m = ProcessMemory::new();
        let f = m.float(1.5);
        let big = m.integer(&(dashu_int::IBig::from(1u8) << 100));
        let t = m.tuple(&[f, big, Term::NIL]).unwrap();
        let l = m.list(&[t, Term::small(3).unwrap()], Term::NIL);
        let (h, tl) = l.cons_parts(&*m).unwrap();
        assert_eq!(h, t);
        assert_eq!(tl.cons_parts(&*m).unwrap().0.small_value(), Some(3));
        let el = t.tuple_elements(&*m).unwrap();
        assert_eq!(el[0].float_value(&*m), Some(1.5));
        let b = el[1].bignum(&*m).unwrap();
        assert!(!b.negative && b.limbs == [0, 1 << 36]);
        assert_eq!(
            m.int(-(1 << 62)).integer_value(&*m),
            Some(dashu_int::IBig::from(-(1i64 << 62)))
        );
        assert_eq!(m.int(5), Term::small(5).unwrap());
    }

    #[test]
    fn binaries_choose_heap_or_off_heap() {
        let mut m = ProcessMemory::new();
        let small = m.binary(&[7; 64]);
        let large = m.binary(&[9; 65]);
        assert_eq!(small.bits(&*m).unwrap().as_bytes(), Some(&[7u8; 64][..]));
        assert!(small.off_heap_binary(&*m).is_none());
        assert_eq!(large.off_heap_binary(&*m).unwrap().refcount(), 1);
        assert_eq!(large.bits(&*m).unwrap().as_bytes().unwrap().len(), 65);
        let sub = m.sub_binary(large, 4, 12).unwrap();
        let sub2 = m.sub_binary(sub, 4, 8).unwrap();
        let v = sub2.bits(&*m).unwrap();
        assert_eq!((v.bit_offset, v.bit_size), (8, 8));
        assert_eq!(v.as_bytes(), Some(&[9u8][..]));
        assert!(m.sub_binary(large, 500, 100).is_none());
        assert!(m.sub_binary(Term::NIL, 0, 0).is_none());
    }

    #[test]
    fn context_pointer_reaches_the_whole_memory() {
        let mut m = ProcessMemory::new();
        let ctx = m.context_ptr();
        // SAFETY: `ctx` comes from `context_ptr` of the live `m`, which is
        // not used otherwise while `back` lives.
        let back = unsafe { ProcessMemory::from_context(ctx) };
        // Fields past the context are reached through it (under Miri a
        // pointer made from `&mut m.ctx` fails here).
        back.ensure_x(3);
        let t = back.cons(Term::NIL, Term::NIL);
        back.dictionary = t;
        assert_eq!(m.x().len(), 3);
        assert!(m.dictionary.is_list());
    }

    #[test]
    fn full_heap_spills_into_fragments() {
        let mut m = ProcessMemory::new();
        let mut l = Term::NIL;
        for i in 0..500 {
            l = m.cons(Term::small(i).unwrap(), l);
        }
        assert!(m.fragment_words() > 0);
        let mut n = 0;
        while let Some((_, t)) = l.cons_parts(&*m) {
            l = t;
            n += 1;
        }
        assert_eq!(n, 500);
    }

    #[test]
    fn freed_heap_blocks_are_reused_by_size() {
        let a = Block::new(MIN_HEAP_SIZE);
        let p = a.start();
        drop(a);
        let b = Block::new(MIN_HEAP_SIZE);
        assert_eq!(b.start(), p);
        assert_eq!(b.words(), MIN_HEAP_SIZE);
        let c = Block::new(376);
        assert_ne!(c.start(), p);
    }

    #[test]
    fn block_cache_stays_bounded() {
        let mut cache = BlockCache {
            sizes: Vec::new(),
            words: 0,
        };
        let mut kept = 0;
        for _ in 0..CACHE_MAX_PER_SIZE + 5 {
            let b = std::mem::ManuallyDrop::new(Block::new(20));
            if cache.keep(b.ptr, 20) {
                kept += 1;
            } else {
                free_block(b.ptr, 20);
            }
        }
        assert_eq!(kept, CACHE_MAX_PER_SIZE);
        assert_eq!(cache.words, 20 * CACHE_MAX_PER_SIZE);
        // More sizes than the cache keeps: the least recently used goes.
        for w in 0..CACHE_MAX_SIZES {
            let b = std::mem::ManuallyDrop::new(Block::new(100 + w));
            assert!(cache.keep(b.ptr, 100 + w));
        }
        assert_eq!(cache.sizes.len(), CACHE_MAX_SIZES);
        assert!(cache.take(20).is_none());
        let total: usize = cache.sizes.iter().map(|c| c.words * c.blocks.len()).sum();
        assert_eq!(cache.words, total);
        // A block too big for the word bound is never kept.
        let big = std::mem::ManuallyDrop::new(Block::new(CACHE_MAX_WORDS + 1));
        assert!(!cache.keep(big.ptr, CACHE_MAX_WORDS + 1));
        free_block(big.ptr, CACHE_MAX_WORDS + 1);
        let p = cache.take(100).unwrap();
        free_block(p, 100);
        assert_eq!(cache.words, total - 100);
    }
}
