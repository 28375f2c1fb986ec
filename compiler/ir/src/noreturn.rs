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
//!   that cannot (and the function is neither exported nor made a fun);
//! - a test that cannot succeed, or cannot fail, for the values that can
//!   reach it: erlc also knows which constants a local function's
//!   parameters can hold (the union over every call in the module), and at
//!   each call which ones its arguments hold. `s(0) -> 0.` called only as
//!   `s(7)` never returns, and neither does the call `s(b)` of `s(a) -> 1.`
//!   even where `s(a)` is called too.

use std::collections::HashSet;

use crate::ir::*;

/// Arithmetic that fails for an operand that is not a number.
fn arithmetic(name: &str) -> bool {
    matches!(
        name,
        "+" | "-" | "*" | "/" | "div" | "rem" | "band" | "bor" | "bxor" | "bsl" | "bsr" | "bnot"
    )
}

/// What a value can be, as far as constants go: any term, or one of a few
/// constants (the empty set: nothing has reached it yet).
#[derive(Clone, Debug, PartialEq)]
enum Abs {
    Any,
    OneOf(Vec<Const>),
}

/// Sets of constants larger than this are `Any`.
const ABS_MAX: usize = 8;

/// Callees of at most this many blocks are looked at again for the
/// constants of each call (the analysis is linear in their size).
const PER_CALL_BLOCKS: usize = 256;

/// Rounds of the parameters' fixpoint before it gives up (each round can
/// only grow sets, which are capped, so this is rarely reached).
const PARAM_ROUNDS: usize = 12;

impl Abs {
    fn join(&mut self, other: &Abs) -> bool {
        let Abs::OneOf(mine) = self else {
            return false;
        };
        let Abs::OneOf(theirs) = other else {
            *self = Abs::Any;
            return true;
        };
        let mut changed = false;
        for c in theirs {
            if !mine.contains(c) {
                mine.push(c.clone());
                changed = true;
            }
        }
        if mine.len() > ABS_MAX {
            *self = Abs::Any;
        }
        changed
    }

    /// The constants, unless nothing is known (or nothing reached yet,
    /// which the walks below treat as anything too).
    fn consts(&self) -> Option<&[Const]> {
        match self {
            Abs::OneOf(cs) if !cs.is_empty() => Some(cs),
            _ => None,
        }
    }
}

/// Whether a constant is an atom, a small integer or `[]`, which `=:=`
/// tells apart exactly; a literal (a list, tuple, float, bignum, binary)
/// never equals one of those.
fn atomic(c: &Const) -> bool {
    !matches!(c, Const::Lit(_))
}

/// The abstract value of each value of a function, by number.
struct AbsValues(Vec<Abs>);

impl AbsValues {
    fn get(&self, v: &Value) -> Option<&Abs> {
        self.0.get(v.0 as usize)
    }

    fn get_mut(&mut self, v: &Value) -> Option<&mut Abs> {
        self.0.get_mut(v.0 as usize)
    }

    fn insert(&mut self, v: Value, a: Abs) {
        if let Some(slot) = self.get_mut(&v) {
            *slot = a;
        }
    }
}

/// Per block of `f`: whether it is entered only by jumps, branches and
/// switches, whose arguments say what its parameters can be. (A call's
/// continuation, a guard's success, a handler get theirs from elsewhere.)
fn joined_blocks(f: &Function) -> Vec<bool> {
    let mut joined = vec![false; f.blocks.len()];
    let mut otherwise = vec![false; f.blocks.len()];
    for b in &f.blocks {
        for bc in b.term.block_calls() {
            if let Some(j) = joined.get_mut(bc.block.0 as usize) {
                *j = true;
            }
        }
        let other: &[BlockId] = match &b.term {
            Terminator::Call { cont, .. } | Terminator::RecvWaitTimeout { cont, .. } => {
                std::slice::from_ref(cont)
            }
            Terminator::Guard { ok, .. } => std::slice::from_ref(ok),
            Terminator::TryEnter { body, handler, .. } => &[*body, *handler],
            _ => &[],
        };
        for o in other {
            if let Some(x) = otherwise.get_mut(o.0 as usize) {
                *x = true;
            }
        }
    }
    joined
        .iter()
        .zip(&otherwise)
        .map(|(j, o)| *j && !o)
        .collect()
}

/// The values of `f` as far as constants go, given what its parameters
/// can be (`entry`) and which blocks are `joined` (see [`joined_blocks`]):
/// constants, and the parameters of joined blocks (the join of what each
/// jump passes).
fn abstract_values(f: &Function, joined: &[bool], entry: &[Abs]) -> AbsValues {
    let mut vals = AbsValues(vec![Abs::Any; f.value_count as usize]);
    for (bi, b) in f.blocks.iter().enumerate().skip(1) {
        let start = if joined.get(bi).copied().unwrap_or(false) {
            Abs::OneOf(Vec::new())
        } else {
            Abs::Any
        };
        for p in &b.params {
            vals.insert(*p, start.clone());
        }
    }
    if let Some(b0) = f.blocks.first() {
        for (i, p) in b0.params.iter().enumerate() {
            vals.insert(*p, entry.get(i).cloned().unwrap_or(Abs::Any));
        }
    }
    // Other instructions' results stay `Any`.
    for b in &f.blocks {
        for inst in &b.insts {
            if let (Op::Const(c), [r]) = (&inst.op, &inst.results[..]) {
                vals.insert(*r, Abs::OneOf(vec![c.clone()]));
            }
        }
    }
    loop {
        let mut changed = false;
        for b in &f.blocks {
            for bc in b.term.block_calls() {
                let Some(target) = f.blocks.get(bc.block.0 as usize) else {
                    continue;
                };
                for (p, a) in target.params.iter().zip(&bc.args) {
                    if !matches!(vals.get(p), Some(Abs::OneOf(_))) {
                        continue;
                    }
                    let incoming = vals.get(a).cloned().unwrap_or(Abs::Any);
                    if let Some(slot) = vals.get_mut(p) {
                        changed |= slot.join(&incoming);
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    vals
}

/// What a test gives for values known to be among `cs`: `Some(outcome)`
/// when every one of them gives the same.
fn shape_test(m: &Module, cs: &[Const], test: impl Fn(&Term) -> bool) -> Option<bool> {
    let one = |c: &Const| match c {
        Const::Lit(l) => m.literals.get(l.0 as usize).map(&test),
        _ => Some(false),
    };
    let first = one(cs.first()?)?;
    cs.iter().all(|c| one(c) == Some(first)).then_some(first)
}

/// The successors of `b` that the values in `abs` can reach.
fn reachable_successors(m: &Module, t: &Terminator, abs: &AbsValues) -> Vec<BlockId> {
    let consts = |v: &Value| abs.get(v).and_then(Abs::consts);
    match t {
        Terminator::Branch { cond, then, else_ } => {
            let outcome = match cond {
                Cond::IsCons(v) => {
                    consts(v).and_then(|cs| shape_test(m, cs, |t| matches!(t, Term::List(..))))
                }
                Cond::IsTuple(v) => {
                    consts(v).and_then(|cs| shape_test(m, cs, |t| matches!(t, Term::Tuple(_))))
                }
                Cond::IsMap(v) => {
                    consts(v).and_then(|cs| shape_test(m, cs, |t| matches!(t, Term::Map(_))))
                }
                Cond::IsBitstring(v) => {
                    consts(v).and_then(|cs| shape_test(m, cs, |t| matches!(t, Term::Binary { .. })))
                }
                Cond::IsTrue(v) => consts(v).and_then(|cs| {
                    let yes = |c: &Const| matches!(c, Const::Atom(a) if &**a == "true");
                    if cs.iter().all(yes) {
                        Some(true)
                    } else if cs.iter().all(|c| atomic(c) && !yes(c)) {
                        Some(false)
                    } else {
                        None
                    }
                }),
                Cond::EqExact(a, b) => match (consts(a), consts(b)) {
                    (Some(x), Some(y)) if x.iter().chain(y).all(atomic) => {
                        if x.len() == 1 && y.len() == 1 && x[0] == y[0] {
                            Some(true)
                        } else if x.iter().all(|c| !y.contains(c)) {
                            Some(false)
                        } else {
                            None
                        }
                    }
                    _ => None,
                },
            };
            match outcome {
                Some(true) => vec![then.block],
                Some(false) => vec![else_.block],
                None => vec![then.block, else_.block],
            }
        }
        Terminator::Switch {
            arg,
            cases,
            default,
        } => match consts(arg) {
            Some(cs) => {
                let mut out = Vec::new();
                for (c, bc) in cases {
                    // A literal case may equal a literal value; an atomic
                    // one only the same constant.
                    let may = if atomic(c) {
                        cs.contains(c)
                    } else {
                        cs.iter().any(|x| !atomic(x))
                    };
                    if may {
                        out.push(bc.block);
                    }
                }
                let unmatched = cs
                    .iter()
                    .any(|x| !atomic(x) || !cases.iter().any(|(c, _)| c == x));
                if unmatched {
                    out.push(default.block);
                }
                out
            }
            None => t.successors(),
        },
        _ => t.successors(),
    }
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
/// return (`returns`), which values cannot be numbers (`nn`) and which
/// constants values can be (`abs`).
fn may_return(
    m: &Module,
    f: &Function,
    returns: &[bool],
    nn: &HashSet<Value>,
    abs: &AbsValues,
) -> bool {
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
            t => stack.extend(reachable_successors(m, t, abs)),
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
    // Which constants parameters can hold: a least fixpoint over the
    // calls in the module (an open function's parameters can be anything).
    let joined: Vec<Vec<bool>> = m.functions.iter().map(joined_blocks).collect();
    let mut params: Vec<Vec<Abs>> = m
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let start = if open[i] {
                Abs::Any
            } else {
                Abs::OneOf(Vec::new())
            };
            vec![start; f.blocks.first().map_or(0, |b| b.params.len())]
        })
        .collect();
    for round in 0.. {
        if round == PARAM_ROUNDS {
            // Not settled: give up on precision, not on soundness.
            for ps in &mut params {
                ps.iter_mut().for_each(|a| *a = Abs::Any);
            }
            break;
        }
        let mut changed = false;
        for fi in 0..n {
            let f = &m.functions[fi];
            let abs = abstract_values(f, &joined[fi], &params[fi]);
            for b in &f.blocks {
                if let Terminator::Call {
                    callee: Callee::Local(g),
                    args,
                    ..
                }
                | Terminator::TailCall {
                    callee: Callee::Local(g),
                    args,
                    ..
                } = &b.term
                    && let Some(ps) = params.get_mut(g.0 as usize)
                {
                    for (slot, a) in ps.iter_mut().zip(args) {
                        changed |= slot.join(abs.get(a).unwrap_or(&Abs::Any));
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    let abs: Vec<_> = (0..n)
        .map(|fi| abstract_values(&m.functions[fi], &joined[fi], &params[fi]))
        .collect();
    // Which functions return: a least fixpoint.
    let sets: Vec<HashSet<Value>> = (0..n).map(|fi| non_numbers_of(m, fi, &nn)).collect();
    let mut returns = vec![false; n];
    loop {
        let mut changed = false;
        for fi in 0..n {
            if !returns[fi] && may_return(m, &m.functions[fi], &returns, &sets[fi], &abs[fi]) {
                returns[fi] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // The calls that keep no frame: of a function that never returns, or
    // that cannot return for the constants this call passes.
    let mut frameless: Vec<Vec<usize>> = vec![Vec::new(); n];
    for fi in 0..n {
        for (bi, b) in m.functions[fi].blocks.iter().enumerate() {
            if b.handler.is_some() {
                continue;
            }
            let Terminator::Call {
                callee: Callee::Local(g),
                args,
                ..
            } = &b.term
            else {
                continue;
            };
            let gi = g.0 as usize;
            let Some(gf) = m.functions.get(gi) else {
                continue;
            };
            let never = !returns[gi] || {
                let here: Vec<Abs> = args
                    .iter()
                    .map(|a| abs[fi].get(a).cloned().unwrap_or(Abs::Any))
                    .collect();
                gf.blocks.len() <= PER_CALL_BLOCKS
                    && here.iter().any(|a| a.consts().is_some())
                    && here != params[gi]
                    && !may_return(
                        m,
                        gf,
                        &returns,
                        &sets[gi],
                        &abstract_values(gf, &joined[gi], &here),
                    )
            };
            if never {
                frameless[fi].push(bi);
            }
        }
    }
    for (f, blocks) in m.functions.iter_mut().zip(frameless) {
        if blocks.is_empty() {
            continue;
        }
        for bi in blocks {
            let b = &mut f.blocks[bi];
            let Terminator::Call {
                callee, args, line, ..
            } = std::mem::replace(&mut b.term, Terminator::Unreachable)
            else {
                continue;
            };
            b.term = Terminator::TailCall { callee, args, line };
        }
        crate::passes::finish(f);
    }
}
