//! The process table: pid to process, readable from every thread at once.
//!
//! # Pids
//!
//! A local pid immediate carries `number | serial << 32`, printed as BEAM
//! prints it, `<0.number.serial>`, and written to the external term format
//! as ID `number` and serial `serial` (what `etf.rs` expects). Number and
//! serial are the two parts of BEAM's 28-bit pid *data*: number is its low
//! 15 bits, serial the next 13. Data is handed out as BEAM's process table
//! does: a table of `size` slots (the process limit rounded up to a power of
//! two); slot `s` first gets data `s`, and each reuse of the slot adds
//! `size`, wrapping within 28 bits. Fresh slots are used in order before
//! freed ones, freed ones first-in first-out, so pids keep rising and a pid is
//! not reused until the whole 28-bit space has gone round (OTP 25 with
//! `+P 1024` shows the same: 2000 spawns give `<0.2156.0>`, and 40000 spawns
//! reach `<0.7310.1>`, numbers past 32767 carrying into the serial).
//!
//! A table may start handing out fresh slots above 0 (`first_fresh`), as
//! BEAM's does after its boot processes: under `erl -noshell -eval` (OTP
//! 25.2.3) the evaluating process is `<0.9.0>` and the first process it
//! spawns `<0.79.0>`, every run. The slots below are then free slots to be
//! used after the fresh ones run out (each first with data equal to its
//! index), or taken on purpose with [`ProcessTable::reserve_exact`].
//!
//! # Concurrency
//!
//! Nothing here takes a lock shared by all threads. Each slot is one word:
//! the `Arc<ProcShared>` pointer of its process (0 when free), whose low
//! bit is a tiny per-slot lock held only while a reader bumps the count of
//! the `Arc` it found (or while a process is put in or taken out), so a
//! lookup (every send) touches only the target's slot. Free pid data wait
//! in a ring, BEAM's design: spawn takes the entry at an atomically bumped
//! allocation index, exit writes its slot's next data at an atomically
//! bumped free index, so spawns and exits on different threads never wait
//! for each other. Both arrays come zeroed from the allocator, so their
//! pages are only touched as the table fills (a zero ring entry means "the
//! first use of this position"), and a table for a million processes costs
//! 16 bytes a slot once used, as BEAM's does.

use super::ProcShared;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Bits of BEAM's pid data.
pub const PID_DATA_BITS: u32 = 28;
/// Bits of the data that form the pid number.
pub const PID_NUMBER_BITS: u32 = 15;
/// BEAM's largest process limit (`+P`): half the data space.
pub const MAX_PROCESS_LIMIT: usize = 1 << 27;

const DATA_MASK: u64 = (1 << PID_DATA_BITS) - 1;

/// The pid immediate payload (`number | serial << 32`) of pid data.
pub fn payload_of_data(data: u64) -> u64 {
    let number = data & ((1 << PID_NUMBER_BITS) - 1);
    let serial = data >> PID_NUMBER_BITS;
    number | serial << 32
}

/// The pid data of a pid immediate payload; `None` for a payload that no
/// local process can have.
pub fn data_of_payload(payload: u64) -> Option<u64> {
    let number = payload & 0xFFFF_FFFF;
    let serial = payload >> 32;
    if number >= 1 << PID_NUMBER_BITS || serial >= 1 << (PID_DATA_BITS - PID_NUMBER_BITS) {
        return None;
    }
    Some(number | serial << PID_NUMBER_BITS)
}

/// `(number, serial)` of a pid immediate payload, as printed in `<0.N.S>`.
pub fn pid_parts(payload: u64) -> (u64, u64) {
    (payload & 0xFFFF_FFFF, payload >> 32)
}

/// A ring entry being moved (taken by a spawn, or not yet written by the
/// exit that bumped the free index past it).
const RING_EMPTY: u64 = u64::MAX;
/// A ring entry whose slot was taken out of turn (`reserve_exact`).
const RING_SKIP: u64 = u64::MAX - 1;
/// The slot lock bit.
const LOCKED: usize = 1;

/// A zeroed array of atomics straight from the allocator (pages are
/// mapped on first touch).
fn zeroed_atomics<A>(n: usize) -> Box<[A]> {
    const {
        assert!(std::mem::size_of::<A>() == 8 && std::mem::align_of::<A>() == 8);
    }
    let v: Box<[u64]> = vec![0u64; n].into_boxed_slice();
    // SAFETY: the callers' `A` (`AtomicU64`, `AtomicUsize` on 64-bit
    // targets) has the size, alignment and bit validity of `u64`, and zero
    // is a valid value of it.
    unsafe { Box::from_raw(Box::into_raw(v) as *mut [A]) }
}

pub(crate) struct ProcessTable {
    size: usize,
    limit: usize,
    first_fresh: usize,
    /// Per slot: `Arc::into_raw` of its process, or 0; bit 0 the lock.
    slots: Box<[AtomicUsize]>,
    /// Free pid data, FIFO: 0 is the position's first use (data
    /// `(position + first_fresh) % size`), else data + 1, or a marker.
    ring: Box<[AtomicU64]>,
    alloc_ix: AtomicU64,
    free_ix: AtomicU64,
    live: AtomicUsize,
    /// One past the highest slot ever published: slots above are unused,
    /// so a walk of the table (shutdown, `processes/0`) stops here instead
    /// of reading every page of a table sized for the process limit.
    high: AtomicUsize,
    /// The slot taken by `reserve_exact`, plus one (0: none), while its
    /// skip marker may still wait in the ring.
    exact: AtomicUsize,
}

impl ProcessTable {
    /// A table for `limit` processes whose fresh slots start at
    /// `first_fresh` (0 when that is not below the table's size).
    pub(crate) fn new(limit: usize, first_fresh: usize) -> ProcessTable {
        let limit = limit.clamp(1, MAX_PROCESS_LIMIT);
        let size = limit.next_power_of_two();
        let first_fresh = if first_fresh < size { first_fresh } else { 0 };
        ProcessTable {
            size,
            limit,
            first_fresh,
            slots: zeroed_atomics(size),
            ring: zeroed_atomics(size),
            alloc_ix: AtomicU64::new(0),
            // Every position starts full.
            free_ix: AtomicU64::new(size as u64),
            live: AtomicUsize::new(0),
            high: AtomicUsize::new(0),
            exact: AtomicUsize::new(0),
        }
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    pub(crate) fn count(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }

    fn position(&self, ix: u64) -> usize {
        ix as usize & (self.size - 1)
    }

    fn claim_live(&self) -> bool {
        if self.live.fetch_add(1, Ordering::AcqRel) >= self.limit {
            self.live.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// Reserves a slot and the pid data for a new process; `None` at the
    /// limit (BEAM's `system_limit`).
    pub(crate) fn reserve(&self) -> Option<(usize, u64)> {
        if !self.claim_live() {
            return None;
        }
        loop {
            let ix = self.alloc_ix.fetch_add(1, Ordering::AcqRel);
            let pos = self.position(ix);
            let entry = &self.ring[pos];
            // With fewer than `limit <= size` processes live, this position
            // has been filled or its exit is writing it now.
            let v = loop {
                let v = entry.swap(RING_EMPTY, Ordering::AcqRel);
                if v != RING_EMPTY {
                    break v;
                }
                std::hint::spin_loop();
            };
            let data = match v {
                RING_SKIP => continue,
                0 => ((pos + self.first_fresh) % self.size) as u64,
                d => d - 1,
            };
            return Some((data as usize & (self.size - 1), data));
        }
    }

    /// Where slot `index`'s first use waits in the ring.
    fn first_position(&self, index: usize) -> usize {
        (index + self.size - self.first_fresh) % self.size
    }

    /// Reserves slot `index` out of turn, with data equal to the index: for
    /// a slot whose first use the allocation index has not reached yet (the
    /// main process's pid at start-up). Its ring entry becomes a skip
    /// marker. One such reservation at a time; `None` otherwise.
    pub(crate) fn reserve_exact(&self, index: usize) -> Option<(usize, u64)> {
        if index >= self.size {
            return None;
        }
        let pos = self.first_position(index);
        if self.alloc_ix.load(Ordering::Acquire) > pos as u64 {
            return None;
        }
        if self
            .exact
            .compare_exchange(0, index + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return None;
        }
        if !self.claim_live() {
            self.exact.store(0, Ordering::Release);
            return None;
        }
        // A spawn racing to this very position finds either the first-use
        // value (and we lose) or the skip marker.
        match self.ring[pos].compare_exchange(0, RING_SKIP, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Some((index, index as u64)),
            Err(_) => {
                self.live.fetch_sub(1, Ordering::AcqRel);
                self.exact.store(0, Ordering::Release);
                None
            }
        }
    }

    /// Gives the slot of an exact reservation back in place of its skip
    /// marker, if no spawn has passed the marker yet: a freed slot must
    /// not take a new ring position while its marker still holds one, or
    /// the ring could hold more than `size` positions.
    fn return_exact(&self, index: usize, data: u64, next: u64) -> bool {
        if data != index as u64
            || self
                .exact
                .compare_exchange(index + 1, 0, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return false;
        }
        let pos = self.first_position(index);
        self.ring[pos]
            .compare_exchange(RING_SKIP, next + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    fn lock(&self, index: usize) -> usize {
        let slot = &self.slots[index];
        loop {
            let v = slot.fetch_or(LOCKED, Ordering::Acquire);
            if v & LOCKED == 0 {
                return v;
            }
            std::hint::spin_loop();
        }
    }

    fn unlock(&self, index: usize, v: usize) {
        self.slots[index].store(v & !LOCKED, Ordering::Release);
    }

    /// Publishes a process in the slot reserved for it.
    pub(crate) fn publish(&self, index: usize, p: Arc<ProcShared>) {
        let old = self.lock(index);
        debug_assert_eq!(old, 0, "publishing into a used slot");
        if self.high.load(Ordering::Relaxed) <= index {
            self.high.fetch_max(index + 1, Ordering::AcqRel);
        }
        self.unlock(index, Arc::into_raw(p) as usize);
    }

    /// A new reference to the process in slot `index` (lock held).
    fn clone_locked(v: usize) -> Option<Arc<ProcShared>> {
        if v == 0 {
            return None;
        }
        let p = v as *const ProcShared;
        // SAFETY: a non-zero slot owns one count of an `Arc` made by
        // `Arc::into_raw`; the slot lock keeps it from being taken and
        // dropped while we add ours.
        unsafe {
            Arc::increment_strong_count(p);
            Some(Arc::from_raw(p))
        }
    }

    /// The live process with pid data `data`.
    pub(crate) fn get(&self, data: u64) -> Option<Arc<ProcShared>> {
        let index = data as usize & (self.size - 1);
        if self.slots[index].load(Ordering::Relaxed) == 0 {
            return None;
        }
        let v = self.lock(index);
        let p = Self::clone_locked(v);
        self.unlock(index, v);
        p.filter(|p| p.data == data)
    }

    /// Removes the process with pid data `data` and frees its slot.
    pub(crate) fn remove(&self, data: u64) -> Option<Arc<ProcShared>> {
        let index = data as usize & (self.size - 1);
        let v = self.lock(index);
        // SAFETY: a non-zero slot holds a live `Arc` (see `clone_locked`).
        let matches = v != 0 && unsafe { (*(v as *const ProcShared)).data } == data;
        if !matches {
            self.unlock(index, v);
            return None;
        }
        self.unlock(index, 0);
        // SAFETY: the slot's count is ours now that the slot is cleared.
        let p = unsafe { Arc::from_raw(v as *const ProcShared) };
        let next = (data + self.size as u64) & DATA_MASK;
        if !self.return_exact(index, data, next) {
            let ix = self.free_ix.fetch_add(1, Ordering::AcqRel);
            // The entry's previous value was handed to a reservation that
            // has taken its ring index but may not have emptied the entry
            // yet (it can be preempted between the two steps while others
            // lap the ring). Overwriting it would lose a pid for good, so
            // wait for the entry to be empty.
            let entry = &self.ring[self.position(ix)];
            while entry
                .compare_exchange_weak(RING_EMPTY, next + 1, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                std::thread::yield_now();
            }
        }
        self.live.fetch_sub(1, Ordering::AcqRel);
        Some(p)
    }

    /// Every live process (for shutdown and `processes/0`).
    pub(crate) fn all(&self) -> Vec<Arc<ProcShared>> {
        let mut out = Vec::new();
        for index in 0..self.high.load(Ordering::Acquire) {
            if self.slots[index].load(Ordering::Relaxed) == 0 {
                continue;
            }
            let v = self.lock(index);
            out.extend(Self::clone_locked(v));
            self.unlock(index, v);
        }
        out
    }
}

impl Drop for ProcessTable {
    fn drop(&mut self) {
        let high = *self.high.get_mut();
        for s in self.slots[..high].iter_mut() {
            let v = *s.get_mut() & !LOCKED;
            if v != 0 {
                // SAFETY: the slot owns this count (see `clone_locked`).
                drop(unsafe { Arc::from_raw(v as *const ProcShared) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn payload_round_trips_and_matches_beam_numbering() {
        assert_eq!(pid_parts(payload_of_data(40078)), (7310, 1));
        for d in [0, 1, 32767, 32768, (1 << 28) - 1] {
            assert_eq!(data_of_payload(payload_of_data(d)), Some(d));
        }
        assert_eq!(data_of_payload(1 << 15), None);
    }

    #[test]
    fn skipped_slots_come_after_fresh_ones_with_their_own_numbers() {
        let t = ProcessTable::new(16, 10);
        assert_eq!(t.reserve_exact(3), Some((3, 3)));
        assert_eq!(t.reserve_exact(3), None);
        let fresh: Vec<u64> = (0..6).map(|_| t.reserve().unwrap().1).collect();
        assert_eq!(fresh, vec![10, 11, 12, 13, 14, 15]);
        // Then the skipped slots, each with data equal to its index.
        let skipped: Vec<u64> = (0..9).map(|_| t.reserve().unwrap().1).collect();
        assert_eq!(skipped, vec![0, 1, 2, 4, 5, 6, 7, 8, 9]);
        assert_eq!(t.reserve(), None);
        assert_eq!(t.count(), 16);
    }

    fn dummy(data: u64) -> Arc<ProcShared> {
        Arc::new(ProcShared {
            data,
            state: std::sync::atomic::AtomicU32::new(0),
            inbox: crate::signal::Inbox::new(),
            body: std::cell::UnsafeCell::new(None),
            name: std::sync::atomic::AtomicU32::new(0),
            group_leader: AtomicU64::new(0),
            priority: std::sync::atomic::AtomicU8::new(2),
        })
    }

    #[test]
    fn freed_slots_come_back_in_order_with_the_next_serial() {
        let t = ProcessTable::new(4, 0);
        let a: Vec<(usize, u64)> = (0..4).map(|_| t.reserve().unwrap()).collect();
        for &(i, d) in &a {
            t.publish(i, dummy(d));
        }
        assert!(t.get(2).is_some() && t.get(6).is_none());
        for d in [2, 0] {
            assert_eq!(t.remove(d).map(|p| p.data), Some(d));
        }
        assert!(t.remove(2).is_none());
        assert_eq!(t.reserve(), Some((2, 6)));
        assert_eq!(t.reserve(), Some((0, 4)));
        assert_eq!(t.reserve(), None);
        assert_eq!(t.all().len(), 2);
    }

    #[test]
    fn an_exact_slot_freed_early_keeps_the_ring_within_bounds() {
        let t = ProcessTable::new(4, 2);
        let (i, d) = t.reserve_exact(0).unwrap();
        t.publish(i, dummy(d));
        // Freed before any spawn passed its marker: it returns in place.
        assert!(t.remove(0).is_some());
        let got: Vec<u64> = (0..4).map(|_| t.reserve().unwrap().1).collect();
        assert_eq!(got, vec![2, 3, 4, 1]);
        assert_eq!(t.reserve(), None);
    }

    #[test]
    fn concurrent_spawns_and_exits_never_share_a_pid() {
        let t = Arc::new(ProcessTable::new(64, 0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let t = t.clone();
                std::thread::spawn(move || {
                    let mut seen = Vec::new();
                    for _ in 0..20_000 {
                        let (i, d) = t.reserve().unwrap();
                        t.publish(i, dummy(d));
                        assert_eq!(t.get(d).map(|p| p.data), Some(d));
                        seen.push(d);
                        assert!(t.remove(d).is_some());
                    }
                    seen
                })
            })
            .collect();
        let mut all: Vec<u64> = threads
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        // 80000 spawns on 64 slots: data wraps at 2^28, far above this.
        assert_eq!(all.len(), n);
        assert_eq!(t.count(), 0);
    }
}
