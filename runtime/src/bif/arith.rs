//! Arithmetic BIFs: the operators `+ - * / div rem band bor bxor bnot bsl
//! bsr` and unary `-` and `+`, and the numeric BIFs `abs float trunc round
//! floor ceil`, as terms in and terms out over [`crate::number`], which holds
//! BEAM's semantics. (`max/2` and `min/2` order any terms, so they live with
//! the comparisons.)
//!
//! This module does the term side only: it unpacks an immediate small, a
//! boxed bignum or a boxed float into a [`Number`], and packs a result back
//! as a small when it fits, else as a heap bignum or float. A non-number
//! argument raises what BEAM raises (OTP 25, checked with `erl`): `badarith`
//! for an operator (`erlang:'+'(a, 1)`, `erlang:'-'(a)`, `bnot 1.0`), `badarg`
//! for a BIF (`abs(a)`, `float(a)`, `trunc("1")`).
//!
//! # Entry points for compiled code
//!
//! Compiled code does the common case of an operator inline (two smalls whose
//! result is a small; float operations on unboxed floats) and calls one of
//! the `coral_arith_*` functions below for everything else: an overflow into
//! a bignum, a bignum or boxed float operand, a zero divisor, a non-number.
//! They take the operands in registers, with no argument array and no table
//! dispatch, which [`super::coral_call_bif`] (also correct for these BIFs,
//! through their table index) would need. Their contract is the same as
//! `coral_call_bif`'s: the result term, or `NON_VALUE` with the exception in
//! `*exc`; no Rust panic unwinds out of them; no garbage collection happens,
//! so the caller's terms stay where they are, though `htop` may move.

use super::{Bif, BifResult, Exception, ExceptionSlot};
use crate::heap::{ProcessContext, ProcessMemory, ibig_from_limbs};
use crate::number::{self, NumResult, Number, NumberError};
use crate::term::Term;
use dashu_int::Sign;

/// The number `t` holds, or `None` when it is not a number.
pub(crate) fn number_of(p: &ProcessMemory, t: Term) -> Option<Number> {
    if let Some(v) = t.small_value() {
        return Some(Number::Small(v));
    }
    if let Some(f) = t.float_value(p) {
        return Some(Number::Float(f));
    }
    let b = t.bignum(p)?;
    let value = ibig_from_limbs(b.negative, b.limbs);
    // A heap bignum lies outside the small range, but a bignum decoded from
    // elsewhere need not: normalise, as `Number`'s equality relies on it.
    Some(match i64::try_from(&value) {
        Ok(v) => Number::from_i64(v),
        Err(_) => Number::Big(value),
    })
}

/// `n` as a term: an immediate small when it fits, else boxed on the heap.
pub(crate) fn term_of(p: &mut ProcessMemory, n: &Number) -> Term {
    match n {
        Number::Small(v) => p.int(*v),
        Number::Big(b) => p.integer(b),
        Number::Float(f) => p.float(*f),
    }
}

/// The exception BEAM raises for a failed number operation.
pub(crate) fn raise(e: NumberError) -> Exception {
    match e {
        NumberError::Badarith => Exception::badarith(),
        NumberError::Badarg => Exception::badarg(),
        NumberError::SystemLimit => Exception::system_limit(),
    }
}

fn finish(p: &mut ProcessMemory, r: NumResult) -> BifResult {
    let n = r.map_err(raise)?;
    Ok(term_of(p, &n))
}

/// An operator's operand: a number, or `badarith`.
fn operand(p: &ProcessMemory, t: Term) -> Result<Number, Exception> {
    number_of(p, t).ok_or_else(Exception::badarith)
}

/// A numeric BIF's argument: a number, or `badarg`.
fn argument(p: &ProcessMemory, t: Term) -> Result<Number, Exception> {
    number_of(p, t).ok_or_else(Exception::badarg)
}

fn binary_op(
    p: &mut ProcessMemory,
    a: &[Term],
    op: fn(&Number, &Number) -> NumResult,
) -> BifResult {
    let x = operand(p, a[0])?;
    let y = operand(p, a[1])?;
    finish(p, op(&x, &y))
}

/// Whether `t` is an integer (small or bignum), which the rounding BIFs
/// return unchanged.
fn is_integer(p: &ProcessMemory, t: Term) -> bool {
    t.is_small() || t.bignum(p).is_some()
}

/// `trunc`, `round`, `floor` and `ceil`: the argument itself when it is an
/// integer (no copy of a bignum), else the float rounded.
fn rounding(p: &mut ProcessMemory, a: &[Term], op: fn(&Number) -> NumResult) -> BifResult {
    if is_integer(p, a[0]) {
        return Ok(a[0]);
    }
    let x = argument(p, a[0])?;
    finish(p, op(&x))
}

/// `A + B`.
pub fn add(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::add)
}

/// `A - B`.
pub fn sub(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::sub)
}

/// `A * B`.
pub fn mul(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::mul)
}

/// `A / B`, always a float.
pub fn fdiv(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::fdiv)
}

/// `A div B`.
pub fn int_div(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::int_div)
}

/// `A rem B`.
pub fn rem(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::rem)
}

/// `A band B`.
pub fn band(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::band)
}

/// `A bor B`.
pub fn bor(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::bor)
}

/// `A bxor B`.
pub fn bxor(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::bxor)
}

/// `A bsl B`.
pub fn bsl(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::bsl)
}

/// `A bsr B`.
pub fn bsr(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    binary_op(p, a, number::bsr)
}

/// `bnot A`.
pub fn bnot(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let x = operand(p, a[0])?;
    finish(p, number::bnot(&x))
}

/// Unary `-A`.
pub fn neg(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let x = operand(p, a[0])?;
    finish(p, number::neg(&x))
}

/// Unary `+A`: any number unchanged (`+(-0.0)` is `-0.0`), `badarith` for
/// anything else.
pub fn plus(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    operand(p, a[0]).map(|_| a[0])
}

/// `abs/1`. A number that is not below zero comes back as it is, `-0.0`
/// included (BEAM negates only values below zero).
pub fn abs(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let x = argument(p, a[0])?;
    let below_zero = match &x {
        Number::Small(v) => *v < 0,
        Number::Big(b) => b.sign() == Sign::Negative,
        Number::Float(f) => *f < 0.0,
    };
    if !below_zero {
        return Ok(a[0]);
    }
    finish(p, number::abs(&x))
}

/// `float/1`; an integer too large for a float is `badarg`.
pub fn float(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let x = argument(p, a[0])?;
    if x.is_float() {
        return Ok(a[0]);
    }
    finish(p, number::float(&x))
}

/// `trunc/1`.
pub fn trunc(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    rounding(p, a, number::trunc)
}

/// `round/1`: half away from zero.
pub fn round(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    rounding(p, a, number::round)
}

/// `floor/1`.
pub fn floor(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    rounding(p, a, number::floor)
}

/// `ceil/1`.
pub fn ceil(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    rounding(p, a, number::ceil)
}

// ---------------------------------------------------------------------------
// Entry points for compiled code.

/// Runs `bif` on `args` for compiled code: catches a panic (reported as
/// `badarg`, as [`super::coral_call_bif`] does) and writes an exception to
/// `*exc`, returning `NON_VALUE` for it.
///
/// # Safety
/// As for the `coral_arith_*` functions.
unsafe fn enter(
    ctx: *mut ProcessContext,
    args: &[Term],
    exc: *mut ExceptionSlot,
    bif: Bif,
) -> Term {
    // SAFETY: the caller passes the context of a live, unborrowed process.
    let p = unsafe { ProcessMemory::from_context(ctx) };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bif(p, args)))
        .unwrap_or_else(|_| Err(Exception::badarg()));
    match outcome {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: the caller passes a slot valid for a write.
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

macro_rules! binary_entries {
    ($($(#[$doc:meta])* $name:ident => $bif:path;)*) => {$(
        $(#[$doc])*
        ///
        /// Returns the result, or `NON_VALUE` after writing the exception to
        /// `*exc`; see the module documentation.
        ///
        /// # Safety
        /// `ctx` must be the context of a live process no one else borrows
        /// (as `ProcessMemory::context_ptr` gives it), `a` and `b` terms of
        /// that process, and `exc` valid for a write.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            ctx: *mut ProcessContext,
            a: Term,
            b: Term,
            exc: *mut ExceptionSlot,
        ) -> Term {
            // SAFETY: the caller keeps this function's contract, which is
            // `enter`'s.
            unsafe { enter(ctx, &[a, b], exc, $bif) }
        }
    )*};
}

macro_rules! unary_entries {
    ($($(#[$doc:meta])* $name:ident => $bif:path;)*) => {$(
        $(#[$doc])*
        ///
        /// Returns the result, or `NON_VALUE` after writing the exception to
        /// `*exc`; see the module documentation.
        ///
        /// # Safety
        /// `ctx` must be the context of a live process no one else borrows
        /// (as `ProcessMemory::context_ptr` gives it), `a` a term of that
        /// process, and `exc` valid for a write.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            ctx: *mut ProcessContext,
            a: Term,
            exc: *mut ExceptionSlot,
        ) -> Term {
            // SAFETY: the caller keeps this function's contract, which is
            // `enter`'s.
            unsafe { enter(ctx, &[a], exc, $bif) }
        }
    )*};
}

binary_entries! {
    /// `A + B` for compiled code.
    coral_arith_add => add;
    /// `A - B` for compiled code.
    coral_arith_sub => sub;
    /// `A * B` for compiled code.
    coral_arith_mul => mul;
    /// `A / B` for compiled code.
    coral_arith_fdiv => fdiv;
    /// `A div B` for compiled code.
    coral_arith_div => int_div;
    /// `A rem B` for compiled code.
    coral_arith_rem => rem;
    /// `A band B` for compiled code.
    coral_arith_band => band;
    /// `A bor B` for compiled code.
    coral_arith_bor => bor;
    /// `A bxor B` for compiled code.
    coral_arith_bxor => bxor;
    /// `A bsl B` for compiled code.
    coral_arith_bsl => bsl;
    /// `A bsr B` for compiled code.
    coral_arith_bsr => bsr;
}

unary_entries! {
    /// Unary `-A` for compiled code.
    coral_arith_neg => neg;
    /// `bnot A` for compiled code.
    coral_arith_bnot => bnot;
}

/// The `coral_arith_*` entry points by symbol name, for a JIT to define them
/// (a native executable links them from the runtime library by name).
pub fn entry_points() -> [(&'static str, *const u8); 13] {
    [
        ("coral_arith_add", coral_arith_add as *const u8),
        ("coral_arith_sub", coral_arith_sub as *const u8),
        ("coral_arith_mul", coral_arith_mul as *const u8),
        ("coral_arith_fdiv", coral_arith_fdiv as *const u8),
        ("coral_arith_div", coral_arith_div as *const u8),
        ("coral_arith_rem", coral_arith_rem as *const u8),
        ("coral_arith_band", coral_arith_band as *const u8),
        ("coral_arith_bor", coral_arith_bor as *const u8),
        ("coral_arith_bxor", coral_arith_bxor as *const u8),
        ("coral_arith_bsl", coral_arith_bsl as *const u8),
        ("coral_arith_bsr", coral_arith_bsr as *const u8),
        ("coral_arith_neg", coral_arith_neg as *const u8),
        ("coral_arith_bnot", coral_arith_bnot as *const u8),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atom;
    use crate::number::{SMALL_MAX, SMALL_MIN};
    use crate::term::TermKind;
    use dashu_int::IBig;

    fn small(v: i64) -> Term {
        Term::small(v).expect("a small")
    }

    fn big(p: &mut ProcessMemory, v: &IBig) -> Term {
        let t = p.integer(v);
        assert_eq!(t.kind(&*p), TermKind::BigInt, "{v} is a bignum");
        t
    }

    fn value(p: &ProcessMemory, t: Term) -> IBig {
        t.integer_value(p).expect("an integer")
    }

    #[test]
    fn small_overflow_becomes_a_bignum() {
        let mut p = ProcessMemory::new();
        let r = add(&mut p, &[small(SMALL_MAX), small(1)]).unwrap();
        assert_eq!(r.kind(&*p), TermKind::BigInt);
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));

        let r = sub(&mut p, &[small(SMALL_MIN), small(1)]).unwrap();
        assert_eq!(r.kind(&*p), TermKind::BigInt);
        assert_eq!(value(&p, r), IBig::from(-(1i64 << 59) - 1));

        let r = neg(&mut p, &[small(SMALL_MIN)]).unwrap();
        assert_eq!(r.kind(&*p), TermKind::BigInt);
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));

        let r = abs(&mut p, &[small(SMALL_MIN)]).unwrap();
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));

        let r = mul(&mut p, &[small(SMALL_MAX), small(SMALL_MAX)]).unwrap();
        assert_eq!(value(&p, r), IBig::from(SMALL_MAX) * IBig::from(SMALL_MAX));

        let r = bsl(&mut p, &[small(1), small(59)]).unwrap();
        assert_eq!(r.kind(&*p), TermKind::BigInt);
        let r = bsl(&mut p, &[small(1), small(58)]).unwrap();
        assert_eq!(r, small(1 << 58));

        // The largest results that still fit stay immediate.
        assert_eq!(
            add(&mut p, &[small(SMALL_MAX - 1), small(1)]),
            Ok(small(SMALL_MAX))
        );
        assert_eq!(
            sub(&mut p, &[small(SMALL_MIN + 1), small(1)]),
            Ok(small(SMALL_MIN))
        );
        assert_eq!(bnot(&mut p, &[small(SMALL_MAX)]), Ok(small(SMALL_MIN)));
    }

    #[test]
    fn bignum_results_that_fit_become_smalls() {
        let mut p = ProcessMemory::new();
        let two59 = big(&mut p, &IBig::from(1i64 << 59));
        assert_eq!(sub(&mut p, &[two59, small(1)]), Ok(small(SMALL_MAX)));
        assert_eq!(add(&mut p, &[two59, small(-1)]), Ok(small(SMALL_MAX)));
        assert_eq!(int_div(&mut p, &[two59, small(2)]), Ok(small(1 << 58)));
        assert_eq!(int_div(&mut p, &[two59, two59]), Ok(small(1)));
        assert_eq!(rem(&mut p, &[two59, small(7)]), Ok(small((1i64 << 59) % 7)));
        assert_eq!(bsr(&mut p, &[two59, small(1)]), Ok(small(1 << 58)));
        let r = band(&mut p, &[two59, small(-1)]).unwrap();
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));
        assert_eq!(bxor(&mut p, &[two59, two59]), Ok(small(0)));
        assert_eq!(
            bor(&mut p, &[two59, small(1)]).map(|t| t.is_small()),
            Ok(false)
        );

        let below = big(&mut p, &IBig::from(-(1i64 << 59) - 1));
        assert_eq!(add(&mut p, &[below, small(1)]), Ok(small(SMALL_MIN)));
        assert_eq!(neg(&mut p, &[two59]), Ok(small(SMALL_MIN)));
        assert_eq!(trunc(&mut p, &[below]), Ok(below));

        let huge = big(&mut p, &(IBig::from(1u8) << 200));
        let r = sub(&mut p, &[huge, huge]).unwrap();
        assert_eq!(r, small(0));
        let r = mul(&mut p, &[huge, small(0)]).unwrap();
        assert_eq!(r, small(0));
        // A float result is boxed whatever its value.
        let r = fdiv(&mut p, &[huge, huge]).unwrap();
        assert_eq!(r.float_value(&*p), Some(1.0));
    }

    #[test]
    fn argument_errors_are_badarith_for_operators_and_badarg_for_bifs() {
        let mut p = ProcessMemory::new();
        let a = Term::atom(atom::OK);
        let badarith = Err(Exception::badarith());
        let badarg = Err(Exception::badarg());
        for op in [add, sub, mul, fdiv, int_div, rem, band, bor, bxor, bsl, bsr] {
            assert_eq!(op(&mut p, &[a, small(1)]), badarith);
            assert_eq!(op(&mut p, &[small(1), a]), badarith);
        }
        for op in [neg, plus, bnot] {
            assert_eq!(op(&mut p, &[a]), badarith);
        }
        for op in [abs, float, trunc, round, floor, ceil] {
            assert_eq!(op(&mut p, &[a]), badarg);
            assert_eq!(op(&mut p, &[Term::NIL]), badarg);
        }
        let f = p.float(1.5);
        assert_eq!(int_div(&mut p, &[f, small(1)]), badarith);
        assert_eq!(bnot(&mut p, &[f]), badarith);
        assert_eq!(fdiv(&mut p, &[small(1), small(0)]), badarith);
        let z = p.float(-0.0);
        assert_eq!(fdiv(&mut p, &[small(1), z]), badarith);
        assert_eq!(rem(&mut p, &[small(1), small(0)]), badarith);
        let too_big = big(&mut p, &(IBig::from(1u8) << 1100));
        assert_eq!(float(&mut p, &[too_big]), badarg);
        assert_eq!(fdiv(&mut p, &[too_big, small(1)]), badarith);
        assert_eq!(
            bsl(&mut p, &[small(1), small(1 << 40)]),
            Err(Exception::system_limit())
        );
    }

    #[test]
    fn product_past_the_bignum_limit_is_system_limit() {
        let mut p = ProcessMemory::new();
        let x = big(&mut p, &(IBig::from(1u8) << 20_000_000));
        assert_eq!(mul(&mut p, &[x, x]), Err(Exception::system_limit()));
        let y = big(&mut p, &(IBig::from(1u8) << (number::MAX_BIG_BITS - 1)));
        assert_eq!(add(&mut p, &[y, y]), Err(Exception::system_limit()));
        assert_eq!(
            sub(&mut p, &[y, small(1)]).map(|t| t.kind(&*p)),
            Ok(TermKind::BigInt)
        );
    }

    #[test]
    fn unchanged_arguments_are_returned_as_they_are() {
        let mut p = ProcessMemory::new();
        let b = big(&mut p, &(IBig::from(3u8) << 100));
        for op in [trunc, round, floor, ceil, abs, plus] {
            assert_eq!(op(&mut p, &[b]), Ok(b));
        }
        let f = p.float(2.5);
        assert_eq!(float(&mut p, &[f]), Ok(f));
        assert_eq!(abs(&mut p, &[f]), Ok(f));
        let nz = p.float(-0.0);
        // BEAM negates only values below zero: abs(-0.0) is -0.0.
        assert_eq!(abs(&mut p, &[nz]), Ok(nz));
        assert_eq!(plus(&mut p, &[nz]), Ok(nz));
        let r = neg(&mut p, &[nz]).unwrap();
        assert_eq!(r.float_value(&*p).map(f64::to_bits), Some(0.0f64.to_bits()));
        let r = round(&mut p, &[f]).unwrap();
        assert_eq!(r, small(3));
        let m = p.float(-2.5);
        let r = abs(&mut p, &[m]).unwrap();
        assert_eq!(r.float_value(&*p), Some(2.5));
    }

    #[test]
    fn table_holds_every_arithmetic_bif() {
        for (name, arity) in [
            ("+", 2),
            ("-", 2),
            ("*", 2),
            ("/", 2),
            ("div", 2),
            ("rem", 2),
            ("band", 2),
            ("bor", 2),
            ("bxor", 2),
            ("bsl", 2),
            ("bsr", 2),
            ("bnot", 1),
            ("-", 1),
            ("+", 1),
            ("abs", 1),
            ("float", 1),
            ("trunc", 1),
            ("round", 1),
            ("floor", 1),
            ("ceil", 1),
            ("max", 2),
            ("min", 2),
        ] {
            assert!(
                super::super::lookup("erlang", name, arity).is_some(),
                "erlang:{name}/{arity}"
            );
        }
    }

    #[test]
    fn extern_entries_return_results_and_report_exceptions() {
        let mut p = ProcessMemory::new();
        let mut slot = ExceptionSlot {
            class: 99,
            reason: Term::NIL,
        };
        let ctx = p.context_ptr();
        // SAFETY: `ctx` is the live process above, the operands are
        // immediates, and `slot` is writable.
        let r = unsafe { coral_arith_add(ctx, small(SMALL_MAX), small(1), &mut slot) };
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));
        assert_eq!(slot.class, 99, "no exception written on success");
        let ctx = p.context_ptr();
        // SAFETY: as above.
        let r = unsafe { coral_arith_div(ctx, small(1), small(0), &mut slot) };
        assert!(r.is_non_value());
        assert_eq!(slot.class, super::super::Class::Error as u64);
        assert_eq!(slot.reason, Term::atom(atom::BADARITH));
        let ctx = p.context_ptr();
        // SAFETY: as above.
        let r = unsafe { coral_arith_neg(ctx, small(SMALL_MIN), &mut slot) };
        assert_eq!(value(&p, r), IBig::from(1i64 << 59));
        let ctx = p.context_ptr();
        // SAFETY: as above.
        let r = unsafe { coral_arith_bnot(ctx, Term::NIL, &mut slot) };
        assert!(r.is_non_value());
        assert_eq!(slot.reason, Term::atom(atom::BADARITH));
        let names: Vec<&str> = entry_points().iter().map(|(n, _)| *n).collect();
        assert!(names.contains(&"coral_arith_bsr"));
        assert!(entry_points().iter().all(|(_, f)| !f.is_null()));
    }
}
