//! Timers and time: `erlang:send_after/3,4`, `start_timer/3,4`,
//! `cancel_timer/1,2`, `read_timer/1,2`, receive `after` timeouts, and the
//! clock BIFs (`monotonic_time`, `system_time`, `time_offset`, `timestamp`,
//! `convert_time_unit`).
//!
//! All timers of a runtime live in one binary heap ordered by deadline,
//! served by one timer thread that sleeps until the earliest deadline (or a
//! new earlier timer wakes it). Firing a timer only pushes a signal to a
//! process's inbox, so the timer thread never runs Erlang code and never
//! blocks a scheduler. Cancelled timers stay in the heap until their deadline
//! passes and are then skipped; the table keyed by timer id is the truth.
//! Timeouts are in milliseconds, as in BEAM, and a timer fires no earlier
//! than its deadline.

use crate::atom::Atom;
use crate::signal::{Message, RefId};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Where a timer's message goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Dest {
    Pid(u64),
    /// A registered name, looked up when the timer fires.
    Name(Atom),
}

pub(crate) enum Action {
    Send { dest: Dest, msg: Message },
    ReceiveTimeout { pid: u64, seq: u64 },
}

struct Entry {
    deadline: Instant,
    action: Action,
}

#[derive(Default)]
struct State {
    heap: BinaryHeap<Reverse<(Instant, RefId)>>,
    entries: HashMap<RefId, Entry>,
    stop: bool,
}

/// The timer service of one runtime.
pub struct Timers {
    state: Mutex<State>,
    wake: Condvar,
}

impl Default for Timers {
    fn default() -> Self {
        Timers::new()
    }
}

impl Timers {
    pub fn new() -> Timers {
        Timers {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves the maps consistent (every
        // update is a single insert or remove), so poisoning is ignored.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn start(&self, id: RefId, after: Duration, action: Action) {
        let deadline = Instant::now() + after;
        let mut s = self.lock();
        let earliest = s.heap.peek().is_none_or(|Reverse((d, _))| deadline < *d);
        s.heap.push(Reverse((deadline, id)));
        s.entries.insert(id, Entry { deadline, action });
        drop(s);
        if earliest {
            self.wake.notify_one();
        }
    }

    /// Cancels a timer; the time that was left, or `None` if it had fired
    /// or never existed.
    pub(crate) fn cancel(&self, id: RefId) -> Option<Duration> {
        let e = self.lock().entries.remove(&id)?;
        Some(e.deadline.saturating_duration_since(Instant::now()))
    }

    /// The time left on a timer.
    pub fn read(&self, id: RefId) -> Option<Duration> {
        let s = self.lock();
        let e = s.entries.get(&id)?;
        Some(e.deadline.saturating_duration_since(Instant::now()))
    }

    pub fn pending(&self) -> usize {
        self.lock().entries.len()
    }

    pub(crate) fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }

    /// The timer thread's loop: sleeps until the next deadline and hands
    /// expired actions to `fire`, outside the lock.
    pub(crate) fn run(&self, mut fire: impl FnMut(Action)) {
        let mut due = Vec::new();
        let mut s = self.lock();
        loop {
            if s.stop {
                return;
            }
            let now = Instant::now();
            while let Some(&Reverse((d, id))) = s.heap.peek() {
                if d > now {
                    break;
                }
                s.heap.pop();
                // A cancelled timer has no entry; a re-used id cannot occur
                // because reference ids are never reused.
                if let Some(e) = s.entries.remove(&id) {
                    due.push(e.action);
                }
            }
            if !due.is_empty() {
                drop(s);
                for a in due.drain(..) {
                    fire(a);
                }
                s = self.lock();
                continue;
            }
            s = match s.heap.peek() {
                Some(&Reverse((d, _))) => {
                    let wait = d.saturating_duration_since(now);
                    self.wake
                        .wait_timeout(s, wait)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
                None => self.wake.wait(s).unwrap_or_else(|e| e.into_inner()),
            };
        }
    }
}

/// A time unit: parts per second.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TimeUnit(pub u64);

impl TimeUnit {
    pub const SECOND: TimeUnit = TimeUnit(1);
    pub const MILLISECOND: TimeUnit = TimeUnit(1_000);
    pub const MICROSECOND: TimeUnit = TimeUnit(1_000_000);
    pub const NANOSECOND: TimeUnit = TimeUnit(1_000_000_000);
    /// BEAM's `native` and `perf_counter` units on Linux are nanoseconds
    /// (`erlang:convert_time_unit(1, second, native)` is 1000000000 on OTP 25).
    pub const NATIVE: TimeUnit = TimeUnit::NANOSECOND;

    /// The unit an atom names (including the deprecated plural forms), or a
    /// positive integer number of parts per second.
    pub fn from_term(t: crate::term::Term) -> Option<TimeUnit> {
        if let Some(n) = t.small_value() {
            return (n > 0).then_some(TimeUnit(n as u64));
        }
        let name = t.atom_value()?.text()?;
        Some(match name {
            "second" | "seconds" => TimeUnit::SECOND,
            "millisecond" | "milli_seconds" => TimeUnit::MILLISECOND,
            "microsecond" | "micro_seconds" => TimeUnit::MICROSECOND,
            "nanosecond" | "nano_seconds" => TimeUnit::NANOSECOND,
            "native" | "perf_counter" => TimeUnit::NATIVE,
            _ => return None,
        })
    }

    /// Converts `value` in `from` to this unit, rounding towards negative
    /// infinity as `erlang:convert_time_unit/3` does.
    pub fn convert(self, value: i128, from: TimeUnit) -> i128 {
        (value * self.0 as i128).div_euclid(from.0 as i128)
    }
}

/// BEAM starts monotonic time near the most negative small integer so that
/// it stays a small for centuries; so does Coral.
const MONOTONIC_BASE_NS: i128 = crate::term::MIN_SMALL as i128 + 1;

struct Clock {
    start: Instant,
    /// System time at `start`, in nanoseconds since the Unix epoch.
    system_at_start: i128,
}

fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(|| Clock {
        start: Instant::now(),
        system_at_start: system_now_ns(),
    })
}

fn system_now_ns() -> i128 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// `erlang:monotonic_time(Unit)`.
pub fn monotonic_time(unit: TimeUnit) -> i128 {
    let c = clock();
    let ns = MONOTONIC_BASE_NS + c.start.elapsed().as_nanos() as i128;
    unit.convert(ns, TimeUnit::NANOSECOND)
}

/// `erlang:time_offset(Unit)`: system time minus monotonic time (constant,
/// as under BEAM's default no-time-warp mode).
pub fn time_offset(unit: TimeUnit) -> i128 {
    let c = clock();
    unit.convert(c.system_at_start - MONOTONIC_BASE_NS, TimeUnit::NANOSECOND)
}

/// `erlang:system_time(Unit)`: monotonic time plus the offset, so it never
/// goes backwards (BEAM's default time-warp mode does the same).
pub fn system_time(unit: TimeUnit) -> i128 {
    let c = clock();
    let ns = c.system_at_start + c.start.elapsed().as_nanos() as i128;
    unit.convert(ns, TimeUnit::NANOSECOND)
}

/// `erlang:timestamp()`: `{MegaSecs, Secs, MicroSecs}` of system time.
pub fn timestamp() -> (i64, i64, i64) {
    let us = system_time(TimeUnit::MICROSECOND);
    let secs = us.div_euclid(1_000_000);
    (
        (secs / 1_000_000) as i64,
        (secs % 1_000_000) as i64,
        us.rem_euclid(1_000_000) as i64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_floor_like_beam() {
        assert_eq!(TimeUnit::SECOND.convert(-1, TimeUnit::MILLISECOND), -1);
        assert_eq!(TimeUnit::SECOND.convert(1999, TimeUnit::MILLISECOND), 1);
        assert_eq!(TimeUnit::MILLISECOND.convert(3, TimeUnit::SECOND), 3000);
    }

    #[test]
    fn clocks_move_forward_and_agree() {
        let a = monotonic_time(TimeUnit::NATIVE);
        std::thread::sleep(Duration::from_millis(5));
        let b = monotonic_time(TimeUnit::NATIVE);
        assert!(b - a >= 5_000_000);
        let s = system_time(TimeUnit::NATIVE);
        let m = monotonic_time(TimeUnit::NATIVE);
        let off = time_offset(TimeUnit::NATIVE);
        assert!((s - (m + off)).abs() < 1_000_000_000);
        let (mega, secs, _) = timestamp();
        assert!(mega > 1000 && secs < 1_000_000);
    }

    use std::sync::Arc;

    #[test]
    fn timers_fire_in_order_and_cancel() {
        let t = Arc::new(Timers::new());
        let fired = Arc::new(Mutex::new(Vec::new()));
        let th = {
            let (t, fired) = (t.clone(), fired.clone());
            std::thread::spawn(move || {
                t.run(|a| {
                    if let Action::ReceiveTimeout { pid, .. } = a {
                        fired.lock().unwrap().push(pid)
                    }
                })
            })
        };
        for (i, ms) in [(1u64, 30u64), (2, 10), (3, 20), (4, 15)] {
            let action = Action::ReceiveTimeout { pid: i, seq: 0 };
            t.start([i, 99], Duration::from_millis(ms), action);
        }
        assert!(t.cancel([4, 99]).is_some());
        assert!(t.read([1, 99]).is_some());
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(*fired.lock().unwrap(), vec![2, 3, 1]);
        assert!(t.cancel([1, 99]).is_none());
        t.stop();
        th.join().unwrap();
    }
}
