//! Lambdas are named as erlc names them (`-F/A-fun-N-`), and no two
//! functions of a module share a name. The oracle is erlc's own assembly
//! listing of the same source.

mod common;

use std::collections::HashSet;
use std::process::Command;

/// Funs bound by `let` (whose `id` annotation the printed Core Erlang
/// drops), funs inside funs, funs inside comprehensions and case clauses.
const SOURCE: &str = r#"-module(lambda_names).
-export([main/0, pick/1, counter/1]).

main() ->
    Add = fun(X) -> fun(Y) -> X + Y end end,
    Fs = [fun(Z) -> Z * N end || N <- [1, 2, 3]],
    Gs = [fun() -> N end || N <- [4, 5]],
    Compose = fun(F, G) -> fun(V) -> F(G(V)) end end,
    Inc = fun(V) -> V + 1 end,
    H = Compose(Inc, Add(2)),
    {Fs, Gs, H, pick(3)}.

pick(N) ->
    case N of
        1 -> fun(A) -> A end;
        _ -> fun(A) -> fun() -> A + N end end
    end.

counter(N) -> fun() -> {N, counter(N + 1)} end.
"#;

/// The `{function, Name, Arity, Label}` entries of an `erlc -S` listing.
fn beam_functions(listing: &str) -> HashSet<(String, u32)> {
    listing
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("{function, ")?;
            let (name, rest) = rest.rsplit_once(", ")?.0.rsplit_once(", ")?;
            let name = name.trim_matches('\'').to_string();
            Some((name, rest.parse().ok()?))
        })
        .collect()
}

/// Top-level functions are told apart by name and arity (`module_info/0`
/// and `module_info/1`); a lifted function's name is its own, but for a
/// list-building loop, which is its function's.
fn assert_unique(ir: &coral_ir::Module) {
    let mut seen = HashSet::new();
    for f in &ir.functions {
        if matches!(f.kind, coral_ir::FunKind::TopLevel) {
            assert!(
                seen.insert((f.name.to_string(), Some(f.arity))),
                "two functions {}/{}",
                f.name,
                f.arity
            );
        }
    }
    for f in &ir.functions {
        // A function's list-building loop shows as the function itself.
        if let coral_ir::FunKind::ConsLoop { parent } = &f.kind {
            assert_eq!((&*parent.0, parent.1), (&*f.name, f.arity));
            assert!(seen.contains(&(f.name.to_string(), Some(f.arity))));
            continue;
        }
        if !matches!(f.kind, coral_ir::FunKind::TopLevel) {
            let clash = seen.iter().any(|(n, _)| **n == *f.name);
            assert!(!clash, "two functions named {:?}", f.name);
            seen.insert((f.name.to_string(), None));
        }
    }
}

#[test]
fn lambda_names_match_erlc() {
    let dir = common::scratch("lambda-names");
    let erl = dir.join("lambda_names.erl");
    std::fs::write(&erl, SOURCE).expect("write source");
    let core = common::to_core(&erl, &dir);
    let status = Command::new("erlc")
        .arg("-S")
        .arg("-o")
        .arg(&dir)
        .arg(&erl)
        .status()
        .expect("erlc must be installed (Erlang/OTP 25)");
    assert!(status.success(), "erlc -S failed");
    let listing = std::fs::read_to_string(dir.join("lambda_names.S")).expect("read listing");
    let beam = beam_functions(&listing);
    let ir = common::lower_file(&core).unwrap_or_else(|e| panic!("{e}"));
    assert_unique(&ir);
    let mut lambdas = 0;
    for f in &ir.functions {
        if matches!(f.kind, coral_ir::FunKind::Lambda { .. }) {
            lambdas += 1;
            // BEAM's arity of a lifted fun counts its environment too.
            let key = (f.name.to_string(), f.arity + f.env_len);
            assert!(beam.contains(&key), "{key:?} is not among erlc's {beam:?}");
        }
    }
    let beam_lambdas = beam.iter().filter(|(n, _)| n.contains("-fun-")).count();
    assert_eq!(lambdas, beam_lambdas);
}

#[test]
fn every_test_program_has_unique_function_names() {
    let dir = common::scratch("lambda-names-programs");
    let programs = common::root().join("tests/programs");
    let erls: Vec<_> = std::fs::read_dir(&programs)
        .expect("tests/programs")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "erl"))
        .collect();
    assert!(!erls.is_empty(), "no programs in {}", programs.display());
    // One erlc run for all of them: starting the VM dominates.
    let status = Command::new("erlc")
        .arg("+to_core")
        .arg("-o")
        .arg(&dir)
        .args(&erls)
        .output()
        .expect("erlc must be installed (Erlang/OTP 25)")
        .status;
    assert!(status.success(), "erlc +to_core failed");
    for erl in &erls {
        let stem = erl.file_stem().expect("file stem");
        let core = dir.join(stem).with_extension("core");
        let ir = common::lower_file(&core).unwrap_or_else(|e| panic!("{e}"));
        assert_unique(&ir);
    }
}

/// Inlining can copy a fun with its `id` annotation; the copies need names
/// of their own.
#[test]
fn duplicated_annotation_gets_a_fresh_name() {
    let fun = "( fun (Y) -> Y -| [{'id',{0,0,'-f/1-fun-0-'}}] )";
    let src = format!(
        "module 'm' ['f'/1] attributes [] \
         'f'/1 = fun (X) -> {{{fun}, {fun}, fun (Z) -> Z}} end"
    );
    let ast = coral_syntax::parse_module("m.core", &src).expect("parses");
    let ir = coral_ir::lower(&ast).expect("lowers");
    assert_unique(&ir);
    let names: Vec<&str> = ir
        .functions
        .iter()
        .filter(|f| matches!(f.kind, coral_ir::FunKind::Lambda { .. }))
        .map(|f| &*f.name)
        .collect();
    assert_eq!(names, ["-f/1-fun-0-", "-f/1-fun-1-", "-f/1-fun-2-"]);
}
