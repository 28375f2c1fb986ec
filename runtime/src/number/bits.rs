//! Bitwise operators on Erlang integers: `band bor bxor bnot bsl bsr`.
//!
//! Integers behave as infinite two's complement bit strings. Facts measured
//! with OTP 25's `erl`:
//! - A negative shift count shifts the other way: `1 bsl -3` is `0`,
//!   `1 bsr -3` is `8`.
//! - Right shifts round toward minus infinity: `-1 bsr 100000000000` is `-1`,
//!   and shifting right by a bignum count gives `0` or `-1` by sign.
//! - Shifting zero left by any count, bignum counts included, gives `0`.
//! - Shifting a nonzero integer left past the bignum limit raises
//!   `system_limit` (`1 bsl 100000000`, `1 bsl (1 bsl 64)`); see
//!   [`super::MAX_BIG_BITS`].
//! - A float operand raises `badarith`, as for the arithmetic operators.

use super::{IntRef, MAX_BIG_BITS, NumResult, Number, NumberError};

fn ints<'a>(a: &'a Number, b: &'a Number) -> Result<(IntRef<'a>, IntRef<'a>), NumberError> {
    match (IntRef::of(a), IntRef::of(b)) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(NumberError::Badarith),
    }
}

/// `A band B`.
pub fn band(a: &Number, b: &Number) -> NumResult {
    match ints(a, b)? {
        (IntRef::Small(x), IntRef::Small(y)) => Ok(Number::from_i64(x & y)),
        (x, y) => Number::from_ibig(&*x.as_ibig() & &*y.as_ibig()),
    }
}

/// `A bor B`.
pub fn bor(a: &Number, b: &Number) -> NumResult {
    match ints(a, b)? {
        (IntRef::Small(x), IntRef::Small(y)) => Ok(Number::from_i64(x | y)),
        (x, y) => Number::from_ibig(&*x.as_ibig() | &*y.as_ibig()),
    }
}

/// `A bxor B`.
pub fn bxor(a: &Number, b: &Number) -> NumResult {
    match ints(a, b)? {
        (IntRef::Small(x), IntRef::Small(y)) => Ok(Number::from_i64(x ^ y)),
        (x, y) => Number::from_ibig(&*x.as_ibig() ^ &*y.as_ibig()),
    }
}

/// `bnot A`, which is `-A - 1`.
pub fn bnot(a: &Number) -> NumResult {
    match IntRef::of(a) {
        Some(IntRef::Small(x)) => Ok(Number::from_i64(!x)),
        Some(x) => Number::from_ibig(!x.to_ibig()),
        None => Err(NumberError::Badarith),
    }
}

/// `A bsl B`.
pub fn bsl(a: &Number, b: &Number) -> NumResult {
    let (x, n) = ints(a, b)?;
    shift(x, n, true)
}

/// `A bsr B`.
pub fn bsr(a: &Number, b: &Number) -> NumResult {
    let (x, n) = ints(a, b)?;
    shift(x, n, false)
}

/// Shift `x` by `n` bits, left when `left` holds, right otherwise; a negative
/// count reverses the direction.
fn shift(x: IntRef<'_>, n: IntRef<'_>, left: bool) -> NumResult {
    match n {
        IntRef::Small(count) => {
            let count = if left {
                i128::from(count)
            } else {
                -i128::from(count)
            };
            // |count| <= 2^63, so the magnitude fits u64.
            let magnitude = count.unsigned_abs() as u64;
            if count >= 0 {
                shift_left(x, magnitude)
            } else {
                Ok(shift_right(x, magnitude))
            }
        }
        IntRef::Big(_) => {
            // Larger than any bignum can have bits: the result is 0 or -1 to
            // the right, and past the limit to the left unless x is 0.
            if n.is_negative() != left {
                if x.is_zero() {
                    Ok(Number::Small(0))
                } else {
                    Err(NumberError::SystemLimit)
                }
            } else {
                Ok(shift_right(x, u64::MAX))
            }
        }
    }
}

fn shift_left(x: IntRef<'_>, count: u64) -> NumResult {
    if x.is_zero() {
        return Ok(Number::Small(0));
    }
    let bits = x.bits() as u64;
    if bits + count > MAX_BIG_BITS as u64 {
        return Err(NumberError::SystemLimit);
    }
    if let IntRef::Small(v) = x
        && bits + count < 127
    {
        return Ok(Number::from_i128((v as i128) << count));
    }
    // count <= MAX_BIG_BITS here, so it fits usize.
    Number::from_ibig(x.to_ibig() << count as usize)
}

fn shift_right(x: IntRef<'_>, count: u64) -> Number {
    if count >= x.bits() as u64 {
        // Every magnitude bit is shifted out; floor rounding leaves the sign.
        return Number::Small(if x.is_negative() { -1 } else { 0 });
    }
    match x {
        IntRef::Small(v) => Number::from_i64(v >> count),
        // count < bits <= MAX_BIG_BITS, so it fits usize; IBig's right shift
        // rounds toward minus infinity, as Erlang's does.
        IntRef::Big(b) => Number::normalise(b.clone() >> count as usize),
    }
}
