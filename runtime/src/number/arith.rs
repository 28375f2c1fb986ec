//! Arithmetic on Erlang numbers: `+ - * / div rem`, unary minus and the
//! numeric BIFs `abs float trunc round floor ceil max min`.
//!
//! Facts measured with OTP 25's `erl` that these follow:
//! - A float result that is not finite raises `badarith` (`1.0e308 * 10`,
//!   `1.0e308 + 1.0e308`); a result that underflows to zero or a subnormal is
//!   fine (`1.0e-320 / 1.0e10` is `0.0`).
//! - `/` always gives a float; a zero divisor, `0.0` and `-0.0` included,
//!   raises `badarith`. An integer operand too large for a float makes `/`
//!   and mixed arithmetic raise `badarith`, but `float/1` raise `badarg`.
//! - Unary minus negates a float exactly: `-(0.0)` is `-0.0`. But
//!   `abs(-0.0)` is `-0.0` too: BEAM negates only values below zero.
//! - `round/1` rounds half away from zero (`round(-2.5)` is `-3`) and is
//!   exact (`round(0.49999999999999994)` is `0`); `trunc`, `round`, `floor`
//!   and `ceil` of a large float give a bignum, and of an integer give it
//!   back unchanged.
//! - `max(1, 1.0)` is `1` and `max(1.0, 1)` is `1.0`: on a tie both `max` and
//!   `min` return their first argument.

use core::cmp::Ordering;

use super::{
    IntRef, MAX_BIG_BITS, NumResult, Number, NumberError, cmp::compare, f64_trunc_to_number,
};

/// Both operands as floats for a float operation, or `badarith`.
fn float_operands(a: &Number, b: &Number) -> Result<(f64, f64), NumberError> {
    match (a.to_f64(), b.to_f64()) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(NumberError::Badarith),
    }
}

fn int_operands<'a>(a: &'a Number, b: &'a Number) -> Result<(IntRef<'a>, IntRef<'a>), NumberError> {
    match (IntRef::of(a), IntRef::of(b)) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(NumberError::Badarith),
    }
}

/// `A + B`.
pub fn add(a: &Number, b: &Number) -> NumResult {
    match (a, b) {
        (Number::Small(x), Number::Small(y)) => Ok(Number::from_i128(*x as i128 + *y as i128)),
        (Number::Float(_), _) | (_, Number::Float(_)) => {
            let (x, y) = float_operands(a, b)?;
            Number::from_f64(x + y)
        }
        _ => {
            let (x, y) = int_operands(a, b)?;
            Number::from_ibig(&*x.as_ibig() + &*y.as_ibig())
        }
    }
}

/// `A - B`.
pub fn sub(a: &Number, b: &Number) -> NumResult {
    match (a, b) {
        (Number::Small(x), Number::Small(y)) => Ok(Number::from_i128(*x as i128 - *y as i128)),
        (Number::Float(_), _) | (_, Number::Float(_)) => {
            let (x, y) = float_operands(a, b)?;
            Number::from_f64(x - y)
        }
        _ => {
            let (x, y) = int_operands(a, b)?;
            Number::from_ibig(&*x.as_ibig() - &*y.as_ibig())
        }
    }
}

/// `A * B`.
pub fn mul(a: &Number, b: &Number) -> NumResult {
    match (a, b) {
        (Number::Small(x), Number::Small(y)) => Ok(Number::from_i128(*x as i128 * *y as i128)),
        (Number::Float(_), _) | (_, Number::Float(_)) => {
            let (x, y) = float_operands(a, b)?;
            Number::from_f64(x * y)
        }
        _ => {
            let (x, y) = int_operands(a, b)?;
            // A product of nonzero integers has at least bits(x) + bits(y) - 1
            // bits: refuse early instead of computing a product that is
            // certain to be over the limit.
            if !x.is_zero() && !y.is_zero() && x.bits() + y.bits() - 1 > MAX_BIG_BITS {
                return Err(NumberError::SystemLimit);
            }
            Number::from_ibig(&*x.as_ibig() * &*y.as_ibig())
        }
    }
}

/// `A / B`: float division, whatever the operand types.
pub fn fdiv(a: &Number, b: &Number) -> NumResult {
    let (x, y) = float_operands(a, b)?;
    if y == 0.0 {
        return Err(NumberError::Badarith);
    }
    Number::from_f64(x / y)
}

/// `A div B`: integer division truncated toward zero.
pub fn int_div(a: &Number, b: &Number) -> NumResult {
    let (x, y) = int_operands(a, b)?;
    if y.is_zero() {
        return Err(NumberError::Badarith);
    }
    match (x, y) {
        (IntRef::Small(x), IntRef::Small(y)) => Ok(Number::from_i128(x as i128 / y as i128)),
        _ => Number::from_ibig(&*x.as_ibig() / &*y.as_ibig()),
    }
}

/// `A rem B`: the remainder of `div`, with the sign of `A`.
pub fn rem(a: &Number, b: &Number) -> NumResult {
    let (x, y) = int_operands(a, b)?;
    if y.is_zero() {
        return Err(NumberError::Badarith);
    }
    match (x, y) {
        (IntRef::Small(x), IntRef::Small(y)) => Ok(Number::from_i128(x as i128 % y as i128)),
        _ => Number::from_ibig(&*x.as_ibig() % &*y.as_ibig()),
    }
}

/// Unary `-A`.
pub fn neg(a: &Number) -> NumResult {
    match a {
        Number::Small(x) => Ok(Number::from_i128(-(*x as i128))),
        Number::Big(x) => Number::from_ibig(-x.clone()),
        Number::Float(f) => Ok(Number::Float(-f)),
    }
}

/// `abs/1`.
pub fn abs(a: &Number) -> NumResult {
    match a {
        Number::Small(x) => Ok(Number::from_i128((*x as i128).abs())),
        Number::Big(x) => {
            if IntRef::Big(x).is_negative() {
                Number::from_ibig(-x.clone())
            } else {
                Ok(a.clone())
            }
        }
        // Only values below zero are negated, so -0.0 stays -0.0, as in BEAM.
        Number::Float(f) => Ok(Number::Float(if *f < 0.0 { -f } else { *f })),
    }
}

/// `float/1`; an integer too large for a float raises `badarg` here.
pub fn float(a: &Number) -> NumResult {
    match a.to_f64() {
        Some(f) => Ok(Number::Float(f)),
        None => Err(NumberError::Badarg),
    }
}

fn float_to_int(a: &Number, op: fn(f64) -> f64) -> NumResult {
    match a {
        Number::Float(f) => Ok(f64_trunc_to_number(op(*f))),
        _ => Ok(a.clone()),
    }
}

/// `trunc/1`.
pub fn trunc(a: &Number) -> NumResult {
    float_to_int(a, f64::trunc)
}

/// `round/1`: half away from zero.
pub fn round(a: &Number) -> NumResult {
    // f64::round is C's round(): exact, ties away from zero.
    float_to_int(a, f64::round)
}

/// `floor/1`.
pub fn floor(a: &Number) -> NumResult {
    float_to_int(a, f64::floor)
}

/// `ceil/1`.
pub fn ceil(a: &Number) -> NumResult {
    float_to_int(a, f64::ceil)
}

/// `max/2`: the second argument only when it is strictly greater.
pub fn max(a: &Number, b: &Number) -> Number {
    if compare(a, b) == Ordering::Less {
        b.clone()
    } else {
        a.clone()
    }
}

/// `min/2`: the second argument only when it is strictly smaller.
pub fn min(a: &Number, b: &Number) -> Number {
    if compare(a, b) == Ordering::Greater {
        b.clone()
    } else {
        a.clone()
    }
}
