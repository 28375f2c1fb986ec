//! Parsing, printing and diagnostics of whole modules through the public
//! API: real files (from erlc and LFE), a file with every construct, lines,
//! and pathological input.

use std::path::PathBuf;

use coral_syntax::ast::*;
use coral_syntax::{parse_module, parse_module_bytes, print, same_ignoring_spans};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn lfe(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/lfe")
        .join(name)
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(name: &str, src: &str) -> Module {
    parse_module(name, src).unwrap_or_else(|d| panic!("{}", d.render()))
}

/// Parses, prints, parses again: the trees must be equal, and printing the
/// second tree must give the same text (the printer is deterministic).
fn round_trip(name: &str, src: &str) -> Module {
    let m = parse(name, src);
    let text = print::module(&m);
    let again = parse_module(name, &text).unwrap_or_else(|d| {
        panic!(
            "printed text of {name} does not parse:\n{}\n{text}",
            d.render()
        )
    });
    assert!(
        same_ignoring_spans(&m, &again),
        "printed text of {name} parses to a different tree:\n{text}"
    );
    assert_eq!(print::module(&again), text, "printing {name} is not stable");
    m
}

fn wrap_body(body: &str) -> String {
    format!("module 'm' ['f'/0] attributes [] 'f'/0 = fun () -> {body} end")
}

fn body_of(m: &Module) -> &Expr {
    &m.defs[0].fun.kind.body
}

fn def<'m>(m: &'m Module, name: &str, arity: u32) -> &'m FunDef {
    m.defs
        .iter()
        .find(|d| &*d.name.kind.name == name && d.name.kind.arity == arity)
        .unwrap_or_else(|| panic!("no {name}/{arity}"))
}

fn line(anno: &Anno) -> Option<u32> {
    anno.line.map(|l| l.get())
}

#[test]
fn erlc_output_round_trips_with_lines() {
    let src = read(&data("t.core"));
    let m = round_trip("t.core", &src);
    assert_eq!(&*m.name, "t");
    assert_eq!(m.exports.len(), 3);
    // `'file' = %% Line 1 [...]`: both the key and the value have line 1.
    let file = &m.attributes[0];
    assert_eq!(&*file.key.kind, "file");
    assert_eq!(line(&file.key.anno), Some(1));
    assert_eq!(line(&file.value.anno), Some(1));
    // `'main'/0 = %% Line 4 ( fun () -> ... -| [...] )`: the line goes to
    // the annotated fun, the terms stay as constants.
    let main = def(&m, "main", 0);
    assert_eq!(line(&main.fun.anno), Some(4));
    assert_eq!(
        print::constant(&main.fun.anno.terms[0]),
        "{'function',{'main',0}}"
    );
    // The body is `do (letrec ... -| ['letrec_goto','no_inline']) ...`.
    let ExprKind::Seq(seq) = &main.fun.kind.body.kind else {
        panic!("main/0 body is no sequence")
    };
    assert!(seq.arg.anno.has_atom("letrec_goto"));
    // The second expression of the sequence starts with `%% Line 9`, a try.
    let ExprKind::Seq(seq2) = &seq.body.kind else {
        panic!("no nested sequence")
    };
    assert!(matches!(seq2.arg.kind, ExprKind::Try(_)));
    assert_eq!(line(&seq2.arg.anno), Some(9));
    let ExprKind::Try(t) = &seq2.arg.kind else {
        unreachable!()
    };
    assert_eq!(t.evars.len(), 3);
}

#[test]
fn erlc_line_of_an_argument() {
    // `primop 'recv_wait_timeout' (%% Line 8 0)`: the line belongs to the 0.
    let src = read(&data("t.core"));
    let m = parse("t.core", &src);
    let text = print::module(&m);
    assert!(text.contains("primop 'recv_wait_timeout'\n"));
    let mut found = false;
    visit_exprs(body_of_def(&m, "main", 0), &mut |e| {
        if let ExprKind::PrimOp(p) = &e.kind
            && matches!(&p.name.kind, ExprKind::Lit(Lit::Atom(a)) if &**a == "recv_wait_timeout")
        {
            assert_eq!(line(&p.args[0].anno), Some(8));
            assert_eq!(p.args[0].kind, ExprKind::Lit(Lit::Int(Int::Small(0))));
            found = true;
        }
    });
    assert!(found);
}

fn body_of_def<'m>(m: &'m Module, name: &str, arity: u32) -> &'m Expr {
    &def(m, name, arity).fun.kind.body
}

/// Calls `f` on every expression below `e` that is reachable through
/// expression children (enough for these tests).
fn visit_exprs(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Tuple(es) | ExprKind::Values(es) => es.iter().for_each(|e| visit_exprs(e, f)),
        ExprKind::List(l) => {
            l.elems.iter().for_each(|e| visit_exprs(e, f));
            if let Some(t) = &l.tail {
                visit_exprs(t, f);
            }
        }
        ExprKind::Fun(fun) => visit_exprs(&fun.body, f),
        ExprKind::Let(l) => {
            visit_exprs(&l.arg, f);
            visit_exprs(&l.body, f);
        }
        ExprKind::Letrec(l) => {
            l.defs.iter().for_each(|d| visit_exprs(&d.fun.kind.body, f));
            visit_exprs(&l.body, f);
        }
        ExprKind::Case(c) => {
            visit_exprs(&c.arg, f);
            for cl in &c.clauses {
                visit_exprs(&cl.kind.guard, f);
                visit_exprs(&cl.kind.body, f);
            }
        }
        ExprKind::Receive(r) => {
            for cl in &r.clauses {
                visit_exprs(&cl.kind.body, f);
            }
            visit_exprs(&r.timeout, f);
            visit_exprs(&r.action, f);
        }
        ExprKind::Apply(a) => a.args.iter().for_each(|e| visit_exprs(e, f)),
        ExprKind::Call(c) => c.args.iter().for_each(|e| visit_exprs(e, f)),
        ExprKind::PrimOp(p) => p.args.iter().for_each(|e| visit_exprs(e, f)),
        ExprKind::Try(t) => {
            visit_exprs(&t.arg, f);
            visit_exprs(&t.body, f);
            visit_exprs(&t.handler, f);
        }
        ExprKind::Catch(b) => visit_exprs(b, f),
        ExprKind::Seq(s) => {
            visit_exprs(&s.arg, f);
            visit_exprs(&s.body, f);
        }
        _ => {}
    }
}

#[test]
fn lfe_output_round_trips() {
    for name in [
        "lfe_hello.core",
        "lfe_match.core",
        "lfe_ring.core",
        "lfe_try.core",
    ] {
        let src = read(&lfe(name));
        round_trip(name, &src);
    }
}

#[test]
fn lfe_variables_keep_their_dashes() {
    let m = parse("lfe_hello.core", &read(&lfe("lfe_hello.core")));
    let text = print::module(&m);
    for v in ["_-n-0-", "_-*-2-0-"] {
        assert!(text.contains(v), "{v} missing from the printed module");
    }
    let m = parse("lfe_try.core", &read(&lfe("lfe_try.core")));
    let mut vars = Vec::new();
    visit_exprs(body_of_def(&m, "risky", 1), &mut |e| {
        if let ExprKind::Var(v) = &e.kind {
            vars.push(v.to_string());
        }
    });
    assert!(vars.contains(&"_-n-0-".to_string()), "{vars:?}");
}

#[test]
fn every_construct_round_trips() {
    let src = read(&data("all.core"));
    let m = round_trip("all.core", &src);
    assert_eq!(&*m.name, "all");
    assert!(m.anno.has_atom("module_anno"));
    assert!(m.exports[1].anno.has_atom("exported"));
    assert_eq!(m.attributes.len(), 4);
    let vsn = &m.attributes[1];
    assert!(vsn.key.anno.has_atom("a"));
    assert_eq!(print::constant(&vsn.value.kind), "[1,2,3]");
    assert_eq!(
        print::constant(&vsn.value.anno.terms[0]),
        "{'x',\"s\",$c,1.50000000000000000000e+00,-7}"
    );
    let Const::List(strs, None) = &m.attributes[3].value.kind else {
        panic!("strs is no proper list")
    };
    assert_eq!(
        strs[0],
        Const::Lit(Lit::String("a\"b\\c\nA\u{1} \u{7F}".into()))
    );
    assert_eq!(strs[1], Const::Lit(Lit::Atom("q'uote".into())));
    assert_eq!(strs[2], Const::Tuple(vec![]));

    let f = def(&m, "f", 1);
    assert_eq!(line(&f.fun.anno), Some(3));
    assert!(f.fun.kind.vars[0].anno.has_atom("v"));

    let h = body_of_def(&m, "h", 0);
    let ExprKind::Tuple(es) = &h.kind else {
        panic!("h/0 body is no tuple")
    };
    assert!(matches!(&es[0].kind, ExprKind::FunRef(r) if &*r.module == "lists" && r.arity == 2));
    assert!(matches!(&es[1].kind, ExprKind::FunName(n) if &*n.name == "g"));
    let ExprKind::Map(update) = &es[3].kind else {
        panic!("no map")
    };
    assert_eq!(update.pairs.len(), 2);
    assert_eq!(update.pairs[1].kind.op, MapOp::Exact);
    assert!(matches!(
        &update.arg,
        Some(Expr {
            kind: ExprKind::Map(_),
            ..
        })
    ));
    // `[1|[2|[3|[]]]]` is the flat list [1,2,3].
    let ExprKind::List(l) = &es[7].kind else {
        panic!("no list")
    };
    assert_eq!(l.elems.len(), 3);
    assert!(l.tail.is_none());
    assert!(matches!(&es[8].kind, ExprKind::Lit(Lit::Atom(a)) if &**a == "a'b"));
    assert!(es[11].anno.terms.len() == 1);
}

#[test]
fn clause_and_pattern_annotations() {
    let m = parse("all.core", &read(&data("all.core")));
    let mut case = None;
    visit_exprs(body_of_def(&m, "f", 1), &mut |e| {
        if let ExprKind::Case(c) = &e.kind {
            case = Some(c.clone());
        }
    });
    let case = case.expect("f/1 has a case");
    assert_eq!(case.clauses.len(), 5);
    assert!(case.clauses[1].anno.has_atom("compiler_generated"));
    // The first clause: <{A,[B,C|D]}, E = ~{'k':=V, ('j':=W -| [])}~>
    let pats = &case.clauses[0].kind.pats;
    let PatKind::Tuple(t) = &pats[0].kind else {
        panic!("no tuple pattern")
    };
    let PatKind::List(l) = &t[1].kind else {
        panic!("no list pattern")
    };
    assert_eq!(l.elems.len(), 2);
    assert!(matches!(l.tail.as_deref(), Some(Pat { kind: PatKind::Var(d), .. }) if &**d == "D"));
    let PatKind::Alias(alias) = &pats[1].kind else {
        panic!("no alias")
    };
    assert_eq!(&*alias.var.kind, "E");
    let PatKind::Map(mp) = &alias.pat.kind else {
        panic!("no map pattern")
    };
    assert_eq!(mp.pairs.len(), 2);
    assert_eq!(print::expr(&mp.pairs[0].kind.key), "'k'");
    // `-| []` is no annotation at all.
    assert!(mp.pairs[1].anno.is_empty());
    // The second clause: a binary pattern with an annotated segment.
    let PatKind::Binary(segs) = &case.clauses[1].kind.pats[0].kind else {
        panic!("no binary pattern")
    };
    assert_eq!(segs.len(), 2);
    assert_eq!(print::expr(&segs[0].kind.kind), "'integer'");
    assert!(matches!(case.clauses[1].kind.guard.kind, ExprKind::Call(_)));
    // The third: an annotated variable aliased to an annotated tuple.
    let PatKind::Alias(alias) = &case.clauses[2].kind.pats[0].kind else {
        panic!("no alias")
    };
    assert!(alias.var.anno.has_atom("p"));
    let PatKind::Tuple(lits) = &alias.pat.kind else {
        panic!("no tuple")
    };
    let lits: Vec<String> = lits.iter().map(print::pattern).collect();
    assert_eq!(
        lits,
        [
            "'a'",
            "\"str\"",
            "$x",
            "-1",
            "2",
            "255",
            "2.50000000000000000000e+00",
            "[]"
        ]
    );
}

#[test]
fn lines_go_to_the_innermost_node() {
    let src = wrap_body("%% Line 5\n%% Line 6\n{'a', %% Line 7\n 'b'}");
    let m = round_trip("m.core", &src);
    let body = body_of(&m);
    // Two comments before one node: it takes the last one.
    assert_eq!(line(&body.anno), Some(6));
    let ExprKind::Tuple(es) = &body.kind else {
        panic!("no tuple")
    };
    assert_eq!(line(&es[0].anno), None);
    assert_eq!(line(&es[1].anno), Some(7));

    // An alias and its variable start at one token: the variable claims the
    // nearest comment, the alias the one before it.
    let src = wrap_body("case 'x' of <%% Line 3\n%% Line 4\nV = 'x'> when 'true' -> V end");
    let m = round_trip("m.core", &src);
    let ExprKind::Case(c) = &body_of(&m).kind else {
        panic!("no case")
    };
    let pat = &c.clauses[0].kind.pats[0];
    let PatKind::Alias(a) = &pat.kind else {
        panic!("no alias")
    };
    assert_eq!((line(&pat.anno), line(&a.var.anno)), (Some(3), Some(4)));

    // A comment before the `(` of an annotated form belongs to that node.
    let src = wrap_body("%% Line 9\n( 'ok' -| ['x'] )");
    let m = round_trip("m.core", &src);
    assert_eq!(line(&body_of(&m).anno), Some(9));
    assert!(body_of(&m).anno.has_atom("x"));

    // A nested cons with a line of its own is not merged into its parent.
    let src = wrap_body("['a'|%% Line 2\n['b','c']]");
    let m = round_trip("m.core", &src);
    let ExprKind::List(l) = &body_of(&m).kind else {
        panic!("no list")
    };
    assert_eq!(l.elems.len(), 1);
    assert_eq!(line(&l.tail.as_ref().expect("a tail").anno), Some(2));
}

#[test]
fn an_alias_with_a_line_of_its_own_prints_in_parentheses() {
    let src = wrap_body("case 'x' of <V = 'x'> when 'true' -> V end");
    let mut m = parse("m.core", &src);
    let ExprKind::Case(c) = &mut m.defs[0].fun.kind.body.kind else {
        panic!("no case")
    };
    c.clauses[0].kind.pats[0].anno.line = std::num::NonZeroU32::new(12);
    let text = print::module(&m);
    assert!(text.contains("%% Line 12"), "{text}");
    let again = parse("m.core", &text);
    assert!(same_ignoring_spans(&m, &again), "{text}");
}

#[test]
fn spans_are_byte_offsets() {
    let src = wrap_body("{'a', X}");
    let m = parse("m.core", &src);
    let body = body_of(&m);
    assert_eq!(&src[body.span.range()], "{'a', X}");
    let ExprKind::Tuple(es) = &body.kind else {
        panic!("no tuple")
    };
    assert_eq!(&src[es[1].span.range()], "X");
    assert_eq!(&src[m.name_span.range()], "'m'");
    assert_eq!(m.span.range(), 0..src.len());
}

#[test]
fn integers_of_any_size() {
    let m = round_trip(
        "m.core",
        &wrap_body("{123456789012345678901234567890, -16, 16#FFFFFFFFFFFFFFFFF, 2#101}"),
    );
    let ExprKind::Tuple(es) = &body_of(&m).kind else {
        panic!("no tuple")
    };
    let printed: Vec<String> = es.iter().map(print::expr).collect();
    assert_eq!(
        printed,
        [
            "123456789012345678901234567890",
            "-16",
            "295147905179352825855",
            "5"
        ]
    );
}

#[test]
fn strings_and_chars_round_trip_with_escapes() {
    let m = round_trip(
        "m.core",
        &wrap_body(r#"{"tab\there \"q\" \\ \e\000\377é日", $\n, $ , $\^z, $\101, '\s\d'}"#),
    );
    let ExprKind::Tuple(es) = &body_of(&m).kind else {
        panic!("no tuple")
    };
    assert_eq!(
        es[0].kind,
        ExprKind::Lit(Lit::String("tab\there \"q\" \\ \u{1b}\0\u{ff}é日".into()))
    );
    assert_eq!(es[1].kind, ExprKind::Lit(Lit::Char('\n')));
    assert_eq!(es[2].kind, ExprKind::Lit(Lit::Char(' ')));
    assert_eq!(es[3].kind, ExprKind::Lit(Lit::Char('\u{1a}')));
    assert_eq!(es[4].kind, ExprKind::Lit(Lit::Char('A')));
    assert_eq!(es[5].kind, ExprKind::Lit(Lit::Atom(" \u{7f}".into())));
}

#[test]
fn floats_keep_their_bits() {
    let m = round_trip(
        "m.core",
        &wrap_body("{-0.0, 0.0, 1.0e-320, 1.7976931348623157e308}"),
    );
    let ExprKind::Tuple(es) = &body_of(&m).kind else {
        panic!("no tuple")
    };
    let bits: Vec<u64> = es
        .iter()
        .map(|e| match e.kind {
            ExprKind::Lit(Lit::Float(f)) => f.0.to_bits(),
            _ => panic!("not a float"),
        })
        .collect();
    assert_eq!(
        bits,
        [
            (-0.0f64).to_bits(),
            0,
            1.0e-320f64.to_bits(),
            f64::MAX.to_bits()
        ]
    );
    assert_ne!(
        parse("m.core", &wrap_body("-0.0")),
        parse("m.core", &wrap_body("0.0"))
    );
}

#[test]
fn modules_that_differ_compare_unequal() {
    let a = parse("m.core", &wrap_body("{'a', X}"));
    let b = parse("m.core", &wrap_body("{'a',\n        X}"));
    let c = parse("m.core", &wrap_body("{'a', Y}"));
    let d = parse("m.core", &wrap_body("%% Line 3\n{'a', X}"));
    let e = parse("m.core", &wrap_body("( {'a', X} -| ['x'] )"));
    assert!(same_ignoring_spans(&a, &b));
    assert!(!same_ignoring_spans(&a, &c));
    assert!(!same_ignoring_spans(&a, &d));
    assert!(!same_ignoring_spans(&a, &e));
}

#[test]
fn dump_shows_spans_lines_and_annotations() {
    let m = parse(
        "m.core",
        &wrap_body("%% Line 7\n( call 'erlang':'+' (X, 1) -| ['cg'] )"),
    );
    let dump = coral_syntax::dump::module(&m);
    assert!(dump.starts_with("module 'm' @0.."), "{dump}");
    assert!(dump.contains("body: call @"), "{dump}");
    assert!(dump.contains(" line 7 -| ['cg']"), "{dump}");
    assert!(dump.contains("arg: var X @"), "{dump}");
    assert!(dump.contains("arg: int 1 @"), "{dump}");
}

fn first_error(src: &str) -> String {
    match parse_module("e.core", src) {
        Ok(_) => panic!("{src:?} parsed"),
        Err(d) => {
            assert_eq!(d.items().len(), 1);
            d.items()[0].message.clone()
        }
    }
}

#[test]
fn invalid_phrases_have_their_own_messages() {
    assert_eq!(
        first_error(&wrap_body("#{#<1>(8,1,'integer')}#")),
        "expected 4 arguments in binary segment"
    );
    assert_eq!(
        first_error(&wrap_body("try 'a' of <X> -> X catch <A> -> A")),
        "expected 2 or 3 exception variables in 'try'"
    );
    assert_eq!(first_error(&wrap_body("'f'/256")), "arity out of range");
    assert_eq!(
        first_error(&wrap_body("fun 'm':'f'/-1")),
        "arity out of range"
    );
    assert_eq!(
        first_error("module 'm' [] attributes [] end 'x'"),
        "found the atom 'x' after the end of the module"
    );
}

#[test]
fn invalid_utf8_is_reported_at_the_byte() {
    let mut bytes = b"module 'm' [] attributes ['a' = '".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"'] end");
    let d = parse_module_bytes("u.core", &bytes).unwrap_err();
    let text = d.render();
    assert!(text.contains("invalid UTF-8"), "{text}");
    assert!(text.contains("u.core:1:34"), "{text}");
    assert!(text.contains("0xFF"), "{text}");
}

#[test]
fn empty_and_garbage_input_never_panics() {
    let inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   \n\n".to_vec(),
        b"%% Line 1".to_vec(),
        b"module".to_vec(),
        b"(".to_vec(),
        b")))))".to_vec(),
        b"\x00\x01\x02\xfe\xff".to_vec(),
        (0u8..=255).collect(),
        b"module 'm' [] attributes [] 'f'/0 = fun () -> 'a".to_vec(),
        b"_-".to_vec(),
        b"$".to_vec(),
        b"$\\".to_vec(),
        b"'\\^".to_vec(),
        b"16#".to_vec(),
        b"1.5e+".to_vec(),
    ];
    for input in inputs {
        assert!(parse_module_bytes("g.core", &input).is_err(), "{input:?}");
    }
}

fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

#[test]
fn nesting_up_to_the_limit_parses_prints_and_drops() {
    let depth = MAX_DEPTH as usize - 8;
    let sources = [
        wrap_body(&nested("{", "'a'", "}", depth)),
        wrap_body(&nested("let <X> = 'a' in ", "X", "", depth)),
        wrap_body(&nested("[", "'a'", "]", depth)),
        wrap_body(&nested("do 'a' ", "'b'", "", depth)),
        wrap_body(&format!(
            "case 'a' of <{}> when 'true' -> 'ok' end",
            nested("{", "X", "}", depth)
        )),
        format!(
            "module 'm' [] attributes ['a' = {}] end",
            nested("{", "'a'", "}", depth)
        ),
    ];
    for (i, src) in sources.iter().enumerate() {
        let m = round_trip("deep.core", src);
        let text = coral_syntax::dump::module(&m);
        // The dump shows a node a line, but a constant on one line.
        let expressions = i < 5;
        assert_eq!(text.lines().count() > depth, expressions);
    }
}

#[test]
fn nesting_beyond_the_limit_is_a_diagnostic() {
    for n in [MAX_DEPTH as usize + 1, 100_000] {
        let sources = [
            wrap_body(&nested("{", "'a'", "}", n)),
            wrap_body(&nested("[", "'a'", "]", n)),
            wrap_body(&nested("do 'a' ", "'b'", "", n)),
            wrap_body(&nested("catch ", "'b'", "", n)),
            wrap_body(&nested("fun () -> ", "'b'", "", n)),
            wrap_body(&format!(
                "case 'a' of <{}> when 'true' -> 'ok' end",
                nested("[", "X", "]", n)
            )),
            format!(
                "module 'm' [] attributes ['a' = {}] end",
                nested("{", "'a'", "}", n)
            ),
            format!(
                "module 'm' [] attributes [] 'f'/0 = fun () -> ( 'a' -| [{}] ) end",
                nested("[", "'a'", "]", n)
            ),
        ];
        for src in &sources {
            assert_eq!(first_error(src), "nesting too deep", "{}", &src[..60]);
        }
    }
}

#[test]
fn unclosed_nesting_is_a_syntax_error() {
    let head = "module 'm' [] attributes [] 'f'/0 = fun () -> ";
    for open in ["[", "{", "do ", "<", "case ", "#{#<"] {
        let src = format!("{head}{}", open.repeat(100_000));
        let message = first_error(&src);
        assert!(
            message.starts_with("unexpected end of file"),
            "{open}: {message}"
        );
    }
}

#[test]
fn long_cons_chains_are_flat_and_linear() {
    // 200,000 nested cons cells, as core_pp prints a long string literal.
    let n = 200_000;
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!("[{}|", i % 100));
    }
    s.push_str("[]");
    s.push_str(&"]".repeat(n));
    let start = std::time::Instant::now();
    let m = round_trip("long.core", &wrap_body(&s));
    assert!(start.elapsed().as_secs() < 20, "quadratic cons merging?");
    let ExprKind::List(l) = &body_of(&m).kind else {
        panic!("no list")
    };
    assert_eq!(l.elems.len(), n);
    assert!(l.tail.is_none());
    // Patterns and constants too.
    let pat = wrap_body(&format!("case 'a' of <{}> when 'true' -> 'ok' end", s));
    round_trip("long.core", &pat);
    let attr = format!("module 'm' [] attributes ['a' = {s}] end");
    let m = round_trip("long.core", &attr);
    let Const::List(es, None) = &m.attributes[0].value.kind else {
        panic!("no list")
    };
    assert_eq!(es.len(), n);
}

#[test]
fn long_lines_are_shown_around_the_error() {
    let filler = "'a',".repeat(2000);
    let src = format!("module 'm' [] attributes ['x' = [{filler} oops]] end");
    let d = parse_module("long.core", &src).unwrap_err();
    let text = d.render();
    let column = src.find("oops").unwrap_or(0) + 1;
    assert!(text.contains(&format!("long.core:1:{column}")), "{text}");
    assert!(text.len() < 1000, "{} bytes:\n{text}", text.len());
    assert!(text.contains("'a','a', oops]] end"), "{text}");
}

/// A small deterministic generator, so that failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every prefix of a real file, and thousands of random edits of it, either
/// parse or give a diagnostic that renders; nothing panics.
#[test]
fn truncated_and_mangled_files_never_panic() {
    let files = [read(&data("all.core")), read(&lfe("lfe_match.core"))];
    let pieces: &[&[u8]] = &[
        b"(",
        b")",
        b"[",
        b"]",
        b"{",
        b"}",
        b"<",
        b">",
        b"'",
        b"\"",
        b"$",
        b"\\",
        b"-|",
        b"->",
        b"#",
        b"~",
        b"%% Line 3\n",
        b"_-",
        b"-1-",
        b"16#",
        b"1.5e",
        b"\xff",
        b"\xc3",
        b"\0",
        b"end",
        b"case",
        b"let",
        b"fun",
        b"|",
        b",",
        b"=",
        b":=",
        b"=>",
        b"'\\^",
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for src in &files {
        let bytes = src.as_bytes();
        for cut in 0..bytes.len() {
            if let Err(d) = parse_module_bytes("cut.core", &bytes[..cut]) {
                assert!(!d.render().is_empty());
            }
        }
        for _ in 0..3000 {
            let mut b = bytes.to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(b.len());
                match rng.below(3) {
                    0 => {
                        let end = (at + rng.below(20)).min(b.len());
                        b.drain(at..end);
                    }
                    1 => {
                        let piece = pieces[rng.below(pieces.len())];
                        b.splice(at..at, piece.iter().copied());
                    }
                    _ => {
                        if at < b.len() {
                            b[at] = rng.next() as u8;
                        }
                    }
                }
            }
            match parse_module_bytes("mangled.core", &b) {
                Ok(m) => {
                    // Whatever parses prints to text that parses the same.
                    let text = print::module(&m);
                    let again = parse_module("printed.core", &text)
                        .unwrap_or_else(|d| panic!("{}\n{text}", d.render()));
                    assert!(same_ignoring_spans(&m, &again), "{text}");
                }
                Err(d) => assert!(!d.render().is_empty()),
            }
        }
    }
}
