//! The `math` module's BIFs: floating-point functions of C's libm, with
//! BEAM's errors: `badarg` for an argument that is not a number (or an
//! integer too big for a float), `badarith` for a result that is not a
//! finite float (outside the function's domain, or overflowing).

use super::{BifResult, Exception};
use crate::heap::ProcessMemory;
use crate::term::Term;

fn float_arg(p: &ProcessMemory, t: Term) -> Result<f64, Exception> {
    super::arith::number_of(p, t)
        .and_then(|n| n.to_f64())
        .filter(|f| f.is_finite())
        .ok_or_else(Exception::badarg)
}

fn result(p: &mut ProcessMemory, f: f64) -> BifResult {
    if f.is_finite() {
        Ok(p.float(f))
    } else {
        Err(Exception::badarith())
    }
}

macro_rules! unary {
    ($($name:ident => $f:expr,)*) => {$(
        #[doc = concat!("`math:", stringify!($name), "/1`.")]
        pub(super) fn $name(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
            let x = float_arg(p, a[0])?;
            let f: fn(f64) -> f64 = $f;
            result(p, f(x))
        }
    )*};
}

unary! {
    sin => f64::sin,
    cos => f64::cos,
    tan => f64::tan,
    asin => f64::asin,
    acos => f64::acos,
    atan => f64::atan,
    sinh => f64::sinh,
    cosh => f64::cosh,
    tanh => f64::tanh,
    asinh => asinh_of,
    acosh => acosh_of,
    atanh => atanh_of,
    exp => f64::exp,
    log => f64::ln,
    log2 => f64::log2,
    log10 => f64::log10,
    sqrt => f64::sqrt,
    floor => f64::floor,
    ceil => f64::ceil,
    erf => erf_of,
    erfc => erfc_of,
}

/// `math:atan2(Y, X)`.
pub(super) fn atan2(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (y, x) = (float_arg(p, a[0])?, float_arg(p, a[1])?);
    result(p, y.atan2(x))
}

/// `math:pow(X, Y)`.
pub(super) fn pow(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (x, y) = (float_arg(p, a[0])?, float_arg(p, a[1])?);
    result(p, x.powf(y))
}

/// `math:fmod(X, Y)`: the remainder of `X / Y` with the sign of `X`.
pub(super) fn fmod(p: &mut ProcessMemory, a: &[Term]) -> BifResult {
    let (x, y) = (float_arg(p, a[0])?, float_arg(p, a[1])?);
    result(p, x % y)
}

// libm's error functions (Rust's std has none); Linux links libm anyway.
unsafe extern "C" {
    #[link_name = "asinh"]
    fn libm_asinh(x: f64) -> f64;
    #[link_name = "acosh"]
    fn libm_acosh(x: f64) -> f64;
    #[link_name = "atanh"]
    fn libm_atanh(x: f64) -> f64;
    #[link_name = "erf"]
    fn libm_erf(x: f64) -> f64;
    #[link_name = "erfc"]
    fn libm_erfc(x: f64) -> f64;
}

/// libm's `erf`, as BEAM calls it.
/// libm's `asinh`, `acosh`, `atanh` (what BEAM calls; Rust's own lose
/// precision or overflow for large arguments).
fn asinh_of(x: f64) -> f64 {
    // SAFETY: pure functions of a float, defined for every input.
    unsafe { libm_asinh(x) }
}

fn acosh_of(x: f64) -> f64 {
    // SAFETY: as above.
    unsafe { libm_acosh(x) }
}

fn atanh_of(x: f64) -> f64 {
    // SAFETY: as above.
    unsafe { libm_atanh(x) }
}

fn erf_of(x: f64) -> f64 {
    // SAFETY: a pure function of a float, defined for every input.
    unsafe { libm_erf(x) }
}

/// libm's `erfc`.
fn erfc_of(x: f64) -> f64 {
    // SAFETY: as `erf_of`.
    unsafe { libm_erfc(x) }
}
