//! Numbers to and from text: `integer_to_list/2`, `list_to_integer/2`,
//! `float_to_list/1,2` and `list_to_float/1` (and their binary twins, which
//! accept and produce the same characters).
//!
//! Text arrives as bytes: the caller turns an Erlang string into bytes and
//! raises `badarg` itself when an element is not an integer in 0..=255, which
//! is what BEAM does before looking at the characters.
//!
//! Facts measured with OTP 25's `erl` that these follow:
//! - `list_to_integer` takes one optional `+` or `-` and at least one digit
//!   of the base, letters in either case; nothing else, not even blanks.
//! - `list_to_float` takes `[+-]digits(.|,)digits([eE][+-]?digits)?`: the
//!   point may be a comma (`"1,5"` is `1.5`), both sides need digits (`"1e5"`,
//!   `"1.e5"` and `".5"` are `badarg`), and the text ends at a NUL character,
//!   because BEAM copies it into a C string: `[$1,$.,$0,0,$x]` is `1.0`.
//!   A value too large for a float is `badarg`; one too small becomes `0.0`.
//! - `float_to_list(F)` is C's `%.20e`. Options are read left to right and a
//!   later format option replaces an earlier one: `[{decimals,2}, short]` is
//!   `short`. `compact` only affects `decimals`.
//! - The digit count of `decimals` and `scientific` is kept in a C `int`:
//!   it must be a small integer, and is then cut to its low 32 bits
//!   (`{decimals, (1 bsl 32) + 2}` acts as `{decimals, 2}`). A negative
//!   `decimals` is `badarg`; a negative `scientific` acts as 6, C's default.
//! - The text must fit BEAM's 256-byte buffer with its NUL: 255 characters at
//!   most, else `badarg` (`float_to_list(1.0e300, [{decimals,0}])`). (BEAM 25
//!   itself crashes with a segmentation fault on `{scientific, -(1 bsl 31) - 1}`,
//!   whose count becomes 2^31 - 1 in the `int`; here that is `badarg` too.)
//! - `{decimals, N}` with N < 19 and |F| <= 2^53 does not use C's `%f`: it
//!   splits F into its integer part and a fraction scaled by 10^N, rounds the
//!   fraction half away from zero in floating point (so `0.125` with two
//!   decimals is `"0.13"`, where `%f` says `"0.12"`), and keeps the sign of a
//!   negative value that rounds to zero (`"-0.00"`, also for `-0.0`).
//!   Otherwise it is `%.*f`, and there `compact` strips trailing zeros even
//!   with no decimal point: `float_to_list(1.0e20, [{decimals,0}, compact])`
//!   is `"1"`; and the 255-character limit applies before the stripping.

use dashu_int::UBig;

use super::{IntRef, MAX_BIG_BITS, NumResult, Number, NumberError};
use crate::float_text;

/// BEAM formats floats into a 256-byte buffer that also holds a NUL.
const FLOAT_BUFFER_CHARS: usize = 255;

/// The base of `integer_to_list/2` and `list_to_integer/2`: a small integer
/// in 2..=36, else `badarg`.
fn radix(base: &Number) -> Result<u32, NumberError> {
    match base {
        Number::Small(b) if (2..=36).contains(b) => Ok(*b as u32),
        _ => Err(NumberError::Badarg),
    }
}

/// `integer_to_list(I, Base)`: digits above 9 as capital letters.
pub fn integer_to_string(n: &Number, base: &Number) -> Result<String, NumberError> {
    let radix = radix(base)?;
    match IntRef::of(n) {
        None => Err(NumberError::Badarg),
        Some(IntRef::Small(v)) => Ok(small_to_string(v, radix)),
        // The alternate form of dashu's radix formatting uses capitals.
        Some(IntRef::Big(b)) => Ok(format!("{:#}", b.in_radix(radix))),
    }
}

fn small_to_string(v: i64, radix: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut buf = [0u8; 65];
    let mut pos = buf.len();
    let mut m = v.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = DIGITS[(m % u64::from(radix)) as usize];
        m /= u64::from(radix);
        if m == 0 {
            break;
        }
    }
    if v < 0 {
        pos -= 1;
        buf[pos] = b'-';
    }
    buf[pos..].iter().map(|&c| c as char).collect()
}

/// `list_to_integer(S, Base)`.
///
/// A result beyond the bignum limit raises `system_limit`; BEAM was not
/// checked for text that long.
pub fn list_to_integer(text: &[u8], base: &Number) -> NumResult {
    let radix = radix(base)?;
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(NumberError::Badarg);
    }
    let mut small: u64 = 0;
    let mut fits = true;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'a'..=b'z' => u32::from(c - b'a') + 10,
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return Err(NumberError::Badarg),
        };
        if d >= radix {
            return Err(NumberError::Badarg);
        }
        if fits {
            match small
                .checked_mul(u64::from(radix))
                .and_then(|s| s.checked_add(u64::from(d)))
            {
                Some(s) => small = s,
                None => fits = false,
            }
        }
    }
    if fits {
        let v = small as i128;
        return Ok(Number::from_i128(if negative { -v } else { v }));
    }
    // Refuse text whose value is sure to be over the limit before parsing it:
    // each digit after the first adds at least log2(radix) >= 1 bit.
    let leading = digits.iter().take_while(|&&c| c == b'0').count();
    let significant = digits.len() - leading;
    let min_bits = significant.saturating_sub(1) as u64 * u64::from(radix.ilog2()) + 1;
    if min_bits > MAX_BIG_BITS as u64 {
        return Err(NumberError::SystemLimit);
    }
    // Every byte was checked to be an ASCII digit of the base above.
    let digit_text = core::str::from_utf8(digits).map_err(|_| NumberError::Badarg)?;
    let magnitude = UBig::from_str_radix(digit_text, radix).map_err(|_| NumberError::Badarg)?;
    let value = dashu_int::IBig::from(magnitude);
    Number::from_ibig(if negative { -value } else { value })
}

/// How `float_to_list/2` formats: the option list read left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloatFormat {
    kind: FormatKind,
    digits: i32,
    compact: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormatKind {
    Legacy,
    Short,
    Decimals,
    Scientific,
}

impl Default for FloatFormat {
    fn default() -> Self {
        FloatFormat::new()
    }
}

impl FloatFormat {
    /// No options: `float_to_list/1`, C's `%.20e`.
    pub fn new() -> FloatFormat {
        FloatFormat {
            kind: FormatKind::Legacy,
            digits: 20,
            compact: false,
        }
    }

    /// The `short` option.
    pub fn short(&mut self) {
        self.kind = FormatKind::Short;
    }

    /// The `compact` option.
    pub fn compact(&mut self) {
        self.compact = true;
    }

    /// The `{decimals, N}` option; `badarg` unless `N` is a small integer.
    pub fn decimals(&mut self, n: &Number) -> Result<(), NumberError> {
        self.digits = digit_count(n)?;
        self.kind = FormatKind::Decimals;
        Ok(())
    }

    /// The `{scientific, N}` option; `badarg` unless `N` is a small integer.
    pub fn scientific(&mut self, n: &Number) -> Result<(), NumberError> {
        self.digits = digit_count(n)?;
        self.kind = FormatKind::Scientific;
        Ok(())
    }
}

/// BEAM keeps the count in a C `int`: the low 32 bits of a small integer.
fn digit_count(n: &Number) -> Result<i32, NumberError> {
    match n {
        Number::Small(v) => Ok(*v as i32),
        _ => Err(NumberError::Badarg),
    }
}

/// `float_to_list(F, Options)` with the options gathered in `format`.
pub fn float_to_string(f: f64, format: &FloatFormat) -> Result<String, NumberError> {
    let text = match format.kind {
        FormatKind::Short => return Ok(float_text::shortest(f)),
        FormatKind::Legacy => float_text::printf_e(f, 20),
        FormatKind::Scientific => {
            // C takes a negative precision as if none were given: 6.
            let precision = usize::try_from(format.digits).unwrap_or(6);
            // "d." + digits + "e+dd" is longer than the buffer: refuse before
            // formatting a huge precision.
            if precision + 6 > FLOAT_BUFFER_CHARS {
                return Err(NumberError::Badarg);
            }
            float_text::printf_e(f, precision)
        }
        FormatKind::Decimals => {
            let decimals = usize::try_from(format.digits).map_err(|_| NumberError::Badarg)?;
            fixed(f, decimals, format.compact)?
        }
    };
    if text.len() > FLOAT_BUFFER_CHARS {
        return Err(NumberError::Badarg);
    }
    Ok(text)
}

/// `{decimals, N}` formatting; see the module documentation.
fn fixed(f: f64, decimals: usize, compact: bool) -> Result<String, NumberError> {
    const POW10: [f64; 19] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18,
    ];
    const TWO_53: f64 = 9_007_199_254_740_992.0;
    let af = f.abs();
    if af > TWO_53 || decimals >= POW10.len() {
        if decimals + 2 > FLOAT_BUFFER_CHARS {
            return Err(NumberError::Badarg);
        }
        let mut text = float_text::printf_f(f, decimals);
        // BEAM checks the length before it strips zeros.
        if text.len() > FLOAT_BUFFER_CHARS {
            return Err(NumberError::Badarg);
        }
        if compact {
            strip_trailing_zeros(&mut text);
        }
        return Ok(text);
    }
    let mut text = String::with_capacity(24 + decimals);
    if f.is_sign_negative() {
        text.push('-');
    }
    if decimals == 0 {
        // af <= 2^53, so the rounded value fits u64 exactly.
        text.push_str(&(af.round() as u64).to_string());
        return Ok(text);
    }
    let scale = POW10[decimals];
    let int_f = af.floor();
    let frac_f = ((af - int_f) * scale).round();
    let (int_part, frac_part) = if frac_f >= scale {
        (int_f as u64 + 1, 0)
    } else {
        (int_f as u64, frac_f as u64)
    };
    text.push_str(&int_part.to_string());
    text.push('.');
    let frac = frac_part.to_string();
    text.extend(std::iter::repeat_n('0', decimals - frac.len()));
    text.push_str(&frac);
    if compact {
        strip_trailing_zeros(&mut text);
    }
    Ok(text)
}

/// BEAM's `compact`: drop trailing zeros, but keep one right after a point.
fn strip_trailing_zeros(text: &mut String) {
    let kept = text.trim_end_matches('0').len();
    let kept = if text[..kept].ends_with('.') {
        kept + 1
    } else {
        kept
    };
    text.truncate(kept);
}

/// `list_to_float(S)`.
pub fn list_to_float(text: &[u8]) -> Result<f64, NumberError> {
    // BEAM hands the text to C as a NUL-terminated string.
    let text = match text.iter().position(|&c| c == 0) {
        Some(end) => &text[..end],
        None => text,
    };
    let mut s = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| text.get(i).copied();
    let digits_from = |mut i: usize, s: &mut String| {
        let start = i;
        while let Some(c @ b'0'..=b'9') = at(i) {
            s.push(c as char);
            i += 1;
        }
        (i, i > start)
    };
    if let Some(c @ (b'+' | b'-')) = at(i) {
        s.push(c as char);
        i += 1;
    }
    let (next, any) = digits_from(i, &mut s);
    if !any {
        return Err(NumberError::Badarg);
    }
    i = next;
    match at(i) {
        Some(b'.' | b',') => s.push('.'),
        _ => return Err(NumberError::Badarg),
    }
    let (next, any) = digits_from(i + 1, &mut s);
    if !any {
        return Err(NumberError::Badarg);
    }
    i = next;
    if let Some(b'e' | b'E') = at(i) {
        s.push('e');
        i += 1;
        if let Some(c @ (b'+' | b'-')) = at(i) {
            s.push(c as char);
            i += 1;
        }
        let (next, any) = digits_from(i, &mut s);
        if !any {
            return Err(NumberError::Badarg);
        }
        i = next;
    }
    if i != text.len() {
        return Err(NumberError::Badarg);
    }
    // Rust's parser rounds correctly, as glibc's strtod does.
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => Err(NumberError::Badarg),
    }
}
