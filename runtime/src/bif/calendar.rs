//! Wall-clock BIFs: `date/0`, `time/0`, `localtime/0`, `universaltime/0`,
//! `now/0`, and `unique_integer/0,1`.

use super::{BifResult, Exception, list_elements};
use crate::atom::Atom;
use crate::heap::ProcessMemory;
use crate::term::Term;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Broken-down time, as C's `struct tm` on the platforms Coral runs on.
#[repr(C)]
struct Tm {
    tm_sec: i32,
    tm_min: i32,
    tm_hour: i32,
    tm_mday: i32,
    tm_mon: i32,
    tm_year: i32,
    tm_wday: i32,
    tm_yday: i32,
    tm_isdst: i32,
    tm_gmtoff: i64,
    tm_zone: *const std::ffi::c_char,
}

unsafe extern "C" {
    fn localtime_r(t: *const i64, out: *mut Tm) -> *mut Tm;
    fn gmtime_r(t: *const i64, out: *mut Tm) -> *mut Tm;
}

/// `((Y, M, D), (H, Mi, S))` of the current second, local or UTC.
fn now_parts(local: bool) -> Option<((i64, i64, i64), (i64, i64, i64))> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    let mut tm = Tm {
        tm_sec: 0,
        tm_min: 0,
        tm_hour: 0,
        tm_mday: 0,
        tm_mon: 0,
        tm_year: 0,
        tm_wday: 0,
        tm_yday: 0,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: std::ptr::null(),
    };
    // SAFETY: both pointers are valid for the call, which only writes `tm`
    // (the reentrant variants keep no shared state).
    let r = unsafe {
        if local {
            localtime_r(&secs, &mut tm)
        } else {
            gmtime_r(&secs, &mut tm)
        }
    };
    if r.is_null() {
        return None;
    }
    Some((
        (
            tm.tm_year as i64 + 1900,
            tm.tm_mon as i64 + 1,
            tm.tm_mday as i64,
        ),
        (tm.tm_hour as i64, tm.tm_min as i64, tm.tm_sec as i64),
    ))
}

fn triple(m: &mut ProcessMemory, (a, b, c): (i64, i64, i64)) -> Result<Term, Exception> {
    let (a, b, c) = (m.int(a), m.int(b), m.int(c));
    m.tuple(&[a, b, c]).ok_or_else(Exception::badarg)
}

fn date_time(m: &mut ProcessMemory, local: bool) -> BifResult {
    let (d, t) = now_parts(local).ok_or_else(Exception::badarg)?;
    let (d, t) = (triple(m, d)?, triple(m, t)?);
    m.tuple(&[d, t]).ok_or_else(Exception::badarg)
}

pub(super) fn localtime_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    date_time(m, true)
}

pub(super) fn universaltime_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    date_time(m, false)
}

pub(super) fn date_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let (d, _) = now_parts(true).ok_or_else(Exception::badarg)?;
    triple(m, d)
}

pub(super) fn time_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let (_, t) = now_parts(true).ok_or_else(Exception::badarg)?;
    triple(m, t)
}

/// The last `now/0` answer in microseconds: each call answers a later one.
static LAST_NOW_US: AtomicU64 = AtomicU64::new(0);

/// `erlang:now()`: `{MegaSecs, Secs, MicroSecs}` of the system time, every
/// call strictly later than the one before, as BEAM guarantees.
pub(super) fn now_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let us = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let mut last = LAST_NOW_US.load(Ordering::Relaxed);
    let t = loop {
        let t = us.max(last + 1);
        match LAST_NOW_US.compare_exchange_weak(last, t, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break t,
            Err(l) => last = l,
        }
    };
    let mega = (t / 1_000_000_000_000) as i64;
    let secs = (t / 1_000_000 % 1_000_000) as i64;
    let micro = (t % 1_000_000) as i64;
    triple(m, (mega, secs, micro))
}

/// Integers `unique_integer` hands out, counting up: unique in the runtime
/// and strictly increasing, so every combination of `positive` and
/// `monotonic` holds.
static UNIQUE: AtomicI64 = AtomicI64::new(1);

pub(super) fn unique_integer_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(m.int(UNIQUE.fetch_add(1, Ordering::Relaxed)))
}

pub(super) fn unique_integer_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let opts = list_elements(m, a[0]).ok_or_else(Exception::badarg)?;
    for o in opts {
        let ok = o
            .atom_value()
            .and_then(Atom::text)
            .is_some_and(|t| t == "positive" || t == "monotonic");
        if !ok {
            return Err(Exception::badarg());
        }
    }
    Ok(m.int(UNIQUE.fetch_add(1, Ordering::Relaxed)))
}
