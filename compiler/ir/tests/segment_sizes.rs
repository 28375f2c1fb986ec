//! Literal segment sizes that erlc accepts (with a warning) but that are
//! invalid at run time are lowered, not rejected: the size becomes a value
//! checked when the segment is built or matched, so construction raises
//! where BEAM raises and a pattern simply does not match.

use coral_ir::{Const, Function, Module, Op, SegKind, SegSize, SegSpec, Terminator, Value};

fn lower(body: &str) -> Module {
    let src = format!("module 'm' ['f'/1] attributes [] 'f'/1 = fun (X) -> {body} end");
    let ast = coral_syntax::parse_module("m.core", &src).expect("parses");
    let ir = coral_ir::lower(&ast).unwrap_or_else(|e| panic!("{e}"));
    coral_ir::verify(&ir).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    ir
}

fn main_fn(ir: &Module) -> &Function {
    ir.functions.iter().find(|f| &*f.name == "f").expect("f/1")
}

/// The constant defining `v` in `f`.
fn const_of(f: &Function, v: Value) -> Option<&Const> {
    f.blocks
        .iter()
        .flat_map(|b| &b.insts)
        .find_map(|i| match &i.op {
            Op::Const(c) if i.results == [v] => Some(c),
            _ => None,
        })
}

/// The single segment spec of the first `bin_build` instruction, with the
/// instruction's line.
fn built_segment(f: &Function) -> (SegSpec, Option<u32>) {
    f.blocks
        .iter()
        .flat_map(|b| &b.insts)
        .find_map(|i| match &i.op {
            Op::BinBuild { segs } if segs.len() == 1 => Some((segs[0].1.clone(), i.line)),
            _ => None,
        })
        .expect("a bin_build")
}

/// The spec of the first `bs_get` guard.
fn matched_segment(f: &Function) -> SegSpec {
    f.blocks
        .iter()
        .find_map(|b| match &b.term {
            Terminator::Guard {
                op: Op::BsGet { spec, .. },
                ..
            } => Some(spec.clone()),
            _ => None,
        })
        .expect("a bs_get")
}

fn dynamic_size(f: &Function, spec: &SegSpec) -> Const {
    match spec.size {
        SegSize::Dynamic(v) => const_of(f, v).cloned().expect("a constant size"),
        ref other => panic!("size {other:?}"),
    }
}

#[test]
fn negative_literal_size_in_construction() {
    let ir = lower("%% Line 7\n #{#<X>(-1,1,'integer',['unsigned'|['big']])}#");
    let f = main_fn(&ir);
    let (spec, line) = built_segment(f);
    assert_eq!(dynamic_size(f, &spec), Const::Int(-1));
    assert_eq!(line, Some(7), "badarg is raised with the segment's line");
}

#[test]
fn negative_literal_size_of_constant_binary() {
    // `<<1:-1>>`: every part is literal, yet it is no constant.
    let ir = lower("#{#<1>(-1,1,'integer',['unsigned'|['big']])}#");
    let f = main_fn(&ir);
    let (spec, _) = built_segment(f);
    assert_eq!(dynamic_size(f, &spec), Const::Int(-1));
}

#[test]
fn huge_literal_size_in_construction() {
    let ir = lower("#{#<X>(1180591620717411303424,8,'binary',['unsigned'|['big']])}#");
    let f = main_fn(&ir);
    let (spec, _) = built_segment(f);
    assert_eq!(spec.kind, SegKind::Binary);
    assert!(
        matches!(dynamic_size(f, &spec), Const::Lit(_)),
        "a bignum size is a literal"
    );
}

#[test]
fn negative_literal_size_in_pattern() {
    let ir = lower(
        "case X of \
           <#{#<Y>(-8,1,'integer',['unsigned'|['big']])}#> when 'true' -> Y \
           <_> when 'true' -> 'no' \
         end",
    );
    let f = main_fn(&ir);
    let spec = matched_segment(f);
    assert_eq!(dynamic_size(f, &spec), Const::Int(-8));
}

#[test]
fn invalid_float_size_is_left_to_run_time() {
    let ir = lower("#{#<X>(7,1,'float',['unsigned'|['big']])}#");
    let (spec, _) = built_segment(main_fn(&ir));
    assert_eq!((spec.kind, spec.size), (SegKind::Float, SegSize::Fixed(7)));
}
