//! Shared support for the tests that check BIFs and term printing against
//! the real BEAM: a model of argument terms that can be written as Erlang
//! source (for `erl`) and built on a Coral heap, a small deterministic
//! random generator of such terms, and a runner that has one `erl -noshell`
//! evaluate a batch of expressions.

#![allow(dead_code)]

use coral_runtime::atom::Atom;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use dashu_int::IBig;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// A term as the tests describe it.
#[derive(Clone, Debug)]
pub enum E {
    Int(IBig),
    Float(f64),
    Atom(String),
    /// Elements and an optional improper tail.
    List(Vec<E>, Option<Box<E>>),
    Tuple(Vec<E>),
    /// Bytes (the last one's unused low bits zero) and the length in bits.
    Bits(Vec<u8>, usize),
    /// Distinct keys.
    Map(Vec<(E, E)>),
    /// Local pid `<0.Id.Serial>`.
    Pid(u32, u32),
    Port(u64),
    /// Local reference numbers, least significant first.
    Ref([u32; 3]),
    Export(String, String, u8),
}

pub fn int(v: i64) -> E {
    E::Int(IBig::from(v))
}

pub fn atom(s: &str) -> E {
    E::Atom(s.to_string())
}

pub fn list(v: Vec<E>) -> E {
    E::List(v, None)
}

pub fn string(s: &str) -> E {
    list(s.chars().map(|c| int(c as i64)).collect())
}

pub fn bin(bytes: &[u8]) -> E {
    E::Bits(bytes.to_vec(), bytes.len() * 8)
}

pub fn tuple(v: Vec<E>) -> E {
    E::Tuple(v)
}

fn quoted_atom(s: &str, out: &mut String) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => {
                let _ = write!(out, "\\x{{{:X}}}", c as u32);
            }
        }
    }
    out.push('\'');
}

/// A float as Erlang source that reads back as exactly `f`.
pub fn float_source(f: f64) -> String {
    if f == 0.0 && f.is_sign_negative() {
        // A NEW_FLOAT_EXT: OTP 25's parser folds `-0.0` to `0.0`.
        let b = f.to_bits().to_be_bytes();
        let bytes: Vec<String> = b.iter().map(|x| x.to_string()).collect();
        return format!("binary_to_term(<<131,70,{}>>)", bytes.join(","));
    }
    let s = format!("{f:e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let m = if m.contains('.') {
        m.to_string()
    } else {
        format!("{m}.0")
    };
    format!("{m}e{e}")
}

impl E {
    /// Erlang source text that evaluates to this term.
    pub fn source(&self) -> String {
        let mut s = String::new();
        self.write_source(&mut s);
        s
    }

    fn write_source(&self, out: &mut String) {
        match self {
            E::Int(i) => {
                let _ = write!(out, "{i}");
            }
            E::Float(f) => out.push_str(&float_source(*f)),
            E::Atom(a) => quoted_atom(a, out),
            E::List(v, tail) => {
                out.push('[');
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    e.write_source(out);
                }
                if let Some(t) = tail {
                    out.push('|');
                    t.write_source(out);
                }
                out.push(']');
            }
            E::Tuple(v) => {
                out.push('{');
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    e.write_source(out);
                }
                out.push('}');
            }
            E::Bits(bytes, bits) => {
                out.push_str("<<");
                let whole = bits / 8;
                let mut parts: Vec<String> = bytes[..whole].iter().map(|b| b.to_string()).collect();
                let rest = bits % 8;
                if rest > 0 {
                    parts.push(format!("{}:{}", bytes[whole] >> (8 - rest), rest));
                }
                out.push_str(&parts.join(","));
                out.push_str(">>");
            }
            E::Map(kv) => {
                out.push_str("#{");
                for (i, (k, v)) in kv.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    k.write_source(out);
                    out.push_str(" => ");
                    v.write_source(out);
                }
                out.push('}');
            }
            E::Pid(id, serial) => {
                let _ = write!(out, "list_to_pid(\"<0.{id}.{serial}>\")");
            }
            E::Port(n) => {
                let _ = write!(out, "list_to_port(\"#Port<0.{n}>\")");
            }
            E::Ref(n) => {
                let _ = write!(out, "list_to_ref(\"#Ref<0.{}.{}.{}>\")", n[2], n[1], n[0]);
            }
            E::Export(m, f, a) => {
                out.push_str("fun ");
                quoted_atom(m, out);
                out.push(':');
                quoted_atom(f, out);
                let _ = write!(out, "/{a}");
            }
        }
    }

    /// Builds the term on `p`'s heap.
    pub fn build(&self, p: &mut ProcessMemory) -> Term {
        match self {
            E::Int(i) => p.integer(i),
            E::Float(f) => p.float(*f),
            E::Atom(a) => Term::atom(Atom::intern(a).expect("test atoms are valid")),
            E::List(v, tail) => {
                let tail = match tail {
                    Some(t) => t.build(p),
                    None => Term::NIL,
                };
                let els: Vec<Term> = v.iter().map(|e| e.build(p)).collect();
                p.list(&els, tail)
            }
            E::Tuple(v) => {
                let els: Vec<Term> = v.iter().map(|e| e.build(p)).collect();
                p.tuple(&els).expect("test tuples are small")
            }
            E::Bits(bytes, bits) => {
                let b = p.binary(bytes);
                if *bits == bytes.len() * 8 {
                    b
                } else {
                    p.sub_binary(b, 0, *bits).expect("bits within the bytes")
                }
            }
            E::Map(kv) => {
                let pairs: Vec<(Term, Term)> =
                    kv.iter().map(|(k, v)| (k.build(p), v.build(p))).collect();
                coral_runtime::map::from_pairs(p, &pairs)
            }
            E::Pid(id, serial) => {
                Term::local_pid(((*serial as u64) << 32) | *id as u64).expect("pid in range")
            }
            E::Port(n) => Term::local_port(*n).expect("port in range"),
            E::Ref(n) => p.local_ref([n[0] as u64 | ((n[1] as u64) << 32), n[2] as u64]),
            E::Export(m, f, a) => p.export_fun(
                Atom::intern(m).expect("atom"),
                Atom::intern(f).expect("atom"),
                *a,
            ),
        }
    }
}

/// xorshift64*: deterministic, so a failing case can be found again.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

pub const ATOMS: &[&str] = &[
    "a",
    "b",
    "ok",
    "true",
    "false",
    "undefined",
    "hello_World",
    "Abc",
    "_x",
    "a@b",
    "a b",
    "",
    "if",
    "fun",
    "maybe",
    "else",
    "cond",
    "let",
    "é",
    "ÿ",
    "÷x",
    "x÷",
    "ß",
    "Ä",
    "a\nb",
    "'",
    "\\",
    "\u{100}",
    "a\u{7f}",
    "\u{80}",
    "\u{9f}z",
    "\u{a0}",
    "\t",
    "\u{1b}",
    "\u{800}",
    "\u{1F600}",
    "z9_@Z",
    "9",
    "aÀ",
    "a×",
];

pub fn any_atom(r: &mut Rng) -> E {
    atom(r.pick(ATOMS).to_owned())
}

pub fn any_int(r: &mut Rng) -> E {
    match r.below(6) {
        0 => int(r.range(-3, 300)),
        1 => int(r.range(-1_000_000, 1_000_000)),
        2 => int(*r.pick(&[
            (1i64 << 59) - 1,
            -(1i64 << 59),
            1 << 59,
            -(1 << 59) - 1,
            i64::MAX,
            i64::MIN,
            0,
            255,
            256,
            -1,
        ])),
        3 => {
            let mut v = IBig::from(r.next());
            for _ in 0..r.below(4) {
                v = v * IBig::from(r.next()) + IBig::from(r.next());
            }
            if r.chance(50) {
                v = -v;
            }
            E::Int(v)
        }
        _ => int(r.range(0, 40)),
    }
}

pub fn any_float(r: &mut Rng) -> E {
    E::Float(match r.below(6) {
        0 => *r.pick(&[
            0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            0.1,
            1.0e300,
            1.0e-300,
            123456.789,
            1.0e15,
            1.0e16,
            9007199254740992.0,
            0.45,
            1.005,
            5e-324,
            f64::MAX,
            -f64::MAX,
            1.0e22,
            1.0e23,
        ]),
        1 => r.range(-1000, 1000) as f64 / 8.0,
        2 => {
            let f = f64::from_bits(r.next());
            if f.is_finite() { f } else { 1.25 }
        }
        3 => (r.range(-1_000_000, 1_000_000) as f64) / 1000.0,
        4 => (r.next() >> 11) as f64 * 2f64.powi(r.range(-80, 30) as i32),
        _ => r.range(-100, 100) as f64,
    })
}

pub fn any_bits(r: &mut Rng, aligned: bool) -> E {
    let n = r.below(10);
    let bytes: Vec<u8> = (0..n)
        .map(|_| {
            if r.chance(60) {
                r.range(32, 126) as u8
            } else {
                r.next() as u8
            }
        })
        .collect();
    if aligned || r.chance(60) {
        return bin(&bytes);
    }
    let rest = r.range(1, 7) as usize;
    let mut b = bytes;
    b.push((r.next() as u8) & !(0xFFu8 >> rest));
    let bits = (b.len() - 1) * 8 + rest;
    E::Bits(b, bits)
}

pub fn any_string(r: &mut Rng) -> E {
    let n = r.below(8);
    list(
        (0..n)
            .map(|_| match r.below(10) {
                0 => int(r.range(0, 31)),
                1 => int(r.range(127, 300)),
                2 => int(*r.pick(&[9, 10, 13, 34, 92, 39])),
                _ => int(r.range(32, 126)),
            })
            .collect(),
    )
}

/// Any term, nested at most `depth` deep.
pub fn any(r: &mut Rng, depth: usize) -> E {
    let leaf = depth == 0 || r.chance(45);
    if leaf {
        return match r.below(10) {
            0 | 1 => any_int(r),
            2 => any_float(r),
            3 | 4 => any_atom(r),
            5 => any_bits(r, false),
            6 => list(vec![]),
            7 => any_string(r),
            8 => E::Pid(r.range(0, 32767) as u32, r.range(0, 3) as u32),
            _ => match r.below(3) {
                0 => E::Port(r.range(0, 1000) as u64),
                1 => E::Ref([
                    r.range(0, (1 << 18) - 1) as u32,
                    // BEAM's list_to_ref refuses a middle number that is
                    // not a scheduler index of the running node.
                    r.range(0, 2) as u32,
                    r.next() as u32,
                ]),
                _ => E::Export(
                    r.pick(&["lists", "erlang", "A b"]).to_string(),
                    r.pick(&["map", "if", "x y"]).to_string(),
                    r.range(0, 3) as u8,
                ),
            },
        };
    }
    match r.below(4) {
        0 => {
            let n = r.below(5);
            let v = (0..n).map(|_| any(r, depth - 1)).collect();
            let tail = (n > 0 && r.chance(15)).then(|| Box::new(any(r, 0)));
            E::List(v, tail)
        }
        1 => tuple((0..r.below(5)).map(|_| any(r, depth - 1)).collect()),
        2 => {
            let n = r.below(5);
            any_map(r, depth - 1, n)
        }
        _ => any_string(r),
    }
}

/// A map of `n` distinct keys (distinct by source text, which for these
/// generators means distinct by `=:=`).
pub fn any_map(r: &mut Rng, depth: usize, n: usize) -> E {
    let mut seen = std::collections::HashSet::new();
    let mut kv = Vec::new();
    while kv.len() < n {
        let k = if r.chance(50) {
            any(r, depth.min(1))
        } else {
            any_atom(r)
        };
        if let E::Float(f) = k
            && f == 0.0
        {
            continue; // 0.0 and -0.0 are distinct keys only since OTP 27.
        }
        if seen.insert(k.source()) {
            kv.push((k, any(r, depth)));
        }
    }
    E::Map(kv)
}

/// Where `erl` is, or a failure that says what is missing.
pub fn erl() -> &'static str {
    let ok = Command::new("erl")
        .args(["-noshell", "-eval", "halt()."])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "erl (Erlang/OTP) must be installed: it is the oracle for this test"
    );
    "erl"
}

/// A scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coral-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `program` (an Erlang expression sequence ending in `halt()`) in
/// one `erl -noshell`, and returns its standard output.
pub fn run_erl(program: &str) -> Vec<u8> {
    let out = Command::new(erl())
        .args(["-noshell", "-eval", program])
        .output()
        .expect("run erl");
    assert!(
        out.status.success(),
        "erl failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Has `erl` evaluate each expression (one per line of `exprs`) and
/// returns, per expression, `value ~w` of its value or `Class ~w` of the
/// reason it raised, as characters.
pub fn erl_eval_w(name: &str, exprs: &[String]) -> Vec<String> {
    let dir = scratch(name);
    let input = dir.join("exprs.txt");
    let output = dir.join("results.txt");
    std::fs::write(&input, exprs.join("\n")).expect("write exprs");
    let program = format!(
        r#"{{ok, B}} = file:read_file("{inp}"),
        Ls = string:split(unicode:characters_to_list(B), "\n", all),
        Out = [begin
            R = try
                {{ok, Ts, _}} = erl_scan:string(L ++ "."),
                {{ok, Es}} = erl_parse:parse_exprs(Ts),
                Es
            of Exprs ->
                try erl_eval:exprs(Exprs, []) of
                    {{value, V, _}} -> io_lib:format("value ~w", [V])
                catch C:E -> io_lib:format("~w ~w", [C, E])
                end
            catch _:_ -> "unparsable"
            end,
            [R, $\n]
        end || L <- Ls],
        ok = file:write_file("{outp}", unicode:characters_to_binary(Out)),
        halt()."#,
        inp = input.display(),
        outp = output.display()
    );
    run_erl(&program);
    let text = std::fs::read_to_string(&output).expect("read results");
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), exprs.len(), "one result per expression");
    lines
}
