//! Calls of functions that never return keep no frame.
//!
//! erlc's type pass finds the local functions that can only raise (every
//! way out of them fails), and a call of one of them keeps no stack frame
//! in BEAM: nothing runs after it. Stack traces show this, since BEAM lists
//! every frame on the stack. This pass finds such functions as erlc would
//! for the common cases, and turns a call of one into a tail call (outside
//! a `try`, whose catch needs the frame).
//!
//! A function returns unless every way out of it raises. A way ends at
//! - a `match_fail`, `raise`, or a call of `erlang:error/1` and its kin;
//! - a call of a local function that never returns;
//! - arithmetic with an operand that cannot be a number: a non-number
//!   literal, data built here (tuple, cons, fun), or the result of a local
//!   function that only returns such values. A parameter of a local
//!   function cannot be a number when every call in the module passes one
//!   that cannot (and the function is neither exported nor made a fun).

use std::collections::HashSet;

use crate::ir::*;

/// Arithmetic that fails for an operand that is not a number.
fn arithmetic(name: &str) -> bool {
    matches!(
        name,
        "+" | "-" | "*" | "/" | "div" | "rem" | "band" | "bor" | "bxor" | "bsl" | "bsr" | "bnot"
    )
}

/// What the module knows about which values cannot be numbers.
struct NonNumbers {
    /// Per function and parameter: every call passes a non-number.
    params: Vec<Vec<bool>>,
    /// Per function: every return is a non-number.
    returns: Vec<bool>,
}

fn literal_non_number(m: &Module, c: &Const) -> bool {
    match c {
        Const::Atom(_) | Const::Nil => true,
        Const::Int(_) => false,
        Const::Lit(l) => !matches!(
            m.literals.get(l.0 as usize),
            Some(Term::Int(_) | Term::Float(_)) | None
        ),
    }
}

/// The values of `f` that cannot be numbers.
fn non_numbers_of(m: &Module, fi: usize, nn: &NonNumbers) -> HashSet<Value> {
    let f = &m.functions[fi];
    let mut out = HashSet::new();
    if let Some(b0) = f.blocks.first() {
        for (i, p) in b0.params.iter().enumerate() {
            if nn.params[fi].get(i).copied().unwrap_or(false) {
                out.insert(*p);
            }
        }
    }
    for b in &f.blocks {
        for inst in &b.insts {
            let yes = match &inst.op {
                Op::Const(c) => literal_non_number(m, c),
                Op::Tuple(_) | Op::Cons(..) | Op::ConsHole(_) | Op::MakeFun { .. } => true,
                _ => false,
            };
            if yes {
                out.extend(inst.results.iter().copied());
            }
        }
        if let Terminator::Call {
            callee: Callee::Local(g),
            cont,
            ..
        } = &b.term
            && nn.returns.get(g.0 as usize).copied().unwrap_or(false)
            && let Some(&r) = f.block(*cont).params.first()
        {
            out.insert(r);
        }
    }
    out
}

/// Whether some way out of `f` returns, given which local functions
/// return (`returns`) and which values cannot be numbers (`nn`).
fn may_return(f: &Function, returns: &[bool], nn: &HashSet<Value>) -> bool {
    let mut seen = vec![false; f.blocks.len()];
    let mut stack = vec![BlockId(0)];
    while let Some(b) = stack.pop() {
        let i = b.0 as usize;
        if i >= seen.len() || seen[i] {
            continue;
        }
        seen[i] = true;
        let blk = f.block(b);
        let fails = blk.insts.iter().any(|inst| match &inst.op {
            Op::Bif { name, args } => arithmetic(name) && args.iter().any(|a| nn.contains(a)),
            _ => false,
        });
        if fails {
            continue;
        }
        match &blk.term {
            Terminator::Return(_) => return true,
            Terminator::TailCall { callee, .. } => match callee {
                Callee::Local(g) => {
                    if returns.get(g.0 as usize).copied().unwrap_or(true) {
                        return true;
                    }
                }
                Callee::Remote {
                    module,
                    name,
                    arity,
                } if crate::bifs::never_returns(module, name, *arity as usize) => {}
                _ => return true,
            },
            Terminator::Call {
                callee: Callee::Local(g),
                ..
            } if !returns.get(g.0 as usize).copied().unwrap_or(true) => {}
            t => stack.extend(t.successors()),
        }
    }
    false
}

/// Turns calls of local functions that never return into tail calls
/// (outside a `try`).
pub(crate) fn frameless_calls(m: &mut Module) {
    let n = m.functions.len();
    // Functions whose callers are not all in sight: exported, or made funs.
    let mut open = vec![false; n];
    for (i, f) in m.functions.iter().enumerate() {
        if f.kind == FunKind::TopLevel
            && m.exports.iter().any(|(e, a)| *e == f.name && *a == f.arity)
        {
            open[i] = true;
        }
        for b in &f.blocks {
            for inst in &b.insts {
                if let Op::MakeFun { func, .. } = &inst.op
                    && let Some(o) = open.get_mut(func.0 as usize)
                {
                    *o = true;
                }
            }
        }
    }
    // Which values cannot be numbers: a greatest fixpoint (start from
    // "none can", drop what a call or return contradicts).
    let mut nn = NonNumbers {
        params: m
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| vec![!open[i]; f.blocks.first().map_or(0, |b| b.params.len())])
            .collect(),
        returns: vec![true; n],
    };
    loop {
        let mut changed = false;
        for fi in 0..n {
            let vals = non_numbers_of(m, fi, &nn);
            let f = &m.functions[fi];
            let mut any_return = false;
            for b in &f.blocks {
                let (g, args) = match &b.term {
                    Terminator::Return(v) => {
                        any_return = true;
                        if !vals.contains(v) && nn.returns[fi] {
                            nn.returns[fi] = false;
                            changed = true;
                        }
                        continue;
                    }
                    Terminator::Call {
                        callee: Callee::Local(g),
                        args,
                        ..
                    }
                    | Terminator::TailCall {
                        callee: Callee::Local(g),
                        args,
                        ..
                    } => (g.0 as usize, args),
                    Terminator::TailCall { .. } => {
                        // Another module's function, or a fun: anything.
                        if nn.returns[fi] {
                            nn.returns[fi] = false;
                            changed = true;
                        }
                        continue;
                    }
                    _ => continue,
                };
                if let Terminator::TailCall { .. } = &b.term
                    && !nn.returns.get(g).copied().unwrap_or(false)
                    && nn.returns[fi]
                {
                    nn.returns[fi] = false;
                    changed = true;
                }
                if let Some(ps) = nn.params.get_mut(g) {
                    for (k, a) in args.iter().enumerate() {
                        if ps.get(k).copied().unwrap_or(false) && !vals.contains(a) {
                            ps[k] = false;
                            changed = true;
                        }
                    }
                }
            }
            if !any_return && nn.returns[fi] {
                // Only tail calls or raises: its returns are its callees'.
                let tails_only = f
                    .blocks
                    .iter()
                    .any(|b| matches!(b.term, Terminator::TailCall { .. }));
                if !tails_only {
                    nn.returns[fi] = false;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Which functions return: a least fixpoint.
    let sets: Vec<HashSet<Value>> = (0..n).map(|fi| non_numbers_of(m, fi, &nn)).collect();
    let mut returns = vec![false; n];
    loop {
        let mut changed = false;
        for fi in 0..n {
            if !returns[fi] && may_return(&m.functions[fi], &returns, &sets[fi]) {
                returns[fi] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for f in &mut m.functions {
        let mut any = false;
        for b in &mut f.blocks {
            if b.handler.is_some() {
                continue;
            }
            if let Terminator::Call {
                callee: Callee::Local(g),
                ..
            } = &b.term
                && !returns[g.0 as usize]
            {
                let Terminator::Call {
                    callee, args, line, ..
                } = std::mem::replace(&mut b.term, Terminator::Unreachable)
                else {
                    continue;
                };
                b.term = Terminator::TailCall { callee, args, line };
                any = true;
            }
        }
        if any {
            crate::passes::finish(f);
        }
    }
}
