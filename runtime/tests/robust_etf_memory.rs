//! `binary_to_term` on hostile input must use memory in proportion to the
//! input: container headers claiming more elements than the bytes left,
//! nested so that each one alone would pass a per-header check.
//!
//! Measured with a counting global allocator, so this file holds only this
//! test (other tests' allocations would blur the figure).

use coral_runtime::etf::{self, EtfError};
use coral_runtime::heap::ProcessMemory;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// `131`, then `levels` container headers each claiming as many elements
/// as the bytes after it could hold (a list also needs its tail), then
/// nothing more.
fn nested_claims(tag: u8, levels: usize) -> Vec<u8> {
    let header = if tag == 104 { 2 } else { 5 };
    let total = 1 + levels * header;
    let mut v = vec![131];
    while v.len() < total {
        let left = total - v.len() - header;
        v.push(tag);
        match tag {
            104 => v.push(left.min(255) as u8),
            116 => v.extend_from_slice(&((left / 2) as u32).to_be_bytes()),
            108 => v.extend_from_slice(&(left.saturating_sub(1) as u32).to_be_bytes()),
            _ => v.extend_from_slice(&(left as u32).to_be_bytes()),
        }
    }
    v
}

#[test]
fn nested_oversized_counts_are_refused_in_linear_memory() {
    // LIST_EXT, LARGE_TUPLE_EXT, MAP_EXT, SMALL_TUPLE_EXT.
    for tag in [108u8, 105, 116, 104] {
        let bytes = nested_claims(tag, 20_000);
        let mut m = ProcessMemory::new();
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let r = etf::binary_to_term(&mut m, &bytes);
        let peak = PEAK.load(Ordering::Relaxed) - base;
        assert_eq!(r, Err(EtfError::Truncated), "tag {tag}");
        // A few words per input byte; the quadratic reservation this
        // guards against is thousands of times that.
        assert!(
            peak < 64 * bytes.len() + (1 << 20),
            "tag {tag}: {peak} bytes allocated for {} input bytes",
            bytes.len()
        );
    }
}
