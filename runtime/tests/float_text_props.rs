//! Properties of float text: every printed form reads back as the same float,
//! and the shortest form has Erlang's float syntax.

use coral_runtime::float_text;
use coral_runtime::number::list_to_float;
use proptest::prelude::*;

/// Any finite float, subnormals and both zeros included.
fn finite() -> impl Strategy<Value = f64> {
    any::<u64>()
        .prop_map(f64::from_bits)
        .prop_filter("finite", |f| f.is_finite())
}

/// Floats near the places where the printed form changes shape: powers of
/// ten and of two, and integers around 2^53.
fn edgy() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-30i32..30, 1u64..100_000).prop_map(|(e, m)| m as f64 * 10f64.powi(e)),
        (40i32..70, -4i64..4).prop_map(|(e, d)| {
            let base = 2f64.powi(e);
            base + d as f64 * base * f64::EPSILON
        }),
        (1u64..(1 << 53)).prop_map(|m| m as f64),
    ]
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8_000))]

    #[test]
    fn shortest_reads_back(f in prop_oneof![finite(), edgy()]) {
        let text = float_text::shortest(f);
        // Rust's parser and the list_to_float syntax both accept it.
        let parsed: f64 = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert!(same(parsed, f), "{} read back as {}", text, parsed);
        let listed = list_to_float(text.as_bytes());
        prop_assert!(matches!(listed, Ok(g) if same(g, f)), "list_to_float({}) = {:?}", text, listed);
    }

    #[test]
    fn shortest_has_erlang_float_syntax(f in prop_oneof![finite(), edgy()]) {
        let text = float_text::shortest(f);
        let unsigned = text.strip_prefix('-').unwrap_or(&text);
        let (mantissa, exponent) = match unsigned.split_once('e') {
            Some((m, e)) => (m, Some(e)),
            None => (unsigned, None),
        };
        let (whole, fraction) = mantissa.split_once('.').ok_or_else(|| TestCaseError::fail(text.clone()))?;
        prop_assert!(!whole.is_empty() && whole.bytes().all(|c| c.is_ascii_digit()), "{}", text);
        prop_assert!(!fraction.is_empty() && fraction.bytes().all(|c| c.is_ascii_digit()), "{}", text);
        if let Some(e) = exponent {
            // Scientific form: one digit before the point, no '+' in the exponent.
            prop_assert_eq!(whole.len(), 1, "{}", text);
            let digits = e.strip_prefix('-').unwrap_or(e);
            prop_assert!(!digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()), "{}", text);
        }
        prop_assert_eq!(text.starts_with('-'), f.is_sign_negative());
    }

    #[test]
    fn shortest_is_no_longer_than_needed(f in finite()) {
        // No other text with fewer significant digits reads back as f.
        let text = float_text::shortest(f);
        let significant: String = text
            .split('e')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        let significant = significant.trim_start_matches('0').trim_end_matches('0');
        if significant.len() > 1 {
            let shorter = format!("{:.*e}", significant.len() - 2, f);
            let back: f64 = shorter.parse().unwrap_or(f64::NAN);
            prop_assert!(!same(back, f) || f == 0.0, "{} is shorter than {}", shorter, text);
        }
    }

    #[test]
    fn printf_forms_read_back(f in finite()) {
        // %.20e has 21 significant digits, more than the 17 any float needs.
        let text = float_text::printf_e(f, 20);
        prop_assert!(matches!(list_to_float(text.as_bytes()), Ok(g) if same(g, f)), "{}", text);
        let display = float_text::display(f);
        prop_assert!(display.contains("e+") || display.contains("e-"), "{}", display);
    }
}

#[test]
fn placement_examples() {
    // The examples the placement rule was stated with; BEAM's own answers
    // for thousands more are checked by number_vs_erl.rs.
    for (f, text) in [
        (1.0e-5, "1.0e-5"),
        (0.0001, "0.0001"),
        (9007199254740992.0, "9.007199254740992e15"),
        (1234567890123456.0, "1234567890123456.0"),
        (100.0, "100.0"),
        (-0.0, "-0.0"),
    ] {
        assert_eq!(float_text::shortest(f), text);
    }
}
