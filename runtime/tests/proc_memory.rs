//! Process memory as BEAM shows it, checked against `erl` on this machine:
//! `message_queue_data` (an `on_heap` queue becomes heap at a collection, an
//! `off_heap` one does not), `max_heap_size` (which settings kill), the
//! pids a program sees, `halt(abort)`; the collections the scheduler
//! runs between slices when delivered messages pile up; and the young heap
//! a busy process gets and gives back when it waits (Coral's own rule).

use coral_runtime::atom::Atom;
use coral_runtime::mailbox::wait;
use coral_runtime::process::table::pid_parts;
use coral_runtime::process::{InfoItem, MaxHeapSize, MessageQueueData, Process, SpawnOpts, status};
use coral_runtime::process_code;
use coral_runtime::sched::{Config, Runtime};
use coral_runtime::term::Term;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

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

fn exit_normal(p: &mut Process) -> u64 {
    p.mem.ensure_x(1);
    p.mem.x_mut()[0] = atom("normal");
    status::EXIT
}

/// Takes the first message, or `Err(status)` to suspend.
fn receive_any(p: &mut Process) -> Result<Term, u64> {
    loop {
        if p.recv_peek().is_some() {
            return Ok(p.remove_message().unwrap());
        }
        match p.recv_wait_timeout(atom("infinity")) {
            wait::RECHECK => continue,
            _ => return Err(status::WAIT),
        }
    }
}

/// `<0.N.S>` of a local pid.
fn pid_text(t: Term) -> String {
    let (n, s) = pid_parts(t.local_pid_number().unwrap());
    format!("<0.{n}.{s}>")
}

/// Compiles `source` (module `name`) and runs `name:main()` under
/// `erl -noshell`; its standard output.
fn run_erl(name: &str, source: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("coral-proc-memory-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.erl"));
    std::fs::write(&file, source).unwrap();
    let ok = Command::new("erlc")
        .arg("-o")
        .arg(&dir)
        .arg(&file)
        .status()
        .unwrap()
        .success();
    assert!(ok, "erlc failed");
    let out = Command::new("erl")
        .current_dir(&dir)
        .args(["-noshell", "-pa"])
        .arg(&dir)
        .args(["-eval", &format!("{name}:main(), halt().")])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "erl failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The integer value of item `item` from `process_info(self(), [Item])`.
fn info_int(p: &mut Process, item: InfoItem) -> i64 {
    let l = p.process_info_self(&[item]);
    let (pair, _) = l.cons_parts(&p.mem).unwrap();
    let &[_, v] = pair.tuple_elements(&p.mem).unwrap() else {
        panic!("bad info answer")
    };
    v.small_value().unwrap()
}

// ---- message_queue_data ------------------------------------------------------------

const QUEUED: i64 = 1000;
const ELEMENTS: i64 = 20;
/// Words of one `{I, [1..20]}` message: a 2-tuple and 20 cons cells.
const MESSAGE_WORDS: i64 = 3 + 2 * ELEMENTS;

static MQD_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

// Receives `go` past the queued messages, collects, reports whether the
// queue counts in `total_heap_size`, then takes every message and checks it.
process_code!(fn mqd_child(p) {
    if p.resume_point == 0 {
        p.mem.set_verify(true);
        p.resume_point = 1;
    }
    loop {
        match p.recv_peek() {
            Some(m) if m == atom("go") => {
                p.remove_message();
                break;
            }
            Some(_) => p.recv_next(),
            None => match p.recv_wait_timeout(atom("infinity")) {
                wait::RECHECK => continue,
                _ => return status::WAIT,
            },
        }
    }
    p.garbage_collect(0, 0, &mut [], true).unwrap();
    let after = info_int(p, InfoItem::TotalHeapSize);
    let len = info_int(p, InfoItem::MessageQueueLen);
    let mode = match p.message_queue_data() {
        MessageQueueData::OnHeap => "on_heap",
        MessageQueueData::OffHeap => "off_heap",
    };
    let counted = after >= QUEUED * MESSAGE_WORDS;
    // Where the messages are: moved onto the heap, or left in fragments.
    let queued = (QUEUED * MESSAGE_WORDS) as usize;
    match p.message_queue_data() {
        MessageQueueData::OnHeap => {
            assert!(p.mem.heap_used() >= queued, "on_heap messages not on the heap");
            assert_eq!(p.queue().words(), 0);
        }
        MessageQueueData::OffHeap => {
            // All but the message at the save pointer, which a collection
            // always takes onto the heap.
            assert!(p.mem.heap_used() < queued / 10, "off_heap messages copied");
            assert_eq!(p.queue().words(), queued - MESSAGE_WORDS as usize);
        }
    }
    MQD_LINES
        .lock()
        .unwrap()
        .push(format!("{mode}: counted {counted} len {len}"));
    // A second collection with the messages queued, then every message
    // must have come through intact.
    p.garbage_collect(0, 0, &mut [], false).unwrap();
    for i in 1..=QUEUED {
        let m = receive_any(p).unwrap_or_else(|_| panic!("message {i} missing"));
        let &[n, l] = m.tuple_elements(&p.mem).unwrap() else { panic!("bad message") };
        assert_eq!(n, small(i));
        let mut l = l;
        for e in 1..=ELEMENTS {
            let (h, t) = l.cons_parts(&p.mem).unwrap();
            assert_eq!(h, small(e));
            l = t;
        }
        assert!(l.is_nil());
    }
    exit_normal(p)
});

process_code!(fn mqd_main(p) {
    if p.resume_point == 0 {
        let mode = if p.dict_get(atom("mode")) == atom("on_heap") {
            MessageQueueData::OnHeap
        } else {
            MessageQueueData::OffHeap
        };
        let opts = SpawnOpts {
            message_queue_data: mode,
            monitor: true,
            ..SpawnOpts::default()
        };
        let child = p.spawn(mqd_child, &[], &opts).unwrap().pid;
        let seq: Vec<Term> = (1..=ELEMENTS).map(small).collect();
        for i in 1..=QUEUED {
            let l = p.mem.list(&seq, Term::NIL);
            let m = p.mem.tuple(&[small(i), l]).unwrap();
            p.send(child, m).unwrap();
        }
        p.send(child, atom("go")).unwrap();
        p.resume_point = 1;
    }
    // The 'DOWN' message.
    match receive_any(p) {
        Ok(m) => {
            let &[_, _, _, _, reason] = m.tuple_elements(&p.mem).unwrap() else { panic!() };
            assert_eq!(reason, atom("normal"));
            exit_normal(p)
        }
        Err(s) => s,
    }
});

const MQD_ERL: &str = r#"-module(mqd).
-export([main/0]).
run(Mode) ->
    Parent = self(),
    P = spawn_opt(fun() ->
                      receive go -> ok end,
                      erlang:garbage_collect(),
                      {total_heap_size, After} = process_info(self(), total_heap_size),
                      {message_queue_len, Len} = process_info(self(), message_queue_len),
                      Parent ! {self(), After >= 1000 * (3 + 2 * 20), Len}
                  end, [{message_queue_data, Mode}]),
    [P ! {I, lists:seq(1, 20)} || I <- lists:seq(1, 1000)],
    P ! go,
    receive {P, Counted, Len} -> io:format("~p: counted ~p len ~p~n", [Mode, Counted, Len]) end.
main() -> run(on_heap), run(off_heap).
"#;

#[test]
fn message_queue_data_decides_whether_the_queue_becomes_heap() {
    for mode in ["on_heap", "off_heap"] {
        let code = rt(2).run_main(mqd_main, &SpawnOpts::default(), |p| {
            p.dict_put(atom("mode"), atom(mode));
        });
        assert_eq!(code, 0);
    }
    let got = MQD_LINES.lock().unwrap().join("\n") + "\n";
    assert_eq!(got, run_erl("mqd", MQD_ERL));
}

// ---- max_heap_size ---------------------------------------------------------------------

static DOWN_REASONS: Mutex<Vec<String>> = Mutex::new(Vec::new());
const GROW: i64 = 100_000;

// Conses a list of GROW elements in x0, collecting when the heap is full
// as compiled code does; resume_point counts the elements.
process_code!(fn grower(p) {
    if p.resume_point == 0 {
        p.mem.ensure_x(1);
        p.mem.x_mut()[0] = Term::NIL;
        p.mem.ctx.x_live = 1;
    }
    while (p.resume_point as i64) < GROW {
        if p.mem.free_words() < 2 {
            p.garbage_collect(2, 1, &mut [], false).unwrap();
            if p.killed() {
                return status::YIELD;
            }
        }
        let l = p.mem.x()[0];
        let c = p.mem.cons(small(p.resume_point as i64), l);
        p.mem.x_mut()[0] = c;
        p.resume_point += 1;
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
    exit_normal(p)
});

fn limits() -> [MaxHeapSize; 4] {
    [
        MaxHeapSize {
            size: 1000,
            kill: true,
            error_logger: true,
        },
        MaxHeapSize {
            size: 1000,
            kill: false,
            error_logger: true,
        },
        MaxHeapSize {
            size: 1000,
            kill: true,
            error_logger: false,
        },
        MaxHeapSize {
            size: 0,
            kill: true,
            error_logger: true,
        },
    ]
}

process_code!(fn mhs_main(p) {
    let i = p.resume_point as usize / 2;
    let Some(&max) = limits().get(i) else {
        return exit_normal(p);
    };
    if p.resume_point.is_multiple_of(2) {
        let opts = SpawnOpts { monitor: true, max_heap_size: max, ..SpawnOpts::default() };
        p.spawn(grower, &[], &opts).unwrap();
        p.resume_point += 1;
    }
    match receive_any(p) {
        Ok(m) => {
            let &[_, _, _, _, reason] = m.tuple_elements(&p.mem).unwrap() else { panic!() };
            let text = reason.atom_value().unwrap().text().unwrap().to_string();
            DOWN_REASONS.lock().unwrap().push(format!("down {text}"));
            p.resume_point += 1;
            status::YIELD
        }
        Err(s) => s,
    }
});

const MHS_ERL: &str = r#"-module(mhs).
-export([main/0]).
grow(0, Acc) -> Acc;
grow(N, Acc) -> grow(N - 1, [N | Acc]).
run(Max) ->
    {P, R} = spawn_opt(fun() -> grow(100000, []), ok end, [monitor, {max_heap_size, Max}]),
    receive {'DOWN', R, process, P, Why} -> io:format("down ~p~n", [Why]) end.
main() ->
    error_logger:tty(false),
    logger:set_primary_config(level, none),
    run(#{size => 1000, kill => true, error_logger => true}),
    run(#{size => 1000, kill => false, error_logger => true}),
    run(#{size => 1000, kill => true, error_logger => false}),
    run(#{size => 0, kill => true, error_logger => true}),
    {max_heap_size, D} = process_info(self(), max_heap_size),
    io:format("default ~p ~p ~p~n", [maps:get(size, D), maps:get(kill, D), maps:get(error_logger, D)]).
"#;

#[test]
fn max_heap_size_kills_as_beam_does() {
    let code = rt(2).run_main(mhs_main, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    let d = SpawnOpts::default().max_heap_size;
    let mut got = DOWN_REASONS.lock().unwrap().join("\n");
    got += &format!("\ndefault {} {} {}\n", d.size, d.kill, d.error_logger);
    assert_eq!(got, run_erl("mhs", MHS_ERL));
}

#[test]
fn max_heap_size_reads_integers_and_maps() {
    let mut h = coral_runtime::heap::ProcessMemory::new();
    let base = MaxHeapSize::default();
    let m = MaxHeapSize {
        size: 5000,
        kill: false,
        error_logger: true,
    };
    let t = m.to_term(&mut h);
    assert_eq!(MaxHeapSize::from_term(t, base, &*h), Some(m));
    assert_eq!(
        MaxHeapSize::from_term(small(77), m, &*h),
        Some(MaxHeapSize { size: 77, ..m })
    );
    assert_eq!(MaxHeapSize::from_term(small(-1), base, &*h), None);
    let bad = h.flatmap(&[atom("size")], &[atom("big")]).unwrap();
    assert_eq!(MaxHeapSize::from_term(bad, base, &*h), None);
    let unknown = h.flatmap(&[atom("colour")], &[small(1)]).unwrap();
    assert_eq!(MaxHeapSize::from_term(unknown, base, &*h), None);
}

#[test]
fn max_heap_report_has_beams_fields() {
    // The labels of BEAM's report, in order, from a real one.
    let erl = run_erl(
        "mhr",
        r#"-module(mhr).
-export([main/0]).
grow(0, Acc) -> Acc;
grow(N, Acc) -> grow(N - 1, [N | Acc]).
main() ->
    {P, R} = spawn_opt(fun() -> grow(100000, []) end, [monitor, {max_heap_size, 1000}]),
    receive {'DOWN', R, process, P, _} -> ok end,
    timer:sleep(200).
"#,
    );
    let labels = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("     "))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, _)| k.to_string())
            .collect()
    };
    let max = MaxHeapSize {
        size: 1000,
        kill: true,
        error_logger: true,
    };
    let pid = Term::local_pid(79).unwrap();
    let ours = coral_runtime::process::report::max_heap_report(
        pid,
        &max,
        1356,
        0,
        &[("old_heap_block_size", 610), ("heap_block_size", 752)],
    );
    assert!(!labels(&erl).is_empty(), "no report from erl:\n{erl}");
    assert_eq!(labels(&ours), labels(&erl));
    assert!(ours.contains("Context:            maximum heap size reached\n"));
    assert!(ours.contains("Process:            <0.79.0> \n"));
}

// ---- pids ----------------------------------------------------------------------------------

static PIDS: Mutex<String> = Mutex::new(String::new());

process_code!(fn pid_main(p) {
    let me = p.pid();
    let a = p.spawn(quick, &[], &SpawnOpts::default()).unwrap().pid;
    let b = p.spawn(quick, &[], &SpawnOpts::default()).unwrap().pid;
    *PIDS.lock().unwrap() = format!("{} {} {}\n", pid_text(me), pid_text(a), pid_text(b));
    exit_normal(p)
});

process_code!(fn quick(p) { exit_normal(p) });

#[test]
fn pids_start_where_beams_do() {
    let code = rt(1).run_main(pid_main, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    let erl = run_erl(
        "pids",
        "-module(pids).\n-export([main/0]).\nmain() -> io:format(\"~p ~p ~p~n\", [self(), spawn(fun() -> ok end), spawn(fun() -> ok end)]).\n",
    );
    assert_eq!(*PIDS.lock().unwrap(), erl);
}

// ---- halt(abort) ---------------------------------------------------------------------------

process_code!(fn aborter(p) {
    p.halt(atom("abort"), Term::NIL).unwrap();
    status::HALT
});

#[test]
fn halt_abort_dies_of_the_same_signal_as_beam() {
    use std::os::unix::process::ExitStatusExt;
    if std::env::var_os("CORAL_HALT_ABORT_CHILD").is_some() {
        rt(1).run_main_and_exit(aborter, &SpawnOpts::default(), |_| {});
    }
    let dir = std::env::temp_dir();
    let erl = Command::new("erl")
        .current_dir(&dir)
        .args(["-noshell", "-eval", "erlang:halt(abort)."])
        .output()
        .unwrap();
    let ours = Command::new(std::env::current_exe().unwrap())
        .current_dir(&dir)
        .args([
            "--exact",
            "halt_abort_dies_of_the_same_signal_as_beam",
            "--test-threads=1",
        ])
        .env("CORAL_HALT_ABORT_CHILD", "1")
        .output()
        .unwrap();
    assert_eq!(erl.status.signal(), Some(6), "erl: {:?}", erl.status);
    assert_eq!(
        ours.status.signal(),
        erl.status.signal(),
        "coral: {:?}",
        ours.status
    );
    assert_eq!(ours.status.code(), erl.status.code());
}

// ---- collections between slices -------------------------------------------------------

const FLOOD: i64 = 20_000;
static FLOOD_GCS: AtomicU64 = AtomicU64::new(0);

// Sums `{I, [I, I]}` messages, keeping the last one in x0 (live); never
// collects on its own: the scheduler must, or its heap fragments pile up.
process_code!(fn flood_sink(p) {
    if p.resume_point == 0 {
        p.mem.set_verify(true);
        p.mem.ensure_x(2);
        p.mem.x_mut()[0] = Term::NIL;
        p.mem.x_mut()[1] = small(0);
        p.mem.ctx.x_live = 2;
        p.resume_point = 1;
    }
    loop {
        let m = match receive_any(p) {
            Ok(m) => m,
            Err(s) => return s,
        };
        let &[n, l] = m.tuple_elements(&p.mem).unwrap() else { panic!("bad message") };
        let (a, rest) = l.cons_parts(&p.mem).unwrap();
        let (b, _) = rest.cons_parts(&p.mem).unwrap();
        assert_eq!((a, b), (n, n));
        // The previous message, kept across slices, must still be intact.
        if let Some(&[pn, _]) = p.mem.x()[0].tuple_elements(&p.mem) {
            assert_eq!(pn.small_value().unwrap() + 1, n.small_value().unwrap());
        }
        let sum = p.mem.x()[1].small_value().unwrap() + n.small_value().unwrap();
        p.mem.x_mut()[0] = m;
        p.mem.x_mut()[1] = small(sum);
        if n == small(FLOOD) {
            assert_eq!(sum, FLOOD * (FLOOD + 1) / 2);
            let s = p.mem.stats();
            FLOOD_GCS.store(s.minor + s.major, Ordering::Release);
            return exit_normal(p);
        }
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
});

process_code!(fn flood_main(p) {
    if p.resume_point == 0 {
        let sink = p
            .spawn(flood_sink, &[], &SpawnOpts { monitor: true, ..SpawnOpts::default() })
            .unwrap()
            .pid;
        p.dict_put(atom("sink"), sink);
        p.resume_point = 1;
    }
    let sink = p.dict_get(atom("sink"));
    while (p.resume_point as i64) <= FLOOD {
        let i = small(p.resume_point as i64);
        let l = p.mem.list(&[i, i], Term::NIL);
        let m = p.mem.tuple(&[i, l]).unwrap();
        p.send(sink, m).unwrap();
        p.resume_point += 1;
        if p.bump_reductions(5) {
            return status::YIELD;
        }
    }
    match receive_any(p) {
        Ok(m) => {
            let &[_, _, _, _, reason] = m.tuple_elements(&p.mem).unwrap() else { panic!() };
            assert_eq!(reason, atom("normal"));
            exit_normal(p)
        }
        Err(s) => s,
    }
});

#[test]
fn delivered_messages_are_collected_between_slices() {
    let code = rt(2).run_main(flood_main, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    assert!(
        FLOOD_GCS.load(Ordering::Acquire) > 0,
        "the sink was never collected"
    );
}

// ---- busy processes --------------------------------------------------------------------

/// The churner's young heap: the biggest while it churned, and after it
/// waited for a message.
static BUSY_SIZES: Mutex<Vec<usize>> = Mutex::new(Vec::new());
const CHURN: i64 = 200_000;

// Keeps a 20-element list in x0 and allocates garbage for about 50 time
// slices, collecting as compiled code does; then tells its parent and
// waits for `go`.
process_code!(fn churner(p) {
    if p.resume_point == 0 {
        p.mem.set_verify(true);
        let parent = p.mem.x()[0];
        p.dict_put(atom("parent"), parent);
        let seq: Vec<Term> = (1..=20).map(small).collect();
        p.mem.ensure_x(1);
        p.mem.x_mut()[0] = p.mem.list(&seq, Term::NIL);
        p.mem.ctx.x_live = 1;
        p.resume_point = 1;
    }
    while (p.resume_point as i64) <= CHURN {
        if p.mem.free_words() < 2 {
            p.garbage_collect(2, 1, &mut [], false).unwrap();
            let mut s = BUSY_SIZES.lock().unwrap();
            if s.is_empty() {
                s.push(0);
            }
            s[0] = s[0].max(p.mem.heap_size());
        }
        p.mem.cons(Term::NIL, Term::NIL);
        p.resume_point += 1;
        if p.bump_reductions(1) {
            return status::YIELD;
        }
    }
    if p.resume_point as i64 == CHURN + 1 {
        let parent = p.dict_get(atom("parent"));
        let me = p.pid();
        p.send(parent, me).unwrap();
        p.resume_point += 1;
    }
    match receive_any(p) {
        Ok(m) => {
            assert_eq!(m, atom("go"));
            BUSY_SIZES.lock().unwrap().push(p.mem.heap_size());
            // The list came through every collection.
            let mut l = p.mem.x()[0];
            for e in 1..=20 {
                let (h, t) = l.cons_parts(&p.mem).unwrap();
                assert_eq!(h, small(e));
                l = t;
            }
            assert!(l.is_nil());
            exit_normal(p)
        }
        Err(s) => s,
    }
});

process_code!(fn churn_main(p) {
    if p.resume_point == 0 {
        let opts = SpawnOpts {
            monitor: true,
            ..SpawnOpts::default()
        };
        let me = p.pid();
        p.spawn(churner, &[me], &opts).unwrap();
        p.resume_point = 1;
    }
    loop {
        match receive_any(p) {
            Ok(m) if m.local_pid_number().is_some() => {
                p.send(m, atom("go")).unwrap();
            }
            Ok(m) => {
                let &[_, _, _, _, reason] = m.tuple_elements(&p.mem).unwrap() else { panic!() };
                assert_eq!(reason, atom("normal"));
                return exit_normal(p);
            }
            Err(s) => return s,
        }
    }
});

#[test]
fn a_busy_process_has_a_bigger_heap_until_it_waits() {
    let code = rt(1).run_main(churn_main, &SpawnOpts::default(), |_| {});
    assert_eq!(code, 0);
    let sizes = BUSY_SIZES.lock().unwrap().clone();
    // BEAM's rules keep this process at a few hundred words; busy, it got
    // the biggest nursery, and waiting gave it back.
    assert_eq!(sizes.len(), 2, "{sizes:?}");
    assert_eq!(sizes[0], 17731, "{sizes:?}");
    assert!(sizes[1] < 4185, "{sizes:?}");
}
