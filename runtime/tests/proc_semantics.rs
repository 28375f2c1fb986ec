//! The link, monitor and exit-signal rules, checked against BEAM.
//!
//! Each scenario is a small script of process operations (spawn with link or
//! monitor, trap exits, exit/1, exit/2, link, unlink, demonitor, receive with
//! a timeout, ...). The same scripts run twice: here, interpreted by a Rust
//! process on Coral's scheduler, and under `erl`, interpreted by an Erlang
//! function written out into a generated module. Both print what the main
//! process of each scenario receives, with pids and references replaced by
//! role names, and the outputs must be equal line for line.

use coral_runtime::atom::Atom;
use coral_runtime::mailbox::wait;
use coral_runtime::process::{Process, SpawnOpts, status};
use coral_runtime::process_code;
use coral_runtime::sched::{Config, Runtime};
use coral_runtime::term::{HeapAccess, Term, TermKind};
use std::fmt::Write as _;
use std::sync::Mutex;

#[derive(Clone, Debug)]
enum Op {
    Trap(bool),
    /// Spawn `role` running script `script`, with link and/or monitor.
    Spawn(&'static str, usize, bool, bool),
    Link(&'static str),
    Unlink(&'static str),
    /// `exit(Role, Reason)`; roles `self` and `parent` are understood.
    Exit(&'static str, &'static str),
    /// `exit(Reason)`.
    ExitSelf(&'static str),
    /// Receive one message within the timeout and print it (main only).
    Recv(u64),
    /// Receive one message within the timeout and send it to the parent.
    Forward(u64),
    /// Sleep without touching the queue (`receive after T -> ok end`).
    Sleep(u64),
    Send(&'static str, &'static str),
    /// `demonitor(MonitorOf(Role), [flush, info])`, printing the result.
    DemonitorFlush(&'static str),
    /// `monitor(process, Role)` (also for a dead one).
    Monitor(&'static str),
    /// `monitor(process, Name)` on a name nobody has.
    MonitorName(&'static str),
    Alive(&'static str),
}

use Op::*;

/// Scripts; each scenario's main is one of them, children are others.
fn scripts() -> Vec<Vec<Op>> {
    vec![
        /* 0: wait forever */ vec![Sleep(100_000)],
        /* 1: exit(kill) */ vec![ExitSelf("kill")],
        /* 2: exit(normal) */ vec![ExitSelf("normal")],
        /* 3: exit(foo) */ vec![ExitSelf("foo")],
        /* 4: a middle process linked to one that exits with kill */
        vec![
            Spawn("c", 1, true, false),
            Sleep(200),
            Send("parent", "alive"),
        ],
        /* 5: middle linked to a child exiting normally */
        vec![
            Spawn("c", 2, true, false),
            Sleep(200),
            Send("parent", "alive"),
        ],
        /* 6: exit(self(), normal) without trapping */
        vec![Exit("self", "normal"), Send("parent", "survived")],
        /* 7: trap exits, then forward what arrives */
        vec![
            Trap(true),
            Send("parent", "ready"),
            Forward(500),
            Forward(200),
        ],
        /* 8: trapping, exit(self(), normal) */
        vec![Trap(true), Exit("self", "normal"), Forward(200)],
        // Scenario mains from here on.
        /* 9 */
        vec![Trap(true), Spawn("a", 1, true, false), Recv(500)],
        /* 10 */
        vec![Trap(true), Spawn("m", 4, true, false), Recv(500), Recv(300)],
        /* 11 */
        vec![
            Trap(true),
            Spawn("a", 0, true, false),
            Exit("a", "kill"),
            Recv(500),
        ],
        /* 12 */
        vec![Trap(true), Spawn("m", 5, true, false), Recv(500), Recv(300)],
        /* 13 */
        vec![Trap(true), Spawn("a", 2, true, false), Recv(500)],
        /* 14 */
        vec![Spawn("a", 6, false, true), Recv(500), Recv(200)],
        /* 15 */
        vec![Spawn("a", 8, false, true), Recv(500), Recv(500)],
        /* 16: exit(P, normal) from another process is ignored */
        vec![
            Spawn("a", 0, false, true),
            Exit("a", "normal"),
            Alive("a"),
            Exit("a", "foo"),
            Recv(500),
        ],
        /* 17: monitor and link a dead process */
        vec![
            Trap(true),
            Spawn("a", 2, false, false),
            Sleep(100),
            Monitor("a"),
            Recv(300),
            Link("a"),
            Recv(300),
            MonitorName("nobody"),
            Recv(300),
        ],
        /* 18: 'DOWN' with the exit reason; demonitor flush after it */
        vec![
            Spawn("a", 3, false, true),
            Sleep(200),
            DemonitorFlush("a"),
            Recv(200),
            Spawn("b", 3, false, true),
            Recv(500),
            DemonitorFlush("b"),
        ],
        /* 19: unlink before the exit: no 'EXIT' */
        vec![
            Trap(true),
            Spawn("a", 0, true, false),
            Unlink("a"),
            Exit("a", "foo"),
            Recv(300),
        ],
        /* 20: exit(P, kill) on a trapping process is untrappable */
        vec![
            Spawn("a", 7, false, true),
            Recv(500),
            Exit("a", "kill"),
            Recv(500),
            Recv(300),
        ],
        /* 21: exit(P, foo) on a trapping process becomes a message */
        vec![
            Spawn("a", 7, false, true),
            Recv(500),
            Exit("a", "foo"),
            Recv(500),
            Exit("a", "normal"),
            Recv(500),
        ],
        /* 22: link to a dead process without trapping */
        vec![
            Spawn("a", 2, false, false),
            Sleep(100),
            Link("a"),
            Sleep(100),
            Send("self", "still_here"),
            Recv(200),
        ],
        /* 23: a linked child dies of foo: a non-trapping parent dies too */
        vec![Spawn("m", 24, false, true), Recv(800)],
        /* 24: a non-trapping middle linked to a child exiting with foo */
        vec![
            Spawn("c", 3, true, false),
            Sleep(300),
            Send("parent", "alive"),
        ],
    ]
}

const MAINS: std::ops::RangeInclusive<usize> = 9..=23;

// ---- the Erlang side -------------------------------------------------------

fn erl_op(op: &Op) -> String {
    match op {
        Trap(b) => format!("{{trap,{b}}}"),
        Spawn(r, s, l, m) => format!("{{spawn,{r},{s},{l},{m}}}"),
        Link(r) => format!("{{link,{r}}}"),
        Unlink(r) => format!("{{unlink,{r}}}"),
        Exit(r, why) => format!("{{exit,{r},{why}}}"),
        ExitSelf(why) => format!("{{exit_self,{why}}}"),
        Recv(t) => format!("{{recv,{t}}}"),
        Forward(t) => format!("{{forward,{t}}}"),
        Sleep(t) => format!("{{sleep,{t}}}"),
        Send(r, a) => format!("{{send,{r},{a}}}"),
        DemonitorFlush(r) => format!("{{demonitor_flush,{r}}}"),
        Monitor(r) => format!("{{monitor,{r}}}"),
        MonitorName(n) => format!("{{monitor_name,{n}}}"),
        Alive(r) => format!("{{alive,{r}}}"),
    }
}

const ERL_INTERPRETER: &str = r#"
main() ->
    [begin
         Self = self(),
         spawn(fun() -> put(roles, [{self(), main}]), run(script(N)), Self ! done end),
         receive done -> ok after 5000 -> ok end,
         timer:sleep(50),
         io:format("-- ~p~n", [N])
     end || N <- mains()],
    ok.

run([]) -> ok;
run([Op | Rest]) -> op(Op), run(Rest).

pid_of(self) -> self();
pid_of(parent) -> get(parent);
pid_of(R) -> get(R).

op({trap, B}) -> process_flag(trap_exit, B);
op({spawn, R, S, L, M}) ->
    Parent = self(),
    F = fun() -> put(parent, Parent), run(script(S)) end,
    Opts = [link || L] ++ [monitor || M],
    case spawn_opt(F, Opts) of
        {Pid, Ref} -> put({mon, R}, Ref);
        Pid -> ok
    end,
    put(R, Pid),
    put(roles, [{Pid, R} | get(roles)]);
op({link, R}) -> link(pid_of(R));
op({unlink, R}) -> unlink(pid_of(R));
op({exit, R, Why}) -> exit(pid_of(R), Why);
op({exit_self, Why}) -> exit(Why);
op({recv, T}) ->
    receive M -> io:format("~w~n", [norm(M)]) after T -> io:format("timeout~n") end;
op({forward, T}) ->
    receive M -> get(parent) ! {forwarded, M} after T -> ok end;
op({sleep, T}) -> receive after T -> ok end;
op({send, R, A}) -> pid_of(R) ! A;
op({demonitor_flush, R}) -> io:format("~w~n", [demonitor(get({mon, R}), [flush, info])]);
op({monitor, R}) -> put({mon, R}, monitor(process, pid_of(R)));
op({monitor_name, N}) -> monitor(process, N);
op({alive, R}) -> io:format("~w~n", [is_process_alive(pid_of(R))]).

norm(T) when is_pid(T) ->
    case lists:keyfind(T, 1, get(roles)) of {_, R} -> R; false -> other end;
norm(T) when is_reference(T) -> ref;
norm(T) when is_tuple(T) -> list_to_tuple([norm(E) || E <- tuple_to_list(T)]);
norm([H | T]) -> [norm(H) | norm(T)];
norm(T) -> T.
"#;

fn erl_module() -> String {
    let mut s = String::from("-module(proc_sem).\n-export([main/0]).\n");
    let mains: Vec<String> = MAINS.map(|n| n.to_string()).collect();
    writeln!(s, "mains() -> [{}].", mains.join(",")).unwrap();
    for (i, script) in scripts().iter().enumerate() {
        let ops: Vec<String> = script.iter().map(erl_op).collect();
        let end = if i + 1 == scripts().len() { "." } else { ";" };
        writeln!(s, "script({i}) -> [{}]{end}", ops.join(",")).unwrap();
    }
    s.push_str(ERL_INTERPRETER);
    s
}

fn erl_output() -> String {
    let dir = std::env::temp_dir().join(format!("coral_proc_sem_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("proc_sem.erl"), erl_module()).unwrap();
    let c = std::process::Command::new("erlc")
        .arg("proc_sem.erl")
        .current_dir(&dir)
        .output()
        .expect("erlc must be installed: BEAM is the oracle");
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let out = std::process::Command::new("erl")
        .args(["-noshell", "-eval", "proc_sem:main(), halt(0)."])
        .current_dir(&dir)
        .output()
        .expect("erl must be installed");
    assert!(out.status.success());
    // BEAM's error reports go to standard output; Coral writes them to
    // standard error, so they are not part of the comparison.
    let text = String::from_utf8(out.stdout).unwrap();
    let mut kept = String::new();
    let mut in_report = false;
    for line in text.lines() {
        if line.starts_with("=ERROR REPORT") {
            in_report = true;
        } else if in_report && line.is_empty() {
            in_report = false;
        } else if !in_report {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

// ---- the Coral side --------------------------------------------------------

static OUT: Mutex<String> = Mutex::new(String::new());

fn atom(s: &str) -> Term {
    Term::atom(Atom::intern(s).unwrap())
}

fn role_pid(p: &Process, role: &str) -> Term {
    match role {
        "self" => p.pid(),
        "parent" => p.dict_get(atom("parent")),
        r => p.dict_get(atom(r)),
    }
}

fn role_of(p: &Process, pid: Term) -> String {
    let roles = p.dict_get(atom("roles"));
    let mut l = roles;
    while let Some((pair, rest)) = l.cons_parts(&p.mem) {
        if let Some(&[k, v]) = pair.tuple_elements(&p.mem)
            && k == pid
        {
            return v
                .atom_value()
                .and_then(|a| a.text())
                .unwrap_or("?")
                .to_string();
        }
        l = rest;
    }
    "other".to_string()
}

/// `~w` of the term with pids as role names and references as `ref`.
fn norm<H: HeapAccess + ?Sized>(p: &Process, t: Term, heap: &H, out: &mut String) {
    match t.kind(heap) {
        TermKind::LocalPid => out.push_str(&role_of(p, t)),
        TermKind::LocalRef => out.push_str("ref"),
        TermKind::Atom => {
            let s = t.atom_value().and_then(|a| a.text()).unwrap_or("");
            if s.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.push_str(s)
            } else {
                write!(out, "'{s}'").unwrap()
            }
        }
        TermKind::Tuple => {
            out.push('{');
            for (i, &e) in t.tuple_elements(heap).unwrap().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                norm(p, e, heap, out);
            }
            out.push('}');
        }
        TermKind::Small => write!(out, "{}", t.small_value().unwrap()).unwrap(),
        TermKind::Nil => out.push_str("[]"),
        k => write!(out, "<{k:?}>").unwrap(),
    }
}

fn print(line: &str) {
    let mut o = OUT.lock().unwrap();
    o.push_str(line);
    o.push('\n');
}

const STEP_SHIFT: u64 = 32;

/// Which script a process runs is kept in its dictionary (`script`); its
/// position in `resume_point`.
fn script_of(p: &Process) -> usize {
    p.dict_get(atom("script")).small_value().unwrap() as usize
}

/// One receive with a timeout, the way erlc lowers it: `Some(msg)` when a
/// message was taken, `None` on timeout, `Err(WAIT)` to suspend.
fn receive(p: &mut Process, ms: u64) -> Result<Option<Term>, u64> {
    loop {
        if p.recv_peek().is_some() {
            return Ok(p.remove_message());
        }
        match p.recv_wait_timeout(Term::small(ms as i64).unwrap()) {
            wait::RECHECK => continue,
            wait::TIMED_OUT => {
                p.recv_timeout();
                return Ok(None);
            }
            _ => return Err(status::WAIT),
        }
    }
}

/// `receive after T -> ok end`: skips every message.
fn sleep(p: &mut Process, ms: u64) -> Result<(), u64> {
    loop {
        if p.recv_peek().is_some() {
            p.recv_next();
            continue;
        }
        match p.recv_wait_timeout(Term::small(ms as i64).unwrap()) {
            wait::RECHECK => continue,
            wait::TIMED_OUT => {
                p.recv_timeout();
                return Ok(());
            }
            _ => return Err(status::WAIT),
        }
    }
}

process_code!(fn interpreter(p) {
    let script = scripts()[script_of(p)].clone();
    loop {
        let pc = (p.resume_point & ((1 << STEP_SHIFT) - 1)) as usize;
        let Some(op) = script.get(pc) else {
            p.mem.ensure_x(1);
            p.mem.x_mut()[0] = atom("normal");
            return status::EXIT;
        };
        match op {
            Trap(b) => {
                p.set_trap_exit(*b);
            }
            Spawn(role, s, link, monitor) => {
                let opts = SpawnOpts { link: *link, monitor: *monitor, ..SpawnOpts::default() };
                let parent = p.pid();
                let sp = p.spawn(child_entry, &[parent, Term::small(*s as i64).unwrap()], &opts).unwrap();
                if let Some(id) = sp.monitor {
                    let r = p.mem.local_ref(id);
                    let key = p.mem.tuple(&[atom("mon"), atom(role)]).unwrap();
                    p.dict_put(key, r);
                }
                p.dict_put(atom(role), sp.pid);
                let pair = p.mem.tuple(&[sp.pid, atom(role)]).unwrap();
                let roles = p.dict_get(atom("roles"));
                let roles = p.mem.cons(pair, roles);
                p.dict_put(atom("roles"), roles);
            }
            Link(r) => {
                let t = role_pid(p, r);
                if p.link(t).is_err() {
                    // The BIF raised `error:noproc`; nothing catches it.
                    p.mem.ensure_x(3);
                    let x = p.mem.x_mut();
                    x[0] = atom("error");
                    x[1] = atom("noproc");
                    x[2] = Term::NIL;
                    return status::ERROR;
                }
            }
            Unlink(r) => {
                let t = role_pid(p, r);
                p.unlink(t).unwrap();
            }
            Exit(r, why) => {
                let t = role_pid(p, r);
                if p.exit_signal(t, atom(why)).unwrap() {
                    return status::YIELD;
                }
            }
            ExitSelf(why) => {
                p.mem.ensure_x(1);
                p.mem.x_mut()[0] = atom(why);
                return status::EXIT;
            }
            Recv(ms) => match receive(p, *ms) {
                Err(s) => return s,
                Ok(Some(m)) => {
                    let mut s = String::new();
                    norm(p, m, &p.mem, &mut s);
                    print(&s);
                }
                Ok(None) => print("timeout"),
            },
            Forward(ms) => match receive(p, *ms) {
                Err(s) => return s,
                Ok(Some(m)) => {
                    let parent = p.dict_get(atom("parent"));
                    let t = p.mem.tuple(&[atom("forwarded"), m]).unwrap();
                    p.send(parent, t).unwrap();
                }
                Ok(None) => {}
            },
            Sleep(ms) => {
                if let Err(s) = sleep(p, *ms) {
                    return s;
                }
            }
            Send(r, a) => {
                let t = role_pid(p, r);
                p.send(t, atom(a)).unwrap();
            }
            DemonitorFlush(r) => {
                let key = p.mem.tuple(&[atom("mon"), atom(r)]).unwrap();
                let m = p.dict_get(key);
                let found = p.demonitor(m, true).unwrap();
                print(if found { "true" } else { "false" });
            }
            Monitor(r) => {
                let t = role_pid(p, r);
                let m = p.monitor(t).unwrap();
                let key = p.mem.tuple(&[atom("mon"), atom(r)]).unwrap();
                p.dict_put(key, m);
            }
            MonitorName(n) => {
                p.monitor(atom(n)).unwrap();
            }
            Alive(r) => {
                let t = role_pid(p, r);
                print(if p.is_process_alive(t).unwrap() { "true" } else { "false" });
            }
        }
        p.resume_point += 1;
        if p.bump_reductions(10) {
            return status::YIELD;
        }
    }
});

// A child's first slice: x0 is the parent, x1 the script number.
process_code!(fn child_entry(p) {
    let (parent, script) = (p.mem.x()[0], p.mem.x()[1]);
    p.dict_put(atom("parent"), parent);
    p.dict_put(atom("script"), script);
    p.entry = interpreter;
    p.resume_point = 0;
    status::YIELD
});

fn coral_output() -> String {
    for n in MAINS {
        let rt = Runtime::new(Config {
            schedulers: 2,
            main_traps_exits: false,
            crash_reports: false,
            ..Config::default()
        });
        rt.run_main(main_entry, &SpawnOpts::default(), |p| {
            let me = p.pid();
            let pair = p.mem.tuple(&[me, atom("main")]).unwrap();
            let roles = p.mem.list(&[pair], Term::NIL);
            p.dict_put(atom("roles"), roles);
            p.dict_put(atom("script"), Term::small(n as i64).unwrap());
        });
        print(&format!("-- {n}"));
        if std::env::var_os("PROC_SEM_TRACE").is_some() {
            eprintln!("{}", OUT.lock().unwrap());
        }
    }
    std::mem::take(&mut *OUT.lock().unwrap())
}

process_code!(fn main_entry(p) {
    p.entry = interpreter;
    p.resume_point = 0;
    status::YIELD
});

#[test]
fn link_monitor_and_exit_signal_rules_match_beam() {
    let expected = erl_output();
    let got = coral_output();
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    for (i, (a, b)) in e.iter().zip(&g).enumerate() {
        assert_eq!(a, b, "line {i} differs\nerl:\n{expected}\ncoral:\n{got}");
    }
    assert_eq!(e.len(), g.len(), "erl:\n{expected}\ncoral:\n{got}");
    // Make sure the table is not empty: every main printed something.
    assert!(e.len() > 2 * MAINS.count());
}
