//! Compiled code as process code.
//!
//! A program's compiled code runs as processes on the scheduler: every
//! compiled process has [`compiled_entry`] as its `entry`, which enters the
//! program's trampoline (it pops the continuation on top of the process
//! stack and calls it). What the runtime needs to know about the loaded
//! program to start processes in it is a [`CompiledCode`], installed once
//! the code is loaded ([`install`]).
//!
//! # Starting a call in a process
//!
//! A new process's stack is two frames: the bottom continuation (`done`,
//! which ends the process with `EXIT`) and a *spawn frame*
//! `[spawn | A | B | Args]` whose continuation calls `apply(A, B, Args)`
//! (or `apply(A, Args)` when `B` is `[]`): the same path `erlang:apply/2,3`
//! take, so a spawn of a missing function raises `undef` in the new process,
//! as BEAM's does.
//!
//! # `apply` with a list of arguments
//!
//! A call whose arity is only known at run time cannot be a Cranelift call
//! (signatures are fixed), so [`coral_jit_apply`] resolves the target and
//! pushes an *apply frame* `[apply | Code | N | Args]`: `Code` is the code
//! address (stored as a continuation word, never a term), `N` the number of
//! arguments (`N << 2`, likewise not a term) and `Args` the argument list.
//! The compiled `apply` continuation loads the `N` list elements into
//! registers and tail-calls `Code`. Its frame descriptor marks only `Args`
//! live. Targets that are BIFs are called at once, without a frame.

use super::{Process, SpawnOpts, Spawned};
use crate::atom::{self, Atom};
use crate::bif::{self, Exception};
use crate::heap::{ProcessContext, ProcessMemory};
use crate::mailbox::wait;
use crate::term::{Continuation, Term};
use std::cell::Cell;
use std::sync::RwLock;

/// The most arguments `apply/2,3` and `spawn` pass through the apply
/// frame (compiled code has one dispatch case per count).
pub const MAX_APPLY_ARITY: usize = 64;

/// What the runtime needs of a loaded program to run its code in processes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct CompiledCode {
    /// The `system_v` trampoline: `extern "C" fn(ctx) -> status`.
    pub trampoline: usize,
    /// The bottom continuation: ends the process.
    pub done: usize,
    /// The continuation of a spawn frame `[A, B, Args]`.
    pub spawn: usize,
    /// The continuation of an apply frame `[Code, N, Args]`.
    pub apply: usize,
    /// x registers the code uses.
    pub max_x: usize,
}

static CODE: RwLock<Option<CompiledCode>> = RwLock::new(None);

/// Makes `code` the program new processes run.
pub fn install(code: CompiledCode) {
    *CODE.write().unwrap_or_else(|e| e.into_inner()) = Some(code);
}

/// The installed program, if any.
pub fn installed() -> Option<CompiledCode> {
    *CODE.read().unwrap_or_else(|e| e.into_inner())
}

thread_local! {
    /// The process this scheduler thread is running, while its code runs.
    static CURRENT: Cell<*mut Process> = const { Cell::new(std::ptr::null_mut()) };
}

/// Records the process whose code this thread is about to run (null when
/// it returns), so that BIFs can reach the process behind their memory.
pub(crate) fn set_current(p: *mut Process) {
    CURRENT.with(|c| c.set(p));
}

/// The running process whose memory `m` is, if `m` is the memory of the
/// process this thread runs (BIFs called from compiled code).
pub(crate) fn current_of(m: &mut ProcessMemory) -> Option<&mut Process> {
    let p = CURRENT.with(|c| c.get());
    if p.is_null() || !std::ptr::eq(p as *const ProcessMemory, m as *const ProcessMemory) {
        return None;
    }
    // SAFETY: `p` is the process this thread owns and runs (set by the
    // scheduler around the call of its code); `m` is its first field, and
    // the caller gives up `m` for the returned borrow, so nothing else
    // borrows the process.
    Some(unsafe { &mut *p })
}

/// The `entry` of every compiled process: enters the program's trampoline,
/// then tells the scheduler which x registers hold live terms. A return
/// from the initial call ends the process with reason `normal`.
///
/// # Safety
/// Called by the scheduler with the context of the process it runs, whose
/// stack holds frames of the installed program.
pub unsafe extern "C" fn compiled_entry(ctx: *mut ProcessContext) -> u64 {
    let Some(code) = installed() else {
        return 0xFE;
    };
    // SAFETY: the trampoline was compiled with this signature.
    let enter: unsafe extern "C" fn(*mut ProcessContext) -> u64 =
        unsafe { std::mem::transmute(code.trampoline) };
    // SAFETY: per this function's contract.
    let st = unsafe { enter(ctx) };
    // SAFETY: the context is the first part of the running process's
    // memory, which no one else borrows now.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    match st & 0xFF {
        super::status::YIELD | super::status::WAIT => m.ctx.x_live = 0,
        super::status::EXIT => {
            m.ensure_x(1);
            m.x_mut()[0] = Term::atom(atom::NORMAL);
            m.ctx.x_live = 1;
        }
        super::status::ERROR => {
            // Compiled code leaves the raw trace `{Class, Frames}` in x[2];
            // the scheduler wants the stack trace itself.
            m.ensure_x(3);
            let raw = m.x()[2];
            m.x_mut()[2] = crate::jit_support::raw_trace_frames(m, raw);
            m.ctx.x_live = 3;
        }
        _ => {}
    }
    st
}

/// Makes `mem`'s stack start the call `apply(a, b, args)` (`b == []`:
/// `apply(a, args)`), then end the process.
pub fn push_initial_call(
    mem: &mut ProcessMemory,
    code: &CompiledCode,
    a: Term,
    b: Term,
    args: Term,
) -> Result<(), &'static str> {
    mem.ensure_x(code.max_x + 1);
    let done = Continuation::new(code.done).ok_or("code address not aligned")?;
    let spawn = Continuation::new(code.spawn).ok_or("code address not aligned")?;
    mem.push_frame(done, &[])
        .map_err(|_| "no room for the first frame")?;
    mem.push_frame(spawn, &[a, b, args])
        .map_err(|_| "no room for the first frame")?;
    Ok(())
}

/// Where `apply(A, B, Args)` goes.
enum Target {
    /// Compiled code taking these arguments.
    Code(usize, Vec<Term>),
    /// A BIF.
    Bif(usize, Vec<Term>),
}

/// Resolves `apply(a, b, args)` (`b == NON_VALUE` for `apply(Fun, Args)`).
fn resolve(m: &mut ProcessMemory, a: Term, b: Term, args: Term) -> Result<Target, Exception> {
    let Some(list) = bif::list_elements(&*m, args) else {
        return Err(Exception::badarg());
    };
    if b == Term::NON_VALUE {
        if let Some((md, f, ar)) = a.export_view(&*m) {
            if ar as usize != list.len() {
                return Err(badarity(m, a, args));
            }
            return resolve_mfa(m, md, f, list);
        }
        if let Some(entry) = a.fun_view(&*m).map(|v| v.entry) {
            if entry.arity as usize != list.len() {
                return Err(badarity(m, a, args));
            }
            let code = entry.code();
            if code == 0 {
                return Err(undef(entry.module, entry.function));
            }
            let mut with_closure = list;
            with_closure.push(a);
            return Ok(Target::Code(code, with_closure));
        }
        let r = m.tuple(&[Term::atom(atom::BADFUN), a]).unwrap_or(Term::NIL);
        return Err(Exception::error(r));
    }
    match (a.atom_value(), b.atom_value()) {
        (Some(md), Some(f)) => resolve_mfa(m, md, f, list),
        _ => Err(Exception::badarg()),
    }
}

fn resolve_mfa(
    m: &mut ProcessMemory,
    md: Atom,
    f: Atom,
    list: Vec<Term>,
) -> Result<Target, Exception> {
    let (Some(mt), Some(ft)) = (md.text(), f.text()) else {
        return Err(Exception::badarg());
    };
    if let Some(i) = bif::index_of(mt, ft, list.len()) {
        return Ok(Target::Bif(i, list));
    }
    match crate::jit_support::lookup_export(md, f, list.len() as u32) {
        Some(code) => Ok(Target::Code(code, list)),
        None => {
            let _ = m;
            Err(undef(md, f))
        }
    }
}

fn badarity(m: &mut ProcessMemory, fun: Term, args: Term) -> Exception {
    let pair = m.tuple(&[fun, args]).unwrap_or(Term::NIL);
    let r = m
        .tuple(&[Term::atom(atom::BADARITY), pair])
        .unwrap_or(Term::NIL);
    Exception::error(r)
}

/// `undef`, remembering the call for the stack trace's first entry.
fn undef(md: Atom, f: Atom) -> Exception {
    LAST_UNDEF.with(|c| c.set(Some((md, f))));
    Exception::error_atom(atom::UNDEF)
}

thread_local! {
    static LAST_UNDEF: Cell<Option<(Atom, Atom)>> = const { Cell::new(None) };
}

/// `coral_jit_apply`'s answers.
pub mod apply_kind {
    /// `*out` is the result.
    pub const VALUE: u64 = 0;
    /// An apply frame was pushed: return into it.
    pub const FRAME: u64 = 1;
    /// An exception: `*out` is the handler to enter (0: none).
    pub const RAISED: u64 = 2;
}

/// `erlang:apply(A, B, Args)`, or `apply(A, Args)` when `b` is
/// `NON_VALUE` (or `[]`, as a spawn frame writes it). A BIF target is
/// called now (`VALUE`); compiled code gets an apply frame (`FRAME`);
/// failures are raised at `loc` (`RAISED`).
///
/// # Safety
/// `ctx` must be the context of the running process and `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_apply(
    ctx: *mut ProcessContext,
    a: Term,
    b: Term,
    args: Term,
    loc: u32,
    out: *mut u64,
) -> u64 {
    // SAFETY: per the contract: the context is the first part of the
    // running process.
    let p = unsafe { &mut *(ctx as *mut Process) };
    let b = if b == Term::NIL { Term::NON_VALUE } else { b };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // The apply frame and a fresh argument list need room on the stack
        // and heap. Compiled code keeps nothing in registers across this
        // call (its continuation is on the stack), so it may collect, with
        // the three arguments as the only other roots.
        let len = bif::list_elements(&p.mem, args).map_or(0, |l| l.len());
        let need = 8 + 2 * (len + 1);
        let (mut a, mut b, mut args) = (a, b, args);
        if p.mem.free_words() < need {
            let mut roots = [a, b, args];
            if p.garbage_collect(need, 0, &mut roots, false).is_err() || p.killed() {
                return (apply_kind::RAISED, 0);
            }
            [a, b, args] = roots;
        }
        apply(&mut p.mem, a, b, args, loc)
    }));
    let (kind, word) = r.unwrap_or((apply_kind::RAISED, 0));
    // SAFETY: per the contract.
    unsafe { *out = word };
    kind
}

fn apply(m: &mut ProcessMemory, a: Term, b: Term, args: Term, loc: u32) -> (u64, u64) {
    let raise = |m: &mut ProcessMemory, e: Exception| -> (u64, u64) {
        let undef = LAST_UNDEF.with(|c| c.take());
        let h = crate::jit_support::raise_at(
            m,
            e,
            loc,
            undef.map(|(md, f)| (Term::atom(md), Term::atom(f), args)),
        );
        (apply_kind::RAISED, h as u64)
    };
    match resolve(m, a, b, args) {
        Err(e) => raise(m, e),
        Ok(Target::Bif(i, list)) => match bif::call(m, i, &list) {
            Some(Ok(t)) => (apply_kind::VALUE, t.raw()),
            Some(Err(e)) => raise(m, e),
            None => raise(m, Exception::badarg()),
        },
        Ok(Target::Code(code, list)) => {
            if list.len() > MAX_APPLY_ARITY {
                return raise(m, Exception::system_limit());
            }
            let Some(code) = Continuation::new(code) else {
                return raise(m, Exception::system_limit());
            };
            let Some(apply) = installed().and_then(|c| Continuation::new(c.apply)) else {
                return raise(m, Exception::badarg());
            };
            let n = Term::from_raw((list.len() as u64) << 2);
            let l = m.list(&list, Term::NIL);
            let code = Term::from_raw(code.to_word());
            match m.push_frame(apply, &[code, n, l]) {
                Ok(()) => (apply_kind::FRAME, Term::NON_VALUE.raw()),
                Err(_) => raise(m, Exception::system_limit()),
            }
        }
    }
}

/// Makes a BIF's work continue in Erlang code: pushes an apply frame for
/// `module:function(Args...)` and returns the word compiled code returns
/// into it with (not a term: only the BIF-call path of compiled code, and
/// `apply`, which return the BIF's result to the continuation on top of the
/// stack, may see it). For BIFs that must wait for a message.
pub(crate) fn trap(
    m: &mut ProcessMemory,
    module: &str,
    function: &str,
    args: &[Term],
) -> Result<Term, Exception> {
    let (Some(md), Some(f)) = (Atom::existing(module), Atom::existing(function)) else {
        return Err(Exception::error_atom(atom::UNDEF));
    };
    let code = crate::jit_support::lookup_export(md, f, args.len() as u32)
        .ok_or_else(|| Exception::error_atom(atom::UNDEF))?;
    let (Some(code), Some(apply)) = (
        Continuation::new(code),
        installed().and_then(|c| Continuation::new(c.apply)),
    ) else {
        return Err(Exception::badarg());
    };
    let n = Term::from_raw((args.len() as u64) << 2);
    let l = m.list(args, Term::NIL);
    m.push_frame(apply, &[Term::from_raw(code.to_word()), n, l])
        .map_err(|_| Exception::system_limit())?;
    Ok(Term::from_raw(0))
}

/// `recv_wait_timeout(Timeout)` from compiled code: 0 = look at the
/// mailbox again, 1 = timed out, 2 = suspend (return `WAIT`), 3 = a bad
/// timeout (raised; `*out` is the handler).
///
/// # Safety
/// `ctx` must be the context of the running process and `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_recv_wait(
    ctx: *mut ProcessContext,
    timeout: Term,
    loc: u32,
    out: *mut u64,
) -> u64 {
    // SAFETY: per the contract: the context is the first field of the
    // running process.
    let p = unsafe { &mut *(ctx as *mut Process) };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match p.recv_wait_timeout(timeout) {
            wait::RECHECK => (0, 0),
            wait::TIMED_OUT => {
                // erlc writes no `timeout` primop: answering `true` ends
                // the receive, as BEAM's `timeout` instruction after
                // `wait_timeout` does.
                p.recv_timeout();
                (1, 0)
            }
            wait::SUSPEND => (2, 0),
            _ => {
                let e =
                    Exception::error_atom(Atom::intern("timeout_value").unwrap_or(atom::BADARG));
                let h = crate::jit_support::raise_at(&mut p.mem, e, loc, None);
                (3, h as u64)
            }
        }
    }));
    let (kind, word) = r.unwrap_or((3, 0));
    // SAFETY: per the contract.
    unsafe { *out = word };
    kind
}

/// What a receive resumed by the scheduler continues with: `'true'` when
/// its timeout fired, `'false'` when a message may have arrived.
///
/// # Safety
/// `ctx` must be the context of the running process.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_recv_resumed(ctx: *mut ProcessContext) -> Term {
    // SAFETY: per the contract.
    let p = unsafe { &mut *(ctx as *mut Process) };
    let timed_out = p.wait.timed_out;
    if timed_out {
        p.recv_timeout();
    }
    Term::boolean(timed_out)
}

// ----- spawning -------------------------------------------------------------

/// Spawns a compiled process calling `apply(a, b, args)` (`b == []` for a
/// fun). Checks the arguments as `spawn/1,3` do.
pub(crate) fn spawn_call(
    p: &mut Process,
    a: Term,
    b: Term,
    args: Term,
    mut opts: SpawnOpts,
) -> Result<Spawned, Exception> {
    let code = installed().ok_or_else(Exception::badarg)?;
    let list = bif::list_elements(&p.mem, args).ok_or_else(Exception::badarg)?;
    if b == Term::NIL {
        if let Some(e) = a.fun_view(&p.mem).map(|v| v.entry) {
            if e.arity != 0 {
                return Err(Exception::badarg());
            }
            opts.initial_call = Some((e.module, e.function, 0));
        } else if let Some((md, f, ar)) = a.export_view(&p.mem) {
            if ar != 0 {
                return Err(Exception::badarg());
            }
            opts.initial_call = Some((md, f, 0));
        } else {
            return Err(Exception::badarg());
        }
    } else {
        let (Some(md), Some(f)) = (a.atom_value(), b.atom_value()) else {
            return Err(Exception::badarg());
        };
        opts.initial_call = Some((md, f, list.len() as u32));
    }
    let mut failed = false;
    let r = p.spawn_with(compiled_entry, &opts, |child, parent| {
        let a = crate::copy::copy_term(a, parent, child);
        let b = crate::copy::copy_term(b, parent, child);
        let args = crate::copy::copy_term(args, parent, child);
        failed = push_initial_call(child, &code, a, b, args).is_err();
    });
    match r {
        Ok(s) if !failed => Ok(s),
        Ok(_) => Err(Exception::system_limit()),
        Err(_) => Err(Exception::system_limit()),
    }
}
