//! The scheduler and mailboxes under load: selective receive and the save
//! pointer, timers, 100k processes exchanging messages, preemption of a busy
//! process, a million idle processes, halting.

use coral_runtime::atom::Atom;
use coral_runtime::mailbox::wait;
use coral_runtime::process::{Process, SpawnOpts, status};
use coral_runtime::process_code;
use coral_runtime::sched::{Config, HaltRequest, HaltStatus, Runtime};
use coral_runtime::term::Term;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

fn atom(s: &str) -> Term {
    Term::atom(Atom::intern(s).unwrap())
}

fn small(i: i64) -> Term {
    Term::small(i).unwrap()
}

fn rt(schedulers: usize) -> Runtime {
    Runtime::new(Config {
        schedulers,
        crash_reports: false,
        ..Config::default()
    })
}

/// Takes the first message, or suspends (`Err(WAIT)`); `Ok(None)` when the
/// timeout passes.
fn receive_any(p: &mut Process, timeout: Term) -> Result<Option<Term>, u64> {
    loop {
        if p.recv_peek().is_some() {
            return Ok(p.remove_message());
        }
        match p.recv_wait_timeout(timeout) {
            wait::RECHECK => continue,
            wait::TIMED_OUT => {
                p.recv_timeout();
                return Ok(None);
            }
            _ => return Err(status::WAIT),
        }
    }
}

fn exit_normal(p: &mut Process) -> u64 {
    p.mem.ensure_x(1);
    p.mem.x_mut()[0] = atom("normal");
    status::EXIT
}

fn exit_with(p: &mut Process, why: &str) -> u64 {
    p.mem.ensure_x(1);
    p.mem.x_mut()[0] = atom(why);
    status::EXIT
}

// ---- selective receive ------------------------------------------------------

static ORDER: Mutex<Vec<i64>> = Mutex::new(Vec::new());

process_code!(fn selective(p) {
    if p.resume_point == 0 {
        let me = p.pid();
        for i in 1..=5 {
            p.send(me, small(i)).unwrap();
        }
        p.resume_point = 1;
    }
    // receive 3 -> ok end: skips 1 and 2 with recv_next, keeping them.
    if p.resume_point == 1 {
        loop {
            match p.recv_peek() {
                Some(m) if m == small(3) => {
                    p.remove_message();
                    ORDER.lock().unwrap().push(3);
                    break;
                }
                Some(_) => p.recv_next(),
                None => match p.recv_wait_timeout(atom("infinity")) {
                    wait::RECHECK => continue,
                    s => panic!("unexpected wait answer {s}"),
                },
            }
        }
        // A save pointer past the end: nothing matches 9, and the
        // zero timeout fires at once and resets the save pointer.
        loop {
            match p.recv_peek() {
                Some(_) => p.recv_next(),
                None => {
                    assert_eq!(p.recv_wait_timeout(small(0)), wait::TIMED_OUT);
                    p.recv_timeout();
                    break;
                }
            }
        }
        assert_eq!(p.queue().save_pointer(), 0);
        p.resume_point = 2;
    }
    loop {
        match receive_any(p, small(0)) {
            Ok(Some(m)) => ORDER.lock().unwrap().push(m.small_value().unwrap()),
            Ok(None) => break,
            Err(s) => return s,
        }
    }
    exit_normal(p)
});

#[test]
fn selective_receive_keeps_skipped_messages_in_order() {
    let code = rt(1).run_main(selective, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    assert_eq!(*ORDER.lock().unwrap(), vec![3, 1, 2, 4, 5]);
}

// ---- timers -------------------------------------------------------------------

static TIMER_LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

process_code!(fn timers(p) {
    if p.resume_point == 0 {
        let me = p.pid();
        p.start_timer(small(60), me, atom("late"), false).unwrap();
        p.start_timer(small(20), me, atom("early"), false).unwrap();
        let cancelled = p.start_timer(small(40), me, atom("cancelled"), false).unwrap();
        let left = p.read_timer(cancelled).unwrap().small_value().unwrap();
        assert!((1..=40).contains(&left), "read_timer gave {left}");
        let left = p.cancel_timer(cancelled).unwrap().small_value().unwrap();
        assert!((1..=40).contains(&left), "cancel_timer gave {left}");
        assert_eq!(p.cancel_timer(cancelled).unwrap(), atom("false"));
        let t = p.start_timer(small(30), me, atom("tagged"), true).unwrap();
        p.dict_put(atom("tref"), t);
        p.resume_point = 1;
    }
    loop {
        match receive_any(p, small(150)) {
            Err(s) => return s,
            Ok(None) => {
                TIMER_LOG.lock().unwrap().push("timeout".into());
                return exit_normal(p);
            }
            Ok(Some(m)) => {
                let text = if let Some(a) = m.atom_value() {
                    a.text().unwrap().to_string()
                } else {
                    let e = m.tuple_elements(&p.mem).unwrap();
                    let tref = p.dict_get(atom("tref"));
                    let same = e[1].local_ref_id(&p.mem) == tref.local_ref_id(&p.mem);
                    format!("{{{},{},{}}}", e[0].atom_value().unwrap().text().unwrap(), same, e[2].atom_value().unwrap().text().unwrap())
                };
                TIMER_LOG.lock().unwrap().push(text);
            }
        }
    }
});

#[test]
fn timers_deliver_in_deadline_order_and_cancel() {
    let t0 = std::time::Instant::now();
    let code = rt(2).run_main(timers, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    assert_eq!(
        *TIMER_LOG.lock().unwrap(),
        vec!["early", "{timeout,true,tagged}", "late", "timeout"]
    );
    // 60 ms for the last timer and 150 ms of silence.
    assert!(t0.elapsed().as_millis() >= 210);
}

// ---- 100k processes -------------------------------------------------------------

const WORKERS: i64 = 100_000;
static SEEN: Mutex<Vec<u8>> = Mutex::new(Vec::new());

// Waits for `{From, N}`, answers `N` to `From`, exits.
process_code!(fn worker(p) {
    match receive_any(p, atom("infinity")) {
        Err(s) => s,
        Ok(Some(m)) => {
            let &[from, n] = m.tuple_elements(&p.mem).unwrap() else { panic!("bad message") };
            p.send(from, n).unwrap();
            exit_normal(p)
        }
        Ok(None) => unreachable!(),
    }
});

// Spawns the workers (a batch per slice), sends each its number, and
// counts the answers.
process_code!(fn stress_main(p) {
    let me = p.pid();
    while p.resume_point < WORKERS as u64 {
        let i = p.resume_point as i64;
        let w = p.spawn(worker, &[], &SpawnOpts::default()).unwrap().pid;
        let m = p.mem.tuple(&[me, small(i)]).unwrap();
        p.send(w, m).unwrap();
        p.resume_point += 1;
        if p.bump_reductions(20) {
            return status::YIELD;
        }
    }
    loop {
        match receive_any(p, small(20_000)) {
            Err(s) => return s,
            Ok(None) => return exit_with(p, "lost_messages"),
            Ok(Some(n)) => {
                let n = n.small_value().unwrap() as usize;
                let mut seen = SEEN.lock().unwrap();
                seen[n] += 1;
                p.resume_point += 1;
                if p.resume_point == 2 * WORKERS as u64 {
                    return exit_normal(p);
                }
            }
        }
        if p.bump_reductions(5) {
            return status::YIELD;
        }
    }
});

#[test]
fn hundred_thousand_processes_lose_and_duplicate_nothing() {
    *SEEN.lock().unwrap() = vec![0; WORKERS as usize];
    let r = rt(0);
    assert!(r.schedulers() >= 1);
    let code = r.run_main(stress_main, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0, "main timed out waiting for answers");
    assert!(SEEN.lock().unwrap().iter().all(|&c| c == 1));
}

// ---- preemption -------------------------------------------------------------------

static SPINS: AtomicU64 = AtomicU64::new(0);

process_code!(fn busy(p) {
    loop {
        SPINS.fetch_add(1, Ordering::Relaxed);
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

process_code!(fn echo(p) {
    loop {
        match receive_any(p, atom("infinity")) {
            Err(s) => return s,
            Ok(Some(m)) => {
                let &[from, n] = m.tuple_elements(&p.mem).unwrap() else { panic!() };
                p.send(from, n).unwrap();
            }
            Ok(None) => unreachable!(),
        }
    }
});

// On one scheduler thread with two busy loops running, 200 round trips to
// an echo process still complete.
process_code!(fn pinger(p) {
    if p.resume_point == 0 {
        for _ in 0..2 {
            p.spawn(busy, &[], &SpawnOpts::default()).unwrap();
        }
        let e = p.spawn(echo, &[], &SpawnOpts::default()).unwrap().pid;
        p.dict_put(atom("echo"), e);
        p.resume_point = 1;
    }
    loop {
        if p.resume_point % 2 == 1 {
            if p.resume_point > 400 {
                return exit_normal(p);
            }
            let e = p.dict_get(atom("echo"));
            let me = p.pid();
            let m = p.mem.tuple(&[me, small(p.resume_point as i64)]).unwrap();
            p.send(e, m).unwrap();
            p.resume_point += 1;
        }
        match receive_any(p, atom("infinity")) {
            Err(s) => return s,
            Ok(_) => p.resume_point += 1,
        }
    }
});

#[test]
fn a_busy_loop_does_not_starve_others() {
    let t0 = std::time::Instant::now();
    let code = rt(1).run_main(pinger, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    // Each round trip waits behind at most two busy slices.
    assert!(t0.elapsed().as_secs() < 30);
    assert!(SPINS.load(Ordering::Relaxed) > 0);
}

// ---- halting and crashes ------------------------------------------------------------

process_code!(fn crasher(p) {
    p.mem.ensure_x(3);
    let x = p.mem.x_mut();
    x[0] = atom("error");
    x[1] = atom("badarith");
    x[2] = Term::NIL;
    status::ERROR
});

process_code!(fn halter(p) {
    p.halt(small(7), Term::NIL).unwrap();
    status::HALT
});

#[test]
fn exit_status_follows_main() {
    assert_eq!(rt(1).run_main(crasher, &SpawnOpts::default(), |_| {}), 1);
    assert_eq!(rt(1).run_main(halter, &SpawnOpts::default(), |_| {}), 7);
    let r = rt(1);
    let h = r.handle();
    h.halt(HaltRequest {
        status: HaltStatus::Slogan("bye".into()),
        flush: true,
    });
    assert_eq!(r.wait_halt().exit_code(), 1);
}

// ---- a million idle processes ---------------------------------------------------------

const IDLE: usize = 1_000_000;
static IDLE_SPAWNED: AtomicUsize = AtomicUsize::new(0);

process_code!(fn idle(p) {
    match receive_any(p, atom("infinity")) {
        Err(s) => s,
        Ok(_) => exit_normal(p),
    }
});

process_code!(fn spawn_idle(p) {
    while (p.resume_point as usize) < IDLE {
        p.spawn(idle, &[], &SpawnOpts::default()).unwrap();
        p.resume_point += 1;
        if p.bump_reductions(10) {
            return status::YIELD;
        }
    }
    IDLE_SPAWNED.store(p.resume_point as usize, Ordering::Release);
    match receive_any(p, atom("infinity")) {
        Err(s) => s,
        Ok(_) => exit_normal(p),
    }
});

fn rss_bytes() -> usize {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = s
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

#[test]
fn a_million_idle_processes_fit() {
    let r = rt(0);
    let h = r.handle();
    let before = rss_bytes();
    let main = h.spawn(spawn_idle, &SpawnOpts::default(), |_| {}).unwrap();
    let t0 = std::time::Instant::now();
    while IDLE_SPAWNED.load(Ordering::Acquire) < IDLE {
        assert!(t0.elapsed().as_secs() < 300, "spawning stalled");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let elapsed = t0.elapsed();
    // Every process, main included, is alive and costs no CPU.
    while h.process_count() < IDLE + 1 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let after = rss_bytes();
    let per = (after - before) / IDLE;
    eprintln!(
        "1M idle processes: spawned in {:.2} s, {} bytes of RSS each ({:.0} words)",
        elapsed.as_secs_f64(),
        per,
        per as f64 / 8.0
    );
    let info = h
        .process_info(
            main,
            &[coral_runtime::process::InfoItem::Memory],
            std::time::Duration::from_secs(10),
        )
        .unwrap();
    assert!(!info.term.is_nil());
    // BEAM's figure is 338 words (2704 bytes) at spawn; stay in its range.
    assert!(per < 4096, "{per} bytes per idle process");
}
