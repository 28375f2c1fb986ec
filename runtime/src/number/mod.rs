//! Erlang numbers as values: small integers, bignums and floats, with the
//! arithmetic, comparison and text conversions of BEAM (OTP 25).
//!
//! This module knows nothing about how terms are laid out in memory. The term
//! layer unpacks an immediate small integer, a boxed bignum or a boxed float
//! into a [`Number`], calls the operation here, and packs the result back. An
//! operation never panics on any input; it returns the BEAM error reason that
//! the instruction or BIF raises ([`NumberError`]).
//!
//! Type errors on non-numbers are the caller's to raise, because only it sees
//! the terms: an arithmetic operator (`+ - * / div rem band bor bxor bnot bsl
//! bsr`, unary `-` and `+`) on a non-number raises `badarith`; a BIF (`abs`,
//! `float`, `trunc`, `round`, `floor`, `ceil`, `integer_to_list`, ...) on a
//! wrong type raises `badarg`.

mod arith;
mod bits;
mod cmp;
mod text;

use dashu_int::{IBig, Sign};

pub use arith::{
    abs, add, ceil, fdiv, float, floor, int_div, max, min, mul, neg, rem, round, sub, trunc,
};
pub use bits::{band, bnot, bor, bsl, bsr, bxor};
pub use cmp::{compare, compare_exact, eq_exact, equal};
pub use text::{FloatFormat, float_to_string, integer_to_string, list_to_float, list_to_integer};

/// Bits in an immediate small integer, sign included.
pub const SMALL_BITS: u32 = 60;
/// The smallest integer that is an immediate small integer: -(2^59).
pub const SMALL_MIN: i64 = -(1 << (SMALL_BITS - 1));
/// The largest integer that is an immediate small integer: 2^59 - 1.
pub const SMALL_MAX: i64 = (1 << (SMALL_BITS - 1)) - 1;

/// The largest magnitude a bignum may have, in bits.
///
/// BEAM stores a bignum's digit count in its header, and caps it at 2^19 - 1
/// 64-bit digits. An operation whose exact result needs more raises
/// `system_limit`: measured with `erl`, `1 bsl 33554367` works and
/// `1 bsl 33554368` raises `system_limit`; `3 bsl 33554366` works and
/// `3 bsl 33554367` does not, and so on for every operand tried. The limit is
/// on the magnitude of the result, whatever the operation (`+`, `-`, `*`,
/// `bnot`, `bsl`).
pub const MAX_BIG_BITS: usize = ((1 << 19) - 1) * 64;

// The conversion of bignums to floats walks 64-bit digits, as BEAM does.
const _: () = assert!(core::mem::size_of::<dashu_int::Word>() == 8);

/// An Erlang number.
///
/// Invariants, which every function here keeps and relies on for equality:
/// a `Small` lies in `SMALL_MIN..=SMALL_MAX`; a `Big` lies outside that range
/// and within [`MAX_BIG_BITS`]; a `Float` is finite (Erlang has no infinities
/// or NaNs). Build numbers with [`Number::from_i64`], [`Number::from_ibig`]
/// and [`Number::from_f64`] to keep them.
#[derive(Clone, Debug)]
pub enum Number {
    /// An integer in the immediate small-integer range.
    Small(i64),
    /// An integer outside the small range.
    Big(IBig),
    /// A finite float. Note that `-0.0` exists and prints as such.
    Float(f64),
}

/// Why a number operation failed: the error reason BEAM raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberError {
    /// `badarith`: bad operand types for an operator, division by zero, a
    /// float result that is not finite, an integer too large for a float.
    Badarith,
    /// `badarg`: a BIF got an argument it does not accept.
    Badarg,
    /// `system_limit`: an integer result larger than [`MAX_BIG_BITS`].
    SystemLimit,
}

impl NumberError {
    /// The atom BEAM raises as the `error` reason.
    pub fn reason(self) -> &'static str {
        match self {
            NumberError::Badarith => "badarith",
            NumberError::Badarg => "badarg",
            NumberError::SystemLimit => "system_limit",
        }
    }
}

impl core::fmt::Display for NumberError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for NumberError {}

/// The result of a number operation.
pub type NumResult = Result<Number, NumberError>;

impl Number {
    /// An integer from a machine integer, small or big as its value requires.
    pub fn from_i64(value: i64) -> Number {
        if (SMALL_MIN..=SMALL_MAX).contains(&value) {
            Number::Small(value)
        } else {
            Number::Big(IBig::from(value))
        }
    }

    /// An integer from a 128-bit machine integer (always within the bignum
    /// limit).
    pub fn from_i128(value: i128) -> Number {
        match i64::try_from(value) {
            Ok(v) => Number::from_i64(v),
            Err(_) => Number::Big(IBig::from(value)),
        }
    }

    /// An integer from a bignum, normalised to `Small` when it fits.
    /// Fails with `system_limit` beyond [`MAX_BIG_BITS`].
    pub fn from_ibig(value: IBig) -> NumResult {
        if magnitude_bits(&value) > MAX_BIG_BITS {
            return Err(NumberError::SystemLimit);
        }
        Ok(Self::normalise(value))
    }

    /// A float; `badarith` when it is not finite, as for an arithmetic result.
    pub fn from_f64(value: f64) -> NumResult {
        if value.is_finite() {
            Ok(Number::Float(value))
        } else {
            Err(NumberError::Badarith)
        }
    }

    /// Normalise an integer known to lie within the bignum limit.
    fn normalise(value: IBig) -> Number {
        match i64::try_from(&value) {
            Ok(v) if (SMALL_MIN..=SMALL_MAX).contains(&v) => Number::Small(v),
            _ => Number::Big(value),
        }
    }

    /// Whether this is an integer (small or big).
    pub fn is_integer(&self) -> bool {
        !matches!(self, Number::Float(_))
    }

    /// Whether this is a float.
    pub fn is_float(&self) -> bool {
        matches!(self, Number::Float(_))
    }

    /// The integer value as a bignum, or `None` for a float.
    pub fn to_ibig(&self) -> Option<IBig> {
        match self {
            Number::Small(v) => Some(IBig::from(*v)),
            Number::Big(b) => Some(b.clone()),
            Number::Float(_) => None,
        }
    }

    /// The value as a float, the way BEAM converts it for mixed arithmetic,
    /// `float/1` and `/`; `None` when an integer is too large for a float.
    ///
    /// BEAM does not round a bignum to the nearest float: it folds the 64-bit
    /// digits from the most significant one, `d = d * 2^64 + (double)digit`,
    /// rounding at every step. The double rounding can differ from the correctly
    /// rounded value in the last bit: measured with `erl`,
    /// `float((1 bsl 64) + (1 bsl 63) + (1 bsl 11) + 1)` is
    /// `2.7670116110564327e19` where the nearest float is `2.767011611056433e19`.
    /// Small integers convert exactly as C's `(double)` cast does.
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            Number::Small(v) => Some(*v as f64),
            Number::Big(b) => big_to_f64(b),
            Number::Float(f) => Some(*f),
        }
    }
}

/// Number of bits in the magnitude of `value` (0 for zero).
pub(crate) fn magnitude_bits(value: &IBig) -> usize {
    let (_, words) = value.as_sign_words();
    match words.last() {
        None => 0,
        Some(top) => (words.len() - 1) * 64 + (64 - top.leading_zeros() as usize),
    }
}

/// BEAM's bignum-to-float folding; see [`Number::to_f64`].
fn big_to_f64(value: &IBig) -> Option<f64> {
    const DIGIT_BASE: f64 = 18_446_744_073_709_551_616.0; // 2^64
    let (sign, words) = value.as_sign_words();
    let mut d = 0.0f64;
    for &w in words.iter().rev() {
        d = d * DIGIT_BASE + (w as f64);
    }
    if !d.is_finite() {
        return None;
    }
    Some(if sign == Sign::Negative { -d } else { d })
}

/// The integer part of a finite float, exactly (truncated toward zero).
pub(crate) fn f64_trunc_to_number(f: f64) -> Number {
    let t = f.trunc();
    // Every float in (-2^63, 2^63) converts to i64 exactly after truncation.
    if t.abs() < 9_223_372_036_854_775_808.0 {
        return Number::from_i64(t as i64);
    }
    // |t| >= 2^63: an integer of the form mantissa * 2^exp with exp > 0.
    Number::normalise(integral_f64_to_ibig(t))
}

/// An integral, finite float as a bignum, exactly.
pub(crate) fn integral_f64_to_ibig(t: f64) -> IBig {
    let bits = t.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exp) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let magnitude = if exp >= 0 {
        IBig::from(mantissa) << (exp as usize)
    } else {
        // Callers pass integral values, so the shifted-out bits are zero.
        IBig::from(mantissa >> ((-exp).min(63) as u32))
    };
    if t.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    }
}

/// An integer operand: borrowed small or big.
#[derive(Clone, Copy)]
pub(crate) enum IntRef<'a> {
    Small(i64),
    Big(&'a IBig),
}

impl<'a> IntRef<'a> {
    pub(crate) fn of(n: &'a Number) -> Option<IntRef<'a>> {
        match n {
            Number::Small(v) => Some(IntRef::Small(*v)),
            Number::Big(b) => Some(IntRef::Big(b)),
            Number::Float(_) => None,
        }
    }

    pub(crate) fn to_ibig(self) -> IBig {
        match self {
            IntRef::Small(v) => IBig::from(v),
            IntRef::Big(b) => b.clone(),
        }
    }

    /// The value as a bignum, borrowed when it already is one.
    pub(crate) fn as_ibig(self) -> std::borrow::Cow<'a, IBig> {
        match self {
            IntRef::Small(v) => std::borrow::Cow::Owned(IBig::from(v)),
            IntRef::Big(b) => std::borrow::Cow::Borrowed(b),
        }
    }

    pub(crate) fn is_negative(self) -> bool {
        match self {
            IntRef::Small(v) => v < 0,
            IntRef::Big(b) => b.as_sign_words().0 == Sign::Negative,
        }
    }

    pub(crate) fn is_zero(self) -> bool {
        match self {
            IntRef::Small(v) => v == 0,
            IntRef::Big(b) => b.is_zero(),
        }
    }

    pub(crate) fn bits(self) -> usize {
        match self {
            IntRef::Small(v) => 64 - v.unsigned_abs().leading_zeros() as usize,
            IntRef::Big(b) => magnitude_bits(b),
        }
    }
}

impl PartialEq for Number {
    /// Exact equality, `=:=`.
    fn eq(&self, other: &Number) -> bool {
        eq_exact(self, other)
    }
}

impl core::fmt::Display for Number {
    /// As `~w` prints it: integers in decimal, floats in the shortest form.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Number::Small(v) => write!(f, "{v}"),
            Number::Big(b) => write!(f, "{b}"),
            Number::Float(x) => f.write_str(&crate::float_text::shortest(*x)),
        }
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number::from_i64(value)
    }
}
