//! Every BIF in the table against the real BEAM: a few thousand calls with
//! generated arguments (mostly well-typed, some deliberately wrong) are run
//! through Coral's BIFs and, as Erlang source, through one `erl -noshell`;
//! each result or exception, printed with `~w`, must be the same.

mod bif_oracle;

use bif_oracle::*;
use coral_runtime::bif;
use coral_runtime::display::write;
use coral_runtime::heap::ProcessMemory;

/// What one argument should usually be.
#[derive(Copy, Clone)]
enum K {
    Any,
    Int,
    Idx,
    Float,
    Number,
    Atom,
    Bool,
    Tuple,
    List,
    Str,
    Bin,
    Bits,
    Map,
    IoList,
    BitList,
    DigitText,
    FloatText,
    Base,
    Encoding,
    KeyList,
    FloatOpts,
    Fun,
    Shift,
    Pairs,
    /// An atom name as a list (`ExistingList`) or binary: one both runtimes
    /// surely have, one neither has, or a bad one.
    ExistingList,
    ExistingBin,
}

fn gen_arg(r: &mut Rng, k: K) -> E {
    if r.chance(8) && !matches!(k, K::ExistingList | K::ExistingBin) {
        return any(r, 2);
    }
    match k {
        K::Any => any(r, 3),
        K::Int => any_int(r),
        K::Idx => int(r.range(-1, 5)),
        K::Float => any_float(r),
        K::Number => {
            if r.chance(50) {
                any_int(r)
            } else {
                any_float(r)
            }
        }
        K::Atom => any_atom(r),
        K::Bool => atom(*r.pick(&["true", "false", "true", "false", "maybe"])),
        K::Tuple => tuple((0..r.below(5)).map(|_| any(r, 1)).collect()),
        K::List => {
            let n = r.below(6);
            let v: Vec<E> = (0..n)
                .map(|_| {
                    if r.chance(50) {
                        int(r.range(0, 3))
                    } else {
                        any(r, 1)
                    }
                })
                .collect();
            let tail = (n > 0 && r.chance(10)).then(|| Box::new(any_atom(r)));
            E::List(v, tail)
        }
        K::Str => {
            if r.chance(70) {
                let n = r.below(10);
                list(
                    (0..n)
                        .map(|_| {
                            int(match r.below(8) {
                                0 => r.range(0x80, 0x3000),
                                1 => *r.pick(&[0xD800, 0x110000, -1, 0x10FFFF]),
                                _ => r.range(32, 126),
                            })
                        })
                        .collect(),
                )
            } else if r.chance(50) {
                // Around the 255-character atom limit.
                let n = r.range(250, 260) as usize;
                let mut v: Vec<E> = (0..n).map(|_| int(97)).collect();
                if r.chance(50) {
                    v.push(atom("x"));
                }
                list(v)
            } else {
                any_string(r)
            }
        }
        K::Bin => {
            if r.chance(30) {
                let s: String = (0..r.below(8))
                    .map(|_| char::from_u32(r.range(32, 0x2000) as u32).unwrap_or('a'))
                    .collect();
                bin(s.as_bytes())
            } else {
                any_bits(r, true)
            }
        }
        K::Bits => any_bits(r, false),
        K::Map => {
            let n = r.below(6);
            any_map(r, 1, n)
        }
        K::IoList | K::BitList => {
            let bits = matches!(k, K::BitList);
            iolist(r, 3, bits)
        }
        K::DigitText => {
            let digits = "0123456789abcdefABCDEFxz";
            let mut s = String::new();
            if r.chance(30) {
                s.push(*r.pick(&['-', '+']));
            }
            for _ in 0..r.below(25) {
                s.push(r.pick(digits.as_bytes()).to_owned() as char);
            }
            if r.chance(5) {
                s.push(' ');
            }
            if r.chance(50) {
                string(&s)
            } else {
                bin(s.as_bytes())
            }
        }
        K::FloatText => {
            let s = match r.below(4) {
                0 => float_source(match any_float(r) {
                    E::Float(f) => f,
                    _ => 1.0,
                }),
                1 => r
                    .pick(&[
                        "1e10", "1.0e400", "1.0e-400", "+1.5", "1.5E+3", " 1.5", "1.5 ", "1.",
                        "01.50", ".5", "1.0e", "-0.0", "1.5e-3", "2.5E10", "1_0.5", "",
                    ])
                    .to_string(),
                2 => format!("{}.{}", r.range(-99999, 99999), r.range(0, 99999)),
                _ => format!("{}", r.range(0, 100)),
            };
            if r.chance(50) {
                string(&s)
            } else {
                bin(s.as_bytes())
            }
        }
        K::Base => int(*r.pick(&[2, 8, 10, 16, 36, 1, 37, 0, 3, 7, 20])),
        K::Encoding => atom(*r.pick(&["latin1", "utf8", "unicode", "utf16", "x"])),
        K::KeyList => {
            let n = r.below(6);
            let v = (0..n)
                .map(|_| {
                    if r.chance(80) {
                        tuple(
                            (0..r.range(0, 3))
                                .map(|_| match r.below(3) {
                                    0 => int(r.range(0, 3)),
                                    1 => E::Float(r.range(0, 3) as f64),
                                    _ => any_atom(r),
                                })
                                .collect(),
                        )
                    } else {
                        any(r, 1)
                    }
                })
                .collect();
            let tail = (n > 0 && r.chance(10)).then(|| Box::new(atom("t")));
            E::List(v, tail)
        }
        K::FloatOpts => {
            let v = (0..r.below(3))
                .map(|_| match r.below(6) {
                    0 => tuple(vec![atom("decimals"), int(r.range(0, 25))]),
                    1 => tuple(vec![atom("scientific"), int(r.range(0, 25))]),
                    2 => atom("compact"),
                    3 => atom("short"),
                    4 => tuple(vec![
                        atom(*r.pick(&["decimals", "scientific"])),
                        int(*r.pick(&[-1, 249, 250, 253, 254])),
                    ]),
                    _ => any(r, 0),
                })
                .collect();
            list(v)
        }
        K::Fun => E::Export(
            "lists".into(),
            r.pick(&["map", "x"]).to_string(),
            r.range(0, 3) as u8,
        ),
        K::Shift => int(*r.pick(&[0, 1, 3, 59, 60, 63, 64, 65, 200, -1, -64, -70, 1 << 40])),
        K::ExistingList | K::ExistingBin => {
            let name = match r.below(4) {
                0 | 1 => r
                    .pick(&[
                        "ok",
                        "true",
                        "badarg",
                        "erlang",
                        "undefined",
                        "nonode@nohost",
                        "",
                    ])
                    .to_string(),
                2 => format!("coral_no_such_atom_{}", r.next()),
                _ => {
                    // Bad arguments: a bad character, an improper list, a
                    // name too long for any atom, not a list at all.
                    return match r.below(5) {
                        0 => list(vec![int(97), int(-1)]),
                        1 => E::List(vec![int(97)], Some(Box::new(atom("t")))),
                        2 => string(&"a".repeat(256)),
                        3 => E::Bits(vec![0xFF], 8),
                        _ => atom("ok"),
                    };
                }
            };
            if matches!(k, K::ExistingList) {
                string(&name)
            } else {
                bin(name.as_bytes())
            }
        }
        K::Pairs => {
            let n = r.below(5);
            let v = (0..n)
                .map(|_| {
                    if r.chance(90) {
                        tuple(vec![any(r, 1), any(r, 1)])
                    } else {
                        any(r, 1)
                    }
                })
                .collect();
            list(v)
        }
    }
}

fn iolist(r: &mut Rng, depth: usize, bits: bool) -> E {
    let n = r.below(5);
    let v = (0..n)
        .map(|_| match r.below(6) {
            0 | 1 => int(if r.chance(95) { r.range(0, 255) } else { 256 }),
            2 => {
                let aligned = !bits || r.chance(50);
                any_bits(r, aligned)
            }
            _ if depth > 0 => iolist(r, depth - 1, bits),
            _ => list(vec![]),
        })
        .collect();
    let tail = (n > 0 && r.chance(20)).then(|| {
        Box::new(if r.chance(80) {
            any_bits(r, !bits)
        } else {
            atom("t")
        })
    });
    E::List(v, tail)
}

/// The argument kinds each BIF is exercised with.
fn signature(module: &str, name: &str, arity: u8) -> Vec<K> {
    use K::*;
    let sig: &[K] = match (module, name, arity) {
        (_, "is_function", 2) => &[Fun, Int],
        (_, "is_record", 2) => &[Tuple, Atom],
        (_, "is_record", 3) => &[Tuple, Atom, Int],
        (_, "element", 2) => &[Idx, Tuple],
        (_, "setelement", 3) => &[Idx, Tuple, Any],
        ("erlang", "make_tuple", 2) => &[Idx, Any],
        ("erlang", "make_tuple", 3) => &[Idx, Any, KeyList],
        (_, "append_element", 2) => &[Tuple, Any],
        (_, "tuple_to_list" | "tuple_size", 1) => &[Tuple],
        ("erlang", "size", 1) => &[Bits],
        (_, "list_to_tuple" | "length" | "hd" | "tl", 1) => &[List],
        ("erlang", "++" | "--", 2) => &[List, List],
        ("lists", "reverse", 2) => &[List, Any],
        ("lists", "keyfind" | "keymember", 3) => &[Number, Idx, KeyList],
        ("lists", "member", 2) => &[Number, List],
        (_, "atom_to_list" | "atom_to_binary", 1) => &[Atom],
        (_, "atom_to_binary", 2) => &[Atom, Encoding],
        (_, "list_to_atom", 1) => &[Str],
        (_, "list_to_existing_atom", 1) => &[ExistingList],
        (_, "binary_to_atom", 1) => &[Bin],
        (_, "binary_to_atom", 2) => &[Bin, Encoding],
        (_, "binary_to_existing_atom", 1) => &[ExistingBin],
        (_, "binary_to_existing_atom", 2) => &[ExistingBin, Encoding],
        (_, "integer_to_list" | "integer_to_binary", 1) => &[Int],
        (_, "integer_to_list" | "integer_to_binary", 2) => &[Int, Base],
        (_, "list_to_integer" | "binary_to_integer", 1) => &[DigitText],
        (_, "list_to_integer" | "binary_to_integer", 2) => &[DigitText, Base],
        (_, "float_to_list" | "float_to_binary", 1) => &[Float],
        (_, "float_to_list" | "float_to_binary", 2) => &[Float, FloatOpts],
        (_, "list_to_float" | "binary_to_float", 1) => &[FloatText],
        (_, "binary_to_list", 1) => &[Bits],
        (_, "binary_to_list", 3) => &[Bin, Idx, Idx],
        (_, "list_to_binary" | "iolist_to_binary" | "iolist_size", 1) => &[IoList],
        (_, "bitstring_to_list", 1) => &[Bits],
        (_, "list_to_bitstring", 1) => &[BitList],
        (_, "split_binary", 2) => &[Bits, Idx],
        (_, "binary_part", 2) => &[Bits, Tuple],
        (_, "binary_part", 3) => &[Bits, Idx, Int],
        (_, "byte_size" | "bit_size", 1) => &[Bits],
        (_, "not", 1) => &[Bool],
        (_, "and" | "or" | "xor", 2) => &[Bool, Bool],
        ("erlang", "bsl" | "bsr", 2) => &[Int, Shift],
        ("erlang", "band" | "bor" | "bxor" | "div" | "rem", 2) => &[Int, Int],
        ("erlang", "+" | "-" | "*" | "/", 2) => &[Number, Number],
        ("erlang", "bnot", 1) => &[Int],
        ("erlang", "-" | "+" | "abs" | "float" | "trunc" | "round" | "floor" | "ceil", 1) => {
            &[Number]
        }
        ("erlang", "map_size", 1) => &[Map],
        ("erlang", "is_map_key" | "map_get", 2) => &[Any, Map],
        ("maps", "get" | "find" | "remove" | "is_key", 2) => &[Any, Map],
        ("maps", "get", 3) => &[Any, Map, Any],
        ("maps", "put" | "update", 3) => &[Any, Any, Map],
        ("maps", "keys" | "values" | "to_list" | "size", 1) => &[Map],
        ("maps", "from_list", 1) => &[Pairs],
        ("maps", "merge", 2) => &[Map, Map],
        ("maps", "new", 0) => &[],
        (_, _, 1) => &[Any],
        (_, _, 2) => &[Any, Any],
        _ => &[Any, Any, Any],
    };
    sig.to_vec()
}

/// Makes argument pairs of comparison BIFs related (equal, or numbers close
/// in value) often enough to matter.
fn related_args(r: &mut Rng, args: &mut [E]) {
    if args.len() == 2 && r.chance(30) {
        args[1] = match &args[0] {
            E::Int(i) if r.chance(50) => E::Float(i.to_string().parse::<f64>().unwrap_or(0.0)),
            e => e.clone(),
        };
    }
}

#[test]
fn bifs_match_erl() {
    let mut r = Rng::new(0x00C0_FFEE);
    let per_bif = 40;
    let mut cases: Vec<(usize, Vec<E>)> = Vec::new();
    for (i, e) in bif::table().iter().enumerate() {
        let sig = signature(e.module, e.name, e.arity);
        assert_eq!(sig.len(), e.arity as usize, "signature of {e:?}");
        let n = if e.arity == 0 { 1 } else { per_bif };
        for _ in 0..n {
            let mut args: Vec<E> = sig.iter().map(|&k| gen_arg(&mut r, k)).collect();
            if [
                "==", "/=", "=:=", "=/=", "<", ">", "=<", ">=", "max", "min", "--", "member",
            ]
            .contains(&e.name)
            {
                related_args(&mut r, &mut args);
            }
            cases.push((i, args));
        }
    }
    let exprs: Vec<String> = cases
        .iter()
        .map(|(i, args)| {
            let e = &bif::table()[*i];
            let a: Vec<String> = args.iter().map(E::source).collect();
            // Through apply/3: erl_eval treats a literal `is_record/2`
            // call as a record test.
            format!(
                "erlang:apply('{}', '{}', [{}])",
                e.module,
                e.name,
                a.join(", ")
            )
        })
        .collect();
    let expected = erl_eval_w("bif-vs-erl", &exprs);

    let mut failures = Vec::new();
    let mut per_bif_ok = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (((i, args), expr), want) in cases.iter().zip(&exprs).zip(&expected) {
        let e = &bif::table()[*i];
        let mut p = ProcessMemory::new();
        let terms: Vec<_> = args.iter().map(|a| a.build(&mut p)).collect();
        let got = match bif::call(&mut p, *i, &terms).expect("arity checked") {
            Ok(v) => format!("value {}", write(v, &*p)),
            Err(x) => format!(
                "{} {}",
                x.class.atom().text().unwrap_or("?"),
                write(x.reason, &*p)
            ),
        };
        let entry = per_bif_ok.entry(format!("{e:?}")).or_default();
        entry.1 += 1;
        if &got == want {
            entry.0 += 1;
        } else {
            failures.push(format!("{expr}\n    erl:   {want}\n    coral: {got}"));
        }
    }
    let total = cases.len();
    eprintln!(
        "{} of {} BIF calls match erl",
        total - failures.len(),
        total
    );
    for (name, (ok, n)) in &per_bif_ok {
        if ok != n {
            eprintln!("  {name}: {ok}/{n}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} calls differ from erl:\n{}",
        failures.len(),
        total,
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
