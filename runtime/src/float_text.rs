//! Float printing as OTP 25 prints floats.
//!
//! - [`shortest`]: `io_lib:format("~p")`, `~w` and `float_to_list(F, [short])`.
//!   The digits are the shortest that read back as the same float (Ryu, from
//!   the `ryu` crate); where they go follows OTP's placement rule, below.
//! - [`display`]: `erlang:display/1`, C's `%e` (`1.500000e+00`).
//! - [`printf_e`] and [`printf_f`]: C's `%.*e` and `%.*f`, which
//!   `float_to_list/1,2` use for their legacy, `scientific` and long `decimals`
//!   forms.
//!
//! OTP's placement rule for the shortest digits: with `olength` digits, `exp`
//! the decimal exponent of the last digit and `sci = exp + olength - 1` the
//! exponent in scientific form, plain notation is used when `exp` lies in
//! `[-4, 2]` for a one-digit number, in `[-(olength + 2), 2]` when
//! `sci >= 10`, and in `[-(olength + 2), 1]` otherwise, except that a value
//! at or above 2^53 is always printed in scientific form. Plain notation
//! always has a fraction (`100.0`); scientific notation has one digit before
//! the point, at least one after it, and an exponent without `+`
//! (`1.0e-5`, `9.007199254740992e15`). Negative zero prints as `-0.0`.

use std::fmt::Write as _;

/// The shortest round-trip text of `f`, placed as OTP 25's `~p` places it.
pub fn shortest(f: f64) -> String {
    let mut out = String::with_capacity(24);
    write_shortest(&mut out, f);
    out
}

/// Append [`shortest`]`(f)` to `out`.
pub fn write_shortest(out: &mut String, f: f64) {
    if !f.is_finite() {
        // Erlang floats are always finite; print like C does for robustness.
        write_non_finite(out, f);
        return;
    }
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (mantissa, exp) = shortest_digits(f.abs());
    place_digits(out, mantissa, exp);
}

/// The shortest decimal digits of a finite positive float, as an integer
/// without trailing zeros and the decimal exponent of its last digit.
fn shortest_digits(f: f64) -> (u64, i32) {
    // The ryu crate gives the shortest digits only as formatted text
    // ("1.2345e-7", "100.0", "0.001"); read them back out of it.
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(f);
    let (digits_part, exp_part) = match text.split_once('e') {
        Some((d, e)) => (d, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let mut mantissa: u64 = 0;
    let mut fraction_digits = 0i32;
    let mut after_point = false;
    for c in digits_part.bytes() {
        match c {
            b'.' => after_point = true,
            b'0'..=b'9' => {
                // At most 17 significant digits plus a few zeros: fits u64.
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                if after_point {
                    fraction_digits += 1;
                }
            }
            _ => {}
        }
    }
    let mut exp = exp_part - fraction_digits;
    while mantissa != 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        exp += 1;
    }
    (mantissa, exp)
}

fn decimal_length(mut v: u64) -> i32 {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Place `mantissa * 10^exp` by OTP's rule (see the module documentation).
fn place_digits(out: &mut String, mantissa: u64, exp: i32) {
    let olength = decimal_length(mantissa);
    let sci = exp + olength - 1;
    let (lower, upper) = if olength == 1 {
        (-4, 2)
    } else if sci >= 10 {
        (-(olength + 2), 2)
    } else {
        (-(olength + 2), 1)
    };
    // The window admits plain forms of up to 17 + 2 integer digits; those
    // that reach 2^53 are printed in scientific form. OTP states the bound per
    // exponent on the digits, which is the same as value >= 2^53 here.
    let at_least_2_53 = match exp {
        0 => mantissa >= 1 << 53,
        1 => mantissa > (1u64 << 52) / 5,
        2 => mantissa > (1u64 << 51) / 25,
        _ => false,
    };
    let digits = mantissa.to_string();
    if (lower..=upper).contains(&exp) && !at_least_2_53 {
        let whole = olength + exp;
        if exp >= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', exp as usize));
            out.push_str(".0");
        } else if whole > 0 {
            out.push_str(&digits[..whole as usize]);
            out.push('.');
            out.push_str(&digits[whole as usize..]);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-whole) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if olength > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        let _ = write!(out, "e{sci}");
    }
}

/// `erlang:display/1`'s float text: C's `%e`, six digits after the point.
pub fn display(f: f64) -> String {
    printf_e(f, 6)
}

/// C's `printf("%.*e", precision, f)`: correctly rounded, ties to even, an
/// exponent with a sign and at least two digits (`1.50e+00`, `4.94e-324`).
pub fn printf_e(f: f64, precision: usize) -> String {
    if !f.is_finite() {
        let mut out = String::new();
        write_non_finite(&mut out, f);
        return out;
    }
    // Rust's exact formatting rounds like glibc's printf; only the exponent
    // is spelled differently ("1.5e0").
    let text = format!("{f:.precision$e}");
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
}

/// C's `printf("%.*f", precision, f)`: correctly rounded, ties to even,
/// negative zero with its sign.
pub fn printf_f(f: f64, precision: usize) -> String {
    if !f.is_finite() {
        let mut out = String::new();
        write_non_finite(&mut out, f);
        return out;
    }
    format!("{f:.precision$}")
}

fn write_non_finite(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
    } else if f < 0.0 {
        out.push_str("-inf");
    } else {
        out.push_str("inf");
    }
}
