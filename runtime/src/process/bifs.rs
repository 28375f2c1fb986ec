//! The process BIFs as entries of the BIF table: spawning, sending, links,
//! monitors, exit signals, names, group leaders, the process dictionary,
//! timers and clocks.
//!
//! They have the table's calling convention (`fn(&mut ProcessMemory,
//! &[Term])`) and reach the process that owns the memory through
//! [`code::current_of`]: a BIF called outside a running process (from a
//! Rust test with a bare memory) fails with `badarg`.

use super::code::{self, current_of};
use super::{BifError, InfoItem, MaxHeapSize, MessageQueueData, Priority, Process, SpawnOpts};
use crate::atom::{self, Atom};
use crate::bif::{BifResult, Exception, list_elements};
use crate::heap::ProcessMemory;
use crate::term::Term;
use crate::timer::{self, TimeUnit};

fn with(m: &mut ProcessMemory, f: impl FnOnce(&mut Process) -> BifResult) -> BifResult {
    match current_of(m) {
        Some(p) => f(p),
        None => Err(Exception::badarg()),
    }
}

fn bif_error(e: BifError) -> Exception {
    match e {
        BifError::Badarg => Exception::badarg(),
        BifError::SystemLimit => Exception::system_limit(),
        BifError::Noproc => Exception::error_atom(atom::NOPROC),
    }
}

fn named(text: &str) -> Term {
    Term::atom(Atom::intern(text).unwrap_or(atom::UNDEFINED))
}

fn is(t: Term, text: &str) -> bool {
    t.atom_value().and_then(Atom::text) == Some(text)
}

/// After a signal the process sent itself killed it: end the slice at the
/// next reduction check, where the scheduler sees the process is dead.
fn stop_soon(p: &mut Process) {
    if p.exit_pending.is_some() {
        p.mem.ctx.reds = 0;
    }
}

// ----- self, send -------------------------------------------------------------

pub(crate) fn self_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.pid()))
}

pub(crate) fn send_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.send(a[0], a[1]).map_err(bif_error)?;
        stop_soon(p);
        Ok(a[1])
    })
}

/// `erlang:send(Dest, Msg, Options)`: `noconnect`/`nosuspend` change
/// nothing for local sends; the answer is `ok`.
pub(crate) fn send_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if list_elements(&p.mem, a[2]).is_none() {
            return Err(Exception::badarg());
        }
        p.send(a[0], a[1]).map_err(bif_error)?;
        Ok(Term::atom(atom::OK))
    })
}

// ----- spawning -----------------------------------------------------------------

fn spawned(p: &mut Process, s: super::Spawned) -> Term {
    match s.monitor {
        Some(id) => {
            let r = p.mem.local_ref(id);
            p.mem.tuple(&[s.pid, r]).unwrap_or(Term::NIL)
        }
        None => s.pid,
    }
}

fn spawn_any(m: &mut ProcessMemory, f: Term, md: Term, args: Term, opts: SpawnOpts) -> BifResult {
    with(m, |p| {
        let s = code::spawn_call(p, f, md, args, opts)?;
        Ok(spawned(p, s))
    })
}

fn opts(link: bool, monitor: bool) -> SpawnOpts {
    SpawnOpts {
        link,
        monitor,
        ..SpawnOpts::default()
    }
}

pub(crate) fn spawn_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], Term::NIL, Term::NIL, opts(false, false))
}

pub(crate) fn spawn_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], a[1], a[2], opts(false, false))
}

pub(crate) fn spawn_link_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], Term::NIL, Term::NIL, opts(true, false))
}

pub(crate) fn spawn_link_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], a[1], a[2], opts(true, false))
}

pub(crate) fn spawn_monitor_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], Term::NIL, Term::NIL, opts(false, true))
}

pub(crate) fn spawn_monitor_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    spawn_any(m, a[0], a[1], a[2], opts(false, true))
}

/// The options of `spawn_opt`; `None` for a bad list.
fn spawn_options(m: &ProcessMemory, list: Term) -> Option<SpawnOpts> {
    let mut o = SpawnOpts::default();
    for opt in list_elements(m, list)? {
        if is(opt, "link") {
            o.link = true;
        } else if is(opt, "monitor") {
            o.monitor = true;
        } else if let Some(&[k, v]) = opt.tuple_elements(m) {
            match k.atom_value().and_then(Atom::text)? {
                "priority" => o.priority = Priority::from_atom(v.atom_value()?)?,
                "min_heap_size" => {
                    o.min_heap_size = crate::bif::usize_arg(v)?.max(crate::heap::MIN_HEAP_SIZE)
                }
                "min_bin_vheap_size" => {
                    crate::bif::usize_arg(v)?;
                }
                "fullsweep_after" => o.fullsweep_after = u32::try_from(v.small_value()?).ok()?,
                "message_queue_data" => {
                    o.message_queue_data = match v.atom_value()?.text()? {
                        "on_heap" => MessageQueueData::OnHeap,
                        "off_heap" => MessageQueueData::OffHeap,
                        _ => return None,
                    }
                }
                "max_heap_size" => o.max_heap_size = MaxHeapSize::from_term(v, o.max_heap_size, m)?,
                _ => return None,
            }
        } else {
            return None;
        }
    }
    Some(o)
}

pub(crate) fn spawn_opt_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let o = spawn_options(m, a[1]).ok_or_else(Exception::badarg)?;
    spawn_any(m, a[0], Term::NIL, Term::NIL, o)
}

pub(crate) fn spawn_opt_4(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let o = spawn_options(m, a[3]).ok_or_else(Exception::badarg)?;
    spawn_any(m, a[0], a[1], a[2], o)
}

// ----- links, monitors, exit signals -------------------------------------------

pub(crate) fn link_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.link(a[0]).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn unlink_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.unlink(a[0]).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

// ----- aliases --------------------------------------------------------------------

/// Active process aliases: a reference a message can be sent to, and the
/// process it reaches (`monitor/3`'s `{alias, ...}`, `alias/0,1`).
fn aliases() -> std::sync::MutexGuard<'static, std::collections::HashMap<crate::signal::RefId, u64>>
{
    static A: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<crate::signal::RefId, u64>>,
    > = std::sync::OnceLock::new();
    A.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// The process an active alias reaches.
pub(crate) fn alias_owner(id: crate::signal::RefId) -> Option<u64> {
    aliases().get(&id).copied()
}

fn alias_option(m: &ProcessMemory, opts: Term) -> Result<bool, Exception> {
    let mut alias = false;
    for o in list_elements(m, opts).ok_or_else(Exception::badarg)? {
        match o.tuple_elements(m) {
            Some(&[k, v]) if is(k, "alias") => {
                if !(is(v, "demonitor") || is(v, "explicit_unalias") || is(v, "reply_demonitor")) {
                    return Err(Exception::badarg());
                }
                alias = true;
            }
            Some(&[k, _]) if is(k, "tag") => {}
            _ => return Err(Exception::badarg()),
        }
    }
    Ok(alias)
}

/// `monitor(process, Pid, Options)`: with `{alias, _}` the reference is
/// also an alias of the caller.
pub(crate) fn monitor_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if !is(a[0], "process") {
            return Err(Exception::badarg());
        }
        let alias = alias_option(&p.mem, a[2])?;
        let r = p.monitor(a[1]).map_err(bif_error)?;
        if alias && let Some(id) = r.local_ref_id(&p.mem) {
            aliases().insert(id, p.pid_data());
        }
        Ok(r)
    })
}

/// `alias()` and `alias(Options)`.
pub(crate) fn alias_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| {
        let r = p.make_ref();
        if let Some(id) = r.local_ref_id(&p.mem) {
            aliases().insert(id, p.pid_data());
        }
        Ok(r)
    })
}

pub(crate) fn alias_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let ok = list_elements(m, a[0]).is_some_and(|l| {
        l.iter()
            .all(|o| is(*o, "explicit_unalias") || is(*o, "reply"))
    });
    if !ok {
        return Err(Exception::badarg());
    }
    alias_0(m, &[])
}

/// `unalias(Alias)`: whether it was active.
pub(crate) fn unalias_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let id = a[0].local_ref_id(&p.mem).ok_or_else(Exception::badarg)?;
        let mut al = aliases();
        let mine = al.get(&id) == Some(&p.pid_data());
        if mine {
            al.remove(&id);
        }
        Ok(Term::boolean(mine))
    })
}

pub(crate) fn monitor_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if !is(a[0], "process") {
            return Err(Exception::badarg());
        }
        p.monitor(a[1]).map_err(bif_error)
    })
}

pub(crate) fn demonitor_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if let Some(id) = a[0].local_ref_id(&p.mem) {
            aliases().remove(&id);
        }
        p.demonitor(a[0], false).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn demonitor_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let mut flush = false;
        let mut info = false;
        for o in list_elements(&p.mem, a[1]).ok_or_else(Exception::badarg)? {
            if is(o, "flush") {
                flush = true;
            } else if is(o, "info") {
                info = true;
            } else {
                return Err(Exception::badarg());
            }
        }
        if let Some(id) = a[0].local_ref_id(&p.mem) {
            aliases().remove(&id);
        }
        let was_active = p.demonitor(a[0], flush).map_err(bif_error)?;
        Ok(Term::boolean(!info || was_active))
    })
}

pub(crate) fn exit_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.exit_signal(a[0], a[1]).map_err(bif_error)?;
        stop_soon(p);
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn process_flag_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let flag = a[0].atom_value().and_then(Atom::text);
        match flag {
            Some("trap_exit") => {
                let on = a[1].atom_value().ok_or_else(Exception::badarg)?;
                if on != atom::TRUE && on != atom::FALSE {
                    return Err(Exception::badarg());
                }
                Ok(Term::boolean(p.set_trap_exit(on == atom::TRUE)))
            }
            Some("priority") => {
                let pr = a[1]
                    .atom_value()
                    .and_then(Priority::from_atom)
                    .ok_or_else(Exception::badarg)?;
                Ok(named(p.set_priority(pr).name()))
            }
            Some("message_queue_data") => {
                let d = match a[1].atom_value().and_then(Atom::text) {
                    Some("on_heap") => MessageQueueData::OnHeap,
                    Some("off_heap") => MessageQueueData::OffHeap,
                    _ => return Err(Exception::badarg()),
                };
                Ok(match p.set_message_queue_data(d) {
                    MessageQueueData::OnHeap => named("on_heap"),
                    MessageQueueData::OffHeap => named("off_heap"),
                })
            }
            Some("max_heap_size") => {
                let v = MaxHeapSize::from_term(a[1], p.max_heap_size(), &p.mem)
                    .ok_or_else(Exception::badarg)?;
                let old = p.set_max_heap_size(v);
                Ok(old.to_term(&mut p.mem))
            }
            _ => Err(Exception::badarg()),
        }
    })
}

// ----- names and group leaders ----------------------------------------------------

pub(crate) fn register_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if is(a[0], "undefined") {
            return Err(Exception::badarg());
        }
        p.register(a[0], a[1]).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn unregister_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.unregister(a[0]).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn whereis_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| p.whereis(a[0]).map_err(bif_error))
}

pub(crate) fn registered_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.registered()))
}

pub(crate) fn group_leader_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.group_leader()))
}

pub(crate) fn group_leader_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        p.set_group_leader(a[0], a[1]).map_err(bif_error)?;
        Ok(Term::atom(atom::TRUE))
    })
}

pub(crate) fn is_process_alive_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        Ok(Term::boolean(p.is_process_alive(a[0]).map_err(bif_error)?))
    })
}

/// Items of `process_info/2`'s second argument; whether it was one atom.
fn info_items(m: &ProcessMemory, t: Term) -> Result<(Vec<InfoItem>, bool), Exception> {
    if let Some(a) = t.atom_value() {
        return Ok((
            vec![InfoItem::from_atom(a).ok_or_else(Exception::badarg)?],
            true,
        ));
    }
    let items = list_elements(m, t)
        .ok_or_else(Exception::badarg)?
        .iter()
        .map(|t| t.atom_value().and_then(InfoItem::from_atom))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(Exception::badarg)?;
    Ok((items, false))
}

/// `process_info(Pid, Item | [Item])`. Another process answers by message:
/// the call continues in `coral_erts:process_info/3`, which waits for it.
pub(crate) fn process_info_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if a[0] != p.pid() {
            if !a[0].is_local_pid() {
                return Err(Exception::badarg());
            }
            let (items, single) = info_items(&p.mem, a[1])?;
            let names: Vec<Term> = items.iter().map(|i| named(i.name())).collect();
            let list = p.mem.list(&names, Term::NIL);
            return code::trap(
                &mut p.mem,
                "coral_erts",
                "process_info",
                &[a[0], list, Term::boolean(single)],
            );
        }
        if let Some(item) = a[1].atom_value() {
            let it = InfoItem::from_atom(item).ok_or_else(Exception::badarg)?;
            let l = p.process_info_self(&[it]);
            let pair = l.cons_parts(&p.mem).map_or(Term::NIL, |(h, _)| h);
            // `registered_name` alone answers `[]`, not a pair, for a
            // process with no name.
            if it == InfoItem::RegisteredName
                && pair
                    .tuple_elements(&p.mem)
                    .is_some_and(|e| e.get(1) == Some(&Term::NIL))
            {
                return Ok(Term::NIL);
            }
            return Ok(pair);
        }
        let items = list_elements(&p.mem, a[1]).ok_or_else(Exception::badarg)?;
        let items = items
            .iter()
            .map(|t| t.atom_value().and_then(InfoItem::from_atom))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(Exception::badarg)?;
        Ok(p.process_info_self(&items))
    })
}

pub(crate) fn process_info_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if a[0] != p.pid() {
            if !a[0].is_local_pid() {
                return Err(Exception::badarg());
            }
            let names: Vec<Term> = InfoItem::default_items()
                .iter()
                .map(|i| named(i.name()))
                .collect();
            let list = p.mem.list(&names, Term::NIL);
            return code::trap(
                &mut p.mem,
                "coral_erts",
                "process_info",
                &[a[0], list, Term::atom(atom::FALSE)],
            );
        }
        Ok(p.process_info_self(InfoItem::default_items()))
    })
}

/// `erlang:coral_process_info_request(Pid, Items)`: asks `Pid` for the
/// items; the answer comes as the message `{Ref, Answer}`.
pub(crate) fn process_info_request_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let (items, _) = info_items(&p.mem, a[1])?;
        p.process_info_request(a[0], &items).map_err(bif_error)
    })
}

// ----- the process dictionary ---------------------------------------------------

pub(crate) fn put_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| Ok(p.dict_put(a[0], a[1])))
}

pub(crate) fn get_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| Ok(p.dict_get(a[0])))
}

pub(crate) fn get_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.dict_all()))
}

pub(crate) fn erase_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| Ok(p.dict_erase(a[0])))
}

pub(crate) fn erase_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| {
        let all = p.dict_all();
        p.mem.dictionary = Term::NIL;
        Ok(all)
    })
}

pub(crate) fn get_keys_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.dict_keys()))
}

/// `get_keys(Value)`: the keys whose value is `Value`.
pub(crate) fn get_keys_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let mut keys = Vec::new();
        let mut l = p.dict_all();
        while let Some((pair, rest)) = l.cons_parts(&p.mem) {
            if let Some(&[k, v]) = pair.tuple_elements(&p.mem)
                && crate::order::exact_eq(v, a[0], &p.mem)
            {
                keys.push(k);
            }
            l = rest;
        }
        Ok(p.mem.list(&keys, Term::NIL))
    })
}

/// `erts_debug:flat_size(Term)` and `erts_debug:size(Term)` (Coral does
/// not keep sharing inside terms apart, so both are the flat size).
pub(crate) fn flat_size_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = crate::copy::size_of(a[0], &*m);
    Ok(m.int(n as i64))
}

// ----- references, scheduling -----------------------------------------------------

pub(crate) fn make_ref_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| Ok(p.make_ref()))
}

/// `erlang:hibernate(Module, Function, Args)`: drops the call stack and
/// waits for a message, then calls `Module:Function(Args...)` (through
/// `coral_erts:hibernate_wake/3`). The heap is not compacted at once; the
/// next collection finds the dropped frames' data dead.
pub(crate) fn hibernate_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        if a[0].atom_value().is_none()
            || a[1].atom_value().is_none()
            || list_elements(&p.mem, a[2]).is_none()
        {
            return Err(Exception::badarg());
        }
        let done = code::installed()
            .and_then(|c| crate::term::Continuation::new(c.done))
            .ok_or_else(Exception::badarg)?;
        p.mem.ctx.stop = p.mem.ctx.hend;
        p.mem
            .push_frame(done, &[])
            .map_err(|_| Exception::system_limit())?;
        code::trap(
            &mut p.mem,
            "coral_erts",
            "hibernate_wake",
            &[a[0], a[1], a[2]],
        )
    })
}

/// `erlang:yield()`: ends the time slice at the next reduction check.
/// `erlang:garbage_collect()`: a full sweep of the calling process. Its
/// live data is in the compiled code's registers until it next stops, so
/// the collection runs there: the process yields at its next reduction
/// check and the scheduler collects before resuming it.
pub(crate) fn garbage_collect_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| {
        p.gc_requested = true;
        p.mem.ctx.reds = 0;
        Ok(Term::atom(atom::TRUE))
    })
}

/// `erlang:garbage_collect(Pid)`: `true` for a live local process (the
/// calling one is collected as `garbage_collect/0` does; another process
/// collects on its own schedule), `false` for a dead one.
pub(crate) fn garbage_collect_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let pid = a[0];
    if !pid.is_local_pid() {
        return Err(Exception::badarg());
    }
    with(m, |p| {
        if super::pid_term(p.shared.data) == pid {
            p.gc_requested = true;
            p.mem.ctx.reds = 0;
            return Ok(Term::atom(atom::TRUE));
        }
        Ok(Term::boolean(p.is_process_alive(pid).map_err(bif_error)?))
    })
}

/// `erlang:bump_reductions(N)`.
pub(crate) fn bump_reductions_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let n = a[0]
        .small_value()
        .filter(|&n| n >= 0)
        .ok_or_else(Exception::badarg)?;
    m.ctx.reds = m.ctx.reds.saturating_sub(n);
    Ok(Term::atom(atom::TRUE))
}

/// `erlang:processes()`: the pids of the live processes, in pid order.
pub(crate) fn processes_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| {
        let mut data: Vec<u64> =
            p.rt.table
                .all()
                .iter()
                .filter(|s| s.state.load(std::sync::atomic::Ordering::Acquire) != super::EXITED)
                .map(|s| s.data)
                .collect();
        data.sort_unstable();
        let pids: Vec<Term> = data.into_iter().map(super::pid_term).collect();
        Ok(p.mem.list(&pids, Term::NIL))
    })
}

/// `erlang:ports()`: Coral opens no ports.
pub(crate) fn ports_0(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(Term::NIL)
}

pub(crate) fn yield_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    m.ctx.reds = 0;
    Ok(Term::atom(atom::TRUE))
}

pub(crate) fn node_0(_: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(named("nonode@nohost"))
}

pub(crate) fn node_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if a[0].is_local_pid() || a[0].local_ref_id(m).is_some() {
        Ok(named("nonode@nohost"))
    } else {
        Err(Exception::badarg())
    }
}

// ----- timers -------------------------------------------------------------------

fn timer(m: &mut ProcessMemory, a: &[Term], timeout: bool) -> BifResult {
    with(m, |p| {
        p.start_timer(a[0], a[1], a[2], timeout).map_err(bif_error)
    })
}

pub(crate) fn send_after_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    timer(m, a, false)
}

pub(crate) fn start_timer_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    timer(m, a, true)
}

/// The options of `start_timer/4` and `send_after/4`: the time, made
/// relative when `{abs, true}` gives it as a monotonic millisecond.
fn timer_time(m: &mut ProcessMemory, time: Term, opts: Term) -> Result<Term, Exception> {
    let mut abs = false;
    for o in list_elements(m, opts).ok_or_else(Exception::badarg)? {
        match o.tuple_elements(m) {
            Some(&[k, v]) if is(k, "abs") => {
                abs = v == Term::atom(atom::TRUE);
                if !abs && v != Term::atom(atom::FALSE) {
                    return Err(Exception::badarg());
                }
            }
            _ => return Err(Exception::badarg()),
        }
    }
    if !abs {
        return Ok(time);
    }
    let at = time.small_value().ok_or_else(Exception::badarg)? as i128;
    let now = timer::monotonic_time(TimeUnit::MILLISECOND);
    Ok(m.int((at - now).max(0) as i64))
}

pub(crate) fn send_after_4(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let t = timer_time(m, a[0], a[3])?;
    timer(m, &[t, a[1], a[2]], false)
}

pub(crate) fn start_timer_4(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let t = timer_time(m, a[0], a[3])?;
    timer(m, &[t, a[1], a[2]], true)
}

/// `cancel_timer/2` and `read_timer/2`: the options `{async, _}` and
/// `{info, _}`; synchronous answers only.
fn timer_options_ok(m: &ProcessMemory, opts: Term) -> bool {
    list_elements(m, opts).is_some_and(|l| {
        l.iter().all(|o| {
            matches!(o.tuple_elements(m), Some(&[k, v]) if (is(k, "async") || is(k, "info"))
                && (v == Term::atom(atom::TRUE) || v == Term::atom(atom::FALSE)))
        })
    })
}

pub(crate) fn cancel_timer_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !timer_options_ok(m, a[1]) {
        return Err(Exception::badarg());
    }
    cancel_timer_1(m, &a[..1])
}

pub(crate) fn read_timer_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    if !timer_options_ok(m, a[1]) {
        return Err(Exception::badarg());
    }
    read_timer_1(m, &a[..1])
}

pub(crate) fn cancel_timer_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| p.cancel_timer(a[0]).map_err(bif_error))
}

pub(crate) fn read_timer_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| p.read_timer(a[0]).map_err(bif_error))
}

// ----- clocks -------------------------------------------------------------------

fn int128(m: &mut ProcessMemory, v: i128) -> Term {
    match i64::try_from(v) {
        Ok(v) => m.int(v),
        Err(_) => m.integer(&dashu_int::IBig::from(v)),
    }
}

fn unit(t: Term) -> Result<TimeUnit, Exception> {
    TimeUnit::from_term(t).ok_or_else(Exception::badarg)
}

pub(crate) fn monotonic_time_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(int128(m, timer::monotonic_time(TimeUnit::NATIVE)))
}

pub(crate) fn monotonic_time_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let u = unit(a[0])?;
    Ok(int128(m, timer::monotonic_time(u)))
}

pub(crate) fn system_time_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(int128(m, timer::system_time(TimeUnit::NATIVE)))
}

pub(crate) fn system_time_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let u = unit(a[0])?;
    Ok(int128(m, timer::system_time(u)))
}

pub(crate) fn time_offset_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    Ok(int128(m, timer::time_offset(TimeUnit::NATIVE)))
}

pub(crate) fn time_offset_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let u = unit(a[0])?;
    Ok(int128(m, timer::time_offset(u)))
}

pub(crate) fn timestamp_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    let (mega, s, us) = timer::timestamp();
    let t = [m.int(mega), m.int(s), m.int(us)];
    Ok(m.tuple(&t).unwrap_or(Term::NIL))
}

pub(crate) fn convert_time_unit_3(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let v = a[0].small_value().ok_or_else(Exception::badarg)?;
    let from = unit(a[1])?;
    let to = unit(a[2])?;
    Ok(int128(m, to.convert(v as i128, from)))
}

// ----- the system -------------------------------------------------------------------

/// `erlang:statistics(Item)`: the counters of the whole runtime (clocks in
/// milliseconds, `{Total, SinceLastCall}` pairs as BEAM gives them).
pub(crate) fn statistics_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let name = a[0]
            .atom_value()
            .and_then(Atom::text)
            .ok_or_else(Exception::badarg)?;
        let pair = |p: &mut Process, (x, y): (u64, u64)| {
            let (x, y) = (p.mem.int(x as i64), p.mem.int(y as i64));
            p.mem.tuple(&[x, y]).ok_or_else(Exception::badarg)
        };
        Ok(match name {
            "runtime" => pair(p, crate::stats::runtime())?,
            "wall_clock" => pair(p, crate::stats::wall_clock())?,
            "reductions" | "exact_reductions" => {
                let running = (crate::process::CONTEXT_REDS - p.mem.ctx.reds).max(0) as u64;
                pair(p, crate::stats::reductions(running))?
            }
            "context_switches" => pair(p, (crate::stats::context_switches(), 0))?,
            "garbage_collection" => {
                let (n, words) = crate::stats::collections();
                let (n, words) = (p.mem.int(n as i64), p.mem.int(words as i64));
                p.mem
                    .tuple(&[n, words, Term::small(0).unwrap_or(Term::NIL)])
                    .ok_or_else(Exception::badarg)?
            }
            "run_queue" | "total_run_queue_lengths" | "total_run_queue_lengths_all" => {
                let n = p.rt.queued_count();
                p.mem.int(n as i64)
            }
            "io" => {
                let zero = Term::small(0).unwrap_or(Term::NIL);
                let i = p
                    .mem
                    .tuple(&[named("input"), zero])
                    .ok_or_else(Exception::badarg)?;
                let o = p
                    .mem
                    .tuple(&[named("output"), zero])
                    .ok_or_else(Exception::badarg)?;
                p.mem.tuple(&[i, o]).ok_or_else(Exception::badarg)?
            }
            _ => return Err(Exception::badarg()),
        })
    })
}

/// `erlang:system_info(Item)` for the items a program can act on; others
/// are `badarg`.
pub(crate) fn system_info_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let item = a[0];
        if let Some(&[k, v]) = item.tuple_elements(&p.mem) {
            if is(k, "wordsize") && (is(v, "internal") || is(v, "external")) {
                return Ok(p.mem.int(8));
            }
            return Err(Exception::badarg());
        }
        let name = item
            .atom_value()
            .and_then(Atom::text)
            .ok_or_else(Exception::badarg)?;
        let n = |p: &mut Process, v: usize| p.mem.int(v as i64);
        Ok(match name {
            "endian" => named(if cfg!(target_endian = "little") {
                "little"
            } else {
                "big"
            }),
            "wordsize" => n(p, 8),
            "otp_release" => {
                // The release whose behaviour Coral follows.
                let s: Vec<Term> = "25"
                    .chars()
                    .map(|c| Term::small(c as i64).unwrap_or(Term::NIL))
                    .collect();
                p.mem.list(&s, Term::NIL)
            }
            "schedulers"
            | "schedulers_online"
            | "dirty_cpu_schedulers"
            | "dirty_cpu_schedulers_online" => {
                let c = p.rt.scheduler_count();
                n(p, c)
            }
            "logical_processors" | "logical_processors_available" | "logical_processors_online" => {
                let c = std::thread::available_parallelism().map_or(1, |x| x.get());
                n(p, c)
            }
            "process_count" => {
                let c = p.rt.table.count();
                n(p, c)
            }
            "process_limit" => {
                let c = p.rt.table.limit();
                n(p, c)
            }
            "atom_count" => n(p, Atom::count()),
            "atom_limit" => n(p, crate::atom::MAX_ATOMS as usize),
            "port_count" => n(p, 0),
            "port_limit" => n(p, 65536),
            "thread_pool_size" => n(p, 0),
            "threads" => Term::atom(atom::TRUE),
            "smp_support" => Term::atom(atom::TRUE),
            "emu_flavor" => named("jit"),
            "os_type" => {
                let family = named(if cfg!(unix) { "unix" } else { "win32" });
                let name = named(std::env::consts::OS);
                p.mem.tuple(&[family, name]).ok_or_else(Exception::badarg)?
            }
            _ => return Err(Exception::badarg()),
        })
    })
}

// ----- blocking work on the I/O pool -------------------------------------------

/// A file name as `file` takes it: an atom, a string of characters
/// (possibly deep, with binaries and atoms inside) or a binary; its bytes
/// (characters encoded in UTF-8).
fn file_name_bytes(m: &ProcessMemory, t: Term) -> Option<Vec<u8>> {
    fn walk(m: &ProcessMemory, t: Term, out: &mut Vec<u8>, depth: usize) -> Option<()> {
        if depth > 1000 {
            return None;
        }
        if let Some(a) = t.atom_value() {
            out.extend_from_slice(a.text()?.as_bytes());
            return Some(());
        }
        if let Some(b) = t.bits(m) {
            out.extend_from_slice(b.as_bytes()?);
            return Some(());
        }
        for e in list_elements(m, t)? {
            if let Some(c) = e.small_value() {
                let c = char::from_u32(u32::try_from(c).ok()?)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            } else {
                walk(m, e, out, depth + 1)?;
            }
        }
        Some(())
    }
    let mut out = Vec::new();
    walk(m, t, &mut out, 0)?;
    (!out.is_empty() && !out.contains(&0)).then_some(out)
}

/// The POSIX error atom BEAM gives for an I/O error.
fn posix_reason(e: &std::io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(1) => "eperm",
        Some(2) => "enoent",
        Some(5) => "eio",
        Some(12) => "enomem",
        Some(13) => "eacces",
        Some(17) => "eexist",
        Some(20) => "enotdir",
        Some(21) => "eisdir",
        Some(22) => "einval",
        Some(23) => "enfile",
        Some(24) => "emfile",
        Some(27) => "efbig",
        Some(28) => "enospc",
        Some(36) => "enametoolong",
        Some(40) => "eloop",
        // A directory that is not empty: BEAM says `eexist`.
        Some(39) => "eexist",
        _ => "eio",
    }
}

/// Runs `work` on the I/O pool (never on a scheduler thread); its answer,
/// built in a scratch heap, comes back to the calling process as
/// `{Ref, Answer}`, which `coral_erts:io_wait/1` receives.
fn on_io_pool(
    p: &mut Process,
    work: impl FnOnce(&mut ProcessMemory) -> Term + Send + 'static,
) -> BifResult {
    use crate::mailbox::{FragmentBuilder, Part};
    let id = crate::sched::new_ref_id();
    let me = p.shared.data;
    let rt = p.rt.clone();
    let job = move || {
        let mut h = ProcessMemory::with_min_heap_size(0);
        let answer = work(&mut h);
        let m = FragmentBuilder::build(&[Part::Ref(id), Part::Copy(answer, &*h)], true);
        // A caller that has died meanwhile drops the answer.
        let _ = rt.deliver(me, crate::signal::Signal::Message(m));
    };
    if !p.rt.run_blocking(job) {
        return Err(Exception::badarg());
    }
    let r = p.mem.local_ref(id);
    code::trap(&mut p.mem, "coral_erts", "io_wait", &[r])
}

/// `file:read_file(Name)`: `{ok, Binary}` or `{error, Reason}`.
pub(crate) fn read_file_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let Some(name) = file_name_bytes(&p.mem, a[0]) else {
            let e = named("error");
            return p
                .mem
                .tuple(&[e, named("badarg")])
                .ok_or_else(Exception::badarg);
        };
        on_io_pool(p, move |h| {
            use std::os::unix::ffi::OsStrExt;
            let path = std::path::Path::new(std::ffi::OsStr::from_bytes(&name));
            match std::fs::read(path) {
                Ok(bytes) => {
                    let b = h.binary(&bytes);
                    h.tuple(&[named("ok"), b]).unwrap_or(Term::NIL)
                }
                Err(e) => h
                    .tuple(&[named("error"), named(posix_reason(&e))])
                    .unwrap_or(Term::NIL),
            }
        })
    })
}

/// `os:cmd(Command)`: runs `Command` with `/bin/sh` and answers its
/// standard output as a list of bytes.
pub(crate) fn os_cmd_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let cmd = file_name_bytes(&p.mem, a[0]).ok_or_else(Exception::badarg)?;
        on_io_pool(p, move |h| {
            use std::os::unix::ffi::OsStrExt;
            let out = std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(std::ffi::OsStr::from_bytes(&cmd))
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::inherit())
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default();
            let chars: Vec<Term> = out
                .iter()
                .map(|&b| Term::small(b as i64).unwrap_or(Term::NIL))
                .collect();
            h.list(&chars, Term::NIL)
        })
    })
}

/// `ok`, or `{error, Reason}` for an I/O error.
fn ok_or_posix(h: &mut ProcessMemory, r: std::io::Result<()>) -> Term {
    match r {
        Ok(()) => named("ok"),
        Err(e) => h
            .tuple(&[named("error"), named(posix_reason(&e))])
            .unwrap_or(Term::NIL),
    }
}

/// `{error, badarg}`, what `file` answers for a bad file name.
fn file_badarg(p: &mut Process) -> BifResult {
    p.mem
        .tuple(&[named("error"), named("badarg")])
        .ok_or_else(Exception::badarg)
}

fn path_of(bytes: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(bytes))
}

/// A file name as a string of characters (UTF-8 decoded, else bytes).
fn name_string(h: &mut ProcessMemory, bytes: &[u8]) -> Term {
    let chars: Vec<Term> = match std::str::from_utf8(bytes) {
        Ok(s) => s
            .chars()
            .map(|c| Term::small(c as i64).unwrap_or(Term::NIL))
            .collect(),
        Err(_) => bytes
            .iter()
            .map(|&b| Term::small(b as i64).unwrap_or(Term::NIL))
            .collect(),
    };
    h.list(&chars, Term::NIL)
}

/// `file:write_file(Name, Bytes)`: `ok` or `{error, Reason}`.
pub(crate) fn write_file_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let Some(name) = file_name_bytes(&p.mem, a[0]) else {
            return file_badarg(p);
        };
        let Ok(bytes) = crate::bif::iolist_bytes(&p.mem, a[1]) else {
            return file_badarg(p);
        };
        on_io_pool(p, move |h| {
            let r = std::fs::write(path_of(&name), &bytes);
            ok_or_posix(h, r)
        })
    })
}

/// One-name file operations: `ok` or `{error, Reason}`.
fn file_op_1(
    m: &mut ProcessMemory,
    a: &[Term],
    op: fn(&std::path::Path) -> std::io::Result<()>,
) -> BifResult {
    with(m, |p| {
        let Some(name) = file_name_bytes(&p.mem, a[0]) else {
            return file_badarg(p);
        };
        on_io_pool(p, move |h| {
            let r = op(path_of(&name));
            ok_or_posix(h, r)
        })
    })
}

/// `file:delete(Name)`.
pub(crate) fn delete_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    file_op_1(m, a, |p| std::fs::remove_file(p))
}

/// `file:make_dir(Name)`.
pub(crate) fn make_dir_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    file_op_1(m, a, |p| std::fs::create_dir(p))
}

/// `file:del_dir(Name)`.
pub(crate) fn del_dir_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    file_op_1(m, a, |p| std::fs::remove_dir(p))
}

/// `file:rename(From, To)`.
pub(crate) fn rename_2(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let (Some(from), Some(to)) = (file_name_bytes(&p.mem, a[0]), file_name_bytes(&p.mem, a[1]))
        else {
            return file_badarg(p);
        };
        on_io_pool(p, move |h| {
            let r = std::fs::rename(path_of(&from), path_of(&to));
            ok_or_posix(h, r)
        })
    })
}

/// `file:list_dir(Name)`: `{ok, Names}` (unsorted, as the OS lists them)
/// or `{error, Reason}`.
pub(crate) fn list_dir_1(m: &mut ProcessMemory, a: &[Term]) -> BifResult {
    with(m, |p| {
        let Some(name) = file_name_bytes(&p.mem, a[0]) else {
            return file_badarg(p);
        };
        on_io_pool(p, move |h| {
            use std::os::unix::ffi::OsStrExt;
            let entries = std::fs::read_dir(path_of(&name)).and_then(|d| {
                d.map(|e| e.map(|e| e.file_name().as_bytes().to_vec()))
                    .collect::<std::io::Result<Vec<Vec<u8>>>>()
            });
            match entries {
                Ok(names) => {
                    let list: Vec<Term> = names.iter().map(|n| name_string(h, n)).collect();
                    let l = h.list(&list, Term::NIL);
                    h.tuple(&[named("ok"), l]).unwrap_or(Term::NIL)
                }
                Err(e) => h
                    .tuple(&[named("error"), named(posix_reason(&e))])
                    .unwrap_or(Term::NIL),
            }
        })
    })
}

/// `file:get_cwd()`: `{ok, Dir}`.
pub(crate) fn get_cwd_0(m: &mut ProcessMemory, _: &[Term]) -> BifResult {
    with(m, |p| {
        use std::os::unix::ffi::OsStrExt;
        match std::env::current_dir() {
            Ok(d) => {
                let s = name_string(&mut p.mem, d.as_os_str().as_bytes());
                p.mem.tuple(&[named("ok"), s]).ok_or_else(Exception::badarg)
            }
            Err(e) => p
                .mem
                .tuple(&[named("error"), named(posix_reason(&e))])
                .ok_or_else(Exception::badarg),
        }
    })
}
