//! Which values are floats, module-wide, in the manner of erlc's type pass.
//!
//! BEAM compiles arithmetic whose operand is known to be a float into float
//! instructions (which raise `badarith` without an `erlang:Op` entry in the
//! stack trace), and erlc knows more floats than a function shows on its
//! own: a function of the module that no other module and no fun can call
//! takes a float wherever every caller passes one, and a call of a function
//! whose every return is a float gives a float. The code generator uses the
//! same knowledge to keep such values unboxed between float operations.
//!
//! A value is a float when:
//! - it is a float literal;
//! - it is the result of `+`, `-` or `*` with a float operand, of `/`, of
//!   unary `-`/`+` or `abs` of a float, or of `float/1`;
//! - it is a block parameter and every jump to the block passes a float;
//! - it is a parameter of a function that is not exported and not made
//!   into a fun, and every call of the function passes a float there;
//! - it is the result of a call of a function that returns only floats:
//!   a function of the module whose returns and tail calls all give
//!   floats, or a BIF or `math` function that returns a float.
//!
//! The solution is the greatest one: everything that could be a float is
//! assumed to be, and assumptions a rule contradicts are dropped until none
//! is. It is sound because a value is computed from values computed before
//! it: by induction over a run, every value so marked is a float.

use std::collections::HashSet;

use coral_ir::{Callee, Const, FuncId, Module, Op, Term, Terminator, Value};

/// Remote functions that return a float whenever they return.
fn returns_float(module: &str, name: &str, arity: u32) -> bool {
    match module {
        "erlang" => matches!(
            (name, arity),
            ("float", 1) | ("list_to_float", 1) | ("binary_to_float", 1) | ("/", 2)
        ),
        "math" => matches!(
            (name, arity),
            ("pi", 0)
                | (
                    "sin"
                        | "cos"
                        | "tan"
                        | "asin"
                        | "acos"
                        | "atan"
                        | "sinh"
                        | "cosh"
                        | "tanh"
                        | "asinh"
                        | "acosh"
                        | "atanh"
                        | "exp"
                        | "log"
                        | "log2"
                        | "log10"
                        | "sqrt"
                        | "erf"
                        | "erfc"
                        | "ceil"
                        | "floor",
                    1
                )
                | ("atan2" | "pow" | "fmod", 2)
        ),
        _ => false,
    }
}

/// Whether the result of `name(args)` is a float, given which operands are.
fn bif_gives_float(name: &str, args: &[Value], is_float: impl Fn(Value) -> bool) -> bool {
    match (name, args.len()) {
        ("+" | "-" | "*", 2) => args.iter().any(|&a| is_float(a)),
        ("/", 2) | ("float", 1) => true,
        ("-" | "+" | "abs", 1) => is_float(args[0]),
        _ => false,
    }
}

/// For each function of `m`, the values known to be floats.
pub fn floats(m: &Module) -> Vec<HashSet<Value>> {
    let nf = m.functions.len();
    // Functions only this module's direct calls reach.
    let mut closed: Vec<bool> = m
        .functions
        .iter()
        .map(|f| {
            !m.exports
                .iter()
                .any(|(n, a)| **n == *f.name && *a == f.arity)
        })
        .collect();
    for f in &m.functions {
        for b in &f.blocks {
            for i in &b.insts {
                if let Op::MakeFun { func, .. } = &i.op
                    && let Some(c) = closed.get_mut(func.0 as usize)
                {
                    *c = false;
                }
            }
        }
    }
    // Start from everything and drop what a rule contradicts.
    let mut fl: Vec<HashSet<Value>> = m
        .functions
        .iter()
        .map(|f| (0..f.value_count).map(Value).collect())
        .collect();
    let mut ret: Vec<bool> = vec![true; nf];
    loop {
        let mut changed = false;
        // What callers pass: per function, per parameter.
        let mut passed: Vec<Vec<bool>> = m
            .functions
            .iter()
            .map(|f| vec![true; f.blocks.first().map_or(0, |b| b.params.len())])
            .collect();
        for (fi, f) in m.functions.iter().enumerate() {
            for b in &f.blocks {
                let (callee, args) = match &b.term {
                    Terminator::Call { callee, args, .. }
                    | Terminator::TailCall { callee, args, .. } => (callee, args),
                    _ => continue,
                };
                if let Callee::Local(g) = callee
                    && let Some(p) = passed.get_mut(g.0 as usize)
                {
                    for (k, a) in args.iter().enumerate() {
                        if let Some(slot) = p.get_mut(k) {
                            *slot &= fl[fi].contains(a);
                        }
                    }
                }
            }
        }
        let gives_float = |callee: &Callee, ret: &[bool]| match callee {
            Callee::Local(FuncId(g)) => ret.get(*g as usize).copied().unwrap_or(false),
            Callee::Remote {
                module,
                name,
                arity,
            } => returns_float(module, name, *arity),
            _ => false,
        };
        for (fi, f) in m.functions.iter().enumerate() {
            let mut keep: HashSet<Value> = HashSet::new();
            let cur = &fl[fi];
            let is = |v: Value| cur.contains(&v);
            // Values defined by instructions.
            for b in &f.blocks {
                for i in &b.insts {
                    let Some(&r) = i.results.first() else {
                        continue;
                    };
                    let yes = match &i.op {
                        Op::Const(Const::Lit(l)) => {
                            matches!(m.literals.get(l.0 as usize), Some(Term::Float(_)))
                        }
                        Op::Bif { name, args } => bif_gives_float(name, args, is),
                        _ => false,
                    };
                    if yes && is(r) {
                        keep.insert(r);
                    }
                }
            }
            // Block parameters: by what reaches them.
            let mut param_ok: Vec<Vec<bool>> = f
                .blocks
                .iter()
                .map(|b| vec![true; b.params.len()])
                .collect();
            let mut defined_by_edges = vec![false; f.blocks.len()];
            for b in &f.blocks {
                for bc in b.term.block_calls() {
                    let t = bc.block.0 as usize;
                    defined_by_edges[t] = true;
                    for (k, a) in bc.args.iter().enumerate() {
                        if let Some(s) = param_ok[t].get_mut(k) {
                            *s &= is(*a);
                        }
                    }
                }
                match &b.term {
                    Terminator::Guard {
                        op: Op::Bif { name, args },
                        ok,
                        ..
                    } => {
                        let t = ok.0 as usize;
                        defined_by_edges[t] = true;
                        let y = bif_gives_float(name, args, is);
                        for s in param_ok[t].iter_mut() {
                            *s &= y;
                        }
                    }
                    Terminator::Guard { ok, .. } => {
                        let t = ok.0 as usize;
                        defined_by_edges[t] = true;
                        for s in param_ok[t].iter_mut() {
                            *s = false;
                        }
                    }
                    Terminator::Call { callee, cont, .. } => {
                        let t = cont.0 as usize;
                        defined_by_edges[t] = true;
                        let y = gives_float(callee, &ret);
                        for s in param_ok[t].iter_mut() {
                            *s &= y;
                        }
                    }
                    Terminator::RecvWaitTimeout { cont, .. } => {
                        let t = cont.0 as usize;
                        defined_by_edges[t] = true;
                        param_ok[t].iter_mut().for_each(|s| *s = false);
                    }
                    Terminator::TryEnter { handler, body, .. } => {
                        for t in [handler.0 as usize, body.0 as usize] {
                            defined_by_edges[t] = true;
                            param_ok[t].iter_mut().for_each(|s| *s = false);
                        }
                    }
                    _ => {}
                }
            }
            for (bi, b) in f.blocks.iter().enumerate() {
                let from_callers = bi == 0;
                for (k, &p) in b.params.iter().enumerate() {
                    let mut ok = param_ok[bi][k];
                    if from_callers {
                        ok &= closed[fi] && passed[fi].get(k).copied().unwrap_or(false);
                    } else if !defined_by_edges[bi] {
                        ok = false;
                    }
                    if ok && is(p) {
                        keep.insert(p);
                    }
                }
            }
            // Returns.
            let mut r = true;
            for b in &f.blocks {
                match &b.term {
                    Terminator::Return(v) => r &= keep.contains(v),
                    Terminator::TailCall { callee, .. } => r &= gives_float(callee, &ret),
                    _ => {}
                }
            }
            if keep.len() != fl[fi].len() {
                changed = true;
            }
            fl[fi] = keep;
            if ret[fi] != r {
                ret[fi] = r;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    fl
}
