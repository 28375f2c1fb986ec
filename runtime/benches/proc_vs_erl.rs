//! Process-layer benchmarks, each run under Coral and under `erl` in the same
//! invocation, with the same workload, counts and message shapes:
//!
//! - `spawn`: spawn 1M processes that exit at once, and wait until all have
//!   gone (time, and peak resident memory above the starting point);
//! - `ring`: a ring of 10k processes passing a counter around until 1M
//!   messages have been sent (the ring is built before timing starts);
//! - `pingpong`: 100k round trips `{Self, N}` -> `N` between two processes;
//! - `parallel`: 1000 processes each iterating a 24-bit LCG 100k times, one
//!   reduction per iteration, then sending `{done, X}` to the parent; run on
//!   1 and on 2 scheduler threads to give each side's speed-up.
//!
//! Coral's processes here are hand-written Rust state machines speaking the
//! runtime's status protocol, not compiled Erlang: the figures measure the
//! runtime (spawn, scheduling, signals, message copying), and for
//! `parallel` only the speed-up is comparable, not the absolute time.
//!
//! Each workload runs in a fresh operating-system process for each side (so
//! peak memory is that run's own): the Erlang side is a module written to a
//! temporary directory, compiled with `erlc` and run by `erl -noshell`; both
//! sides time the workload from inside, with a monotonic clock, so start-up
//! is excluded. Both print a check value that must agree.
//!
//! Run with `cargo bench -p coral-runtime --bench proc_vs_erl [-- WORKLOAD...]`;
//! `PROC_BENCH_RUNS` sets the number of runs (default 5; medians are shown).

use coral_runtime::atom::Atom;
use coral_runtime::mailbox::wait;
use coral_runtime::process::{Process, SpawnOpts, status};
use coral_runtime::process_code;
use coral_runtime::sched::{Config, Runtime};
use coral_runtime::term::Term;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

const SPAWNS: i64 = 1_000_000;
const RING: i64 = 10_000;
const RING_MESSAGES: i64 = 1_000_000;
const ROUND_TRIPS: i64 = 100_000;
const WORKERS: i64 = 1000;
const WORK: i64 = 100_000;

const ERLANG: &str = r#"-module(procbench).
-export([main/1]).

main([W, S]) ->
    Rss0 = rss(),
    T0 = erlang:monotonic_time(microsecond),
    Check = run(list_to_atom(W)),
    T1 = erlang:monotonic_time(microsecond),
    io:format("RESULT ~w ~w ~w ~s~n", [T1 - T0, hwm() - Rss0, Check, S]).

run(spawn) ->
    Base = erlang:system_info(process_count),
    spawn_loop(1000000),
    wait_count(Base),
    1000000;
run(ring) ->
    Last = build_ring(10000 - 1, self()),
    Last ! 1000000 - 1,
    ring_main(Last);
run(pingpong) ->
    Echo = spawn(fun echo/0),
    ping(Echo, 100000, 0);
run(parallel) ->
    Self = self(),
    spawn_workers(Self, 1000),
    collect(1000, 0).

spawn_loop(0) -> ok;
spawn_loop(N) -> spawn(fun() -> ok end), spawn_loop(N - 1).

wait_count(Base) ->
    case erlang:system_info(process_count) of
        Base -> ok;
        _ -> erlang:yield(), wait_count(Base)
    end.

build_ring(0, Next) -> Next;
build_ring(K, Next) -> build_ring(K - 1, spawn(fun() -> ring_node(Next) end)).

ring_node(Next) ->
    receive
        0 -> Next ! 0;
        K -> Next ! K - 1, ring_node(Next)
    end.

ring_main(Last) ->
    receive
        0 -> 0;
        K -> Last ! K - 1, ring_main(Last)
    end.

echo() ->
    receive
        {From, N} -> From ! N, echo()
    end.

ping(_, 0, Sum) -> Sum;
ping(Echo, N, Sum) ->
    Echo ! {self(), N},
    receive M -> ping(Echo, N - 1, Sum + M) end.

spawn_workers(_, 0) -> ok;
spawn_workers(Parent, I) ->
    spawn(fun() -> Parent ! {done, work(100000, I)} end),
    spawn_workers(Parent, I - 1).

work(0, X) -> X;
work(N, X) -> work(N - 1, (X * 69069 + 1) band 16#ffffff).

collect(0, Sum) -> Sum;
collect(N, Sum) -> receive {done, X} -> collect(N - 1, Sum + X) end.

rss() -> status_kb("VmRSS:").
hwm() -> status_kb("VmHWM:").

status_kb(Key) ->
    {ok, B} = file:read_file("/proc/self/status"),
    Lines = string:split(binary_to_list(B), "\n", all),
    [V] = [list_to_integer(hd(string:lexemes(string:prefix(L, Key), " \tkB")))
           || L <- Lines, string:prefix(L, Key) =/= nomatch],
    V * 1024.
"#;

// ---- Coral side ------------------------------------------------------------------

fn atom(s: &str) -> Term {
    Term::atom(Atom::intern(s).unwrap_or(coral_runtime::atom::UNDEFINED))
}

fn small(i: i64) -> Term {
    Term::small(i).unwrap_or(Term::NIL)
}

fn exit_normal(p: &mut Process) -> u64 {
    p.mem.ensure_x(1);
    p.mem.x_mut()[0] = Term::atom(coral_runtime::atom::NORMAL);
    status::EXIT
}

/// The atom `infinity`, looked up once (compiled code has it as a
/// constant).
fn infinity() -> Term {
    static A: std::sync::OnceLock<Term> = std::sync::OnceLock::new();
    *A.get_or_init(|| atom("infinity"))
}

/// The first message, or `Err(status)` to return to the scheduler.
fn receive_any(p: &mut Process) -> Result<Term, u64> {
    loop {
        if p.recv_peek().is_some() {
            return p.remove_message().ok_or(status::WAIT);
        }
        match p.recv_wait_timeout(infinity()) {
            wait::RECHECK => continue,
            _ => return Err(status::WAIT),
        }
    }
}

static CHECK: AtomicI64 = AtomicI64::new(-1);
static TIMES: Mutex<Option<(Instant, Instant)>> = Mutex::new(None);

fn start_clock() {
    if let Ok(mut t) = TIMES.lock() {
        let now = Instant::now();
        *t = Some((now, now));
    }
}

fn stop_clock(check: i64) {
    if let Ok(mut t) = TIMES.lock()
        && let Some((s, _)) = *t
    {
        *t = Some((s, Instant::now()));
    }
    CHECK.store(check, Ordering::Release);
}

process_code!(fn quick_exit(p) { exit_normal(p) });

process_code!(fn spawn_main(p) {
    if p.resume_point == 0 {
        start_clock();
        p.resume_point = 1;
    }
    while (p.resume_point as i64) <= SPAWNS {
        if p.spawn(quick_exit, &[], &SpawnOpts::default()).is_err() {
            return exit_normal(p);
        }
        p.resume_point += 1;
        if p.bump_reductions(10) {
            return status::YIELD;
        }
    }
    if p.runtime().process_count() > 1 {
        return status::YIELD;
    }
    stop_clock(SPAWNS);
    exit_normal(p)
});

// x[0] holds the next pid.
process_code!(fn ring_node(p) {
    loop {
        let k = match receive_any(p) {
            Ok(k) => k.small_value().unwrap_or(0),
            Err(s) => return s,
        };
        let next = p.mem.x()[0];
        let _ = p.send(next, small((k - 1).max(0)));
        if k == 0 {
            return exit_normal(p);
        }
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

process_code!(fn ring_main(p) {
    if p.resume_point == 0 {
        let mut next = p.pid();
        for _ in 0..RING - 1 {
            match p.spawn(ring_node, &[next], &SpawnOpts::default()) {
                Ok(s) => next = s.pid,
                Err(_) => return exit_normal(p),
            }
        }
        p.mem.ensure_x(1);
        p.mem.x_mut()[0] = next;
        start_clock();
        let _ = p.send(next, small(RING_MESSAGES - 1));
        p.resume_point = 1;
    }
    loop {
        let k = match receive_any(p) {
            Ok(k) => k.small_value().unwrap_or(0),
            Err(s) => return s,
        };
        if k == 0 {
            stop_clock(0);
            return exit_normal(p);
        }
        let last = p.mem.x()[0];
        let _ = p.send(last, small(k - 1));
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

process_code!(fn echo(p) {
    loop {
        let m = match receive_any(p) {
            Ok(m) => m,
            Err(s) => return s,
        };
        if let Some(&[from, n]) = m.tuple_elements(&p.mem) {
            let _ = p.send(from, n);
        }
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

// x[0] the echo pid; resume_point the round trips left; sum in x[1].
process_code!(fn ping_main(p) {
    if p.resume_point == 0 {
        let Ok(e) = p.spawn(echo, &[], &SpawnOpts::default()) else {
            return exit_normal(p);
        };
        p.mem.ensure_x(2);
        p.mem.x_mut()[0] = e.pid;
        p.mem.x_mut()[1] = small(0);
        start_clock();
        p.resume_point = ROUND_TRIPS as u64 + 1;
        let me = p.pid();
        let m = p.mem.tuple(&[me, small(ROUND_TRIPS)]).unwrap_or(Term::NIL);
        let _ = p.send(e.pid, m);
    }
    loop {
        let n = match receive_any(p) {
            Ok(n) => n.small_value().unwrap_or(0),
            Err(s) => return s,
        };
        let sum = p.mem.x()[1].small_value().unwrap_or(0) + n;
        p.mem.x_mut()[1] = small(sum);
        p.resume_point -= 1;
        let left = p.resume_point as i64 - 1;
        if left == 0 {
            stop_clock(sum);
            return exit_normal(p);
        }
        let me = p.pid();
        let echo = p.mem.x()[0];
        let m = p.mem.tuple(&[me, small(left)]).unwrap_or(Term::NIL);
        let _ = p.send(echo, m);
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

// x[0] parent, x[1] the iterations left, x[2] the value.
process_code!(fn worker(p) {
    let mut n = p.mem.x()[1].small_value().unwrap_or(0);
    let mut x = p.mem.x()[2].small_value().unwrap_or(0);
    while n > 0 {
        x = (x * 69069 + 1) & 0xff_ffff;
        n -= 1;
        if p.bump_reductions(1) {
            p.mem.x_mut()[1] = small(n);
            p.mem.x_mut()[2] = small(x);
            return status::YIELD;
        }
    }
    let parent = p.mem.x()[0];
    let done = Term::atom(Atom::intern("done").unwrap_or(coral_runtime::atom::UNDEFINED));
    let m = p.mem.tuple(&[done, small(x)]).unwrap_or(Term::NIL);
    let _ = p.send(parent, m);
    exit_normal(p)
});

process_code!(fn parallel_main(p) {
    if p.resume_point == 0 {
        start_clock();
        let me = p.pid();
        for i in (1..=WORKERS).rev() {
            if p.spawn(worker, &[me, small(WORK), small(i)], &SpawnOpts::default()).is_err() {
                return exit_normal(p);
            }
        }
        p.mem.ensure_x(1);
        p.mem.x_mut()[0] = small(0);
        p.resume_point = WORKERS as u64 + 1;
    }
    loop {
        let m = match receive_any(p) {
            Ok(m) => m,
            Err(s) => return s,
        };
        let x = match m.tuple_elements(&p.mem) {
            Some(&[_, x]) => x.small_value().unwrap_or(0),
            _ => 0,
        };
        let sum = p.mem.x()[0].small_value().unwrap_or(0) + x;
        p.mem.x_mut()[0] = small(sum);
        p.resume_point -= 1;
        if p.resume_point == 1 {
            stop_clock(sum);
            return exit_normal(p);
        }
    }
});

fn status_bytes(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// Runs one workload on Coral in this process and prints its result line.
fn coral_child(workload: &str, schedulers: usize) {
    let entry = match workload {
        "spawn" => spawn_main,
        "ring" => ring_main,
        "pingpong" => ping_main,
        "parallel" => parallel_main,
        _ => {
            eprintln!("unknown workload {workload}");
            std::process::exit(2)
        }
    };
    let rss0 = status_bytes("VmRSS:");
    let rt = Runtime::new(Config {
        schedulers,
        crash_reports: false,
        ..Config::default()
    });
    let code = rt.run_main(entry, &SpawnOpts::default(), |_| {});
    let hwm = status_bytes("VmHWM:");
    let Some((t0, t1)) = TIMES.lock().ok().and_then(|t| *t) else {
        eprintln!("workload did not finish (exit {code})");
        std::process::exit(1)
    };
    println!(
        "RESULT {} {} {} coral",
        (t1 - t0).as_micros(),
        hwm.saturating_sub(rss0),
        CHECK.load(Ordering::Acquire)
    );
}

// ---- the driver ---------------------------------------------------------------------

struct Sample {
    micros: u64,
    mem: u64,
    check: i64,
}

fn parse(out: &[u8]) -> Option<Sample> {
    let text = String::from_utf8_lossy(out);
    let line = text.lines().find(|l| l.starts_with("RESULT "))?;
    let f: Vec<&str> = line.split_whitespace().collect();
    Some(Sample {
        micros: f.get(1)?.parse().ok()?,
        mem: f.get(2)?.parse().ok()?,
        check: f.get(3)?.parse().ok()?,
    })
}

fn run_coral(workload: &str, schedulers: usize) -> Option<Sample> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe)
        .env("PROC_BENCH_CHILD", format!("{workload}:{schedulers}"))
        .output()
        .ok()?;
    let s = parse(&out.stdout);
    if s.is_none() {
        eprintln!(
            "coral {workload} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    s
}

fn run_erl(dir: &std::path::Path, workload: &str, schedulers: usize) -> Option<Sample> {
    let out = Command::new("erl")
        .current_dir(dir)
        .arg("-noshell")
        .arg(format!("+S{schedulers}"))
        .arg("+P")
        .arg("2000000")
        .arg("-pa")
        .arg(dir)
        .arg("-run")
        .arg("procbench")
        .arg("main")
        .arg(workload)
        .arg("erl")
        .arg("-s")
        .arg("init")
        .arg("stop")
        .output()
        .ok()?;
    let s = parse(&out.stdout);
    if s.is_none() {
        eprintln!(
            "erl {workload} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    s
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn fmt_time(us: u64) -> String {
    if us >= 10_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else {
        format!("{us} us")
    }
}

fn fmt_mem(b: u64) -> String {
    format!("{:.1} MB", b as f64 / 1e6)
}

/// Medians of `runs` runs of each side: (coral, erl).
fn measure(
    dir: &std::path::Path,
    workload: &str,
    schedulers: usize,
    runs: usize,
) -> Option<(Sample, Sample)> {
    let (mut c, mut e) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        c.push(run_coral(workload, schedulers)?);
        e.push(run_erl(dir, workload, schedulers)?);
    }
    let check = c[0].check;
    if c.iter().chain(&e).any(|s| s.check != check) {
        eprintln!("{workload}: check values differ between runs or sides");
        return None;
    }
    let med = |v: &[Sample]| Sample {
        micros: median(v.iter().map(|s| s.micros).collect()),
        mem: median(v.iter().map(|s| s.mem).collect()),
        check,
    };
    Some((med(&c), med(&e)))
}

fn main() {
    if let Ok(child) = std::env::var("PROC_BENCH_CHILD") {
        let (w, s) = child.split_once(':').unwrap_or((child.as_str(), "1"));
        coral_child(w, s.parse().unwrap_or(1));
        return;
    }
    let runs: usize = std::env::var("PROC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all = ["spawn", "ring", "pingpong", "parallel"];
    let chosen: Vec<&str> = if args.is_empty() {
        all.to_vec()
    } else {
        all.iter()
            .copied()
            .filter(|w| args.iter().any(|a| a == w))
            .collect()
    };
    let dir = std::env::temp_dir().join(format!("coral-procbench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err()
        || std::fs::write(dir.join("procbench.erl"), ERLANG).is_err()
    {
        eprintln!("cannot write the Erlang module");
        std::process::exit(1);
    }
    let compiled = Command::new("erlc")
        .arg("-o")
        .arg(&dir)
        .arg(dir.join("procbench.erl"))
        .status()
        .is_ok_and(|s| s.success());
    if !compiled {
        eprintln!("erlc failed (is Erlang/OTP installed?)");
        std::process::exit(1);
    }
    println!("Coral processes are hand-written Rust state machines, not compiled Erlang.");
    println!("{runs} runs per side; medians. Memory: peak RSS above the RSS at start.");
    println!(
        "{:<22} {:>11} {:>11} {:>7} {:>10} {:>10}",
        "workload", "coral", "erl", "ratio", "coral mem", "erl mem"
    );
    for w in chosen {
        let scheds: &[usize] = &[1, 2];
        let mut times = Vec::new();
        for &s in scheds {
            let Some((c, e)) = measure(&dir, w, s, runs) else {
                println!("{w:<22} failed");
                continue;
            };
            println!(
                "{:<22} {:>11} {:>11} {:>6.2}x {:>10} {:>10}",
                format!("{w} (S={s})"),
                fmt_time(c.micros),
                fmt_time(e.micros),
                c.micros as f64 / e.micros.max(1) as f64,
                fmt_mem(c.mem),
                fmt_mem(e.mem)
            );
            times.push((s, c.micros, e.micros));
        }
        if w == "parallel"
            && let [(_, c1, e1), (_, c2, e2)] = times[..]
        {
            println!(
                "{:<22} speed-up 1->2 schedulers: coral {:.2}x, erl {:.2}x",
                "",
                c1 as f64 / c2.max(1) as f64,
                e1 as f64 / e2.max(1) as f64
            );
        }
        if w == "spawn" {
            for &(s, c, e) in &times {
                println!(
                    "{:<22} per process (S={s}): coral {:.2} us, erl {:.2} us",
                    "",
                    c as f64 / SPAWNS as f64,
                    e as f64 / SPAWNS as f64
                );
            }
        }
        if w == "pingpong" {
            for &(s, c, e) in &times {
                println!(
                    "{:<22} per round trip (S={s}): coral {:.2} us, erl {:.2} us",
                    "",
                    c as f64 / ROUND_TRIPS as f64,
                    e as f64 / ROUND_TRIPS as f64
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
