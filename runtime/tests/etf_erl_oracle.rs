//! The real BEAM as the oracle for term order, `phash2`, the external term
//! format and map iteration order.
//!
//! The test generates a few thousand random terms, builds each on a Coral
//! heap, and writes it as Erlang source text. One `escript` run evaluates
//! that text and prints, for every term, `term_to_binary/1` and `phash2/1,2`;
//! for chosen pairs, the results of `<`, `==` and the exact (map-key) order;
//! for large maps, `maps:keys/1` and the order of `maps:iterator/1`. The
//! test compares every answer with Coral's and reports each mismatch.
//! Nothing expected is stored: erl computes it on every run, and the test
//! fails when erl is missing.

use coral_runtime::atom::{Atom, NONODE};
use coral_runtime::heap::ProcessMemory;
use coral_runtime::term::Term;
use coral_runtime::{etf, map, order, phash};
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::process::Command;

/// A small deterministic generator (xorshift64*), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const ATOMS: &[&str] = &[
    "a",
    "ok",
    "error",
    "hello_world",
    "",
    "Quoted Atom",
    "it's",
    "back\\slash",
    "héllo",
    "ÿ",
    "日本語",
    "λx",
    "nonode@nohost",
    "zzz",
    "A",
];

/// Builds a term on `m` and its Erlang source text.
struct Gen<'a> {
    rng: Rng,
    m: &'a mut ProcessMemory,
}

fn float_text(f: f64) -> String {
    if f == 0.0 && f.is_sign_negative() {
        // OTP 25 does not keep `-0.0` literals apart from `0.0` when it
        // evaluates source text, so spell it as its external form.
        return "binary_to_term(<<131,70,128,0,0,0,0,0,0,0>>)".into();
    }
    // Rust prints the shortest round-trip digits; Erlang wants a digit on
    // both sides of the point.
    let s = format!("{f:e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mant = if mant.contains('.') {
        mant.to_string()
    } else {
        format!("{mant}.0")
    };
    format!("{mant}e{exp}")
}

fn atom_text(a: &str) -> String {
    let mut s = String::from("'");
    for c in a.chars() {
        match c {
            '\'' => s.push_str("\\'"),
            '\\' => s.push_str("\\\\"),
            c => s.push(c),
        }
    }
    s.push('\'');
    s
}

impl Gen<'_> {
    fn int(&mut self) -> (Term, String) {
        let v: dashu_int::IBig = match self.rng.below(9) {
            0 => (self.rng.below(256) as i64).into(),
            1 => (self.rng.below(1 << 28) as i64 - (1 << 27)).into(),
            2 => (self.rng.next() as i32 as i64).into(),
            3 => (self.rng.next() as i64 >> self.rng.below(64)).into(),
            4 => {
                // Around the small-integer and 28-bit limits.
                let base: i64 = [1 << 27, 1 << 31, 1 << 59, 1 << 53][self.rng.below(4) as usize];
                let d = self.rng.below(5) as i64 - 2;
                let v = base + d;
                if self.rng.chance(50) {
                    (-v).into()
                } else {
                    v.into()
                }
            }
            5 => {
                let bits = 64 + self.rng.below(300);
                let mut v = dashu_int::IBig::from(1u8) << bits as usize;
                v += dashu_int::IBig::from(self.rng.next());
                if self.rng.chance(50) { -v } else { v }
            }
            6 => {
                // More than 255 magnitude bytes: LARGE_BIG_EXT.
                let v = dashu_int::IBig::from(3u8) << (2048 + self.rng.below(100)) as usize;
                if self.rng.chance(50) { -v } else { v }
            }
            _ => (self.rng.below(2000) as i64 - 1000).into(),
        };
        (self.m.integer(&v), v.to_string())
    }

    fn float(&mut self) -> (Term, String) {
        let f = match self.rng.below(6) {
            // No -0.0 inside random terms: which of two `=:=` keys
            // `erl_eval` keeps in a large map expression is its own
            // business; -0.0 is compared and encoded on its own below.
            0 => [
                0.0,
                -0.25,
                1.0,
                0.5,
                -2.5,
                1e300,
                2f64.powi(53),
                2f64.powi(63),
            ][self.rng.below(8) as usize],
            1 => (self.rng.below(2000) as f64 - 1000.0) / 8.0,
            2 => self.rng.below(1 << 40) as f64,
            _ => loop {
                let f = f64::from_bits(self.rng.next());
                if f.is_finite() {
                    break f;
                }
            },
        };
        (self.m.float(f), float_text(f))
    }

    fn atom(&mut self) -> (Term, String) {
        let name: String = if self.rng.chance(3) {
            "日".repeat(90)
        } else {
            ATOMS[self.rng.below(ATOMS.len() as u64) as usize].to_string()
        };
        let a = Atom::intern(&name).expect("atom");
        (Term::atom(a), atom_text(&name))
    }

    fn binary(&mut self) -> (Term, String) {
        let len = match self.rng.below(4) {
            0 => 0,
            1 => self.rng.below(8) as usize,
            2 => self.rng.below(64) as usize,
            _ => 64 + self.rng.below(200) as usize,
        };
        let bytes: Vec<u8> = (0..len).map(|_| self.rng.next() as u8).collect();
        let bin = self.m.binary(&bytes);
        let mut src: Vec<String> = bytes.iter().map(|b| b.to_string()).collect();
        if self.rng.chance(40) && len > 0 {
            // A bitstring: a sub-binary at a bit offset.
            let off = self.rng.below(8) as usize;
            let size = self.rng.below((len * 8 - off) as u64 + 1) as usize;
            let t = self.m.sub_binary(bin, off, size).expect("sub-binary");
            let (v, n) = t.bits(&*self.m).expect("bits").to_bit_vec();
            src = v
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let bits = (n - 8 * i).min(8);
                    if bits == 8 {
                        b.to_string()
                    } else {
                        format!("{}:{bits}", b >> (8 - bits))
                    }
                })
                .collect();
            return (t, format!("<<{}>>", src.join(",")));
        }
        (bin, format!("<<{}>>", src.join(",")))
    }

    fn ident(&mut self) -> (Term, String) {
        let node = Atom::intern("other@host").expect("atom");
        match self.rng.below(7) {
            0 => {
                let id = self.rng.below(1 << 15);
                let serial = self.rng.below(1 << 13);
                let t = Term::local_pid(id | (serial << 32)).expect("pid");
                (t, format!("list_to_pid(\"<0.{id}.{serial}>\")"))
            }
            1 => {
                let id = self.rng.below(1 << 28);
                let t = Term::local_port(id).expect("port");
                (t, format!("list_to_port(\"#Port<0.{id}>\")"))
            }
            2 => {
                let w: Vec<u64> = (0..3).map(|_| self.rng.next() & 0xFFFF_FFFF).collect();
                // BEAM's local references keep 18 bits in the low word;
                // the middle one carries flags and the making scheduler,
                // which `list_to_ref` checks, so it comes from refs BEAM
                // accepts.
                let w1 = [1, 2, 159_907_841, 15_990_784][(w[1] % 4) as usize];
                let w0 = w[0] & 0x3FFFF;
                let t = self.m.local_ref([w0 | (w1 << 32), w[2]]);
                (t, format!("list_to_ref(\"#Ref<0.{}.{w1}.{w0}>\")", w[2]))
            }
            3 => {
                let (id, serial, cr) = (
                    self.rng.below(1 << 15) as u32,
                    self.rng.below(1 << 13) as u32,
                    1 + self.rng.below(5) as u32,
                );
                let t = self.m.external_pid(node, cr, id, serial);
                let mut b = vec![131u8, 88];
                etf::encode(Term::atom(node), &*self.m, &mut b);
                for x in [id, serial, cr] {
                    b.extend_from_slice(&x.to_be_bytes());
                }
                (t, bytes_expr(&b))
            }
            4 => {
                let (id, cr) = (self.rng.below(1 << 28), 1 + self.rng.below(5) as u32);
                let t = self.m.external_port(node, cr, id);
                let mut b = vec![131u8, 89];
                etf::encode(Term::atom(node), &*self.m, &mut b);
                b.extend_from_slice(&(id as u32).to_be_bytes());
                b.extend_from_slice(&cr.to_be_bytes());
                (t, bytes_expr(&b))
            }
            5 => {
                let ids: Vec<u32> = (0..3).map(|_| self.rng.next() as u32 & 0x3FFFF).collect();
                let cr = 1 + self.rng.below(5) as u32;
                let t = self.m.external_ref(node, cr, &ids).expect("ref");
                let mut b = vec![131u8, 90, 0, 3];
                etf::encode(Term::atom(node), &*self.m, &mut b);
                b.extend_from_slice(&cr.to_be_bytes());
                for x in &ids {
                    b.extend_from_slice(&x.to_be_bytes());
                }
                (t, bytes_expr(&b))
            }
            _ => {
                let (m, f, a) = [("lists", "map", 2), ("erlang", "self", 0), ("m", "f", 255)]
                    [self.rng.below(3) as usize];
                let t = self.m.export_fun(
                    Atom::intern(m).expect("atom"),
                    Atom::intern(f).expect("atom"),
                    a,
                );
                (t, format!("fun {}:{}/{a}", atom_text(m), atom_text(f)))
            }
        }
    }

    fn term(&mut self, depth: u32) -> (Term, String) {
        let leaf = depth == 0 || self.rng.chance(45);
        if leaf {
            return match self.rng.below(8) {
                0 | 1 => self.int(),
                2 => self.float(),
                3 => self.atom(),
                4 => (Term::NIL, "[]".into()),
                5 => self.binary(),
                6 => self.ident(),
                _ => {
                    let len = self.rng.below(12);
                    let s: Vec<i64> = (0..len).map(|_| self.rng.below(256) as i64).collect();
                    let elems: Vec<Term> =
                        s.iter().map(|&c| Term::small(c).expect("small")).collect();
                    let txt: Vec<String> = s.iter().map(|c| c.to_string()).collect();
                    (
                        self.m.list(&elems, Term::NIL),
                        format!("[{}]", txt.join(",")),
                    )
                }
            };
        }
        match self.rng.below(4) {
            0 => {
                // A few tuples above 255 elements (LARGE_TUPLE_EXT), of
                // leaves, so terms stay small.
                let big = depth <= 2 && self.rng.chance(3);
                let n = if big {
                    256 + self.rng.below(40)
                } else {
                    self.rng.below(5)
                };
                let d = if big { 0 } else { depth - 1 };
                let (ts, ss): (Vec<Term>, Vec<String>) = (0..n).map(|_| self.term(d)).unzip();
                (
                    self.m.tuple(&ts).expect("tuple"),
                    format!("{{{}}}", ss.join(",")),
                )
            }
            1 => {
                let n = self.rng.below(6);
                let (ts, ss): (Vec<Term>, Vec<String>) =
                    (0..n).map(|_| self.term(depth - 1)).unzip();
                let (tail, tail_s) = if self.rng.chance(25) {
                    self.term(depth - 1)
                } else {
                    (Term::NIL, "[]".into())
                };
                let t = self.m.list(&ts, tail);
                let s = if ss.is_empty() {
                    tail_s
                } else {
                    format!("[{}|{tail_s}]", ss.join(","))
                };
                (t, s)
            }
            _ => {
                let n = if self.rng.chance(5) {
                    33 + self.rng.below(20)
                } else {
                    self.rng.below(6)
                };
                self.map(n, depth - 1)
            }
        }
    }

    /// A map of `n` pairs (fewer if keys repeat), put in one at a time.
    /// Above 32 keys, only keys whose place in BEAM's trie is the same on
    /// every run (no atoms, pids, ports, references or funs inside).
    fn map(&mut self, n: u64, depth: u32) -> (Term, String) {
        let mut pairs = Vec::new();
        let mut src = Vec::new();
        for _ in 0..n {
            let (k, ks) = if n > 32 {
                self.det_key(depth)
            } else {
                self.key(depth)
            };
            let (v, vs) = self.term(depth.min(1));
            pairs.push((k, v));
            src.push(format!("{ks} => {vs}"));
        }
        // `erl_eval` builds a map expression by putting each pair in turn
        // (so of equal keys like `0.0` and `-0.0` a flat map keeps the
        // first key and a trie the last).
        let mut m = map::new(self.m);
        for (k, v) in pairs {
            m = map::put(self.m, m, k, v).expect("map");
        }
        (m, format!("#{{{}}}", src.join(",")))
    }

    /// A key built from numbers, binaries, tuples and lists only.
    fn det_key(&mut self, depth: u32) -> (Term, String) {
        match self.rng.below(if depth == 0 { 3 } else { 5 }) {
            0 => self.int(),
            1 => self.float(),
            2 => self.binary(),
            3 => {
                let n = self.rng.below(4);
                let (ts, ss): (Vec<Term>, Vec<String>) =
                    (0..n).map(|_| self.det_key(depth - 1)).unzip();
                (
                    self.m.tuple(&ts).expect("tuple"),
                    format!("{{{}}}", ss.join(",")),
                )
            }
            _ => {
                let n = self.rng.below(4);
                let (ts, ss): (Vec<Term>, Vec<String>) =
                    (0..n).map(|_| self.det_key(depth - 1)).unzip();
                (self.m.list(&ts, Term::NIL), format!("[{}]", ss.join(",")))
            }
        }
    }

    fn key(&mut self, depth: u32) -> (Term, String) {
        match self.rng.below(10) {
            0..=3 => self.int(),
            4 => self.float(),
            5 => self.binary(),
            _ => self.term(depth.min(2)),
        }
    }
}

/// Erlang source text cut to a readable length for a failure report.
fn short(s: &str) -> String {
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

fn bytes_expr(b: &[u8]) -> String {
    let s: Vec<String> = b.iter().map(|x| x.to_string()).collect();
    format!("binary_to_term(<<{}>>)", s.join(","))
}

fn hex(b: &[u8]) -> String {
    b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex from erl"))
        .collect()
}

const ORACLE: &str = r#"#!/usr/bin/env escript
%% -*- erlang -*-
-mode(compile).
main([In, Out]) ->
    {ok, Bin} = file:read_file(In),
    {ok, Toks, _} = erl_scan:string(unicode:characters_to_list(Bin)),
    {ok, Exprs} = erl_parse:parse_exprs(Toks),
    {value, {Terms, Pairs, Maps}, _} = erl_eval:exprs(Exprs, []),
    T = list_to_tuple(Terms),
    Hex = fun(B) -> [io_lib:format("~2.16.0b", [X]) || <<X>> <= B] end,
    L1 = [io_lib:format("t ~s ~b ~b~n", [Hex(term_to_binary(X)), erlang:phash2(X),
                                         erlang:phash2(X, 1000003)]) || X <- Terms],
    Cmp = fun(A, B) -> if A < B -> -1; A == B -> 0; true -> 1 end end,
    Exact = fun(A, B) when A =:= B -> 0;
               (A, B) -> case maps:keys(#{A => 0, B => 0}) of [F | _] when F =:= A -> -1; _ -> 1 end
            end,
    L2 = [io_lib:format("c ~b ~b ~b ~b~n", [I, J, Cmp(element(I, T), element(J, T)),
                                           Exact(element(I, T), element(J, T))]) || {I, J} <- Pairs],
    Iter = fun Loop(none, Acc) -> lists:reverse(Acc);
               Loop(It, Acc) -> {K, _, Next} = maps:next(It), Loop(Next, [K | Acc]) end,
    L3 = [io_lib:format("m ~s ~s ~s~n", [Hex(term_to_binary(M)), Hex(term_to_binary(maps:keys(M))),
                                         Hex(term_to_binary(Iter(maps:iterator(M), [])))])
          || M <- Maps],
    ok = file:write_file(Out, [L1, L2, L3]).
"#;

fn run_oracle(dir: &std::path::Path, input: &str) -> String {
    let script = dir.join("oracle.escript");
    let inp = dir.join("terms.txt");
    let out = dir.join("answers.txt");
    std::fs::write(&script, ORACLE).expect("write oracle");
    std::fs::write(&inp, input).expect("write terms");
    let res = Command::new("escript")
        .arg(&script)
        .arg(&inp)
        .arg(&out)
        .output();
    let res = match res {
        Ok(r) => r,
        Err(e) => panic!("cannot run escript (Erlang/OTP must be installed): {e}"),
    };
    assert!(
        res.status.success(),
        "the erl oracle failed:\n{}\n{}",
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
    std::fs::read_to_string(&out).expect("read answers")
}

fn ord(o: Ordering) -> i32 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

#[test]
fn terms_agree_with_beam() {
    let mut m = ProcessMemory::with_min_heap_size(1 << 20);
    let mut g = Gen {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        m: &mut m,
    };
    let mut terms = Vec::new();
    let mut srcs = Vec::new();
    for _ in 0..2500 {
        let (t, s) = g.term(4);
        terms.push(t);
        srcs.push(s);
    }
    // Numbers close to each other, to probe exact int/float comparison.
    let number_start = terms.len();
    for (i, f) in [
        0.0,
        -0.0,
        1.0,
        1.5,
        -1.0,
        9007199254740992.0,
        9007199254740993.0,
        1e19,
        -1e19,
        18446744073709551616.0,
        0.1,
    ]
    .into_iter()
    .enumerate()
    {
        let t = g.m.float(f);
        terms.push(t);
        srcs.push(float_text(f));
        let iv: dashu_int::IBig = match i {
            5 | 6 => dashu_int::IBig::from(9007199254740993i64),
            7 => dashu_int::IBig::from(10000000000000000000u64),
            9 => dashu_int::IBig::from(18446744073709551615u64),
            _ => dashu_int::IBig::from(f as i64),
        };
        let it = g.m.integer(&iv);
        terms.push(it);
        srcs.push(iv.to_string());
    }
    let number_end = terms.len();
    let mut pairs = Vec::new();
    for _ in 0..6000 {
        let i = g.rng.below(terms.len() as u64) as usize;
        let j = g.rng.below(terms.len() as u64) as usize;
        pairs.push((i, j));
    }
    for i in number_start..number_end {
        for j in number_start..number_end {
            pairs.push((i, j));
        }
    }
    // Large maps, for iteration order, with keys of every deterministic kind.
    let mut big_maps = Vec::new();
    let mut big_srcs = Vec::new();
    for k in 0..36 {
        let n = [33, 34, 40, 64, 100, 257, 500, 1000, 2000][k % 9];
        let mut mm = map::new(g.m);
        let mut src = Vec::new();
        for _ in 0..n {
            let (key, ks) = match k % 4 {
                0 => g.int(),
                1 => g.binary(),
                2 => g.float(),
                _ => g.det_key(2),
            };
            let v = Term::small(src.len() as i64).expect("small");
            mm = map::put(g.m, mm, key, v).expect("map");
            src.push(format!("{{{ks}, {}}}", src.len()));
        }
        if k % 3 == 0 {
            // Also build some through from_list and removals.
            let pairs = map::to_vec(mm, &*g.m);
            mm = map::from_pairs(g.m, &pairs);
        }
        big_maps.push(mm);
        big_srcs.push(format!(
            "lists:foldl(fun({{K, V}}, M) -> maps:put(K, V, M) end, #{{}}, [{}])",
            src.join(",")
        ));
    }

    let mut input = String::from("{[");
    input.push_str(&srcs.join(",\n"));
    input.push_str("],\n[");
    let ps: Vec<String> = pairs
        .iter()
        .map(|(i, j)| format!("{{{},{}}}", i + 1, j + 1))
        .collect();
    input.push_str(&ps.join(","));
    input.push_str("],\n[");
    input.push_str(&big_srcs.join(",\n"));
    input.push_str("]}.\n");

    let dir = std::env::temp_dir().join(format!("coral_etf_oracle_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let answers = run_oracle(&dir, &input);
    let _ = std::fs::remove_dir_all(&dir);

    let mut failures = Vec::new();
    let (mut etf_ok, mut hash_ok, mut cmp_ok, mut map_ok, mut decode_ok) = (0, 0, 0, 0, 0);
    let mut ti = 0;
    let mut pi = 0;
    let mut mi = 0;
    for line in answers.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        match f[0] {
            "t" => {
                let t = terms[ti];
                let want = unhex(f[1]);
                let got = etf::term_to_binary(t, &*m);
                if got == want {
                    etf_ok += 1;
                } else {
                    let at = got.iter().zip(&want).take_while(|(a, b)| a == b).count();
                    let lo = at.saturating_sub(8);
                    failures.push(format!(
                        "term_to_binary of {}: first difference at byte {at}:\n  erl   ..{}\n  coral ..{}",
                        short(&srcs[ti]),
                        hex(&want[lo..want.len().min(at + 24)]),
                        hex(&got[lo..got.len().min(at + 24)])
                    ));
                }
                let h: u32 = f[2].parse().expect("phash2");
                let hr: u32 = f[3].parse().expect("phash2/2");
                let (gh, ghr) = (phash::phash2(t, &*m), phash::phash2_range(t, 1000003, &*m));
                if gh == h && ghr == Some(hr) {
                    hash_ok += 1;
                } else {
                    failures.push(format!(
                        "phash2 of {}: erl {h} {hr}, coral {gh} {ghr:?}",
                        short(&srcs[ti])
                    ));
                }
                match etf::binary_to_term(&mut m, &want) {
                    Ok(d) if order::exact_eq(d, t, &*m) && etf::term_to_binary(d, &*m) == want => {
                        decode_ok += 1
                    }
                    Ok(_) => failures.push(format!(
                        "binary_to_term of {} gives a different term",
                        short(&srcs[ti])
                    )),
                    Err(e) => failures.push(format!("binary_to_term of {}: {e}", short(&srcs[ti]))),
                }
                ti += 1;
            }
            "c" => {
                let i: usize = f[1].parse::<usize>().expect("index") - 1;
                let j: usize = f[2].parse::<usize>().expect("index") - 1;
                let want: (i32, i32) = (f[3].parse().expect("cmp"), f[4].parse().expect("cmp"));
                let got = (
                    ord(order::compare(terms[i], terms[j], &*m)),
                    ord(order::compare_exact(terms[i], terms[j], &*m)),
                );
                if got == want
                    && order::eq(terms[i], terms[j], &*m) == (want.0 == 0)
                    && order::exact_eq(terms[i], terms[j], &*m) == (want.1 == 0)
                {
                    cmp_ok += 1;
                } else {
                    failures.push(format!(
                        "compare {} with {}: erl {want:?}, coral {got:?}",
                        short(&srcs[i]),
                        short(&srcs[j])
                    ));
                }
                pi += 1;
            }
            "m" => {
                let mm = big_maps[mi];
                let got = etf::term_to_binary(mm, &*m);
                let keys = map::keys(&mut m, mm).expect("keys");
                let got_keys = etf::term_to_binary(keys, &*m);
                let it: Vec<Term> = map::iterator_order(mm, &*m)
                    .into_iter()
                    .map(|p| p.0)
                    .collect();
                let it = m.list(&it, Term::NIL);
                let got_iter = etf::term_to_binary(it, &*m);
                let ok = got == unhex(f[1]) && got_keys == unhex(f[2]) && got_iter == unhex(f[3]);
                if ok {
                    map_ok += 1;
                } else {
                    failures.push(format!(
                        "map {mi} of {} keys: iteration order differs (erl keys {}..., coral {}...; iterator order agrees: {})",
                        map::size(mm, &*m).unwrap_or(0),
                        &f[2][..f[2].len().min(80)],
                        &hex(&got_keys)[..80.min(2 * got_keys.len())],
                        got_iter == unhex(f[3])
                    ));
                }
                mi += 1;
            }
            _ => failures.push(format!("unexpected oracle line {line:?}")),
        }
    }
    assert_eq!(
        (ti, pi, mi),
        (terms.len(), pairs.len(), big_maps.len()),
        "oracle answered too little"
    );
    eprintln!(
        "agreed with erl: term_to_binary {etf_ok}/{}, binary_to_term {decode_ok}/{}, phash2 {hash_ok}/{}, compare {cmp_ok}/{}, large-map order {map_ok}/{}",
        terms.len(),
        terms.len(),
        terms.len(),
        pairs.len(),
        big_maps.len()
    );
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(25).collect();
        panic!(
            "{} mismatches with erl (first {}):\n{}",
            failures.len(),
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    let _ = NONODE;
}
