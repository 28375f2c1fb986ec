//! `display::display` against `erlang:display/1` and `display::write`
//! against `io_lib:format("~w")`, on generated terms and on the corner
//! cases of atom quoting, strings, binaries, floats and large maps. One
//! `erl -noshell` evaluates every term, displays it (to standard output,
//! lines ending in `\r\n`) and writes its `~w` text to a file.

mod bif_oracle;

use bif_oracle::*;
use coral_runtime::display::{display, write};
use coral_runtime::heap::ProcessMemory;

fn corner_cases() -> Vec<E> {
    let mut v: Vec<E> = ATOMS.iter().map(|a| atom(a)).collect();
    for a in [
        "after",
        "and",
        "andalso",
        "band",
        "begin",
        "bnot",
        "bor",
        "bsl",
        "bsr",
        "bxor",
        "case",
        "catch",
        "cond",
        "div",
        "end",
        "fun",
        "if",
        "let",
        "not",
        "of",
        "or",
        "orelse",
        "receive",
        "rem",
        "try",
        "when",
        "xor",
        "maybe",
        "else",
        "spec",
        "\u{b}\u{c}\u{8}\r\u{7}",
        "a\u{ff}",
        "\u{df}b",
        "\u{c0}",
        "a\u{f7}",
        "a.b",
        "A@",
    ] {
        v.push(atom(a));
    }
    for c in 0..=300 {
        v.push(list(vec![int(c)]));
        v.push(list(vec![int(104), int(c), int(105)]));
        v.push(atom(&char::from_u32(c as u32).unwrap_or('x').to_string()));
        v.push(atom(&format!(
            "a{}",
            char::from_u32(c as u32).unwrap_or('x')
        )));
    }
    for s in ["hi", "a\"b", "a\\b", "tab\there", "cr\rlf\n", "", " ", "~"] {
        v.push(string(s));
        v.push(bin(s.as_bytes()));
    }
    v.push(bin(&[0, 1, 2, 255]));
    v.push(bin(&[b'a', 127]));
    v.push(E::Bits(vec![0xA0], 3));
    v.push(E::Bits(vec![1, 2, 0xF8], 21));
    for f in [
        0.0,
        -0.0,
        1.5,
        -1.5,
        0.1,
        1.0e300,
        5e-324,
        1.0e15,
        1.0e16,
        123456.789,
        1.0e-5,
        0.0001,
        100.0,
        1000.0,
        1234500.0,
        12345678900.0,
        9007199254740992.0,
        1234567890123456.0,
        113_247_461_298_783.12,
        f64::MAX,
    ] {
        v.push(E::Float(f));
    }
    for n in [31, 32, 33, 40, 100, 300] {
        v.push(E::Map((0..n).map(|i| (int(i * 7 - 50), int(i))).collect()));
    }
    v.push(E::Map(
        (0..50)
            .map(|i| (list(vec![int(i), int(i + 1)]), bin(&[i as u8])))
            .collect(),
    ));
    let mut deep = list(vec![]);
    // The model is recursive; the printers are not (see the unit tests
    // for million-deep terms).
    for i in 0..300 {
        deep = if i % 2 == 0 {
            list(vec![deep])
        } else {
            tuple(vec![deep, int(i)])
        };
    }
    v.push(deep);
    v.push(E::List(
        vec![int(104), int(105)],
        Some(Box::new(list(vec![int(106)]))),
    ));
    v.push(E::List(vec![int(104)], Some(Box::new(int(105)))));
    v.push(E::Export("lists".into(), "map".into(), 2));
    v.push(E::Export("A b".into(), "if".into(), 0));
    v.push(E::Pid(0, 0));
    v.push(E::Pid(32767, 3));
    v.push(E::Port(0));
    v.push(E::Ref([0, 0, 0]));
    v.push(E::Ref([262143, 2, u32::MAX]));
    v.push(int(i64::MIN));
    v
}

#[test]
fn display_and_write_match_erl() {
    let mut r = Rng::new(0xD15_91A7);
    let mut terms = corner_cases();
    for _ in 0..1500 {
        terms.push(any(&mut r, 4));
    }
    let exprs: Vec<String> = terms.iter().map(E::source).collect();

    let dir = scratch("display-vs-erl");
    let input = dir.join("terms.txt");
    let wfile = dir.join("w.txt");
    std::fs::write(&input, exprs.join("\n")).expect("write terms");
    let program = format!(
        r#"{{ok, B}} = file:read_file("{inp}"),
        Ls = string:split(unicode:characters_to_list(B), "\n", all),
        W = [begin
            {{ok, Ts, _}} = erl_scan:string(L ++ "."),
            {{ok, Es}} = erl_parse:parse_exprs(Ts),
            {{value, V, _}} = erl_eval:exprs(Es, []),
            erlang:display(V),
            [io_lib:format("~w", [V]), $\n]
        end || L <- Ls],
        ok = file:write_file("{outp}", unicode:characters_to_binary(W)),
        halt()."#,
        inp = input.display(),
        outp = wfile.display()
    );
    let stdout = run_erl(&program);
    let w_text = std::fs::read_to_string(&wfile).expect("read ~w results");
    let _ = std::fs::remove_dir_all(&dir);

    // `erlang:display` escapes every newline inside a term, so each raw
    // `\n` ends one term's line (preceded by `\r` under -noshell).
    let mut displayed: Vec<&[u8]> = stdout.split(|&b| b == b'\n').collect();
    if displayed.last().is_some_and(|l| l.is_empty()) {
        displayed.pop();
    }
    let written: Vec<&str> = w_text.lines().collect();
    assert_eq!(displayed.len(), terms.len(), "one display line per term");
    assert_eq!(written.len(), terms.len(), "one ~w line per term");

    let mut failures = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let mut p = ProcessMemory::new();
        let term = t.build(&mut p);
        let want_d = displayed[i].strip_suffix(b"\r").unwrap_or(displayed[i]);
        let got_d = display(term, &*p);
        if got_d != want_d {
            failures.push(format!(
                "display {}\n    erl:   {}\n    coral: {}",
                exprs[i],
                String::from_utf8_lossy(want_d),
                String::from_utf8_lossy(&got_d)
            ));
        }
        let got_w = write(term, &*p);
        if got_w != written[i] {
            failures.push(format!(
                "~w {}\n    erl:   {}\n    coral: {}",
                exprs[i], written[i], got_w
            ));
        }
    }
    eprintln!(
        "{} terms: {} display and ~w comparisons, {} differ",
        terms.len(),
        2 * terms.len(),
        failures.len()
    );
    let shown: Vec<String> = failures
        .iter()
        .map(|f| f.chars().take(600).collect())
        .take(40)
        .collect();
    assert!(
        failures.is_empty(),
        "{} differences from erl:\n{}",
        failures.len(),
        shown.join("\n")
    );
}
