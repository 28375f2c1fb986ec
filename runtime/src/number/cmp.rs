//! Comparing numbers: the term order's number case, `==`, `=:=`, and the
//! exact order that map keys are sorted by.
//!
//! BEAM compares an integer with a float exactly, by value, never by
//! converting the integer to a float: `9007199254740993 > 9007199254740992.0`
//! is true although `float(9007199254740993)` is `9007199254740992.0`.
//! `1 == 1.0` is true and `1 =:= 1.0` is false. In OTP 25 `0.0 =:= -0.0` is
//! true and the two compare equal in the term order (OTP 27 changed that).

use core::cmp::Ordering;

use super::{IntRef, Number, integral_f64_to_ibig};

/// The term order restricted to numbers: by value, an integer and a float of
/// equal value comparing `Equal`. This is the order of `<`, `=<`, `==`,
/// `lists:sort/1` and `max/2`.
pub fn compare(a: &Number, b: &Number) -> Ordering {
    match (a, b) {
        (Number::Small(x), Number::Small(y)) => x.cmp(y),
        (Number::Float(x), Number::Float(y)) => compare_floats(*x, *y),
        (Number::Float(x), _) => compare_int_float(int(b), *x).reverse(),
        (_, Number::Float(y)) => compare_int_float(int(a), *y),
        _ => match (a, b) {
            (Number::Big(x), Number::Big(y)) => x.cmp(y),
            // A bignum lies outside the small range, so its sign decides.
            (Number::Big(x), _) => sign_order(IntRef::Big(x)),
            (_, Number::Big(y)) => sign_order(IntRef::Big(y)).reverse(),
            _ => Ordering::Equal,
        },
    }
}

/// `==`: equal in value.
pub fn equal(a: &Number, b: &Number) -> bool {
    compare(a, b) == Ordering::Equal
}

/// `=:=`: equal in value and both integers or both floats.
pub fn eq_exact(a: &Number, b: &Number) -> bool {
    a.is_float() == b.is_float() && equal(a, b)
}

/// The exact term order that BEAM sorts map keys by: every integer before
/// every float, and by value within each kind. Measured with `erl`:
/// `maps:keys(#{2 => a, 1.0 => b, 0.5 => c, 1 bsl 70 => d})` is
/// `[2, 1180591620717411303424, 0.5, 1.0]`.
pub fn compare_exact(a: &Number, b: &Number) -> Ordering {
    match (a.is_float(), b.is_float()) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        _ => compare(a, b),
    }
}

fn int(n: &Number) -> IntRef<'_> {
    match n {
        Number::Small(v) => IntRef::Small(*v),
        Number::Big(b) => IntRef::Big(b),
        // Callers only pass integers here; order a float as zero to stay total.
        Number::Float(_) => IntRef::Small(0),
    }
}

/// Greater for positive, Less for negative: the order of a bignum against
/// any small integer.
fn sign_order(i: IntRef<'_>) -> Ordering {
    if i.is_negative() {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

fn compare_floats(x: f64, y: f64) -> Ordering {
    // Erlang floats are finite, so the partial order is total; -0.0 == 0.0.
    x.partial_cmp(&y).unwrap_or(Ordering::Equal)
}

/// The integer `i` against the float `f`, exactly.
fn compare_int_float(i: IntRef<'_>, f: f64) -> Ordering {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let t = f.trunc();
    // Ordering of the integer part; the fraction only matters on a tie.
    let whole = match i {
        IntRef::Small(v) => {
            if t >= TWO_63 {
                Ordering::Less
            } else if t < -TWO_63 {
                Ordering::Greater
            } else {
                v.cmp(&(t as i64))
            }
        }
        IntRef::Big(b) => b.cmp(&integral_f64_to_ibig(t)),
    };
    match whole {
        Ordering::Equal => compare_floats(t, f),
        other => other,
    }
}
