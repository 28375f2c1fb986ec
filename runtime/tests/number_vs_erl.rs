//! Erlang number semantics and number text against the real BEAM.
//!
//! The test generates tens of thousands of cases (edge values and seeded
//! random ones), writes them as Erlang terms, runs ONE `escript` that computes
//! every answer with BEAM's own operators and BIFs
//! (`number_data/number_oracle.escript`), and checks `coral_runtime::number`
//! and `coral_runtime::float_text` against each answer. No expected value is
//! stored anywhere: BEAM produces them all on every run. Without `escript` on
//! the PATH the test fails.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use coral_runtime::float_text;
use coral_runtime::number::{self, FloatFormat, MAX_BIG_BITS, Number, NumberError};
use dashu_int::IBig;

/// splitmix64: a small seeded generator, so every run checks the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// An operand, as both sides build it.
#[derive(Clone, Debug)]
enum Operand {
    Int(IBig),
    Float(f64),
    /// (+-2^k) + add: integers too large to write into the case file.
    Pow2 {
        k: u32,
        neg: bool,
        add: i64,
    },
}

impl Operand {
    fn number(&self) -> Number {
        match self {
            Operand::Int(i) => number::Number::from_ibig(i.clone()).expect("operand within limit"),
            Operand::Float(f) => Number::Float(*f),
            Operand::Pow2 { k, neg, add } => {
                let p = IBig::from(1) << (*k as usize);
                let p = if *neg { -p } else { p };
                Number::from_ibig(p + IBig::from(*add)).expect("operand within limit")
            }
        }
    }
    fn erlang(&self) -> String {
        match self {
            Operand::Int(i) => format!("{{i,{i}}}"),
            Operand::Float(f) => format!("{{f,{}}}", f.to_bits()),
            Operand::Pow2 { k, neg, add } => format!("{{p2,{k},{neg},{add}}}"),
        }
    }
}

fn int(v: i128) -> Operand {
    Operand::Int(IBig::from(v))
}

fn pow2(k: usize) -> IBig {
    IBig::from(1) << k
}

#[derive(Clone, Debug)]
enum FloatOpt {
    Short,
    Compact,
    Decimals(Operand),
    Scientific(Operand),
}

#[derive(Clone, Debug)]
enum Case {
    Binary(&'static str, Operand, Operand),
    Unary(&'static str, Operand),
    Cmp(Operand, Operand),
    Max(Operand, Operand),
    Min(Operand, Operand),
    KeyOrder(Operand, Operand),
    IntToList(Operand, Operand),
    ListToInt(Vec<u8>, Operand),
    ListToFloat(Vec<u8>),
    FloatToList(f64, Option<Vec<FloatOpt>>),
    FormatP(f64),
    FormatW(f64),
    Display(f64),
}

impl Case {
    /// The category the summary counts the case under.
    fn category(&self) -> String {
        match self {
            Case::Binary(op, ..) => {
                let group = match *op {
                    "bsl" | "bsr" => "shift",
                    "band" | "bor" | "bxor" => "bitwise",
                    _ => "arith",
                };
                format!("{group} {op}")
            }
            Case::Unary(op, _) => format!("unary {op}"),
            Case::Cmp(..) => "compare < == =:=".into(),
            Case::Max(..) => "max".into(),
            Case::Min(..) => "min".into(),
            Case::KeyOrder(..) => "map key order".into(),
            Case::IntToList(..) => "integer_to_list/2".into(),
            Case::ListToInt(..) => "list_to_integer/2".into(),
            Case::ListToFloat(..) => "list_to_float/1".into(),
            Case::FloatToList(_, None) => "float_to_list/1".into(),
            Case::FloatToList(_, Some(opts)) => {
                let mut name = String::from("float_to_list/2");
                for o in opts {
                    name.push_str(match o {
                        FloatOpt::Short => " short",
                        FloatOpt::Compact => " compact",
                        FloatOpt::Decimals(_) => " decimals",
                        FloatOpt::Scientific(_) => " scientific",
                    });
                }
                name
            }
            Case::FormatP(_) => "io_lib ~p float".into(),
            Case::FormatW(_) => "io_lib ~w float".into(),
            Case::Display(_) => "erlang:display float".into(),
        }
    }

    fn erlang(&self) -> String {
        let chars = |s: &[u8]| {
            let items: Vec<String> = s.iter().map(|c| c.to_string()).collect();
            format!("[{}]", items.join(","))
        };
        match self {
            Case::Binary(op, a, b) => format!("{{binary,'{op}',{},{}}}", a.erlang(), b.erlang()),
            Case::Unary(op, a) => format!("{{unary,'{op}',{}}}", a.erlang()),
            Case::Cmp(a, b) => format!("{{cmp,{},{}}}", a.erlang(), b.erlang()),
            Case::Max(a, b) => format!("{{max,{},{}}}", a.erlang(), b.erlang()),
            Case::Min(a, b) => format!("{{min,{},{}}}", a.erlang(), b.erlang()),
            Case::KeyOrder(a, b) => format!("{{keyorder,{},{}}}", a.erlang(), b.erlang()),
            Case::IntToList(i, base) => format!("{{i2l,{},{}}}", i.erlang(), base.erlang()),
            Case::ListToInt(s, base) => format!("{{l2i,{},{}}}", chars(s), base.erlang()),
            Case::ListToFloat(s) => format!("{{l2f,{}}}", chars(s)),
            Case::FloatToList(f, None) => format!("{{f2l,{},none}}", Operand::Float(*f).erlang()),
            Case::FloatToList(f, Some(opts)) => {
                let opts: Vec<String> = opts
                    .iter()
                    .map(|o| match o {
                        FloatOpt::Short => "short".to_string(),
                        FloatOpt::Compact => "compact".to_string(),
                        FloatOpt::Decimals(n) => format!("{{decimals,{}}}", n.erlang()),
                        FloatOpt::Scientific(n) => format!("{{scientific,{}}}", n.erlang()),
                    })
                    .collect();
                format!(
                    "{{f2l,{},[{}]}}",
                    Operand::Float(*f).erlang(),
                    opts.join(",")
                )
            }
            Case::FormatP(f) => format!("{{fmt_p,{}}}", Operand::Float(*f).erlang()),
            Case::FormatW(f) => format!("{{fmt_w,{}}}", Operand::Float(*f).erlang()),
            Case::Display(f) => format!("{{display,{}}}", Operand::Float(*f).erlang()),
        }
    }

    /// Coral's answer, rendered as the oracle renders BEAM's.
    fn coral(&self) -> String {
        match self {
            Case::Binary(op, a, b) => {
                let (a, b) = (a.number(), b.number());
                let f = match *op {
                    "+" => number::add,
                    "-" => number::sub,
                    "*" => number::mul,
                    "/" => number::fdiv,
                    "div" => number::int_div,
                    "rem" => number::rem,
                    "band" => number::band,
                    "bor" => number::bor,
                    "bxor" => number::bxor,
                    "bsl" => number::bsl,
                    "bsr" => number::bsr,
                    other => panic!("no binary operator {other}"),
                };
                render_result(f(&a, &b))
            }
            Case::Unary(op, a) => {
                let a = a.number();
                let f = match *op {
                    "-" => number::neg,
                    "bnot" => number::bnot,
                    "abs" => number::abs,
                    "float" => number::float,
                    "trunc" => number::trunc,
                    "round" => number::round,
                    "floor" => number::floor,
                    "ceil" => number::ceil,
                    other => panic!("no unary operator {other}"),
                };
                render_result(f(&a))
            }
            Case::Cmp(a, b) => {
                let (a, b) = (a.number(), b.number());
                let order = match number::compare(&a, &b) {
                    std::cmp::Ordering::Less => "lt",
                    std::cmp::Ordering::Equal => "eq",
                    std::cmp::Ordering::Greater => "gt",
                };
                format!("s:{order},{}", number::eq_exact(&a, &b))
            }
            Case::Max(a, b) => render_number(&number::max(&a.number(), &b.number())),
            Case::Min(a, b) => render_number(&number::min(&a.number(), &b.number())),
            Case::KeyOrder(a, b) => {
                let (a, b) = (a.number(), b.number());
                if number::eq_exact(&a, &b) {
                    "s:same".into()
                } else if number::compare_exact(&a, &b) == std::cmp::Ordering::Less {
                    "s:first".into()
                } else {
                    "s:second".into()
                }
            }
            Case::IntToList(i, base) => {
                render_text(number::integer_to_string(&i.number(), &base.number()))
            }
            Case::ListToInt(s, base) => render_result(number::list_to_integer(s, &base.number())),
            Case::ListToFloat(s) => render_result(number::list_to_float(s).map(Number::Float)),
            Case::FloatToList(f, opts) => {
                let mut format = FloatFormat::new();
                let mut parsed = Ok(());
                for o in opts.iter().flatten() {
                    parsed = parsed.and_then(|()| match o {
                        FloatOpt::Short => {
                            format.short();
                            Ok(())
                        }
                        FloatOpt::Compact => {
                            format.compact();
                            Ok(())
                        }
                        FloatOpt::Decimals(n) => format.decimals(&n.number()),
                        FloatOpt::Scientific(n) => format.scientific(&n.number()),
                    });
                }
                render_text(parsed.and_then(|()| number::float_to_string(*f, &format)))
            }
            Case::FormatP(f) | Case::FormatW(f) => format!("s:{}", float_text::shortest(*f)),
            Case::Display(f) => format!("s:{}", float_text::display(*f)),
        }
    }
}

fn render_error(e: NumberError) -> String {
    format!("e:error:{}", e.reason())
}

fn render_text(r: Result<String, NumberError>) -> String {
    match r {
        Ok(s) => format!("s:{s}"),
        Err(e) => render_error(e),
    }
}

fn render_result(r: Result<Number, NumberError>) -> String {
    match r {
        Ok(n) => render_number(&n),
        Err(e) => render_error(e),
    }
}

fn render_number(n: &Number) -> String {
    match n {
        Number::Float(f) => format!("f:{:X}", f.to_bits()),
        _ => {
            let i = n.to_ibig().expect("integer");
            let (sign, words) = i.as_sign_words();
            let bits = match words.last() {
                None => 0,
                Some(top) => (words.len() - 1) * 64 + 64 - top.leading_zeros() as usize,
            };
            if bits <= 10_000 {
                return format!("i:{i}");
            }
            let magnitude = if sign == dashu_int::Sign::Negative {
                -i.clone()
            } else {
                i.clone()
            };
            let high = &magnitude >> (bits - 64);
            let sign = if sign == dashu_int::Sign::Negative {
                "-"
            } else {
                "+"
            };
            format!("I:{sign}{bits}:{:x}:{:x}", words[0], high)
        }
    }
}

fn int_pool(rng: &mut Rng) -> Vec<IBig> {
    let small_max = IBig::from(number::SMALL_MAX);
    let small_min = IBig::from(number::SMALL_MIN);
    let mut v: Vec<IBig> = [0i128, 1, -1, 2, -2, 3, -3, 7, 10, 255, -256, 1000, -65535]
        .iter()
        .map(|&x| IBig::from(x))
        .collect();
    let p53 = pow2(53);
    let p64 = pow2(64);
    v.extend([
        &p53 - 1,
        p53.clone(),
        &p53 + 1,
        -(&p53 + IBig::from(1)),
        small_max.clone(),
        &small_max + 1,
        small_min.clone(),
        &small_min - 1,
        pow2(59) + 1,
        pow2(62),
        pow2(63) - 1,
        pow2(63),
        -pow2(63),
        -pow2(63) - 1,
        &p64 - 1,
        p64.clone(),
        &p64 + 1,
        -p64.clone(),
        // Folding the digits with a rounding at each step (BEAM's bignum to
        // float conversion) differs from rounding once here.
        &p64 + pow2(63) + pow2(11) + 1,
        -(&p64 * IBig::from(5) + pow2(63) + pow2(10) + IBig::from(1)),
        pow2(127),
        IBig::from(10).pow(20),
        -IBig::from(10).pow(20),
        IBig::from(10).pow(100) + 7,
        pow2(1023),
        // 2^1024 - 2^970 is halfway between the largest float and 2^1024.
        pow2(1024) - pow2(970),
        pow2(1024) - pow2(970) - 1,
        pow2(1024) - 1,
        pow2(1024),
        -pow2(1024),
    ]);
    for _ in 0..6 {
        v.push(IBig::from(rng.range(number::SMALL_MIN, number::SMALL_MAX)));
    }
    for _ in 0..4 {
        v.push(IBig::from(rng.range(-100_000, 100_000)));
    }
    for words in [2usize, 3, 5, 16] {
        let mut x = IBig::from(0);
        for _ in 0..words {
            x = (x << 64) + IBig::from(rng.next());
        }
        if rng.below(2) == 0 {
            x = -x;
        }
        v.push(x);
    }
    v
}

fn float_pool(rng: &mut Rng) -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        0.1,
        0.2,
        0.1 + 0.2,
        1.0 / 3.0,
        0.49999999999999994,
        4503599627370495.5,
        -4503599627370495.5,
        9007199254740991.0,
        9007199254740992.0,
        9007199254740994.0,
        9_223_372_036_854_775_808.0,
        18_446_744_073_709_551_616.0,
        2.7670116110564327e19,
        1e15,
        1e16,
        1e17,
        1e20,
        1e21,
        1e22,
        1e23,
        1e300,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        2.2250738585072e-308,
        1e-4,
        1e-5,
        1.5e-5,
        0.00012,
        0.001234,
        123456789.0,
        1234567890.0,
        12345678901.0,
        1234567890123456.0,
        12345678901234567.0,
        1.5e9,
        1.5e10,
        1e9,
        1e10,
        100.0,
        1000.0,
        0.145,
        0.125,
        -0.125,
        1.005,
        2.675,
        0.5e-10,
        -123.456,
        8.98846567431158e307,
    ];
    for _ in 0..20 {
        v.push(random_float(rng));
    }
    v
}

/// A random finite float from one of several shapes.
fn random_float(rng: &mut Rng) -> f64 {
    let sign = if rng.below(2) == 0 { 1.0 } else { -1.0 };
    match rng.below(6) {
        // Any finite bit pattern, subnormals included.
        0 => loop {
            let f = f64::from_bits(rng.next());
            if f.is_finite() {
                return f;
            }
        },
        // A short decimal at a random scale: digits that print back as typed.
        1 => {
            let digits = rng.range(1, 17) as u32;
            let m = rng.below(10u64.pow(digits)).max(1);
            let e = rng.range(-25, 25);
            format!("{m}e{e}").parse::<f64>().unwrap_or(1.0) * sign
        }
        // Near the edges of the plain-notation window.
        2 => {
            let digits = rng.range(1, 17) as u32;
            let m = rng.below(10u64.pow(digits)).max(1);
            let e = rng.range(-8, 20) - digits as i64;
            format!("{m}e{e}").parse::<f64>().unwrap_or(1.0) * sign
        }
        // Integers around 2^53 and other powers of two.
        3 => {
            let base = 2f64.powi(rng.range(40, 70) as i32);
            let f = base + rng.range(-8, 8) as f64 * (base * f64::EPSILON);
            f * sign
        }
        // Moderate values with a fraction.
        4 => (rng.next() >> 11) as f64 / (1u64 << rng.range(0, 52)) as f64 * sign,
        // Tiny and huge magnitudes.
        _ => {
            let e = rng.range(-323, 308) as i32;
            let f = (1.0 + (rng.next() >> 12) as f64 / (1u64 << 52) as f64) * 10f64.powi(e);
            if f.is_finite() { f * sign } else { sign }
        }
    }
}

fn generate(rng: &mut Rng) -> Vec<Case> {
    let mut cases = Vec::new();
    let ints = int_pool(rng);
    let floats = float_pool(rng);

    // Operands for the binary operators: every pair of a mixed pool.
    let mut core: Vec<Operand> = ints.iter().cloned().map(Operand::Int).collect();
    core.extend(floats.iter().take(40).map(|&f| Operand::Float(f)));
    let binary_ops = [
        "+", "-", "*", "/", "div", "rem", "band", "bor", "bxor", "bsl", "bsr",
    ];
    for op in binary_ops {
        for a in &core {
            // Shift counts come from their own pool below.
            if op == "bsl" || op == "bsr" {
                continue;
            }
            for b in &core {
                if rng.below(8) == 0 {
                    cases.push(Case::Binary(op, a.clone(), b.clone()));
                }
            }
        }
    }
    // Shifts: every integer and a few floats by counts around word and
    // small-integer sizes, huge counts, bignum counts and float counts.
    let counts: Vec<Operand> = [
        -2000i128,
        -70,
        -65,
        -64,
        -63,
        -59,
        -1,
        0,
        1,
        3,
        31,
        59,
        60,
        63,
        64,
        65,
        127,
        128,
        1000,
        100_000_000,
        number::SMALL_MAX as i128,
        number::SMALL_MIN as i128,
    ]
    .iter()
    .map(|&c| int(c))
    .chain([
        Operand::Int(pow2(64)),
        Operand::Int(-pow2(64)),
        Operand::Float(1.0),
    ])
    .collect();
    for op in ["bsl", "bsr"] {
        for a in core.iter().filter(|a| !matches!(a, Operand::Float(_))) {
            for c in &counts {
                cases.push(Case::Binary(op, a.clone(), c.clone()));
            }
        }
        for a in [Operand::Float(1.0), Operand::Float(-0.0)] {
            cases.push(Case::Binary(op, a, int(1)));
        }
    }
    limit_cases(&mut cases);

    // Random pairs of integers and floats of every kind.
    for _ in 0..2000 {
        let a = random_operand(rng, &ints, &floats);
        let b = random_operand(rng, &ints, &floats);
        let op = *rng.pick(&binary_ops);
        cases.push(Case::Binary(op, a, b));
    }

    // Unary operators and the numeric BIFs.
    let unary_ops = [
        "-", "bnot", "abs", "float", "trunc", "round", "floor", "ceil",
    ];
    let mut unary_operands: Vec<Operand> = ints.iter().cloned().map(Operand::Int).collect();
    unary_operands.extend(floats.iter().map(|&f| Operand::Float(f)));
    for _ in 0..300 {
        unary_operands.push(Operand::Float(random_float(rng)));
    }
    for op in unary_ops {
        for a in &unary_operands {
            cases.push(Case::Unary(op, a.clone()));
        }
    }

    // Comparisons: a mixed pool plus integers next to floats of nearly the
    // same value.
    let mut cmp_pool: Vec<Operand> = ints.iter().cloned().map(Operand::Int).collect();
    cmp_pool.extend(floats.iter().map(|&f| Operand::Float(f)));
    for i in &ints {
        if let Some(f) = Number::from_ibig(i.clone()).ok().and_then(|n| n.to_f64()) {
            // The floats on either side of it (away from and toward zero).
            for g in [
                f,
                f64::from_bits(f.to_bits() + 1),
                f64::from_bits(f.to_bits().wrapping_sub(1)),
            ] {
                if g.is_finite() && f != 0.0 {
                    cmp_pool.push(Operand::Float(g));
                }
            }
        }
    }
    for a in &cmp_pool {
        for b in &cmp_pool {
            match rng.below(40) {
                0 => cases.push(Case::Cmp(a.clone(), b.clone())),
                1 => cases.push(Case::Max(a.clone(), b.clone())),
                2 => cases.push(Case::Min(a.clone(), b.clone())),
                3 => cases.push(Case::KeyOrder(a.clone(), b.clone())),
                _ => {}
            }
        }
    }
    // Equal values of both kinds, in both argument orders.
    for i in &ints {
        if let Some(f) = Number::from_ibig(i.clone()).ok().and_then(|n| n.to_f64()) {
            let (a, b) = (Operand::Int(i.clone()), Operand::Float(f));
            for (x, y) in [(a.clone(), b.clone()), (b, a)] {
                cases.push(Case::Cmp(x.clone(), y.clone()));
                cases.push(Case::Max(x.clone(), y.clone()));
                cases.push(Case::Min(x.clone(), y.clone()));
                cases.push(Case::KeyOrder(x, y));
            }
        }
    }

    integer_text_cases(rng, &ints, &mut cases);
    float_text_cases(rng, &floats, &mut cases);
    cases
}

fn random_operand(rng: &mut Rng, ints: &[IBig], floats: &[f64]) -> Operand {
    match rng.below(5) {
        0 => Operand::Int(rng.pick(ints).clone()),
        1 => Operand::Float(*rng.pick(floats)),
        2 => Operand::Float(random_float(rng)),
        3 => int(rng.range(-1000, 1000) as i128),
        _ => {
            let mut x = IBig::from(rng.next() >> rng.below(64));
            for _ in 0..rng.below(4) {
                x = (x << 64) + IBig::from(rng.next());
            }
            Operand::Int(if rng.below(2) == 0 { x } else { -x })
        }
    }
}

/// Results at the bignum size limit.
fn limit_cases(cases: &mut Vec<Case>) {
    let max = MAX_BIG_BITS as u32;
    let p = |k: u32, neg: bool, add: i64| Operand::Pow2 { k, neg, add };
    for (x, n) in [
        (int(1), max as i128 - 1),
        (int(1), max as i128),
        (int(3), max as i128 - 2),
        (int(3), max as i128 - 1),
        (int(-1), max as i128 - 1),
        (int(-1), max as i128),
        (int(-2), max as i128 - 2),
        (Operand::Int(pow2(64)), max as i128 - 65),
        (Operand::Int(pow2(64)), max as i128 - 64),
    ] {
        cases.push(Case::Binary("bsl", x.clone(), int(n)));
        cases.push(Case::Binary("bsr", x, int(-n)));
    }
    let top = p(max - 1, false, 0); // 2^(max-1): the largest power of two
    let all_ones = p(max, false, -1); // 2^max - 1: the largest bignum
    cases.push(Case::Binary("+", top.clone(), top.clone()));
    cases.push(Case::Binary(
        "+",
        p(max - 1, false, -1),
        p(max - 1, false, -1),
    ));
    cases.push(Case::Binary("*", top.clone(), int(2)));
    cases.push(Case::Binary("-", p(max - 1, true, 0), top.clone()));
    cases.push(Case::Binary("+", all_ones.clone(), int(1)));
    cases.push(Case::Binary("-", p(max, true, 1), int(1)));
    cases.push(Case::Binary("*", all_ones.clone(), int(1)));
    cases.push(Case::Binary("*", all_ones.clone(), int(-1)));
    // (Products of two huge factors are left out: BEAM takes minutes on them.)
    cases.push(Case::Binary("band", all_ones.clone(), int(-1)));
    cases.push(Case::Binary("bor", p(max, true, 1), int(1)));
    cases.push(Case::Binary("bxor", p(max, true, 1), int(-1)));
    cases.push(Case::Binary("div", all_ones.clone(), int(-1)));
    cases.push(Case::Binary("bsr", all_ones.clone(), int(1)));
    cases.push(Case::Binary("bsl", all_ones.clone(), int(1)));
    cases.push(Case::Unary("bnot", all_ones.clone()));
    cases.push(Case::Unary("bnot", p(max, true, 1)));
    cases.push(Case::Unary("-", all_ones.clone()));
    cases.push(Case::Unary("float", top.clone()));
    cases.push(Case::Binary("+", top, Operand::Float(1.0)));
}

fn integer_text_cases(rng: &mut Rng, ints: &[IBig], cases: &mut Vec<Case>) {
    let bases: Vec<Operand> = [2i128, 3, 7, 8, 10, 16, 36]
        .iter()
        .map(|&b| int(b))
        .collect();
    let bad_bases = [
        int(1),
        int(37),
        int(0),
        int(-10),
        Operand::Float(10.0),
        Operand::Int(pow2(64) + 10),
    ];
    for i in ints {
        for b in &bases {
            cases.push(Case::IntToList(Operand::Int(i.clone()), b.clone()));
        }
    }
    for b in &bad_bases {
        cases.push(Case::IntToList(int(10), b.clone()));
    }
    cases.push(Case::IntToList(Operand::Float(1.0), int(10)));
    for _ in 0..300 {
        let i = match rng.below(3) {
            0 => IBig::from(rng.next() as i64),
            1 => IBig::from(rng.range(-40, 40)),
            _ => (IBig::from(rng.next()) << 64) + IBig::from(rng.next()),
        };
        cases.push(Case::IntToList(
            Operand::Int(i),
            int(rng.range(2, 36) as i128),
        ));
    }

    // list_to_integer: the text of valid numbers in random case, with signs
    // and leading zeros, and random junk.
    let l2i_bases: Vec<i128> = vec![2, 8, 10, 16, 36];
    for i in ints {
        let b = *rng.pick(&l2i_bases);
        let text = format!("{}", i.in_radix(b as u32));
        let text = if rng.below(2) == 0 {
            text.to_uppercase()
        } else {
            text
        };
        cases.push(Case::ListToInt(text.clone().into_bytes(), int(b)));
        cases.push(Case::ListToInt(format!("+{text}").into_bytes(), int(b)));
        cases.push(Case::ListToInt(format!("000{text}").into_bytes(), int(b)));
    }
    let alphabet = b"0123456789abcdefzAFZ+- _.\x00";
    for _ in 0..1200 {
        let len = rng.below(8) as usize;
        let text: Vec<u8> = (0..len).map(|_| *rng.pick(alphabet)).collect();
        let base = int(*rng.pick(&[2i128, 10, 16, 36]));
        cases.push(Case::ListToInt(text, base));
    }
    for text in [
        "",
        "+",
        "-",
        "+-1",
        "-+1",
        "--1",
        "++1",
        " 1",
        "1 ",
        "1_000",
        "0x10",
        "-0",
        "+0",
        "99999999999999999999999999999999999999999",
        "-576460752303423488",
        "-576460752303423489",
        "576460752303423487",
        "576460752303423488",
        "18446744073709551616",
    ] {
        cases.push(Case::ListToInt(text.as_bytes().to_vec(), int(10)));
    }
    for b in &bad_bases {
        cases.push(Case::ListToInt(b"10".to_vec(), b.clone()));
    }
}

fn float_text_cases(rng: &mut Rng, floats: &[f64], cases: &mut Vec<Case>) {
    let mut all: Vec<f64> = floats.to_vec();
    for _ in 0..200 {
        all.push(random_float(rng));
    }
    let dec = |n: i128| FloatOpt::Decimals(int(n));
    let sci = |n: i128| FloatOpt::Scientific(int(n));
    let mut option_sets: Vec<Option<Vec<FloatOpt>>> = vec![None, Some(vec![])];
    option_sets.push(Some(vec![FloatOpt::Short]));
    option_sets.push(Some(vec![FloatOpt::Compact]));
    for n in [0, 1, 2, 3, 5, 10, 15, 17, 18, 19, 20, 30, 100] {
        option_sets.push(Some(vec![dec(n)]));
        option_sets.push(Some(vec![dec(n), FloatOpt::Compact]));
    }
    for n in [0, 1, 2, 5, 10, 17, 20, 30, 100, -1] {
        option_sets.push(Some(vec![sci(n)]));
    }
    // Option order, truncation of the count to a C int, and bad options.
    option_sets.extend([
        Some(vec![dec(2), FloatOpt::Short]),
        Some(vec![FloatOpt::Short, dec(2)]),
        Some(vec![sci(3), dec(2)]),
        Some(vec![dec(2), sci(3)]),
        Some(vec![FloatOpt::Compact, sci(3)]),
        Some(vec![FloatOpt::Compact, FloatOpt::Short]),
        Some(vec![dec(1 << 32 | 2)]),
        Some(vec![sci(1 << 32 | 3)]),
        Some(vec![dec(1 << 31)]),
        Some(vec![sci(1 << 31)]),
        Some(vec![dec(-1)]),
        Some(vec![sci(-5)]),
        Some(vec![dec(253)]),
        Some(vec![dec(254)]),
        Some(vec![sci(249)]),
        Some(vec![sci(250)]),
        Some(vec![dec(number::SMALL_MAX as i128)]),
        Some(vec![FloatOpt::Decimals(Operand::Int(pow2(64)))]),
        Some(vec![FloatOpt::Scientific(Operand::Float(2.0))]),
    ]);
    for &f in &all {
        cases.push(Case::FormatP(f));
        cases.push(Case::FormatW(f));
        cases.push(Case::Display(f));
        for opts in &option_sets {
            // Every option set for the pool; a third of them for random floats.
            if floats.contains(&f) || rng.below(3) == 0 {
                cases.push(Case::FloatToList(f, opts.clone()));
            }
        }
    }
    // Many more floats through the shortest printer, with emphasis on the
    // plain/scientific window edges.
    for _ in 0..3000 {
        let f = random_float(rng);
        cases.push(Case::FloatToList(f, Some(vec![FloatOpt::Short])));
        if rng.below(4) == 0 {
            cases.push(Case::FormatP(f));
        }
    }
    for k in -25..=25 {
        for m in [1.0, 1.5, 9.999999999999999, 1.2345678901234567] {
            let f: f64 = format!("{m}e{k}").parse().unwrap_or(1.0);
            cases.push(Case::FormatP(f));
            cases.push(Case::FloatToList(f, Some(vec![FloatOpt::Short])));
            cases.push(Case::FloatToList(f, Some(vec![dec(4)])));
        }
    }

    // list_to_float: printed floats read back, edge syntax and random junk.
    for &f in all.iter().take(150) {
        for text in [
            float_text::shortest(f),
            float_text::printf_e(f, 20),
            float_text::printf_e(f, 3).to_uppercase(),
        ] {
            cases.push(Case::ListToFloat(text.into_bytes()));
        }
    }
    for text in [
        "1.0",
        "+1.5",
        "-0.0",
        "1,5",
        "1e5",
        "1.e5",
        ".5",
        "1.",
        "1.0e",
        "1.0e+",
        "1.0e-5",
        "1.0E+05",
        " 1.0",
        "1.0 ",
        "1.0x",
        "1.0e400",
        "1.0e-400",
        "4.9e-324",
        "2.4e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "0.0e99999999999",
        "1.0e99999999999",
        "inf",
        "nan",
        "1.0e5.0",
        "1..0",
        "--1.0",
        "+-1.0",
        "1.0\u{0}x",
        "1.\u{0}0",
        "",
        "9007199254740993.0",
        "0.30000000000000004",
    ] {
        cases.push(Case::ListToFloat(text.as_bytes().to_vec()));
    }
    let long = format!("1.{}1", "0".repeat(500));
    cases.push(Case::ListToFloat(long.into_bytes()));
    let alphabet = b"0123456789.,eE+- x\x00";
    for _ in 0..1500 {
        let len = rng.below(9) as usize;
        let text: Vec<u8> = (0..len).map(|_| *rng.pick(alphabet)).collect();
        cases.push(Case::ListToFloat(text));
    }
    // Mostly well-formed random texts.
    for _ in 0..500 {
        let mut text = String::new();
        if rng.below(3) == 0 {
            text.push(*rng.pick(&['+', '-']));
        }
        let _ = write!(
            text,
            "{}.{}",
            rng.below(1_000_000),
            rng.below(1_000_000_000)
        );
        if rng.below(2) == 0 {
            let _ = write!(
                text,
                "{}{}{}",
                rng.pick(&['e', 'E']),
                rng.pick(&["", "+", "-"]),
                rng.below(400)
            );
        }
        cases.push(Case::ListToFloat(text.into_bytes()));
    }
}

/// A scratch directory, removed however the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn oracle_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/number_data/number_oracle.escript")
}

#[test]
fn numbers_match_beam() {
    let start = std::time::Instant::now();
    let mut rng = Rng(0x00C0_4A1D_5EED_2025);
    let cases = generate(&mut rng);
    let generated = start.elapsed();

    let scratch =
        Scratch(std::env::temp_dir().join(format!("coral-number-vs-erl-{}", std::process::id())));
    let dir = &scratch.0;
    std::fs::create_dir_all(dir).expect("create a scratch directory");
    let input = dir.join("cases.eterm");
    let output = dir.join("answers.txt");
    let mut text = String::new();
    for (id, case) in cases.iter().enumerate() {
        let _ = writeln!(text, "{{{id},{}}}.", case.erlang());
    }
    std::fs::write(&input, text).expect("write the cases");

    let run = Command::new("escript")
        .arg(oracle_script())
        .arg(&input)
        .arg(&output)
        .output();
    let run = match run {
        Ok(run) => run,
        Err(e) => panic!(
            "cannot run `escript` ({e}): Erlang/OTP must be installed for this test \
             (apt-get install erlang-nox)"
        ),
    };
    assert!(
        run.status.success(),
        "the BEAM oracle failed: {}\n{}{}",
        run.status,
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let answered = start.elapsed();
    let answers = std::fs::read_to_string(&output).expect("read the oracle's answers");
    let mut expected: Vec<Option<&str>> = vec![None; cases.len()];
    for line in answers.lines() {
        if let Some((id, answer)) = line.split_once('\t')
            && let Ok(id) = id.parse::<usize>()
            && id < expected.len()
        {
            expected[id] = Some(answer);
        }
    }

    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (id, case) in cases.iter().enumerate() {
        let entry = tally.entry(case.category()).or_default();
        entry.0 += 1;
        let Some(want) = expected[id] else {
            failures.push(format!("#{id} {}: BEAM gave no answer", case.erlang()));
            continue;
        };
        let got = case.coral();
        if got == want {
            entry.1 += 1;
        } else {
            // Show at most a few per category, so that every kind of
            // difference is visible.
            if entry.0 - entry.1 <= 4 {
                failures.push(format!(
                    "#{id} [{}] {}\n    BEAM:  {want}\n    Coral: {got}",
                    case.category(),
                    case.erlang()
                ));
            } else {
                failures.push(String::new());
            }
        }
    }
    let mut summary = String::from("category: passed/cases\n");
    for (category, (total, passed)) in &tally {
        let _ = writeln!(summary, "  {category}: {passed}/{total}");
    }
    let _ = writeln!(
        summary,
        "total: {}/{}",
        cases.len() - failures.len(),
        cases.len()
    );
    println!(
        "{summary}timing: generate {:.1?}, BEAM {:.1?}, check {:.1?}",
        generated,
        answered - generated,
        start.elapsed() - answered
    );
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().filter(|f| !f.is_empty()).take(60).collect();
        panic!(
            "{} of {} cases differ from BEAM; the first {}:\n{}\n{summary}",
            failures.len(),
            cases.len(),
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
