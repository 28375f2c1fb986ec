//! Entry points that compiled code calls besides the BIF table and the
//! collector: the BIFs the table does not have yet (`erlang:display/1`, the
//! arithmetic operators, `error`/`throw`/`exit`), raising exceptions by
//! walking the process stack to the nearest catch frame, building stack
//! traces, and the export registry that dynamic calls (`apply`, `fun M:F/A`)
//! resolve through.
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
use crate::frame::{LocationId, global_frames, walk_frames};
use crate::heap::{ProcessContext, ProcessMemory};
use crate::number::{self, Number, NumberError};
use crate::term::Term;
use std::collections::HashMap;
use std::io::Write;
use std::sync::RwLock;

/// Indices at or above this bit select [`extra_table`] instead of the
/// runtime's BIF table.
pub const EXTRA_BIF_BIT: u32 = 1 << 31;

/// How many stack-trace entries a raise records (BEAM's default
/// `backtrace_depth`).
pub const BACKTRACE_DEPTH: usize = 8;

macro_rules! extra_table {
    ($($m:literal : $n:literal / $a:literal => $f:path,)*) => {
        static EXTRA: &[bif::BifEntry] = &[
            $(bif::BifEntry { module: $m, name: $n, arity: $a, fun: $f },)*
        ];
    };
}

extra_table! {
    "erlang":"display"/1 => display,
    "erlang":"+"/2 => add,
    "erlang":"-"/2 => sub,
    "erlang":"*"/2 => mul,
    "erlang":"/"/2 => fdiv,
    "erlang":"div"/2 => int_div,
    "erlang":"rem"/2 => rem,
    "erlang":"band"/2 => band,
    "erlang":"bor"/2 => bor,
    "erlang":"bxor"/2 => bxor,
    "erlang":"bsl"/2 => bsl,
    "erlang":"bsr"/2 => bsr,
    "erlang":"bnot"/1 => bnot,
    "erlang":"-"/1 => neg,
    "erlang":"+"/1 => plus,
    "erlang":"abs"/1 => abs,
    "erlang":"float"/1 => float,
    "erlang":"trunc"/1 => trunc,
    "erlang":"round"/1 => round,
    "erlang":"floor"/1 => floor,
    "erlang":"ceil"/1 => ceil,
    "erlang":"error"/1 => error_1,
    "erlang":"error"/2 => error_2,
    "erlang":"throw"/1 => throw_1,
    "erlang":"exit"/1 => exit_1,
}

/// The BIFs this module adds to the runtime's table.
pub fn extra_table() -> &'static [bif::BifEntry] {
    EXTRA
}

/// The index compiled code passes to [`coral_jit_call_bif`] for
/// `module:name/arity`: the runtime table's own index when it has the
/// function, else an index into [`extra_table`] marked by
/// [`EXTRA_BIF_BIT`].
pub fn bif_index(module: &str, name: &str, arity: usize) -> Option<u32> {
    if let Some(i) = bif::index_of(module, name, arity) {
        return u32::try_from(i).ok().filter(|i| i & EXTRA_BIF_BIT == 0);
    }
    EXTRA
        .iter()
        .position(|e| e.module == module && e.name == name && e.arity as usize == arity)
        .map(|i| i as u32 | EXTRA_BIF_BIT)
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
    if index & EXTRA_BIF_BIT == 0 {
        // SAFETY: the same contract.
        return unsafe { bif::coral_call_bif(ctx, index, args, nargs, exc) };
    }
    // SAFETY: the caller passes the context of a live, unborrowed process.
    let p = unsafe { ProcessMemory::from_context(ctx) };
    let args: &[Term] = if nargs == 0 {
        &[]
    } else {
        // SAFETY: the caller passes `nargs` valid terms at `args`.
        unsafe { std::slice::from_raw_parts(args, nargs as usize) }
    };
    let entry = EXTRA.get((index & !EXTRA_BIF_BIT) as usize);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match entry {
        Some(e) if e.arity as usize == args.len() => (e.fun)(p, args),
        _ => Err(Exception::badarg()),
    }))
    .unwrap_or_else(|_| Err(Exception::badarg()));
    match outcome {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: the caller passes a writable slot.
            unsafe {
                *exc = ExceptionSlot {
                    class: e.class as u64,
                    reason: e.reason,
                }
            };
            Term::NON_VALUE
        }
    }
}

// ---------------------------------------------------------------------------
// The extra BIFs.

fn display(p: &mut ProcessMemory, args: &[Term]) -> bif::BifResult {
    let mut bytes = crate::display::display(args[0], p);
    // `erl -noshell` ends the line with CR LF whatever stdout is; match it
    // byte for byte.
    bytes.extend_from_slice(b"\r\n");
    let mut out = std::io::stdout().lock();
    // A closed stdout is not the program's error: BEAM ignores it too.
    let _ = out.write_all(&bytes).and_then(|_| out.flush());
    Ok(Term::atom(atom::TRUE))
}

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

fn number_term(p: &mut ProcessMemory, n: Number) -> Term {
    match n {
        Number::Small(v) => p.int(v),
        Number::Big(b) => p.integer(&b),
        Number::Float(f) => p.float(f),
    }
}

fn number_error(e: NumberError) -> Exception {
    match e {
        NumberError::Badarith => Exception::badarith(),
        NumberError::Badarg => Exception::badarg(),
        NumberError::SystemLimit => Exception::system_limit(),
    }
}

/// An operator: `badarith` on a non-number.
fn arith2(
    p: &mut ProcessMemory,
    args: &[Term],
    op: fn(&Number, &Number) -> number::NumResult,
) -> bif::BifResult {
    let (Some(a), Some(b)) = (number_of(p, args[0]), number_of(p, args[1])) else {
        return Err(Exception::badarith());
    };
    let r = op(&a, &b).map_err(number_error)?;
    Ok(number_term(p, r))
}

/// A one-argument number function; `bad` is raised on a non-number.
fn arith1(
    p: &mut ProcessMemory,
    args: &[Term],
    bad: Exception,
    op: fn(&Number) -> number::NumResult,
) -> bif::BifResult {
    let Some(a) = number_of(p, args[0]) else {
        return Err(bad);
    };
    let r = op(&a).map_err(number_error)?;
    Ok(number_term(p, r))
}

fn add(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::add)
}
fn sub(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::sub)
}
fn mul(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::mul)
}
fn fdiv(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::fdiv)
}
fn int_div(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::int_div)
}
fn rem(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::rem)
}
fn band(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::band)
}
fn bor(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::bor)
}
fn bxor(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::bxor)
}
fn bsl(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::bsl)
}
fn bsr(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith2(p, a, number::bsr)
}
fn bnot(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarith(), number::bnot)
}
fn neg(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarith(), number::neg)
}
fn plus(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarith(), |n| Ok(n.clone()))
}
fn abs(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::abs)
}
fn float(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::float)
}
fn trunc(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::trunc)
}
fn round(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::round)
}
fn floor(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::floor)
}
fn ceil(p: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    arith1(p, a, Exception::badarg(), number::ceil)
}

fn error_1(_: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    Err(Exception::error(a[0]))
}
fn error_2(_: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    Err(Exception::error(a[0]))
}
fn throw_1(_: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    Err(Exception::throw(a[0]))
}
fn exit_1(_: &mut ProcessMemory, a: &[Term]) -> bif::BifResult {
    Err(Exception::exit(a[0]))
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
fn fresh_trace(m: &mut ProcessMemory, class: Class, loc: u32, args: Option<Term>) -> Term {
    let (_, callers) = find_handler(m);
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
        let raw = fresh_trace(m, Class::Error, loc, args);
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
    guarded(|| {
        let arglist = m.list(&args, Term::NIL);
        let first = m.tuple(&[module, name, arglist, Term::NIL]);
        let (_, callers) = find_handler(m);
        let mut entries: Vec<Term> = first.into_iter().collect();
        let _ = loc;
        for l in callers {
            if entries.len() >= BACKTRACE_DEPTH {
                break;
            }
            if let Some(e) = trace_entry(m, l, None) {
                entries.push(e);
            }
        }
        let list = m.list(&entries, Term::NIL);
        let raw = m
            .tuple(&[Term::atom(atom::ERROR), list])
            .unwrap_or(Term::NIL);
        deliver(m, Class::Error, Term::atom(atom::UNDEF), raw)
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

/// The code address of a fun's function (its closure entry stub).
///
/// # Safety
/// `entry` must point at a registered [`crate::fun::FunEntry`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn coral_jit_fun_code(entry: *const crate::fun::FunEntry) -> usize {
    // SAFETY: per the contract; entries are never freed.
    unsafe { (*entry).code() }
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
            let first = m.tuple(&[Term::atom(md), Term::atom(f), arglist, Term::NIL]);
            let (_, callers) = find_handler(m);
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
            let raw = m
                .tuple(&[Term::atom(atom::ERROR), list])
                .unwrap_or(Term::NIL);
            return deliver(m, Class::Error, Term::atom(atom::UNDEF), raw);
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
                let bytes = match (bits, s.little) {
                    (64, false) => f.to_be_bytes().to_vec(),
                    (64, true) => f.to_le_bytes().to_vec(),
                    (32, false) => (f as f32).to_be_bytes().to_vec(),
                    (32, true) => (f as f32).to_le_bytes().to_vec(),
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
