//! The runtime-wide counters behind `erlang:statistics/1`: reductions,
//! time slices, collections, and the clocks' "since the last call" marks.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

static REDUCTIONS: AtomicU64 = AtomicU64::new(0);
static LAST_REDUCTIONS: AtomicU64 = AtomicU64::new(0);
static CONTEXT_SWITCHES: AtomicU64 = AtomicU64::new(0);
static COLLECTIONS: AtomicU64 = AtomicU64::new(0);
static RECLAIMED: AtomicU64 = AtomicU64::new(0);
static LAST_WALL_MS: AtomicU64 = AtomicU64::new(0);
static LAST_RUNTIME_MS: AtomicU64 = AtomicU64::new(0);
static START: OnceLock<Instant> = OnceLock::new();

/// Marks the start of the runtime system (the origin of `wall_clock`).
pub fn mark_start() {
    START.get_or_init(Instant::now);
}

/// A time slice ended after `reductions`.
pub fn slice_done(reductions: u64) {
    REDUCTIONS.fetch_add(reductions, Ordering::Relaxed);
    CONTEXT_SWITCHES.fetch_add(1, Ordering::Relaxed);
}

/// A collection reclaimed `words`.
pub fn collection_done(words: u64) {
    COLLECTIONS.fetch_add(1, Ordering::Relaxed);
    RECLAIMED.fetch_add(words, Ordering::Relaxed);
}

/// `{Total, SinceLastCall}` of the reductions of all processes, with
/// `running` more from the caller's current time slice.
pub fn reductions(running: u64) -> (u64, u64) {
    let total = REDUCTIONS.load(Ordering::Relaxed) + running;
    let last = LAST_REDUCTIONS.swap(total, Ordering::Relaxed);
    (total, total.saturating_sub(last))
}

pub fn context_switches() -> u64 {
    CONTEXT_SWITCHES.load(Ordering::Relaxed)
}

/// `(collections, words reclaimed)`.
pub fn collections() -> (u64, u64) {
    (
        COLLECTIONS.load(Ordering::Relaxed),
        RECLAIMED.load(Ordering::Relaxed),
    )
}

/// `{Total, SinceLastCall}` in milliseconds of wall-clock time since the
/// runtime started.
pub fn wall_clock() -> (u64, u64) {
    let ms = START.get_or_init(Instant::now).elapsed().as_millis() as u64;
    let last = LAST_WALL_MS.swap(ms, Ordering::Relaxed);
    (ms, ms.saturating_sub(last))
}

/// `{Total, SinceLastCall}` in milliseconds of CPU time used by all the
/// threads of the OS process.
pub fn runtime() -> (u64, u64) {
    let ms = cpu_time_ms();
    let last = LAST_RUNTIME_MS.swap(ms, Ordering::Relaxed);
    (ms, ms.saturating_sub(last))
}

fn cpu_time_ms() -> u64 {
    cpu_time(CpuClock::Process).as_millis() as u64
}

/// Whose CPU time [`cpu_time`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuClock {
    /// All the threads of the OS process.
    Process,
    /// The calling thread.
    Thread,
}

/// The CPU time used so far by the OS process or the calling thread; zero
/// where it cannot be read.
#[cfg(all(unix, target_pointer_width = "64"))]
pub fn cpu_time(clock: CpuClock) -> std::time::Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    #[cfg(target_os = "macos")]
    let id = match clock {
        CpuClock::Process => 12,
        CpuClock::Thread => 16,
    };
    #[cfg(not(target_os = "macos"))]
    let id = match clock {
        CpuClock::Process => 2,
        CpuClock::Thread => 3,
    };
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec (two 64-bit words on a
    // 64-bit target); the call only writes it.
    if unsafe { clock_gettime(id, &mut ts) } != 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::new(
        ts.tv_sec.max(0) as u64,
        ts.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

#[cfg(not(all(unix, target_pointer_width = "64")))]
pub fn cpu_time(_clock: CpuClock) -> std::time::Duration {
    std::time::Duration::ZERO
}
