//! Integer literals of any size: reading `123`, `-7`, `16#FF` and writing
//! them back in decimal, as `core_pp` does.
//!
//! Values that fit in an `i64` stay [`Int::Small`]; larger ones are kept as
//! sign and magnitude limbs. Only the little arithmetic needed for reading
//! and printing lives here; the runtime does real bignum work.

use std::fmt;

use crate::ast::{BigInt, Int};

/// Reads `[+-]?[0-9]+` (the lexer has checked the shape).
pub(crate) fn parse_decimal(text: &str) -> Int {
    let (negative, digits) = split_sign(text);
    // Up to 18 decimal digits always fit an i64.
    if digits.len() <= 18 {
        let mut v: i64 = 0;
        for b in digits.bytes() {
            v = v * 10 + i64::from(b - b'0');
        }
        return Int::Small(if negative { -v } else { v });
    }
    let mut mag: Vec<u64> = Vec::new();
    // Fold in chunks of up to 19 digits: 10^19 < 2^64.
    for chunk in digits.as_bytes().chunks(19) {
        let mut part: u64 = 0;
        for &b in chunk {
            part = part * 10 + u64::from(b - b'0');
        }
        mul_add(&mut mag, 10u64.pow(chunk.len() as u32), part);
    }
    from_sign_magnitude(negative, mag)
}

/// Reads `Base#Digits` with base 2..=16 and digits valid for the base (the
/// lexer has checked both).
pub(crate) fn parse_based(text: &str) -> Int {
    let (negative, rest) = split_sign(text);
    let (base, digits) = rest.split_once('#').unwrap_or(("10", rest));
    let base: u64 = base.parse().unwrap_or(10);
    let mut mag: Vec<u64> = Vec::new();
    for c in digits.chars() {
        let d = u64::from(c.to_digit(36).unwrap_or(0));
        mul_add(&mut mag, base, d);
    }
    from_sign_magnitude(negative, mag)
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// `mag = mag * mul + add`, little-endian limbs.
fn mul_add(mag: &mut Vec<u64>, mul: u64, add: u64) {
    let mut carry = u128::from(add);
    for limb in mag.iter_mut() {
        let v = u128::from(*limb) * u128::from(mul) + carry;
        *limb = v as u64;
        carry = v >> 64;
    }
    if carry != 0 {
        mag.push(carry as u64);
    }
}

fn from_sign_magnitude(negative: bool, mut mag: Vec<u64>) -> Int {
    while mag.last() == Some(&0) {
        mag.pop();
    }
    match mag.as_slice() {
        [] => Int::Small(0),
        [m] if *m <= i64::MAX as u64 => {
            let v = *m as i64;
            Int::Small(if negative { -v } else { v })
        }
        [m] if negative && *m == 1u64 << 63 => Int::Small(i64::MIN),
        _ => Int::Big(Box::new(BigInt {
            negative,
            magnitude: mag.into_boxed_slice(),
        })),
    }
}

impl fmt::Display for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Peel off 19 decimal digits at a time, least significant first.
        const CHUNK: u64 = 10_000_000_000_000_000_000;
        let mut mag: Vec<u64> = self.magnitude.to_vec();
        let mut chunks: Vec<u64> = Vec::new();
        while !mag.is_empty() {
            let mut rem: u128 = 0;
            for limb in mag.iter_mut().rev() {
                let cur = (rem << 64) | u128::from(*limb);
                *limb = (cur / u128::from(CHUNK)) as u64;
                rem = cur % u128::from(CHUNK);
            }
            chunks.push(rem as u64);
            while mag.last() == Some(&0) {
                mag.pop();
            }
        }
        if self.negative {
            f.write_str("-")?;
        }
        let mut iter = chunks.iter().rev();
        if let Some(first) = iter.next() {
            write!(f, "{first}")?;
        } else {
            f.write_str("0")?;
        }
        for c in iter {
            write!(f, "{c:019}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(i: &Int) -> String {
        i.to_string()
    }

    #[test]
    fn small_and_signed() {
        assert_eq!(parse_decimal("0"), Int::Small(0));
        assert_eq!(parse_decimal("-17"), Int::Small(-17));
        assert_eq!(parse_decimal("+17"), Int::Small(17));
        assert_eq!(parse_decimal("9223372036854775807"), Int::Small(i64::MAX));
        assert_eq!(parse_decimal("-9223372036854775808"), Int::Small(i64::MIN));
        assert_eq!(parse_decimal("000000000000000000000042"), Int::Small(42));
    }

    #[test]
    fn big_round_trips_through_decimal() {
        for text in [
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "340282366920938463463374607431768211455",
            "-100000000000000000000000000000000000000000000000000000000001",
        ] {
            let i = parse_decimal(text);
            assert!(matches!(i, Int::Big(_)), "{text}");
            assert_eq!(show(&i), text);
        }
    }

    #[test]
    fn based() {
        assert_eq!(parse_based("16#FF"), Int::Small(255));
        assert_eq!(parse_based("16#ff"), Int::Small(255));
        assert_eq!(parse_based("2#1010"), Int::Small(10));
        assert_eq!(parse_based("8#777"), Int::Small(511));
        assert_eq!(
            show(&parse_based("16#FFFFFFFFFFFFFFFFFFFF")),
            "1208925819614629174706175"
        );
    }
}
