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
//! # Concurrency
//!
//! Each slot has its own small lock around its `Arc`, so a lookup (every
//! send) touches only the target's slot: there is no global lock on that
//! path. Only spawn and exit take the free-list lock. Slots are allocated in
//! chunks on first use, so a table for a million processes costs little
//! until it fills.

use super::ProcShared;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Bits of BEAM's pid data.
pub const PID_DATA_BITS: u32 = 28;
/// Bits of the data that form the pid number.
pub const PID_NUMBER_BITS: u32 = 15;
/// BEAM's largest process limit (`+P`): half the data space.
pub const MAX_PROCESS_LIMIT: usize = 1 << 27;

const CHUNK: usize = 4096;

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

#[derive(Default)]
struct Slot {
    proc: Mutex<Option<Arc<ProcShared>>>,
}

struct FreeList {
    /// Slots never used yet are `next_fresh..size`.
    next_fresh: usize,
    /// Freed slots with the data their last process had.
    freed: VecDeque<(usize, u64)>,
}

pub(crate) struct ProcessTable {
    size: usize,
    limit: usize,
    chunks: Box<[OnceLock<Box<[Slot]>>]>,
    free: Mutex<FreeList>,
    live: AtomicUsize,
}

impl ProcessTable {
    pub(crate) fn new(limit: usize) -> ProcessTable {
        let limit = limit.clamp(1, MAX_PROCESS_LIMIT);
        let size = limit.next_power_of_two();
        let chunks = size.div_ceil(CHUNK);
        ProcessTable {
            size,
            limit,
            chunks: (0..chunks).map(|_| OnceLock::new()).collect(),
            free: Mutex::new(FreeList {
                next_fresh: 0,
                freed: VecDeque::new(),
            }),
            live: AtomicUsize::new(0),
        }
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    pub(crate) fn count(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }

    fn slot(&self, index: usize) -> &Slot {
        let chunk = self.chunks[index / CHUNK].get_or_init(|| {
            let n = CHUNK.min(self.size);
            (0..n).map(|_| Slot::default()).collect()
        });
        &chunk[index % CHUNK]
    }

    fn lock_free(&self) -> std::sync::MutexGuard<'_, FreeList> {
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves a slot and the pid data for a new process; `None` at the
    /// limit (BEAM's `system_limit`).
    pub(crate) fn reserve(&self) -> Option<(usize, u64)> {
        let mut f = self.lock_free();
        if self.live.load(Ordering::Acquire) >= self.limit {
            return None;
        }
        let (index, data) = if f.next_fresh < self.size {
            f.next_fresh += 1;
            (f.next_fresh - 1, (f.next_fresh - 1) as u64)
        } else {
            let (index, last) = f.freed.pop_front()?;
            (
                index,
                (last + self.size as u64) & ((1 << PID_DATA_BITS) - 1),
            )
        };
        self.live.fetch_add(1, Ordering::AcqRel);
        Some((index, data))
    }

    /// Publishes a process in the slot reserved for it.
    pub(crate) fn publish(&self, index: usize, p: Arc<ProcShared>) {
        *self
            .slot(index)
            .proc
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(p);
    }

    /// The live process with pid data `data`.
    pub(crate) fn get(&self, data: u64) -> Option<Arc<ProcShared>> {
        let index = data as usize & (self.size - 1);
        let chunk = self.chunks.get(index / CHUNK)?.get()?;
        let slot = chunk[index % CHUNK]
            .proc
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        slot.as_ref().filter(|p| p.data == data).cloned()
    }

    /// Removes the process with pid data `data` and frees its slot.
    pub(crate) fn remove(&self, data: u64) -> Option<Arc<ProcShared>> {
        let index = data as usize & (self.size - 1);
        let taken = {
            let mut slot = self
                .slot(index)
                .proc
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if slot.as_ref().is_some_and(|p| p.data == data) {
                slot.take()
            } else {
                None
            }
        };
        if taken.is_some() {
            self.lock_free().freed.push_back((index, data));
            self.live.fetch_sub(1, Ordering::AcqRel);
        }
        taken
    }

    /// Every live process (for shutdown and `processes/0`).
    pub(crate) fn all(&self) -> Vec<Arc<ProcShared>> {
        let mut out = Vec::new();
        for c in self.chunks.iter().filter_map(|c| c.get()) {
            for s in c.iter() {
                if let Some(p) = s.proc.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                    out.push(p.clone());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_matches_beam_numbering() {
        assert_eq!(pid_parts(payload_of_data(40078)), (7310, 1));
        for d in [0, 1, 32767, 32768, (1 << 28) - 1] {
            assert_eq!(data_of_payload(payload_of_data(d)), Some(d));
        }
        assert_eq!(data_of_payload(1 << 15), None);
    }
}
