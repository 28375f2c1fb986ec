//! Bad input gives a `LowerError` pointing at the offending node, never a
//! panic.

fn lower_err(src: &str) -> coral_ir::LowerError {
    let ast = coral_syntax::parse_module("bad.core", src).expect("parses");
    match coral_ir::lower(&ast) {
        Ok(m) => panic!("lowered:\n{}", coral_ir::print(&m)),
        Err(e) => e,
    }
}

fn module(body: &str) -> String {
    format!("module 'm' ['f'/1] attributes [] 'f'/1 = fun (X) -> {body} end")
}

#[test]
fn unbound_variable() {
    let src = module("Y");
    let e = lower_err(&src);
    assert!(e.message.contains("unbound variable Y"), "{e}");
    assert_eq!(&src[e.span.range()], "Y");
}

#[test]
fn unknown_local_function() {
    let src = module("apply 'g'/1 (X)");
    let e = lower_err(&src);
    assert!(e.message.contains("undefined function g/1"), "{e}");
}

#[test]
fn wrong_arity() {
    let e = lower_err(&module("apply 'f'/1 (X, X)"));
    assert!(e.message.contains("applied to 2 argument"), "{e}");
}

#[test]
fn unknown_primop() {
    let e = lower_err(&module("primop 'frobnicate' (X)"));
    assert!(e.message.contains("unknown primop frobnicate/1"), "{e}");
}

#[test]
fn primop_arity() {
    let e = lower_err(&module("primop 'match_fail' (X, X)"));
    assert!(e.message.contains("takes 1 argument"), "{e}");
}

#[test]
fn undefined_export() {
    let e = lower_err("module 'm' ['g'/0] attributes [] 'f'/1 = fun (X) -> X end");
    assert!(
        e.message.contains("exported function g/0 is not defined"),
        "{e}"
    );
}

#[test]
fn value_count_mismatch() {
    let e = lower_err(&module("let <A, B> = X in A"));
    assert!(e.message.contains("expected 2 value(s)"), "{e}");
}

#[test]
fn goto_outside_tail_position() {
    let src = module(
        "( letrec 'l'/0 = fun () -> X in let <Y> = apply 'l'/0 () in Y -| ['letrec_goto'] )",
    );
    let e = lower_err(&src);
    assert!(e.message.contains("outside tail position"), "{e}");
}

#[test]
fn non_bif_call_in_guard() {
    let e = lower_err(&module(
        "case X of <Y> when call 'lists':'member'(Y, []) -> Y end",
    ));
    assert!(e.message.contains("only BIFs"), "{e}");
}
