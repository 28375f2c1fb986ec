//! Lists built front to back: the recursive call under a cons becomes a
//! loop.
//!
//! A function such as
//!
//! ```text
//! app([H | T], L) -> [H | app(T, L)];
//! app([], L) -> L.
//! ```
//!
//! keeps one frame per element on the stack until the end of the list,
//! then builds the result on the way back. Here it builds the result on the
//! way in instead: each step allocates its cell with the tail still empty,
//! writes it into the previous cell's tail and goes on with a tail call,
//! so the whole walk is one loop with no frames. (OCaml calls this "tail
//! recursion modulo cons".)
//!
//! The function `f/N` keeps its clauses; in a clause whose body is
//! `[E1, ..., Ek | f(A1, ..., AN)]` (erlc writes it as a `let` of the call
//! followed by the list), the body becomes
//!
//! ```text
//! let <Hole> = primop 'coral_cons_hole'(Ek)
//! in apply Loop/N+2 (A1, ..., AN, Hole, [E1, ..., Ek-1 | Hole])
//! ```
//!
//! where `Loop` is a new function with `f`'s clauses and two more
//! parameters, the cell whose tail is still empty and the list's first
//! cell. In `Loop` a clause like the one above writes its first new cell
//! into the empty tail (`primop 'coral_set_tail'(Hole, Cell)`) and calls
//! `Loop` again; a tail call of `f` calls `Loop` with the same cell; a
//! clause that returns a value writes it into the tail and returns the
//! first cell.
//!
//! Only what cannot fail or have an effect moves: the elements and the
//! arguments must be variables, literals, tuples and lists of those. A
//! clause of `Loop` whose body could raise (or do anything else), and a
//! call that matches no clause, calls `f` itself with the same arguments,
//! as the original recursion would have. That call leaves one frame of `f`
//! at the line of the recursive call, and BEAM shows the frames of a chain
//! of recursive calls from one call site as one entry: stack traces stay as
//! BEAM prints them. `Loop` itself shows as `f/N` (it is lowered as a
//! [`FunKind::ConsLoop`](crate::FunKind) of `f`).
//!
//! The empty tail is written once, before the list is published, but
//! possibly after the cell survived a collection; the code generator and
//! the collector deal with that (see `Op::SetTail`).

use coral_syntax::ast::{self, Anno, Expr, ExprKind, Lit, Node, PatKind, Span};

/// The primop that allocates a cell with an empty tail.
pub(super) const CONS_HOLE: &str = "coral_cons_hole";
/// The primop that writes the tail of such a cell.
pub(super) const SET_TAIL: &str = "coral_set_tail";

/// A loop made by the rewrite: the name of its definition, and the
/// function it came from.
pub(super) struct Loop {
    pub name: ast::Name,
    pub parent: (ast::Name, u32),
}

/// The module with a loop added for each function that builds its result
/// list by a recursive call under a cons, or `None` when none does.
pub(super) fn rewrite(module: &ast::Module) -> Option<(ast::Module, Vec<Loop>)> {
    let mut plans = Vec::new();
    for (i, d) in module.defs.iter().enumerate() {
        if let Some(p) = plan(module, d) {
            plans.push((i, p));
        }
    }
    if plans.is_empty()
        || module
            .defs
            .iter()
            .any(|d| walk(&d.fun.kind.body, &mut reserved))
    {
        return None;
    }
    let mut out = module.clone();
    let mut loops = Vec::new();
    for (i, p) in plans {
        let d = &module.defs[i];
        let (f, lp) = build(d, &p);
        out.defs[i] = f;
        loops.push(Loop {
            name: lp.name.kind.name.clone(),
            parent: (d.name.kind.name.clone(), d.name.kind.arity),
        });
        out.defs.push(lp);
    }
    Some((out, loops))
}

/// How one clause of a qualifying function takes part in the loop.
enum Role<'m> {
    /// `[E1, ..., Ek | f(A1, ..., AN)]`.
    Cons {
        elems: Vec<&'m Expr>,
        args: &'m [Expr],
    },
    /// `f(A1, ..., AN)` in tail position.
    Again { args: &'m [Expr] },
    /// A value with no call of `f`; `safe` when it can be computed inside
    /// the loop (it can neither fail nor have an effect).
    Done { safe: bool },
}

struct Plan<'m> {
    case: &'m ast::Case,
    roles: Vec<Role<'m>>,
    /// The line of the recursive call under the cons.
    line: Option<std::num::NonZeroU32>,
    name: ast::Name,
}

fn plan<'m>(module: &'m ast::Module, d: &'m ast::FunDef) -> Option<Plan<'m>> {
    let f = &d.name.kind;
    let fun = &d.fun.kind;
    if fun.vars.is_empty() {
        return None;
    }
    let ExprKind::Case(c) = &fun.body.kind else {
        return None;
    };
    // The clauses must select on the parameters themselves, which the
    // loop passes on unchanged when it falls back to calling `f`.
    let params: Vec<&str> = fun.vars.iter().map(|v| &*v.kind).collect();
    let args: Vec<&str> = match &c.arg.kind {
        ExprKind::Values(vs) => vs
            .iter()
            .map(|v| match &v.kind {
                ExprKind::Var(n) => Some(&**n),
                _ => None,
            })
            .collect::<Option<_>>()?,
        ExprKind::Var(v) => vec![&**v],
        _ => return None,
    };
    if args != params {
        return None;
    }
    let mut roles = Vec::with_capacity(c.clauses.len());
    let mut line = None;
    let mut conses = 0;
    for cl in &c.clauses {
        let k = &cl.kind;
        if mentions(&k.guard, f) {
            return None;
        }
        let role = if let Some((elems, call)) = cons_of_call(&k.body, f) {
            // The line in effect at the call: erlc puts it on the call, or
            // on an enclosing expression, or on the clause.
            let l = self_apply(call, f)?
                .op
                .anno
                .line
                .or(call.anno.line)
                .or(k.body.anno.line)
                .or(cl.anno.line)
                .or(c.arg.anno.line)
                .or(fun.body.anno.line)
                .or(d.fun.anno.line)
                .or(d.name.anno.line);
            // One call site: BEAM's trace shows the chain as one entry.
            if conses > 0 && l != line {
                return None;
            }
            line = l;
            conses += 1;
            Role::Cons {
                elems,
                args: &self_apply(call, f)?.args,
            }
        } else if let Some(a) = self_apply(&k.body, f) {
            if !a.args.iter().all(safe) {
                return None;
            }
            Role::Again { args: &a.args }
        } else if mentions(&k.body, f) {
            return None;
        } else {
            Role::Done {
                safe: safe(&k.body),
            }
        };
        roles.push(role);
    }
    if conses == 0 {
        return None;
    }
    let name: ast::Name = format!("-{}/{}-cons-loop-", f.name, f.arity).into();
    if module
        .defs
        .iter()
        .any(|d| d.name.kind.name == name && d.name.kind.arity == f.arity + 2)
    {
        return None;
    }
    Some(Plan {
        case: c,
        roles,
        line,
        name,
    })
}

/// `e` as `[E1, ..., Ek | f(...)]`, or erlc's `let <X> = f(...) in [E1,
/// ..., Ek | X]`, with safe elements and arguments: the elements and the
/// call.
fn cons_of_call<'m>(e: &'m Expr, f: &ast::FunName) -> Option<(Vec<&'m Expr>, &'m Expr)> {
    let (elems, call) = match &e.kind {
        ExprKind::List(l) => (&l.elems, l.tail.as_deref()?),
        ExprKind::Let(lt) => {
            let [x] = &lt.vars[..] else {
                return None;
            };
            let ExprKind::List(l) = &lt.body.kind else {
                return None;
            };
            match &l.tail.as_deref()?.kind {
                ExprKind::Var(v) if *v == x.kind => {}
                _ => return None,
            }
            // `X` must not be used elsewhere: the elements are safe, so a
            // use would be a plain variable.
            if l.elems.iter().any(|el| uses_var(el, &x.kind)) {
                return None;
            }
            (&l.elems, &lt.arg)
        }
        _ => return None,
    };
    let a = self_apply(call, f)?;
    if elems.is_empty() || !elems.iter().all(safe) || !a.args.iter().all(safe) {
        return None;
    }
    Some((elems.iter().collect(), call))
}

fn self_apply<'m>(e: &'m Expr, f: &ast::FunName) -> Option<&'m ast::Apply> {
    match &e.kind {
        ExprKind::Apply(a) => match &a.op.kind {
            ExprKind::FunName(g) if g == f && a.args.len() == f.arity as usize => Some(a),
            _ => None,
        },
        _ => None,
    }
}

/// Whether evaluating `e` can neither fail nor have an effect: variables,
/// literals, and tuples and lists of those.
fn safe(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) | ExprKind::Lit(_) => true,
        ExprKind::Tuple(es) => es.iter().all(safe),
        ExprKind::List(l) => l.elems.iter().all(safe) && l.tail.as_deref().is_none_or(safe),
        _ => false,
    }
}

fn uses_var(e: &Expr, x: &str) -> bool {
    walk(e, &mut |e| matches!(&e.kind, ExprKind::Var(v) if &**v == x))
}

/// Whether `e` names the function `f` anywhere.
fn mentions(e: &Expr, f: &ast::FunName) -> bool {
    walk(
        e,
        &mut |e| matches!(&e.kind, ExprKind::FunName(g) if g == f),
    )
}

/// Whether `e` is one of the rewrite's own primops.
fn reserved(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::PrimOp(p) => {
            matches!(&p.name.kind, ExprKind::Lit(Lit::Atom(a)) if &**a == CONS_HOLE || &**a == SET_TAIL)
        }
        _ => false,
    }
}

/// Whether `pred` holds for `e` or any expression inside it.
fn walk<'e>(e: &'e Expr, pred: &mut impl FnMut(&'e Expr) -> bool) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if pred(e) {
            return true;
        }
        match &e.kind {
            ExprKind::Var(_) | ExprKind::FunName(_) | ExprKind::Lit(_) | ExprKind::FunRef(_) => {}
            ExprKind::Tuple(es) | ExprKind::Values(es) => stack.extend(es),
            ExprKind::List(l) => {
                stack.extend(&l.elems);
                stack.extend(l.tail.as_deref());
            }
            ExprKind::Binary(segs) => {
                for s in segs {
                    stack.extend([&s.kind.value, &s.kind.size, &s.kind.unit]);
                    stack.extend([&s.kind.kind, &s.kind.flags]);
                }
            }
            ExprKind::Map(m) => {
                stack.extend(m.arg.as_ref());
                for p in &m.pairs {
                    stack.extend([&p.kind.key, &p.kind.value]);
                }
            }
            ExprKind::Fun(f) => stack.push(&f.body),
            ExprKind::Let(l) => stack.extend([&l.arg, &l.body]),
            ExprKind::Letrec(lr) => {
                stack.extend(lr.defs.iter().map(|d| &d.fun.kind.body));
                stack.push(&lr.body);
            }
            ExprKind::Case(c) => {
                stack.push(&c.arg);
                for cl in &c.clauses {
                    stack.extend([&cl.kind.guard, &cl.kind.body]);
                    pattern_exprs(&cl.kind.pats, &mut stack);
                }
            }
            ExprKind::Receive(r) => {
                for cl in &r.clauses {
                    stack.extend([&cl.kind.guard, &cl.kind.body]);
                    pattern_exprs(&cl.kind.pats, &mut stack);
                }
                stack.extend([&r.timeout, &r.action]);
            }
            ExprKind::Apply(a) => {
                stack.push(&a.op);
                stack.extend(&a.args);
            }
            ExprKind::Call(c) => {
                stack.extend([&c.module, &c.name]);
                stack.extend(&c.args);
            }
            ExprKind::PrimOp(p) => {
                stack.push(&p.name);
                stack.extend(&p.args);
            }
            ExprKind::Try(t) => stack.extend([&t.arg, &t.body, &t.handler]),
            ExprKind::Catch(b) => stack.push(b),
            ExprKind::Seq(s) => stack.extend([&s.arg, &s.body]),
        }
    }
    false
}

/// The expressions inside patterns: binary segment sizes, map keys.
fn pattern_exprs<'e>(pats: &'e [ast::Pat], stack: &mut Vec<&'e Expr>) {
    let mut todo: Vec<&ast::Pat> = pats.iter().collect();
    while let Some(p) = todo.pop() {
        match &p.kind {
            PatKind::Var(_) | PatKind::Lit(_) => {}
            PatKind::Tuple(ps) => todo.extend(ps),
            PatKind::List(l) => {
                todo.extend(&l.elems);
                todo.extend(l.tail.as_deref());
            }
            PatKind::Binary(segs) => {
                for s in segs {
                    todo.push(&s.kind.value);
                    stack.extend([&s.kind.size, &s.kind.unit, &s.kind.kind, &s.kind.flags]);
                }
            }
            PatKind::Map(m) => {
                stack.extend(m.arg.as_ref());
                for pr in &m.pairs {
                    stack.push(&pr.kind.key);
                    todo.push(&pr.kind.value);
                }
            }
            PatKind::Alias(a) => todo.push(&a.pat),
        }
    }
}

/// Builds expressions at one place of the source.
struct Make {
    span: Span,
}

impl Make {
    fn node(&self, kind: ExprKind, line: Option<std::num::NonZeroU32>) -> Expr {
        Node {
            kind,
            span: self.span,
            anno: Anno {
                line,
                terms: Box::default(),
            },
        }
    }

    fn var(&self, n: &str) -> Expr {
        self.node(ExprKind::Var(n.into()), None)
    }

    fn primop(&self, name: &str, args: Vec<Expr>) -> Expr {
        let name = self.node(ExprKind::Lit(Lit::Atom(name.into())), None);
        self.node(ExprKind::PrimOp(Box::new(ast::PrimOp { name, args })), None)
    }

    fn apply(&self, f: &ast::FunName, args: Vec<Expr>, line: Option<std::num::NonZeroU32>) -> Expr {
        let op = self.node(ExprKind::FunName(f.clone()), line);
        self.node(ExprKind::Apply(Box::new(ast::Apply { op, args })), line)
    }

    fn let1(&self, x: &str, arg: Expr, body: Expr) -> Expr {
        self.node(
            ExprKind::Let(Box::new(ast::Let {
                vars: vec![Node::new(x.into(), self.span)],
                arg,
                body,
            })),
            None,
        )
    }

    fn seq(&self, arg: Expr, body: Expr) -> Expr {
        self.node(ExprKind::Seq(Box::new(ast::Seq { arg, body })), None)
    }

    /// `[E1, ..., En | tail]`, or `tail` for no elements.
    fn list(&self, elems: &[&Expr], tail: Expr) -> Expr {
        if elems.is_empty() {
            return tail;
        }
        self.node(
            ExprKind::List(Box::new(ast::List {
                elems: elems.iter().map(|e| (*e).clone()).collect(),
                tail: Some(Box::new(tail)),
            })),
            None,
        )
    }
}

// `#` cannot start or appear in a Core Erlang variable: these are fresh.
const HOLE: &str = "#hole";
const FIRST: &str = "#first";
const CELL: &str = "#cell";

/// The rewritten `f` and its loop.
fn build(d: &ast::FunDef, p: &Plan) -> (ast::FunDef, ast::FunDef) {
    let f = &d.name.kind;
    let fun = &d.fun.kind;
    let mk = Make { span: d.fun.span };
    let lp = ast::FunName {
        name: p.name.clone(),
        arity: f.arity + 2,
    };
    let with = |args: &[Expr], hole: Expr, first: Expr| -> Vec<Expr> {
        let mut v: Vec<Expr> = args.to_vec();
        v.push(hole);
        v.push(first);
        v
    };

    // `f`: a cons clause makes the first cell and enters the loop.
    let mut head = d.clone();
    let ExprKind::Case(hc) = &mut head.fun.kind.body.kind else {
        unreachable!("planned on a case");
    };
    for (cl, role) in hc.clauses.iter_mut().zip(&p.roles) {
        if let Role::Cons { elems, args } = role {
            let (last, before) = elems.split_last().expect("at least one element");
            let enter = mk.apply(
                &lp,
                with(args, mk.var(CELL), mk.list(before, mk.var(CELL))),
                p.line,
            );
            cl.kind.body = mk.let1(CELL, mk.primop(CONS_HOLE, vec![(*last).clone()]), enter);
        }
    }

    // The loop.
    let params: Vec<Expr> = fun.vars.iter().map(|v| mk.var(&v.kind)).collect();
    let set_tail = |v: Expr| mk.primop(SET_TAIL, vec![mk.var(HOLE), v]);
    // The original recursion from here on, for what the loop cannot do.
    let fall_back = || {
        let call = mk.apply(f, params.clone(), p.line);
        mk.let1(CELL, call, mk.seq(set_tail(mk.var(CELL)), mk.var(FIRST)))
    };
    let mut clauses = Vec::with_capacity(p.case.clauses.len() + 1);
    for (cl, role) in p.case.clauses.iter().zip(&p.roles) {
        let body = match role {
            Role::Cons { elems, args } => {
                let (last, before) = elems.split_last().expect("at least one element");
                let link = set_tail(mk.list(before, mk.var(CELL)));
                let again = mk.apply(&lp, with(args, mk.var(CELL), mk.var(FIRST)), p.line);
                mk.let1(
                    CELL,
                    mk.primop(CONS_HOLE, vec![(*last).clone()]),
                    mk.seq(link, again),
                )
            }
            Role::Again { args } => mk.apply(&lp, with(args, mk.var(HOLE), mk.var(FIRST)), None),
            Role::Done { safe: true } => mk.seq(set_tail(cl.kind.body.clone()), mk.var(FIRST)),
            Role::Done { safe: false } => fall_back(),
        };
        let mut c = cl.clone();
        c.kind.body = body;
        clauses.push(c);
    }
    if !p
        .case
        .clauses
        .last()
        .is_some_and(super::inline::matches_anything)
    {
        let pats = (0..fun.vars.len())
            .map(|i| Node::new(PatKind::Var(format!("#any{i}").into()), mk.span))
            .collect();
        clauses.push(Node::new(
            Box::new(ast::ClauseKind {
                pats,
                guard: mk.node(ExprKind::Lit(Lit::Atom("true".into())), None),
                body: fall_back(),
            }),
            mk.span,
        ));
    }
    let mut vars = fun.vars.clone();
    vars.push(Node::new(HOLE.into(), mk.span));
    vars.push(Node::new(FIRST.into(), mk.span));
    let body = Node {
        kind: ExprKind::Case(Box::new(ast::Case {
            arg: p.case.arg.clone(),
            clauses,
        })),
        span: d.fun.kind.body.span,
        anno: d.fun.kind.body.anno.clone(),
    };
    let def = ast::FunDef {
        name: Node::new(lp, d.name.span),
        fun: Node {
            kind: Box::new(ast::Fun { vars, body }),
            span: d.fun.span,
            anno: d.fun.anno.clone(),
        },
    };
    (head, def)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(defs: &str) -> ast::Module {
        let src = format!("module 'm' ['f'/2] attributes [] {defs} end");
        coral_syntax::parse_module("m.core", &src).expect("parses")
    }

    fn looped(defs: &str) -> Vec<String> {
        match rewrite(&module(defs)) {
            None => Vec::new(),
            Some((_, loops)) => loops
                .iter()
                .map(|l| format!("{}/{}", l.parent.0, l.parent.1))
                .collect(),
        }
    }

    const APP: &str = "
        'f'/2 = fun (_0, _1) ->
            case <_0, _1> of
              <[], L> when 'true' -> L
              <[H|T], L> when 'true' ->
                let <X> = apply 'f'/2 (T, L) in [H|X]
              <A, B> when 'true' -> primop 'match_fail' ({'function_clause', A, B})
            end";

    #[test]
    fn append_becomes_a_loop() {
        assert_eq!(looped(APP), vec!["f/2".to_string()]);
        let (m, _) = rewrite(&module(APP)).unwrap();
        assert_eq!(m.defs.len(), 2);
        assert_eq!(&*m.defs[1].name.kind.name, "-f/2-cons-loop-");
        assert_eq!(m.defs[1].fun.kind.vars.len(), 4);
    }

    #[test]
    fn filters_and_direct_lists_qualify() {
        assert_eq!(
            looped(
                "'f'/2 = fun (_0, _1) ->
                    case <_0, _1> of
                      <[], _> when 'true' -> []
                      <[H|T], N> when call 'erlang':'>' (H, N) ->
                        [{H, N}, H | apply 'f'/2 (T, N)]
                      <[_|T], N> when 'true' -> apply 'f'/2 (T, N)
                    end"
            ),
            vec!["f/2".to_string()]
        );
    }

    #[test]
    fn calls_in_the_elements_or_other_uses_disqualify() {
        let cases = [
            // An element that calls something: the loop would change traces.
            "let <X> = apply 'f'/2 (T, N) in [call 'erlang':'+' (H, N)|X]",
            // The result used twice.
            "let <X> = apply 'f'/2 (T, N) in [X|X]",
            // Another call of itself that is not under a cons.
            "let <X> = apply 'f'/2 (T, N) in [H|X]
             <Y, N> when 'true' -> {apply 'f'/2 (Y, N)}",
        ];
        for body in cases {
            let defs = format!(
                "'f'/2 = fun (_0, _1) ->
                    case <_0, _1> of
                      <[], _> when 'true' -> []
                      <[H|T], N> when 'true' -> {body}
                    end"
            );
            assert!(looped(&defs).is_empty(), "{body}");
        }
    }

    #[test]
    fn a_module_using_the_primops_itself_is_left_alone() {
        let defs = format!("{APP} 'g'/1 = fun (_0) -> primop 'coral_set_tail' (_0, _0)");
        assert!(looped(&defs).is_empty());
        // And lowering refuses them, with or without a loop in the module.
        for d in [
            defs.as_str(),
            "'f'/2 = fun (_0, _1) -> primop 'coral_cons_hole' (_0)",
        ] {
            let e = crate::lower::lower(&module(d)).expect_err("reserved primop");
            assert!(format!("{e:?}").contains("unknown primop"), "{e:?}");
        }
    }
}
