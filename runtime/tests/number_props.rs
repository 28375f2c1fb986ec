//! Properties of Erlang number arithmetic: integer operations agree with
//! Rust's i128 arithmetic wherever that does not overflow, bignum operations
//! obey the ring and division identities, results are always normalised, and
//! integer/float comparison is exact.

use std::cmp::Ordering;

use coral_runtime::number::{self, Number, SMALL_MAX, SMALL_MIN};
use dashu_int::IBig;
use proptest::prelude::*;

fn n(v: i128) -> Number {
    Number::from_i128(v)
}

/// The integer value of a result, checking the normalisation invariant.
fn value(r: Result<Number, number::NumberError>) -> Result<IBig, TestCaseError> {
    match r {
        Ok(Number::Small(v)) => {
            prop_assert!(
                (SMALL_MIN..=SMALL_MAX).contains(&v),
                "Small out of range: {}",
                v
            );
            Ok(IBig::from(v))
        }
        Ok(Number::Big(b)) => {
            let small = i64::try_from(&b).is_ok_and(|v| (SMALL_MIN..=SMALL_MAX).contains(&v));
            prop_assert!(!small, "Big in small range: {}", b);
            Ok(b)
        }
        other => Err(TestCaseError::fail(format!("not an integer: {other:?}"))),
    }
}

/// Integers spread over the interesting sizes: small, around the small-int
/// boundary, and up to 2^100.
fn int() -> impl Strategy<Value = i128> {
    prop_oneof![
        -1000i128..1000,
        (SMALL_MIN as i128 - 4)..(SMALL_MIN as i128 + 4),
        (SMALL_MAX as i128 - 4)..(SMALL_MAX as i128 + 4),
        any::<i64>().prop_map(i128::from),
        (-(1i128 << 100))..(1i128 << 100),
    ]
}

/// Bignums of up to eight words, either sign.
fn big() -> impl Strategy<Value = IBig> {
    (prop::collection::vec(any::<u64>(), 0..8), any::<bool>()).prop_map(|(words, neg)| {
        let mut x = IBig::from(0);
        for w in words {
            x = (x << 64) + IBig::from(w);
        }
        if neg { -x } else { x }
    })
}

fn num(b: &IBig) -> Number {
    Number::from_ibig(b.clone()).expect("within the bignum limit")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn add_sub_mul_match_i128(a in int(), b in int()) {
        prop_assert_eq!(value(number::add(&n(a), &n(b)))?, IBig::from(a + b));
        prop_assert_eq!(value(number::sub(&n(a), &n(b)))?, IBig::from(a - b));
        if let Some(p) = a.checked_mul(b) {
            prop_assert_eq!(value(number::mul(&n(a), &n(b)))?, IBig::from(p));
        }
    }

    #[test]
    fn div_rem_match_i128(a in int(), b in int()) {
        if b == 0 {
            prop_assert_eq!(number::int_div(&n(a), &n(b)).err(), Some(number::NumberError::Badarith));
            prop_assert_eq!(number::rem(&n(a), &n(b)).err(), Some(number::NumberError::Badarith));
        } else {
            // Rust's / and % truncate toward zero, like div and rem.
            prop_assert_eq!(value(number::int_div(&n(a), &n(b)))?, IBig::from(a / b));
            prop_assert_eq!(value(number::rem(&n(a), &n(b)))?, IBig::from(a % b));
        }
    }

    #[test]
    fn bitwise_match_i128(a in int(), b in int(), s in 0u32..20) {
        prop_assert_eq!(value(number::band(&n(a), &n(b)))?, IBig::from(a & b));
        prop_assert_eq!(value(number::bor(&n(a), &n(b)))?, IBig::from(a | b));
        prop_assert_eq!(value(number::bxor(&n(a), &n(b)))?, IBig::from(a ^ b));
        prop_assert_eq!(value(number::bnot(&n(a)))?, IBig::from(!a));
        // a < 2^100 and s < 20: no overflow; >> on i128 floors like bsr.
        prop_assert_eq!(value(number::bsl(&n(a), &n(s.into())))?, IBig::from(a << s));
        prop_assert_eq!(value(number::bsr(&n(a), &n(s.into())))?, IBig::from(a >> s));
        prop_assert_eq!(value(number::bsr(&n(a), &n(-i128::from(s))))?, IBig::from(a << s));
        prop_assert_eq!(value(number::bsr(&n(a), &n(200)))?, IBig::from(if a < 0 { -1 } else { 0 }));
    }

    #[test]
    fn compare_matches_i128(a in int(), b in int()) {
        prop_assert_eq!(number::compare(&n(a), &n(b)), a.cmp(&b));
        prop_assert_eq!(number::eq_exact(&n(a), &n(b)), a == b);
    }

    #[test]
    fn bignum_identities(a in big(), b in big()) {
        let (x, y) = (num(&a), num(&b));
        let sum = number::add(&x, &y).expect("sum");
        prop_assert_eq!(value(number::sub(&sum, &y))?, a.clone());
        let product = number::mul(&x, &y).expect("product");
        prop_assert_eq!(value(Ok(product.clone()))?, &a * &b);
        if b != IBig::from(0) {
            prop_assert_eq!(value(number::int_div(&product, &y))?, a.clone());
            let q = number::int_div(&x, &y).expect("quotient");
            let r = number::rem(&x, &y).expect("remainder");
            let back = number::add(&number::mul(&q, &y).expect("q*y"), &r).expect("q*y+r");
            prop_assert_eq!(value(Ok(back))?, a.clone());
            // The remainder takes the dividend's sign and is smaller than the divisor.
            let r = value(Ok(r))?;
            prop_assert!(r == IBig::from(0) || (r < IBig::from(0)) == (a < IBig::from(0)));
        }
        prop_assert_eq!(value(number::bnot(&number::bnot(&x).expect("bnot")))?, a.clone());
        let shifted = number::bsl(&x, &n(77)).expect("bsl");
        prop_assert_eq!(value(number::bsr(&shifted, &n(77)))?, a.clone());
        // De Morgan, in two's complement.
        let lhs = number::bnot(&number::band(&x, &y).expect("band")).expect("bnot");
        let rhs = number::bor(&number::bnot(&x).expect("bnot"), &number::bnot(&y).expect("bnot")).expect("bor");
        prop_assert_eq!(value(Ok(lhs))?, value(Ok(rhs))?);
        prop_assert_eq!(number::compare(&x, &y), a.cmp(&b));
    }

    #[test]
    fn int_float_comparison_is_exact(a in int(), delta in -3i128..3) {
        // f is an integral float near a; compare must see the exact values.
        let f = (a + delta) as f64;
        let exact = f as i128; // f is integral and below 2^101
        prop_assert_eq!(number::compare(&n(a), &Number::Float(f)), a.cmp(&exact));
        prop_assert_eq!(number::compare(&Number::Float(f), &n(a)), exact.cmp(&a));
        prop_assert_eq!(number::equal(&n(a), &Number::Float(f)), a == exact);
        prop_assert!(!number::eq_exact(&n(a), &Number::Float(f)));
        // With a fraction, the float lies strictly between two integers.
        let g = f + 0.5;
        if g.fract() == 0.5 {
            let below = g.floor() as i128;
            prop_assert_eq!(number::compare(&n(below), &Number::Float(g)), Ordering::Less);
            prop_assert_eq!(number::compare(&n(below + 1), &Number::Float(g)), Ordering::Greater);
        }
    }

    #[test]
    fn integer_text_round_trips(a in int(), base in 2i64..=36) {
        let text = number::integer_to_string(&n(a), &Number::Small(base)).expect("integer_to_list");
        prop_assert!(text.bytes().all(|c| c == b'-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
        let back = number::list_to_integer(text.as_bytes(), &Number::Small(base));
        prop_assert_eq!(value(back)?, IBig::from(a));
        let lower = text.to_lowercase();
        prop_assert_eq!(value(number::list_to_integer(lower.as_bytes(), &Number::Small(base)))?, IBig::from(a));
    }

    #[test]
    fn trunc_round_floor_ceil_are_exact(f in any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |f| f.is_finite())) {
        let x = Number::Float(f);
        for (op, r) in [
            (f.trunc(), number::trunc(&x)),
            (f.round(), number::round(&x)),
            (f.floor(), number::floor(&x)),
            (f.ceil(), number::ceil(&x)),
        ] {
            let r = r.expect("an integer");
            prop_assert!(r.is_integer());
            // The integer equals the integral float exactly.
            prop_assert_eq!(number::compare(&r, &Number::Float(op)), Ordering::Equal);
        }
    }
}
