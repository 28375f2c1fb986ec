//! Entry points that compiled code calls besides the BIF table and the
//! collector: raising exceptions by walking the process stack to the
//! nearest catch frame, building stack traces, maps and binaries, the
//! export registry that dynamic calls (`apply`, `fun M:F/A`) resolve
//! through, and the startup of a native executable ([`coral_aot_main`]),
//! which rebuilds what the object file describes and runs the entry.
//!
//! Every `extern "C"` function here is called from compiled code with the
//! `system_v` convention, never unwinds (a Rust panic is caught and turned
//! into an error), and never collects: it allocates through the heap's
//! non-collecting constructors, so the caller's terms stay where they are.
//!
//! # Raising
//!
//! A raise walks the process stack from `stop` through the frame
//! descriptors. A frame whose descriptor names a catch slot is a `try` or
//! `catch` frame: its catch marker holds the handler's code address. The
//! raise leaves `stop` pointing at that frame's continuation word, puts
//! the class, reason and raw stack trace in `x[0]`, `x[1]`, `x[2]` and
//! returns the handler's address, which the compiled code then enters. With
//! no catch frame it returns 0 and the same three x registers describe the
//! uncaught exception.
//!
//! The raw stack trace handed to a handler is `{Class, Frames}`, where
//! `Frames` is the list `erlang:get_stacktrace`-style entries
//! `{M, F, ArityOrArgs, [{file, F}, {line, L}]}`: `build_stacktrace` takes
//! the list, `raise/2` takes the class from it.

use crate::atom::{self, Atom};
use crate::bif::{self, Class, Exception, ExceptionSlot};
use crate::frame::{FrameRef, LocationId, global_frames, walk_frames};
use crate::heap::{ProcessContext, ProcessMemory};
use crate::number::Number;
use crate::term::Term;
use std::collections::HashMap;
use std::sync::RwLock;

/// How many stack-trace entries a raise records (BEAM's default
/// `backtrace_depth`).
pub const BACKTRACE_DEPTH: usize = 8;

/// The index compiled code passes to [`coral_jit_call_bif`] for
/// `module:name/arity`: its index in the runtime's BIF table.
pub fn bif_index(module: &str, name: &str, arity: usize) -> Option<u32> {
    bif::index_of(module, name, arity).and_then(|i| u32::try_from(i).ok())
}

/// Calls a BIF by the index [`bif_index`] gave, with the contract of
/// [`bif::coral_call_bif`]: the result, or `NON_VALUE` with the exception
/// written to `*exc`.
///
/// # Safety
/// As [`bif::coral_call_bif`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_call_bif(
    ctx: *mut ProcessContext,
    index: u32,
    args: *const Term,
    nargs: u32,
    exc: *mut ExceptionSlot,
) -> Term {
    // SAFETY: the same contract.
    unsafe { bif::coral_call_bif(ctx, index, args, nargs, exc) }
}

// ---------------------------------------------------------------------------
// The export registry.

/// `(module, function, arity)` to code address.
type ExportMap = HashMap<(Atom, Atom, u32), usize>;

static EXPORTS: RwLock<Option<ExportMap>> = RwLock::new(None);

/// Records the code address of the exported function `module:name/arity`
/// (a function taking the context then its arguments, `tail` convention).
pub fn register_export(module: Atom, name: Atom, arity: u32, code: usize) {
    let mut t = EXPORTS.write().unwrap_or_else(|e| e.into_inner());
    t.get_or_insert_with(HashMap::new)
        .insert((module, name, arity), code);
}

/// The code address of `module:name/arity`, if loaded.
pub fn lookup_export(module: Atom, name: Atom, arity: u32) -> Option<usize> {
    let t = EXPORTS.read().unwrap_or_else(|e| e.into_inner());
    t.as_ref()?.get(&(module, name, arity)).copied()
}

// ---------------------------------------------------------------------------
// Exceptions.

fn class_from_u64(c: u64) -> Class {
    match c {
        1 => Class::Exit,
        2 => Class::Throw,
        _ => Class::Error,
    }
}

fn class_from_atom(t: Term) -> Option<Class> {
    match t.atom_value()? {
        atom::ERROR => Some(Class::Error),
        atom::EXIT => Some(Class::Exit),
        atom::THROW => Some(Class::Throw),
        _ => None,
    }
}

/// `[{file, F}, {line, L}]` for a location (either part left out when
/// unknown).
fn location_info(p: &mut ProcessMemory, file: Option<&str>, line: u32) -> Term {
    let mut l = Term::NIL;
    if line > 0
        && let Some(n) = Term::small(line as i64)
        && let Some(t) = p.tuple(&[Term::atom(atom::LINE), n])
    {
        l = p.cons(t, l);
    }
    if let Some(f) = file {
        let s = bif_char_list(p, f);
        if let Some(t) = p.tuple(&[Term::atom(atom::FILE), s]) {
            l = p.cons(t, l);
        }
    }
    l
}

fn bif_char_list(p: &mut ProcessMemory, s: &str) -> Term {
    let mut l = Term::NIL;
    for c in s.chars().rev() {
        l = p.cons(Term::small(c as i64).unwrap_or(Term::NIL), l);
    }
    l
}

/// The stack-trace entry of location `loc`, with `args` (a list) in place
/// of the arity when given.
fn trace_entry(p: &mut ProcessMemory, loc: LocationId, args: Option<Term>) -> Option<Term> {
    let l = global_frames().read().location(loc).cloned()?;
    let third = match args {
        Some(a) => a,
        None => Term::small(l.arity as i64)?,
    };
    let info = location_info(p, l.file.as_deref(), l.line);
    p.tuple(&[Term::atom(l.module), Term::atom(l.function), third, info])
}

/// Where the raise ends: the handler found on the stack, or none.
struct Unwind {
    /// Offset of the catch frame's continuation word from `stop`.
    frame_offset: usize,
    handler: usize,
}

/// Whether frame `f` of `stack` is an active catch frame.
fn is_catch_frame(stack: &[crate::term::Word], f: &FrameRef<'_>) -> bool {
    f.descriptor.catch_slots().first().is_some_and(|&slot| {
        Term::from_raw(stack[f.slot_offset(slot as usize)])
            .catch_handler()
            .is_some()
    })
}

/// The callers a stack trace lists after the raising function, as BEAM
/// lists them: every call frame on the stack, innermost first, a run of
/// frames of one call site (recursion) once. (A call of a function that
/// never returns keeps no frame: the compiler makes it a tail call, as
/// erlc does.) At most `BACKTRACE_DEPTH - 1` entries.
fn trace_callers(m: &ProcessMemory) -> Vec<LocationId> {
    let reader = global_frames().read();
    let stack = m.stack();
    let mut out: Vec<LocationId> = Vec::new();
    let mut last: Option<usize> = None;
    let _ = walk_frames(stack, &reader, |f| {
        let loc = f.descriptor.location();
        let addr = f.continuation.address();
        if is_catch_frame(stack, &f) || loc.0 == u32::MAX || last == Some(addr) {
            return true;
        }
        last = Some(addr);
        out.push(loc);
        out.len() + 1 < BACKTRACE_DEPTH
    });
    out
}

/// The frames on `stack_of`'s stack as stack-trace entries built in `out`
/// (`process_info(P, current_stacktrace)`), innermost first, at most
/// `BACKTRACE_DEPTH`.
pub fn stack_frames(stack_of: &ProcessMemory, out: &mut ProcessMemory) -> Term {
    let reader = global_frames().read();
    let mut locations = Vec::new();
    let _ = walk_frames(stack_of.stack(), &reader, |f| {
        if f.descriptor.location().0 != u32::MAX {
            locations.push(f.descriptor.location());
        }
        locations.len() < BACKTRACE_DEPTH
    });
    drop(reader);
    let entries: Vec<Term> = locations
        .into_iter()
        .filter_map(|l| trace_entry(out, l, None))
        .collect();
    out.list(&entries, Term::NIL)
}

/// The first catch frame on the stack, and the locations of the frames
/// above it (innermost first, at most `BACKTRACE_DEPTH`).
fn find_handler(m: &ProcessMemory) -> (Option<Unwind>, Vec<LocationId>) {
    let reader = global_frames().read();
    let mut found = None;
    let mut locations = Vec::new();
    let stack = m.stack();
    // A broken stack is a compiler bug; the raise then behaves as uncaught.
    let _ = walk_frames(stack, &reader, |f| {
        if let Some(&slot) = f.descriptor.catch_slots().first() {
            let marker = Term::from_raw(stack[f.slot_offset(slot as usize)]);
            if let Some(handler) = marker.catch_handler() {
                found = Some(Unwind {
                    frame_offset: f.offset,
                    handler,
                });
                return false;
            }
        }
        if locations.len() < BACKTRACE_DEPTH && f.descriptor.location().0 != u32::MAX {
            locations.push(f.descriptor.location());
        }
        true
    });
    (found, locations)
}

/// Finishes a raise: the class, reason and raw trace go to `x[0..3]`;
/// `stop` moves to the catch frame. Returns the handler address or 0.
fn deliver(m: &mut ProcessMemory, class: Class, reason: Term, raw: Term) -> usize {
    let (found, _) = find_handler(m);
    m.ensure_x(3);
    let x = m.x_mut();
    x[0] = Term::atom(class.atom());
    x[1] = reason;
    x[2] = raw;
    match found {
        Some(u) => {
            let n = u.frame_offset;
            // Dropping the frames above the catch frame: a pop of `n` words,
            // which exist because the walk found the frame there.
            let _ = m.pop_stack(n);
            u.handler
        }
        None => 0,
    }
}

/// Builds `{Class, Frames}` for a fresh raise at `loc` (a `LocationId`,
/// `u32::MAX` when unknown), the first entry showing `args` when given.
/// A raise location with this bit set is that of a failed division (`/`,
/// `div`, `rem`) through [`coral_jit_raise_bif`], which traces it as BEAM
/// does: `div` and `rem` list their BIF entry, `/` only when an operand is
/// no number and the function has a frame ([`LOC_IN_FRAME`]). (The
/// caller's call is listed like every frame on the stack.)
pub const LOC_DIVISION: u32 = 1 << 30;

/// With [`LOC_DIVISION`]: the raising function has made a call (BEAM has
/// given it a stack frame).
pub const LOC_IN_FRAME: u32 = 1 << 29;

/// How BEAM traces a failed division `name(args)`: whether the trace has
/// the BIF's entry.
fn division_trace(m: &ProcessMemory, name: &str, args: &[Term], in_frame: bool) -> bool {
    let number =
        |t: Term| t.small_value().is_some() || t.bignum(m).is_some() || t.float_value(m).is_some();
    let (Some(&dividend), Some(&divisor)) = (args.first(), args.get(1)) else {
        return true;
    };
    name != "/" || (in_frame && !(number(dividend) && number(divisor)))
}

fn fresh_trace(m: &mut ProcessMemory, class: Class, loc: u32, args: Option<Term>) -> Term {
    fresh_trace_with(m, class, loc, args, true)
}

/// As [`fresh_trace`]; `own_frame` says whether the raise may come from a
/// call that left its own frame on top of the stack (a BIF call), rather
/// than from the function itself (`match_fail`): only then is a first
/// frame at the raise location that call's, and dropped.
fn fresh_trace_with(
    m: &mut ProcessMemory,
    class: Class,
    loc: u32,
    args: Option<Term>,
    own_frame: bool,
) -> Term {
    let mut callers = trace_callers(m);
    // A call that raised inside the catching function's own `try` (a BIF
    // such as `throw/1`) left its frame above the catch: that call site is
    // the raise location, listed once (BEAM has no frame there).
    if own_frame && loc != u32::MAX && callers.first() == Some(&LocationId(loc)) {
        callers.remove(0);
    }
    let mut entries = Vec::new();
    if loc != u32::MAX
        && let Some(e) = trace_entry(m, LocationId(loc), args)
    {
        entries.push(e);
    }
    for l in callers {
        if entries.len() >= BACKTRACE_DEPTH {
            break;
        }
        if let Some(e) = trace_entry(m, l, None) {
            entries.push(e);
        }
    }
    let list = m.list(&entries, Term::NIL);
    m.tuple(&[Term::atom(class.atom()), list])
        .unwrap_or(Term::NIL)
}

fn guarded(f: impl FnOnce() -> usize) -> usize {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(0)
}

/// Raises `class:reason` (class as [`Class`]'s discriminant) at location
/// `loc`. Returns the handler's address, or 0 when nothing catches it; see
/// the module documentation.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows, whose
/// stack follows the frame rules.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_raise(
    ctx: *mut ProcessContext,
    class: u64,
    reason: Term,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    guarded(|| {
        let class = class_from_u64(class);
        let raw = fresh_trace(m, class, loc, None);
        deliver(m, class, reason, raw)
    })
}

/// A raise of the exception a BIF call just failed with: the trace starts
/// with the BIF's own entry `{Module, Name, Args, [{error_info, ...}]}`
/// (or, after `error(Reason, Args)`, the caller's entry with `Args`), then
/// the caller at `loc`, as BEAM's traces do.
///
/// # Safety
/// As [`coral_jit_raise`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_raise_bif(
    ctx: *mut ProcessContext,
    class: u64,
    reason: Term,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    guarded(|| {
        let class = class_from_u64(class);
        let division = loc != u32::MAX && loc & LOC_DIVISION != 0;
        let in_frame = division && loc & LOC_IN_FRAME != 0;
        let loc = if division {
            loc & !(LOC_DIVISION | LOC_IN_FRAME)
        } else {
            loc
        };
        let mut failure = bif::take_failure();
        if division && let Some(bif::Failure::Bif(e, args)) = &failure {
            if !division_trace(m, e.name, args, in_frame) {
                failure = None;
            }
        }
        let raw = match failure {
            Some(bif::Failure::Args(args)) => fresh_trace(m, class, loc, Some(args)),
            Some(bif::Failure::Stack(st)) => m
                .tuple(&[Term::atom(class.atom()), st])
                .unwrap_or(Term::NIL),
            Some(bif::Failure::Bif(e, args)) => {
                let rest = fresh_trace(m, class, loc, None);
                let rest = raw_trace_frames(m, rest);
                let errors = if e.module == "erlang" {
                    "erl_erts_errors"
                } else {
                    "erl_stdlib_errors"
                };
                let info = |m: &mut ProcessMemory| -> Option<Term> {
                    let key = Term::atom(Atom::intern("module").ok()?);
                    let val = Term::atom(Atom::intern(errors).ok()?);
                    let map = m.flatmap(&[key], &[val])?;
                    let ei = m.tuple(&[Term::atom(atom::ERROR_INFO), map])?;
                    Some(m.list(&[ei], Term::NIL))
                };
                let info = info(m).unwrap_or(Term::NIL);
                let arglist = m.list(&args, Term::NIL);
                let first = m
                    .tuple(&[
                        Term::atom(intern(e.module).unwrap_or(atom::UNDEFINED)),
                        Term::atom(intern(e.name).unwrap_or(atom::UNDEFINED)),
                        arglist,
                        info,
                    ])
                    .unwrap_or(Term::NIL);
                let mut entries = vec![first];
                let mut l = rest;
                while let Some((h, t)) = l.cons_parts(&*m) {
                    if entries.len() >= BACKTRACE_DEPTH {
                        break;
                    }
                    entries.push(h);
                    l = t;
                }
                let list = m.list(&entries, Term::NIL);
                m.tuple(&[Term::atom(class.atom()), list])
                    .unwrap_or(Term::NIL)
            }
            None => fresh_trace(m, class, loc, None),
        };
        deliver(m, class, reason, raw)
    })
}

/// `primop match_fail(Reason)`: a reason `{function_clause, A1..An}`
/// becomes `function_clause` with the arguments in the first trace entry.
///
/// # Safety
/// As [`coral_jit_raise`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_match_fail(
    ctx: *mut ProcessContext,
    reason: Term,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    guarded(|| {
        let fc = reason.tuple_elements(m).and_then(|el| {
            (el.first() == Some(&Term::atom(atom::FUNCTION_CLAUSE))).then(|| el[1..].to_vec())
        });
        let (reason, args) = match fc {
            Some(args) => {
                let l = m.list(&args, Term::NIL);
                (Term::atom(atom::FUNCTION_CLAUSE), Some(l))
            }
            None => (reason, None),
        };
        let raw = fresh_trace_with(m, Class::Error, loc, args, false);
        deliver(m, Class::Error, reason, raw)
    })
}

/// A call of `module:name/nargs`, which is not loaded: `error:undef` with
/// `{Module, Name, Args}` as the first trace entry.
///
/// # Safety
/// As [`coral_jit_raise`]; `args` points at `nargs` valid terms.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_undef(
    ctx: *mut ProcessContext,
    module: Term,
    name: Term,
    args: *const Term,
    nargs: u32,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    let args: Vec<Term> = if nargs == 0 {
        Vec::new()
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(args, nargs as usize) }.to_vec()
    };
    let _ = loc;
    guarded(|| {
        let arglist = m.list(&args, Term::NIL);
        raise_at(
            m,
            Exception::error_atom(atom::UNDEF),
            u32::MAX,
            Some((module, name, arglist)),
        )
    })
}

/// `primop raise(Trace, Reason)` and `raw_raise(Class, Reason, Trace)`:
/// raises again with the class and frames of a raw trace. `class` is
/// `NON_VALUE` for `raise/2` (the class comes from the trace). A trace or
/// class that is not one raises `badarg` instead, as BEAM does.
///
/// # Safety
/// As [`coral_jit_raise`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_reraise(
    ctx: *mut ProcessContext,
    class: Term,
    reason: Term,
    trace: Term,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    guarded(|| {
        // A raw trace this module built: `{Class, Frames}`.
        let raw_parts = trace
            .tuple_elements(m)
            .filter(|e| e.len() == 2)
            .and_then(|e| Some((class_from_atom(e[0])?, e[1])));
        let outcome = if class.is_non_value() {
            raw_parts
        } else {
            match (class_from_atom(class), raw_parts) {
                (Some(c), Some((_, frames))) => Some((c, frames)),
                // `erlang:raise/3`: a plain list of frames.
                (Some(c), None) if bif::list_elements(m, trace).is_some() => Some((c, trace)),
                _ => None,
            }
        };
        match outcome {
            Some((c, frames)) => {
                let raw = m.tuple(&[Term::atom(c.atom()), frames]).unwrap_or(trace);
                deliver(m, c, reason, raw)
            }
            None => {
                let raw = fresh_trace(m, Class::Error, loc, None);
                deliver(m, Class::Error, Term::atom(atom::BADARG), raw)
            }
        }
    })
}

/// `primop build_stacktrace(Raw)`: the list of frames of a raw trace.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_build_stacktrace(ctx: *mut ProcessContext, raw: Term) -> Term {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    raw.tuple_elements(m)
        .and_then(|e| e.get(1).copied())
        .unwrap_or(Term::NIL)
}

/// The code address of `fun M:F/A`'s function when called with `nargs`
/// arguments, or 0 when it is not loaded or the arity differs.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_export_code(
    ctx: *mut ProcessContext,
    fun: Term,
    nargs: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    match fun.export_view(m) {
        Some((md, f, a)) if a == nargs => lookup_export(md, f, a).unwrap_or(0),
        _ => 0,
    }
}

/// The list of frames of a raw stack trace (what `build_stacktrace` gives).
pub fn raw_trace_frames(m: &ProcessMemory, raw: Term) -> Term {
    raw.tuple_elements(m)
        .and_then(|e| e.get(1).copied())
        .unwrap_or(Term::NIL)
}

/// Byte offset of a fun entry's arity (a `u32`), which compiled code checks
/// before calling a closure.
pub const FUN_ENTRY_ARITY_OFFSET: usize = std::mem::offset_of!(crate::fun::FunEntry, arity);

/// Byte offset of a fun entry's code address (the closure entry stub),
/// which compiled code loads to call a closure: set when the code is
/// installed, before any process runs.
pub const FUN_ENTRY_CODE_OFFSET: usize = crate::fun::FunEntry::CODE_OFFSET;

/// The code address for `apply(Module, Name, Args)` with `nargs`
/// arguments, or 0 when no such function is loaded (or `module`/`name` are
/// not atoms).
///
/// # Safety
/// Safe to call with any terms; `extern "C"` for compiled code.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_apply_code(module: Term, name: Term, nargs: u32) -> usize {
    match (module.atom_value(), name.atom_value()) {
        (Some(m), Some(f)) => lookup_export(m, f, nargs).unwrap_or(0),
        _ => 0,
    }
}

/// A call of `fun` with `nargs` arguments that compiled code could not
/// make: raises `{badfun, Fun}`, `{badarity, {Fun, Args}}` or `undef` (an
/// export fun of a function that is not loaded), as BEAM does.
///
/// # Safety
/// As [`coral_jit_raise`]; `args` points at `nargs` valid terms.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_bad_fun_call(
    ctx: *mut ProcessContext,
    fun: Term,
    args: *const Term,
    nargs: u32,
    loc: u32,
) -> usize {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    let args: Vec<Term> = if nargs == 0 {
        Vec::new()
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(args, nargs as usize) }.to_vec()
    };
    guarded(|| {
        if let Some((md, f, a)) = fun.export_view(m)
            && a == nargs
        {
            let arglist = m.list(&args, Term::NIL);
            return raise_at(
                m,
                Exception::error_atom(atom::UNDEF),
                u32::MAX,
                Some((Term::atom(md), Term::atom(f), arglist)),
            );
        }
        let is_fun = fun.fun_view(m).is_some() || fun.export_view(m).is_some();
        let reason = if is_fun {
            let arglist = m.list(&args, Term::NIL);
            let pair = m.tuple(&[fun, arglist]).unwrap_or(Term::NIL);
            m.tuple(&[Term::atom(atom::BADARITY), pair])
        } else {
            m.tuple(&[Term::atom(atom::BADFUN), fun])
        }
        .unwrap_or(Term::NIL);
        let raw = fresh_trace(m, Class::Error, loc, None);
        deliver(m, Class::Error, reason, raw)
    })
}

/// Raises `e` from the runtime at location `loc` (`u32::MAX`: none): the
/// handler to enter, or 0. With `call`, the trace starts with the entry
/// `{M, F, Args, []}` of a call that could not be made (`undef`).
pub fn raise_at(
    m: &mut ProcessMemory,
    e: Exception,
    loc: u32,
    call: Option<(Term, Term, Term)>,
) -> usize {
    let raw = match call {
        Some((md, f, args)) => {
            let first = m.tuple(&[md, f, args, Term::NIL]);
            let callers = trace_callers(m);
            let mut entries: Vec<Term> = first.into_iter().collect();
            for l in callers {
                if entries.len() >= BACKTRACE_DEPTH {
                    break;
                }
                if let Some(e) = trace_entry(m, l, None) {
                    entries.push(e);
                }
            }
            let list = m.list(&entries, Term::NIL);
            m.tuple(&[Term::atom(e.class.atom()), list])
                .unwrap_or(Term::NIL)
        }
        None => fresh_trace(m, e.class, loc, None),
    };
    deliver(m, e.class, e.reason, raw)
}

fn write_exception(exc: *mut ExceptionSlot, e: Exception) -> Term {
    // SAFETY: callers pass the writable slot compiled code gave them.
    unsafe {
        *exc = ExceptionSlot {
            class: e.class as u64,
            reason: e.reason,
        }
    };
    Term::NON_VALUE
}

/// Map construction (`map` is `NON_VALUE`) or update: `ops` holds `n`
/// triples `(op, key, value)`, `op` 0 for `=>` and 1 for `:=`. Returns the
/// map, or `NON_VALUE` with `{badmap, M}` or `{badkey, K}` in `*exc`.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows, `ops`
/// must point at `3 * n` words and `exc` be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_map_put(
    ctx: *mut ProcessContext,
    map: Term,
    ops: *const Term,
    n: u32,
    exc: *mut ExceptionSlot,
) -> Term {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    let ops: &[Term] = if n == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(ops, 3 * n as usize) }
    };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut cur = if map.is_non_value() {
            let pairs: Vec<(Term, Term)> = ops.chunks(3).map(|c| (c[1], c[2])).collect();
            return Ok(crate::map::from_pairs(m, &pairs));
        } else {
            map
        };
        if !crate::map::is_map(cur, m) {
            return Err(Exception::badmap(m, cur));
        }
        for c in ops.chunks(3) {
            let exact = c[0].raw() != 0;
            cur = if exact {
                crate::map::update(m, cur, c[1], c[2]).map_err(|_| Exception::badkey(m, c[1]))?
            } else {
                crate::map::put(m, cur, c[1], c[2]).ok_or_else(|| Exception::badmap(m, cur))?
            };
        }
        Ok(cur)
    }))
    .unwrap_or_else(|_| Err(Exception::badarg()));
    match r {
        Ok(t) => t,
        Err(e) => write_exception(exc, e),
    }
}

/// The value of `key` in `map`, or `NON_VALUE` when `map` is not a map or
/// has no such key (a failing guard or pattern).
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_map_get(ctx: *mut ProcessContext, map: Term, key: Term) -> Term {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::map::get(map, key, m).unwrap_or(Term::NON_VALUE)
    }))
    .unwrap_or(Term::NON_VALUE)
}

// ---------------------------------------------------------------------------
// Binaries.
//
// A segment is described to these functions by seven words:
// `[value, kind, size_kind, size, unit, signed, endian]`, where `kind` is
// 0 integer, 1 float, 2 binary, 3 utf8, 4 utf16, 5 utf32; `size_kind` is 0
// for a fixed size (`size` is the number), 1 for a size computed at run
// time (`size` is the term), 2 for `all`, 3 for none (utf segments);
// `signed` is 0 or 1 and `endian` 0 big, 1 little, 2 native.
//
// A match context is the bitstring still to be matched, a term like any
// other, so the collector needs to know nothing about matching.

/// The number a term holds, if it is one.
fn number_of(p: &ProcessMemory, t: Term) -> Option<Number> {
    if let Some(v) = t.small_value() {
        return Some(Number::Small(v));
    }
    if let Some(f) = t.float_value(p) {
        return Some(Number::Float(f));
    }
    t.integer_value(p).map(Number::Big)
}

/// Words per segment description.
pub const SEGMENT_WORDS: usize = 7;

struct Seg {
    value: Term,
    kind: u64,
    size: Option<usize>,
    all: bool,
    unit: usize,
    signed: bool,
    little: bool,
}

/// `f` as an IEEE 754 half-precision float, rounded to nearest (ties to
/// even), infinity when too large; `None` for a value that is not finite.
fn f16_bits(f: f64) -> Option<u16> {
    if !f.is_finite() {
        return None;
    }
    let bits = f.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mant = bits & ((1u64 << 52) - 1);
    if exp == 0 && mant == 0 {
        return Some(sign);
    }
    // The value is 1.mant * 2^(exp - 1023); half precision keeps 10
    // fraction bits with exponent bias 15, subnormals below 2^-14.
    let e = exp - 1023;
    let full = mant | (1u64 << 52);
    let (shift, biased) = if e >= -14 {
        (42, (e + 15) as u64)
    } else {
        (42 + (-14 - e) as u32, 0)
    };
    if shift > 63 {
        return Some(sign);
    }
    let kept = full >> shift;
    let rest = full & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    let round_up = rest > half || (rest == half && kept & 1 == 1);
    let mut m = kept + u64::from(round_up);
    let mut b = biased;
    if b == 0 {
        // Subnormal: the implicit bit is not stored; rounding may carry
        // into the smallest normal.
        if m >= 1 << 10 {
            b = 1;
            m -= 1 << 10;
        }
    } else {
        if m >= 1 << 11 {
            m >>= 1;
            b += 1;
        }
        m -= 1 << 10;
    }
    if b >= 31 {
        return Some(sign | 0x7c00);
    }
    Some(sign | ((b as u16) << 10) | m as u16)
}

/// A half-precision float's value (infinities and NaNs come out as such).
fn f16_value(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 0x1f) as i32;
    let m = (h & 0x3ff) as f64;
    sign * match e {
        0 => m * 2f64.powi(-24),
        31 if m == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + m / 1024.0) * 2f64.powi(e - 15),
    }
}

fn decode_seg(w: &[Term]) -> Option<Seg> {
    let size_kind = w[2].raw();
    let size = match size_kind {
        0 => Some(usize::try_from(w[3].raw()).ok()?),
        1 => Some(usize::try_from(w[3].small_value()?).ok()?),
        _ => None,
    };
    Some(Seg {
        value: w[0],
        kind: w[1].raw(),
        size,
        all: size_kind == 2,
        unit: w[4].raw() as usize,
        signed: w[5].raw() != 0,
        little: w[6].raw() == 1 || (w[6].raw() == 2 && cfg!(target_endian = "little")),
    })
}

/// Bits appended most significant first.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bits: usize,
}

impl BitWriter {
    fn push_bit(&mut self, b: bool) {
        if self.bits.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if b {
            let i = self.bits / 8;
            self.bytes[i] |= 0x80 >> (self.bits % 8);
        }
        self.bits += 1;
    }

    /// The first `n` bits of `src` (most significant first).
    fn push_bits(&mut self, src: &[u8], n: usize) {
        if self.bits.is_multiple_of(8) && n.is_multiple_of(8) {
            self.bytes.extend_from_slice(&src[..n / 8]);
            self.bits += n;
            return;
        }
        for i in 0..n {
            self.push_bit(src[i / 8] & (0x80 >> (i % 8)) != 0);
        }
    }
}

/// `v` modulo `2^bits` as `bits` bits, big-endian, left-aligned in bytes.
fn int_bits(v: &dashu_int::IBig, bits: usize, little: bool) -> Vec<u8> {
    let nbytes = bits.div_ceil(8);
    let modulus = dashu_int::IBig::from(1u8) << bits;
    let r = ((v % &modulus) + &modulus) % &modulus;
    let mag = dashu_int::UBig::try_from(r).unwrap_or_default();
    let mut le = mag.to_le_bytes().to_vec();
    le.resize(nbytes, 0);
    if little {
        // Little-endian: whole bytes reversed; a partial last byte holds the
        // high bits, as BEAM writes them.
        let mut out = le;
        if !bits.is_multiple_of(8) {
            let last = nbytes - 1;
            out[last] <<= 8 - bits % 8;
        }
        out
    } else {
        let mut be: Vec<u8> = le.into_iter().rev().collect();
        // Left-align: shift the whole number up by the unused low bits.
        let pad = nbytes * 8 - bits;
        if pad > 0 {
            let mut carry = 0u8;
            for b in be.iter_mut().rev() {
                let nb = (*b << pad) | carry;
                carry = *b >> (8 - pad);
                *b = nb;
            }
        }
        be
    }
}

fn encode_utf(kind: u64, c: u32, little: bool, out: &mut BitWriter) -> Option<()> {
    let ch = char::from_u32(c)?;
    match kind {
        3 => {
            let mut buf = [0u8; 4];
            let s = ch.encode_utf8(&mut buf);
            out.push_bits(s.as_bytes(), s.len() * 8);
        }
        4 => {
            let mut buf = [0u16; 2];
            for u in ch.encode_utf16(&mut buf).iter() {
                let b = if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                out.push_bits(&b, 16);
            }
        }
        _ => {
            let b = if little {
                c.to_le_bytes()
            } else {
                c.to_be_bytes()
            };
            out.push_bits(&b, 32);
        }
    }
    Some(())
}

fn build_binary(m: &mut ProcessMemory, segs: &[Term]) -> Option<Term> {
    let mut out = BitWriter::default();
    for w in segs.chunks(SEGMENT_WORDS) {
        let s = decode_seg(w)?;
        match s.kind {
            0 => {
                let bits = s.size?.checked_mul(s.unit)?;
                let v = s.value.integer_value(m)?;
                out.push_bits(&int_bits(&v, bits, s.little), bits);
            }
            1 => {
                let bits = s.size?.checked_mul(s.unit)?;
                let f = number_of(m, s.value)?.to_f64()?;
                // A value too large for a narrower float becomes its
                // infinity, as in BEAM.
                let bytes = match (bits, s.little) {
                    (64, false) => f.to_be_bytes().to_vec(),
                    (64, true) => f.to_le_bytes().to_vec(),
                    (32, false) => (f as f32).to_be_bytes().to_vec(),
                    (32, true) => (f as f32).to_le_bytes().to_vec(),
                    (16, false) => f16_bits(f)?.to_be_bytes().to_vec(),
                    (16, true) => f16_bits(f)?.to_le_bytes().to_vec(),
                    _ => return None,
                };
                out.push_bits(&bytes, bits);
            }
            2 => {
                let v = s.value.bits(m)?;
                let (bytes, have) = v.to_bit_vec();
                let bits = if s.all {
                    if s.unit > 1 && !have.is_multiple_of(s.unit) {
                        return None;
                    }
                    have
                } else {
                    s.size?.checked_mul(s.unit)?
                };
                if bits > have {
                    return None;
                }
                out.push_bits(&bytes, bits);
            }
            k @ 3..=5 => {
                let c = u32::try_from(s.value.small_value()?).ok()?;
                encode_utf(k, c, s.little, &mut out)?;
            }
            _ => return None,
        }
    }
    Some(bif::make_bitstring(m, &out.bytes, out.bits))
}

/// `<<Seg, ...>>`: the bitstring, or `NON_VALUE` with `badarg` in `*exc`.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows; `segs`
/// points at `n` segment descriptions ([`SEGMENT_WORDS`] words each) and
/// `exc` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_bin_build(
    ctx: *mut ProcessContext,
    segs: *const Term,
    n: u32,
    exc: *mut ExceptionSlot,
) -> Term {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    let segs: &[Term] = if n == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(segs, n as usize * SEGMENT_WORDS) }
    };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_binary(m, segs)))
        .unwrap_or(None);
    match r {
        Some(t) => t,
        None => write_exception(exc, Exception::badarg()),
    }
}

/// `primop bs_init_writable(Size)`: an empty binary.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_bs_init(ctx: *mut ProcessContext) -> Term {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    m.binary(&[])
}

fn get_segment(m: &mut ProcessMemory, mctx: Term, w: &[Term]) -> Option<(Term, Term)> {
    let s = decode_seg(w)?;
    let view = mctx.bits(m)?;
    let have = view.bit_size;
    let take = |bits: usize| -> Option<Vec<u8>> {
        if bits > have {
            return None;
        }
        let sub = crate::term::BitsView {
            bytes: view.bytes,
            bit_offset: view.bit_offset,
            bit_size: bits,
        };
        Some(sub.to_bit_vec().0)
    };
    let (value, used) = match s.kind {
        0 => {
            let bits = s.size?.checked_mul(s.unit)?;
            let bytes = take(bits)?;
            let mut v = dashu_int::IBig::from(0u8);
            if s.little {
                // Whole bytes least significant first; a partial last byte
                // holds the high bits at its top.
                for (i, &b) in bytes.iter().enumerate() {
                    let byte = if i == bytes.len() - 1 && !bits.is_multiple_of(8) {
                        b >> (8 - bits % 8)
                    } else {
                        b
                    };
                    v |= dashu_int::IBig::from(byte) << (8 * i);
                }
            } else {
                for &b in &bytes {
                    v = (v << 8) | dashu_int::IBig::from(b);
                }
                v >>= bytes.len() * 8 - bits;
            }
            if s.signed && bits > 0 && v >= (dashu_int::IBig::from(1u8) << (bits - 1)) {
                v -= dashu_int::IBig::from(1u8) << bits;
            }
            (m.integer(&v), bits)
        }
        1 => {
            let bits = s.size?.checked_mul(s.unit)?;
            let bytes = take(bits)?;
            let f = match (bits, s.little) {
                (64, false) => f64::from_be_bytes(bytes[..8].try_into().ok()?),
                (64, true) => f64::from_le_bytes(bytes[..8].try_into().ok()?),
                (32, false) => f32::from_be_bytes(bytes[..4].try_into().ok()?) as f64,
                (32, true) => f32::from_le_bytes(bytes[..4].try_into().ok()?) as f64,
                (16, false) => f16_value(u16::from_be_bytes(bytes[..2].try_into().ok()?)),
                (16, true) => f16_value(u16::from_le_bytes(bytes[..2].try_into().ok()?)),
                _ => return None,
            };
            if !f.is_finite() {
                return None;
            }
            (m.float(f), bits)
        }
        2 => {
            let bits = if s.all {
                if s.unit > 1 && !have.is_multiple_of(s.unit) {
                    return None;
                }
                have
            } else {
                s.size?.checked_mul(s.unit)?
            };
            if bits > have {
                return None;
            }
            (m.sub_binary(mctx, 0, bits)?, bits)
        }
        k @ 3..=5 => {
            let avail = take(have)?;
            let (c, bits) = match k {
                3 => {
                    let n = match avail.first()? {
                        b if b & 0x80 == 0 => 1,
                        b if b & 0xE0 == 0xC0 => 2,
                        b if b & 0xF0 == 0xE0 => 3,
                        b if b & 0xF8 == 0xF0 => 4,
                        _ => return None,
                    };
                    let s = std::str::from_utf8(avail.get(..n)?).ok()?;
                    (s.chars().next()? as u32, n * 8)
                }
                4 => {
                    let u = |i: usize| -> Option<u16> {
                        let b = [*avail.get(i)?, *avail.get(i + 1)?];
                        Some(if s.little {
                            u16::from_le_bytes(b)
                        } else {
                            u16::from_be_bytes(b)
                        })
                    };
                    let first = u(0)?;
                    if (0xD800..0xDC00).contains(&first) {
                        let second = u(2)?;
                        let c = char::decode_utf16([first, second]).next()?.ok()?;
                        (c as u32, 32)
                    } else {
                        (char::from_u32(first as u32)? as u32, 16)
                    }
                }
                _ => {
                    let b: [u8; 4] = avail.get(..4)?.try_into().ok()?;
                    let c = if s.little {
                        u32::from_le_bytes(b)
                    } else {
                        u32::from_be_bytes(b)
                    };
                    (char::from_u32(c)? as u32, 32)
                }
            };
            if bits > have {
                return None;
            }
            (Term::small(c as i64)?, bits)
        }
        _ => return None,
    };
    let rest = m.sub_binary(mctx, used, have - used)?;
    Some((value, rest))
}

/// Reads one segment from the match context `mctx` (a bitstring): writes
/// the value and the rest to `out[0]`, `out[1]` and returns 1, or returns
/// 0 when the segment does not match.
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows; `seg`
/// points at [`SEGMENT_WORDS`] words and `out` at two writable words.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_bs_get(
    ctx: *mut ProcessContext,
    mctx: Term,
    seg: *const Term,
    out: *mut Term,
) -> u32 {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    // SAFETY: per the contract.
    let seg = unsafe { std::slice::from_raw_parts(seg, SEGMENT_WORDS) };
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| get_segment(m, mctx, seg)))
        .unwrap_or(None);
    match r {
        Some((v, rest)) => {
            // SAFETY: per the contract.
            unsafe {
                *out = v;
                *out.add(1) = rest;
            }
            1
        }
        None => 0,
    }
}

/// The bit size of a bitstring, or `u64::MAX` when `t` is not one (for
/// `bs_start_match` and `bs_test_tail`).
///
/// # Safety
/// `ctx` must be the context of a live process no one else borrows.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_bit_size(ctx: *mut ProcessContext, t: Term) -> u64 {
    // SAFETY: per the contract.
    let m = unsafe { ProcessMemory::from_context(ctx) };
    t.bits(m).map_or(u64::MAX, |v| v.bit_size as u64)
}

// ---------------------------------------------------------------------------
// Native executables.
//
// An object file made by `coral build` cannot hold addresses of things the
// runtime makes (atoms, literal areas, fun entries), so it carries a
// description of them, a [`NativeImage`], and its `main` calls
// [`coral_aot_main`], which rebuilds them in a fixed order before running
// the entry function:
//
// - atoms: compiled code holds atom words as immediates, computed for an
//   atom table holding the predefined atoms then `atoms` in order; startup
//   interns them in that order (and checks the indices came out so);
// - locations: stack-trace locations are numbered likewise;
// - literals: each module's literals as one external-term-format list,
//   rebuilt into a literal area whose term words go to slots that compiled
//   code loads;
// - fun entries and export-table words: slots too;
// - frame descriptors, keyed by code addresses from the code table (which
//   the linker fills in through relocations).

/// The first word of a program table: "CORAL" and the layout version (1).
pub const IMAGE_MAGIC: u64 = u64::from_le_bytes(*b"CORAL\x01\0\0");

/// Words of the program table an object file carries: the magic, then
/// (address, length) of the image bytes, the code table (words) and the
/// slot table (words).
pub const PROGRAM_WORDS: usize = 7;

/// A stack-trace location of the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLocation {
    pub module: String,
    pub function: String,
    pub arity: u32,
    pub file: Option<String>,
    pub line: u32,
}

/// A fun entry: its slot, identity and the code-table index of its closure
/// stub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFun {
    pub slot: u32,
    pub module: String,
    pub function: String,
    pub arity: u32,
    pub num_free: u32,
    pub index: u32,
    pub code: Option<u32>,
}

/// An export-table word: its slot and, when the program defines the
/// function, the code-table index of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageExport {
    pub slot: u32,
    pub module: String,
    pub function: String,
    pub arity: u32,
    pub code: Option<u32>,
}

/// A frame descriptor for the continuation at a code-table index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFrame {
    pub code: u32,
    pub size: u32,
    pub live: Vec<u32>,
    pub catches: Vec<u32>,
    pub location: u32,
}

/// The young heap, in words, that the program's first process starts
/// with: the size `process_info(self(), heap_size)` shows in the process
/// erl runs a program in (`erl -s M F` or `-eval`), which the boot grew
/// before the program started. Its minimum stays BEAM's default.
const MAIN_HEAP_SIZE: usize = 2586;
/// And its old generation, which that process also has from the boot
/// (`total_heap_size` 6771), so that its collections are minor ones.
const MAIN_OLD_HEAP_SIZE: usize = 4185;

/// A loaded module as `module_info` describes it: its exports and its
/// attributes (external term format).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageModule {
    pub name: String,
    pub exports: Vec<(String, u32)>,
    /// Every function, as `module_info(functions)` lists them.
    pub functions: Vec<(String, u32)>,
    pub attributes: Vec<u8>,
}

/// One module's literals: the first slot and the external term format of
/// the list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageLiterals {
    pub first_slot: u32,
    pub count: u32,
    pub etf: Vec<u8>,
}

/// Everything a native executable rebuilds at startup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NativeImage {
    /// Atoms beyond the predefined ones, in index order.
    pub atoms: Vec<String>,
    pub locations: Vec<ImageLocation>,
    pub literals: Vec<ImageLiterals>,
    pub funs: Vec<ImageFun>,
    pub exports: Vec<ImageExport>,
    pub modules: Vec<ImageModule>,
    pub frames: Vec<ImageFrame>,
    /// Code-table indices of the bottom continuation and the trampoline.
    pub done: u32,
    pub trampoline: u32,
    /// x registers compiled code uses.
    pub max_x: u32,
    /// The entry function and the code-table index of its resume stub.
    pub entry_module: String,
    pub entry_function: String,
    /// The entry function's arities, bit `n` for arity `n` (see
    /// [`entry_args`]).
    pub entry_arities: u32,
    /// Code-table indices of the apply and spawn continuations.
    pub apply: u32,
    pub spawn: u32,
}

/// Appends `NativeImage` fields as little-endian words and strings.
struct ImageWriter(Vec<u8>);

impl ImageWriter {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn opt(&mut self, v: Option<u32>) {
        self.u32(v.unwrap_or(u32::MAX));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn list(&mut self, v: &[u32]) {
        self.u32(v.len() as u32);
        for &x in v {
            self.u32(x);
        }
    }
}

/// Reads what [`ImageWriter`] wrote; `None` on a truncated or garbled
/// image.
struct ImageReader<'a>(&'a [u8]);

impl<'a> ImageReader<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (h, t) = self.0.split_first_chunk::<4>()?;
        self.0 = t;
        Some(u32::from_le_bytes(*h))
    }
    fn opt(&mut self) -> Option<Option<u32>> {
        let v = self.u32()?;
        Some((v != u32::MAX).then_some(v))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        if n > self.0.len() {
            return None;
        }
        let (h, t) = self.0.split_at(n);
        self.0 = t;
        Some(h)
    }
    fn str(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    fn list(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()? as usize;
        if n > self.0.len() / 4 {
            return None;
        }
        (0..n).map(|_| self.u32()).collect()
    }
    fn count(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        // Every element takes at least four bytes.
        (n <= self.0.len() / 4).then_some(n)
    }
}

impl NativeImage {
    /// The image as bytes, for the object file's read-only data.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = ImageWriter(Vec::new());
        w.u32(self.atoms.len() as u32);
        for a in &self.atoms {
            w.str(a);
        }
        w.u32(self.locations.len() as u32);
        for l in &self.locations {
            w.str(&l.module);
            w.str(&l.function);
            w.u32(l.arity);
            match &l.file {
                Some(f) => {
                    w.u32(1);
                    w.str(f);
                }
                None => w.u32(0),
            }
            w.u32(l.line);
        }
        w.u32(self.literals.len() as u32);
        for l in &self.literals {
            w.u32(l.first_slot);
            w.u32(l.count);
            w.bytes(&l.etf);
        }
        w.u32(self.funs.len() as u32);
        for f in &self.funs {
            w.u32(f.slot);
            w.str(&f.module);
            w.str(&f.function);
            w.u32(f.arity);
            w.u32(f.num_free);
            w.u32(f.index);
            w.opt(f.code);
        }
        w.u32(self.exports.len() as u32);
        for e in &self.exports {
            w.u32(e.slot);
            w.str(&e.module);
            w.str(&e.function);
            w.u32(e.arity);
            w.opt(e.code);
        }
        w.u32(self.modules.len() as u32);
        for m in &self.modules {
            w.str(&m.name);
            for list in [&m.exports, &m.functions] {
                w.u32(list.len() as u32);
                for (f, a) in list {
                    w.str(f);
                    w.u32(*a);
                }
            }
            w.bytes(&m.attributes);
        }
        w.u32(self.frames.len() as u32);
        for f in &self.frames {
            w.u32(f.code);
            w.u32(f.size);
            w.list(&f.live);
            w.list(&f.catches);
            w.u32(f.location);
        }
        w.u32(self.done);
        w.u32(self.trampoline);
        w.u32(self.max_x);
        w.str(&self.entry_module);
        w.str(&self.entry_function);
        w.u32(self.entry_arities);
        w.u32(self.apply);
        w.u32(self.spawn);
        w.0
    }

    /// Reads an image [`encode`](Self::encode) wrote; `None` if it is not one.
    pub fn decode(bytes: &[u8]) -> Option<NativeImage> {
        let mut r = ImageReader(bytes);
        let mut img = NativeImage::default();
        for _ in 0..r.count()? {
            img.atoms.push(r.str()?);
        }
        for _ in 0..r.count()? {
            let module = r.str()?;
            let function = r.str()?;
            let arity = r.u32()?;
            let file = match r.u32()? {
                0 => None,
                _ => Some(r.str()?),
            };
            let line = r.u32()?;
            img.locations.push(ImageLocation {
                module,
                function,
                arity,
                file,
                line,
            });
        }
        for _ in 0..r.count()? {
            img.literals.push(ImageLiterals {
                first_slot: r.u32()?,
                count: r.u32()?,
                etf: r.bytes()?.to_vec(),
            });
        }
        for _ in 0..r.count()? {
            img.funs.push(ImageFun {
                slot: r.u32()?,
                module: r.str()?,
                function: r.str()?,
                arity: r.u32()?,
                num_free: r.u32()?,
                index: r.u32()?,
                code: r.opt()?,
            });
        }
        for _ in 0..r.count()? {
            img.exports.push(ImageExport {
                slot: r.u32()?,
                module: r.str()?,
                function: r.str()?,
                arity: r.u32()?,
                code: r.opt()?,
            });
        }
        for _ in 0..r.count()? {
            let name = r.str()?;
            let mut lists = [Vec::new(), Vec::new()];
            for list in &mut lists {
                for _ in 0..r.count()? {
                    list.push((r.str()?, r.u32()?));
                }
            }
            let [exports, functions] = lists;
            let attributes = r.bytes()?.to_vec();
            img.modules.push(ImageModule {
                name,
                exports,
                functions,
                attributes,
            });
        }
        for _ in 0..r.count()? {
            img.frames.push(ImageFrame {
                code: r.u32()?,
                size: r.u32()?,
                live: r.list()?,
                catches: r.list()?,
                location: r.u32()?,
            });
        }
        img.done = r.u32()?;
        img.trampoline = r.u32()?;
        img.max_x = r.u32()?;
        img.entry_module = r.str()?;
        img.entry_function = r.str()?;
        img.entry_arities = r.u32()?;
        img.apply = r.u32()?;
        img.spawn = r.u32()?;
        r.0.is_empty().then_some(img)
    }
}

/// The program an executable's tables describe, installed in this runtime.
struct Installed {
    image: NativeImage,
    code: &'static [usize],
}

fn intern(name: &str) -> Result<Atom, String> {
    Atom::intern(name).map_err(|e| format!("atom {name:?}: {e:?}"))
}

/// Rebuilds atoms, locations, literals, fun entries, exports and frame
/// descriptors from `image`, writing the words compiled code loads into
/// `slots`.
fn install(
    image: NativeImage,
    code: &'static [usize],
    slots: &mut [u64],
) -> Result<Installed, String> {
    let code_at = |i: u32| -> Result<usize, String> {
        code.get(i as usize)
            .copied()
            .ok_or_else(|| format!("code index {i} out of range"))
    };
    let mut slot = |i: u32, v: u64| -> Result<(), String> {
        *slots
            .get_mut(i as usize)
            .ok_or_else(|| format!("slot {i} out of range"))? = v;
        Ok(())
    };
    let base = atom::predefined_count();
    for (i, name) in image.atoms.iter().enumerate() {
        let a = intern(name)?;
        if a.index() as usize != base + i {
            return Err(format!(
                "atom {name:?} got index {} where the code expects {}",
                a.index(),
                base + i
            ));
        }
    }
    let frames = global_frames();
    for (i, l) in image.locations.iter().enumerate() {
        let id = frames.add_location(crate::frame::CodeLocation {
            module: intern(&l.module)?,
            function: intern(&l.function)?,
            arity: l.arity,
            file: l.file.as_deref().map(std::sync::Arc::from),
            line: l.line,
        });
        if id.0 as usize != i {
            return Err(format!("location {i} got id {}", id.0));
        }
    }
    for l in &image.literals {
        let mut tmp = ProcessMemory::new();
        let list =
            crate::etf::binary_to_term(&mut tmp, &l.etf).map_err(|e| format!("literals: {e:?}"))?;
        let roots = bif::list_elements(&*tmp, list).ok_or("literals: not a list")?;
        if roots.len() != l.count as usize {
            return Err("literals: wrong count".to_string());
        }
        let (_area, copied) = crate::literal::LiteralArea::build(&tmp, &roots);
        for (i, t) in copied.iter().enumerate() {
            slot(l.first_slot + i as u32, t.raw())?;
        }
    }
    for f in &image.funs {
        let e = crate::fun::FunEntry::register(
            intern(&f.module)?,
            intern(&f.function)?,
            f.arity,
            f.num_free,
            f.index,
        );
        if let Some(c) = f.code {
            e.set_code(code_at(c)?);
        }
        slot(f.slot, e as *const crate::fun::FunEntry as u64)?;
    }
    for e in &image.exports {
        let addr = match e.code {
            Some(c) => code_at(c)?,
            None => 0,
        };
        slot(e.slot, addr as u64)?;
        if addr != 0 {
            register_export(intern(&e.module)?, intern(&e.function)?, e.arity, addr);
        }
    }
    for m in &image.modules {
        let atoms = |list: &[(String, u32)]| {
            list.iter()
                .map(|(f, a)| Ok((intern(f)?, *a)))
                .collect::<Result<Vec<_>, String>>()
        };
        crate::modules::register(
            intern(&m.name)?,
            crate::modules::ModuleInfo {
                exports: atoms(&m.exports)?,
                functions: atoms(&m.functions)?,
                attributes: m.attributes.clone(),
            },
        );
    }
    for f in &image.frames {
        let d =
            crate::frame::FrameDescriptor::new(f.size, &f.live, &f.catches, LocationId(f.location))
                .map_err(|e| format!("frame descriptor: {e}"))?;
        frames
            .register(code_at(f.code)?, d)
            .map_err(|e| format!("frame descriptor: {e}"))?;
    }
    Ok(Installed { image, code })
}

/// Runs a loaded program on a new runtime: the main process calls
/// `module:function()` (`args` is `None`) or `module:function(Args)` with
/// the arguments as strings, through `coral_boot:start/3` when the program
/// has it (the standard library's boot: the I/O server, then the call).
/// Returns when the runtime halts: the main process ended (status 0 for a
/// return, 1 for a crash, reported on stderr) or `halt` was called. The
/// environment variable `CORAL_SCHEDULERS=N` sets the number of scheduler
/// threads (default: one per core).
pub fn run_program(
    code: crate::process::code::CompiledCode,
    module: &str,
    function: &str,
    args: Option<&[Vec<u8>]>,
    config: crate::sched::Config,
    verify_heap: bool,
) -> Result<crate::sched::HaltRequest, String> {
    use crate::process::code;
    code::install(code);
    let m = intern(module)?;
    let f = intern(function)?;
    let boot = match (Atom::existing("coral_boot"), Atom::existing("start")) {
        (Some(b), Some(s)) if lookup_export(b, s, 3).is_some() => Some((b, s)),
        _ => None,
    };
    let opts = crate::process::SpawnOpts {
        initial_call: Some((m, f, u32::from(args.is_some()))),
        initial_heap_size: MAIN_HEAP_SIZE,
        initial_old_heap_size: MAIN_OLD_HEAP_SIZE,
        ..Default::default()
    };
    let mut config = config;
    // `CORAL_SCHEDULERS=N`: N scheduler threads (as erl's `+S N`).
    if let Some(n) = std::env::var("CORAL_SCHEDULERS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        config.schedulers = n;
    }
    let rt = crate::sched::Runtime::new(config);
    let mut failed = None;
    let req = rt.run_main_request(code::compiled_entry, &opts, |p| {
        let mem = &mut p.mem;
        if verify_heap {
            mem.set_verify(true);
        }
        let first: Vec<Term> = match args {
            Some(a) => vec![string_list(mem, a)],
            None => Vec::new(),
        };
        let arglist = mem.list(&first, Term::NIL);
        let r = match boot {
            Some((b, s)) => {
                let l = mem.list(&[Term::atom(m), Term::atom(f), arglist], Term::NIL);
                code::push_initial_call(mem, &code, Term::atom(b), Term::atom(s), l)
            }
            None => code::push_initial_call(mem, &code, Term::atom(m), Term::atom(f), arglist),
        };
        failed = r.err();
    });
    match failed {
        Some(e) => Err(e.to_string()),
        None => Ok(req),
    }
}

/// Command-line arguments as a list of Erlang strings.
pub fn string_list(p: &mut ProcessMemory, args: &[Vec<u8>]) -> Term {
    let mut l = Term::NIL;
    for a in args.iter().rev() {
        // Arguments are bytes; like `init:get_plain_arguments/0` on a UTF-8
        // system, a valid UTF-8 argument becomes its code points.
        let s = match std::str::from_utf8(a) {
            Ok(s) => bif_char_list(p, s),
            Err(_) => bif::byte_list(p, a, Term::NIL),
        };
        l = p.cons(s, l);
    }
    l
}

/// Installs the program and runs its entry; the exit status.
fn run_native(program: &[u64; PROGRAM_WORDS], args: &[Vec<u8>]) -> Result<i32, String> {
    if program[0] != IMAGE_MAGIC {
        return Err("the program table was made by another version of Coral".to_string());
    }
    // SAFETY: the object file's program table points at `len` bytes of
    // image, `len` code words and `len` writable slot words, all static and
    // touched by no one else before startup.
    let (image, code, slots) = unsafe {
        (
            std::slice::from_raw_parts(program[1] as *const u8, program[2] as usize),
            std::slice::from_raw_parts(program[3] as *const usize, program[4] as usize),
            std::slice::from_raw_parts_mut(program[5] as *mut u64, program[6] as usize),
        )
    };
    let image = NativeImage::decode(image).ok_or("the program's image is garbled")?;
    let prog = install(image, code, slots)?;
    let img = &prog.image;
    let addr = |i: u32| -> Result<usize, String> {
        prog.code
            .get(i as usize)
            .copied()
            .ok_or_else(|| format!("code index {i} out of range"))
    };
    let compiled = crate::process::code::CompiledCode {
        trampoline: addr(img.trampoline)?,
        done: addr(img.done)?,
        spawn: addr(img.spawn)?,
        apply: addr(img.apply)?,
        max_x: img.max_x as usize,
    };
    let args = entry_args(
        img.entry_arities,
        &img.entry_module,
        &img.entry_function,
        args,
    )?;
    let req = run_program(
        compiled,
        &img.entry_module,
        &img.entry_function,
        args,
        crate::sched::Config::default(),
        false,
    )?;
    req.terminate()
}

/// What an executable's entry function gets, given the arities it has
/// (bit `n` for arity `n`): `Some(args)` for `F/1`, run when arguments are
/// given or there is no `F/0`; `None` for `F/0`.
pub fn entry_args<'a>(
    arities: u32,
    module: &str,
    function: &str,
    args: &'a [Vec<u8>],
) -> Result<Option<&'a [Vec<u8>]>, String> {
    let (zero, one) = (arities & 1 != 0, arities & 2 != 0);
    match (zero, one) {
        (_, true) if !args.is_empty() || !zero => Ok(Some(args)),
        (true, _) if args.is_empty() => Ok(None),
        (true, _) => Err(format!(
            "{module}:{function}/0 takes no arguments, and there is no {module}:{function}/1 to give them to"
        )),
        _ => Err(format!(
            "no {module}:{function}/0 or {module}:{function}/1 to start"
        )),
    }
}

/// The `main` of a native executable: its generated C `main` passes the
/// program table of the object file. Runs the entry function in one
/// process and returns the exit status: 0 when it returns, 1 after an
/// uncaught exception (reported on stderr), 2 when the runtime could not
/// start the program or broke an invariant (also reported).
///
/// # Safety
/// `argv` must hold `argc` C strings, as C's `main` gets them, and
/// `program` the program table of the calling executable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_aot_main(
    argc: i32,
    argv: *const *const std::ffi::c_char,
    program: *const [u64; PROGRAM_WORDS],
) -> i32 {
    let args: Vec<Vec<u8>> = (1..argc.max(0) as usize)
        .map(|i| {
            // SAFETY: per the contract, `argv[i]` is a C string for i < argc.
            unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) }
                .to_bytes()
                .to_vec()
        })
        .collect();
    // SAFETY: per the contract.
    let program = unsafe { &*program };
    match std::panic::catch_unwind(|| run_native(program, &args)) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            eprintln!("coral runtime: {e}");
            2
        }
        Err(_) => {
            eprintln!("coral runtime: internal error (a panic)");
            2
        }
    }
}

#[cfg(test)]
mod image_tests {
    use super::*;

    fn sample() -> NativeImage {
        NativeImage {
            atoms: vec!["hello".to_string(), "wörld".to_string()],
            locations: vec![
                ImageLocation {
                    module: "m".to_string(),
                    function: "f".to_string(),
                    arity: 2,
                    file: Some("m.erl".to_string()),
                    line: 7,
                },
                ImageLocation {
                    module: "m".to_string(),
                    function: "g".to_string(),
                    arity: 0,
                    file: None,
                    line: 0,
                },
            ],
            literals: vec![ImageLiterals {
                first_slot: 0,
                count: 1,
                etf: vec![131, 106],
            }],
            funs: vec![ImageFun {
                slot: 1,
                module: "m".to_string(),
                function: "-f/2-fun-0-".to_string(),
                arity: 1,
                num_free: 2,
                index: 0,
                code: Some(3),
            }],
            exports: vec![ImageExport {
                slot: 2,
                module: "m".to_string(),
                function: "f".to_string(),
                arity: 2,
                code: None,
            }],
            modules: vec![ImageModule {
                name: "m".to_string(),
                exports: vec![("f".to_string(), 2)],
                functions: vec![("f".to_string(), 2), ("-f/2-fun-0-".to_string(), 1)],
                attributes: vec![131, 106],
            }],
            frames: vec![ImageFrame {
                code: 1,
                size: 3,
                live: vec![0, 2],
                catches: vec![1],
                location: u32::MAX,
            }],
            done: 0,
            trampoline: 1,
            max_x: 5,
            entry_module: "m".to_string(),
            entry_function: "main".to_string(),
            entry_arities: 0b11,
            apply: 2,
            spawn: 0,
        }
    }

    #[test]
    fn an_image_reads_back_as_written() {
        let img = sample();
        assert_eq!(NativeImage::decode(&img.encode()), Some(img));
        let empty = NativeImage::default();
        assert_eq!(NativeImage::decode(&empty.encode()), Some(empty));
    }

    #[test]
    fn a_truncated_or_padded_image_is_refused() {
        let bytes = sample().encode();
        for n in 0..bytes.len() {
            assert_eq!(NativeImage::decode(&bytes[..n]), None, "{n} bytes");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(NativeImage::decode(&long), None);
        // A count far beyond the bytes left is refused without allocating.
        let mut huge = bytes;
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(NativeImage::decode(&huge), None);
    }

    #[test]
    fn the_magic_spells_coral_and_a_version() {
        assert_eq!(&IMAGE_MAGIC.to_le_bytes()[..6], b"CORAL\x01");
    }
}
