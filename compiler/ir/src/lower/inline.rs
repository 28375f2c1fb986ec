//! Inline selection of a local function's trivial clauses.
//!
//! Many recursive functions end in a clause that only returns a value:
//! `fib(N) when N < 2 -> N`, `app([], L) -> L`, `tak(_, _, Z) -> Z`.
//! Half of all the calls `fib` makes land in its first clause. At a call
//! of such a function that is not a tail call, the caller selects the
//! clause itself:
//!
//! ```text
//! apply 'fib'/1 (A)
//! ```
//!
//! becomes
//!
//! ```text
//! let <T> = A in
//!   case T of
//!     <N> when call 'erlang':'<' (T, 2) -> N
//!     <_> when 'true' -> apply 'fib'/1 (T)
//!   end
//! ```
//!
//! The `case` has the callee's clauses in the callee's order; a clause
//! that returns a parameter, a pattern variable or an atomic literal keeps
//! its body, every other clause (and a final catch-all) makes the original
//! call, which selects its clause again. Only functions whose whole body
//! is one `case` over their parameters qualify, with patterns of
//! variables and atomic literals (or a cons or tuple of those) and guards
//! that are `'true'` or one comparison or type test of variables and
//! literals: selection can neither fail nor have an effect, so the
//! program's behaviour, its exceptions and their stack traces are those
//! of the original call. What changes is only that the selected trivial
//! clause costs no call (and no reduction).
//!
//! Tail calls are left alone: they cost no frame, and the callee makes
//! the same tests anyway.

use std::collections::HashMap;

use coral_syntax::ast::{self, Anno, Expr, ExprKind, Lit, Node, Pat, PatKind, Span};

/// Clauses at most in a function whose clauses are selected inline.
const MAX_CLAUSES: usize = 4;

/// A function whose trivial clauses can be selected at its call sites.
struct Summary<'m> {
    params: Vec<&'m str>,
    clauses: &'m [ast::Clause],
}

/// The module with trivial clauses selected inline at the calls of its
/// functions, or `None` when no function qualifies.
pub(super) fn trivial_clauses(module: &ast::Module) -> Option<ast::Module> {
    let summaries: HashMap<(&str, u32), Summary> = module
        .defs
        .iter()
        .filter(|d| self_calls(&d.fun.kind.body, &d.name.kind, 2) >= 2)
        .filter_map(|d| {
            let s = summarise(&d.fun.kind)?;
            Some(((&*d.name.kind.name, d.name.kind.arity), s))
        })
        .collect();
    if summaries.is_empty() {
        return None;
    }
    let mut out = module.clone();
    let mut r = Rewriter {
        summaries: &summaries,
        shadowed: Vec::new(),
        fresh: 0,
    };
    for def in &mut out.defs {
        r.expr(&mut def.fun.kind.body, true);
    }
    Some(out)
}

/// How many calls of `f` itself `e` makes, counting up to `enough`.
///
/// Selecting the trivial clauses inline pays where they are selected
/// often: in a function that calls itself at least twice (a tree of
/// calls, such as `fib`'s), at least half of all calls are leaves that
/// select a trivial clause. In a function that calls itself once (a
/// chain, such as a list walk) only the last call does, and every other
/// call would pay for the tests twice.
fn self_calls(e: &Expr, f: &ast::FunName, enough: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if n >= enough {
            break;
        }
        match &e.kind {
            ExprKind::Apply(a) => {
                if let ExprKind::FunName(g) = &a.op.kind
                    && g.name == f.name
                    && g.arity == f.arity
                {
                    n += 1;
                }
                stack.extend(&a.args);
            }
            ExprKind::Let(l) => stack.extend([&l.arg, &l.body]),
            ExprKind::Seq(s) => stack.extend([&s.arg, &s.body]),
            ExprKind::Case(c) => {
                stack.push(&c.arg);
                stack.extend(c.clauses.iter().map(|cl| &cl.kind.body));
            }
            ExprKind::Call(c) => stack.extend(&c.args),
            ExprKind::Values(es) | ExprKind::Tuple(es) => stack.extend(es),
            ExprKind::List(l) => {
                stack.extend(&l.elems);
                stack.extend(l.tail.as_deref());
            }
            ExprKind::Try(t) => stack.extend([&t.arg, &t.body, &t.handler]),
            ExprKind::Catch(b) => stack.push(b),
            _ => {}
        }
    }
    n
}

fn var_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Var(n) => Some(n),
        _ => None,
    }
}

fn summarise(fun: &ast::Fun) -> Option<Summary<'_>> {
    let n = fun.vars.len();
    if n == 0 {
        return None;
    }
    let ExprKind::Case(c) = &fun.body.kind else {
        return None;
    };
    let args: Vec<&str> = match &c.arg.kind {
        ExprKind::Values(vs) => vs.iter().map(var_name).collect::<Option<_>>()?,
        ExprKind::Var(v) => vec![&**v],
        _ => return None,
    };
    let params: Vec<&str> = fun.vars.iter().map(|v| &*v.kind).collect();
    if args != params || c.clauses.is_empty() || c.clauses.len() > MAX_CLAUSES {
        return None;
    }
    let mut any_trivial = false;
    for cl in &c.clauses {
        let k = &cl.kind;
        if k.pats.len() != n || !k.pats.iter().all(simple_pattern) {
            return None;
        }
        let bound = |x: &str| params.contains(&x) || k.pats.iter().any(|p| binds(p, x));
        if !simple_guard(&k.guard, &bound) {
            return None;
        }
        any_trivial |= trivial_body(&k.body, &bound);
    }
    any_trivial.then_some(Summary {
        params,
        clauses: &c.clauses,
    })
}

fn atomic(l: &Lit) -> bool {
    !matches!(l, Lit::String(_))
}

fn leaf_pattern(p: &Pat) -> bool {
    match &p.kind {
        PatKind::Var(_) => true,
        PatKind::Lit(l) => atomic(l),
        _ => false,
    }
}

fn simple_pattern(p: &Pat) -> bool {
    match &p.kind {
        PatKind::Var(_) | PatKind::Lit(_) => leaf_pattern(p),
        PatKind::Tuple(ps) => ps.iter().all(leaf_pattern),
        PatKind::List(l) => {
            l.elems.iter().all(leaf_pattern) && l.tail.as_deref().is_none_or(leaf_pattern)
        }
        _ => false,
    }
}

fn binds(p: &Pat, x: &str) -> bool {
    match &p.kind {
        PatKind::Var(v) => &**v == x,
        PatKind::Tuple(ps) => ps.iter().any(|p| binds(p, x)),
        PatKind::List(l) => {
            l.elems.iter().any(|p| binds(p, x)) || l.tail.as_deref().is_some_and(|t| binds(t, x))
        }
        _ => false,
    }
}

fn leaf_expr(e: &Expr, bound: &dyn Fn(&str) -> bool) -> bool {
    match &e.kind {
        ExprKind::Var(v) => bound(v),
        ExprKind::Lit(l) => atomic(l),
        _ => false,
    }
}

/// `'true'`, or one comparison or type test of bound variables and
/// atomic literals: BIFs that neither fail nor have an effect here.
fn simple_guard(g: &Expr, bound: &dyn Fn(&str) -> bool) -> bool {
    match &g.kind {
        ExprKind::Lit(Lit::Atom(a)) => &**a == "true",
        ExprKind::Call(c) => {
            let (ExprKind::Lit(Lit::Atom(m)), ExprKind::Lit(Lit::Atom(f))) =
                (&c.module.kind, &c.name.kind)
            else {
                return false;
            };
            let test = match c.args.len() {
                2 => matches!(&**f, "<" | ">" | "=<" | ">=" | "==" | "/=" | "=:=" | "=/="),
                1 => matches!(
                    &**f,
                    "is_atom"
                        | "is_integer"
                        | "is_float"
                        | "is_number"
                        | "is_list"
                        | "is_tuple"
                        | "is_binary"
                        | "is_pid"
                        | "is_map"
                        | "is_boolean"
                ),
                _ => false,
            };
            &**m == "erlang" && test && c.args.iter().all(|a| leaf_expr(a, bound))
        }
        _ => false,
    }
}

fn trivial_body(e: &Expr, bound: &dyn Fn(&str) -> bool) -> bool {
    leaf_expr(e, bound)
}

struct Rewriter<'s, 'm> {
    summaries: &'s HashMap<(&'m str, u32), Summary<'m>>,
    /// Function names bound by the enclosing `letrec`s.
    shadowed: Vec<(ast::Name, u32)>,
    fresh: u32,
}

impl Rewriter<'_, '_> {
    /// Rewrites the calls in `e`; `tail` says whether `e` is in tail
    /// position of its function.
    fn expr(&mut self, e: &mut Expr, tail: bool) {
        match &mut e.kind {
            ExprKind::Var(_) | ExprKind::FunName(_) | ExprKind::Lit(_) | ExprKind::FunRef(_) => {}
            ExprKind::Tuple(es) | ExprKind::Values(es) => {
                for x in es {
                    self.expr(x, false);
                }
            }
            ExprKind::List(l) => {
                for x in &mut l.elems {
                    self.expr(x, false);
                }
                if let Some(t) = &mut l.tail {
                    self.expr(t, false);
                }
            }
            ExprKind::Binary(segs) => {
                for s in segs {
                    self.expr(&mut s.kind.value, false);
                    self.expr(&mut s.kind.size, false);
                }
            }
            ExprKind::Map(m) => {
                if let Some(a) = &mut m.arg {
                    self.expr(a, false);
                }
                for p in &mut m.pairs {
                    self.expr(&mut p.kind.key, false);
                    self.expr(&mut p.kind.value, false);
                }
            }
            ExprKind::Fun(f) => self.expr(&mut f.body, true),
            ExprKind::Let(l) => {
                self.expr(&mut l.arg, false);
                self.expr(&mut l.body, tail);
            }
            ExprKind::Seq(s) => {
                self.expr(&mut s.arg, false);
                self.expr(&mut s.body, tail);
            }
            ExprKind::Letrec(lr) => {
                let mark = self.shadowed.len();
                for d in &lr.defs {
                    self.shadowed
                        .push((d.name.kind.name.clone(), d.name.kind.arity));
                }
                for d in &mut lr.defs {
                    self.expr(&mut d.fun.kind.body, true);
                }
                self.expr(&mut lr.body, tail);
                self.shadowed.truncate(mark);
            }
            ExprKind::Case(c) => {
                self.expr(&mut c.arg, false);
                for cl in &mut c.clauses {
                    self.expr(&mut cl.kind.body, tail);
                }
            }
            ExprKind::Receive(r) => {
                for cl in &mut r.clauses {
                    self.expr(&mut cl.kind.body, tail);
                }
                self.expr(&mut r.timeout, false);
                self.expr(&mut r.action, tail);
            }
            ExprKind::Call(c) => {
                self.expr(&mut c.module, false);
                self.expr(&mut c.name, false);
                for a in &mut c.args {
                    self.expr(a, false);
                }
            }
            ExprKind::PrimOp(p) => {
                for a in &mut p.args {
                    self.expr(a, false);
                }
            }
            ExprKind::Try(t) => {
                self.expr(&mut t.arg, false);
                self.expr(&mut t.body, tail);
                self.expr(&mut t.handler, tail);
            }
            ExprKind::Catch(b) => self.expr(b, false),
            ExprKind::Apply(a) => {
                self.expr(&mut a.op, false);
                for x in &mut a.args {
                    self.expr(x, false);
                }
                if !tail {
                    self.select_inline(e);
                }
            }
        }
    }

    /// Replaces the call `e` (an `apply`) by the inline selection of its
    /// callee's clauses, when the callee qualifies.
    fn select_inline(&mut self, e: &mut Expr) {
        let ExprKind::Apply(a) = &e.kind else {
            return;
        };
        let ExprKind::FunName(fname) = &a.op.kind else {
            return;
        };
        if fname.arity as usize != a.args.len()
            || self
                .shadowed
                .iter()
                .any(|(n, ar)| *n == fname.name && *ar == fname.arity)
        {
            return;
        }
        let key = (fname.name.clone(), fname.arity);
        let line = e.anno.line.or(a.op.anno.line);
        let Some(s) = self.summaries.get(&(&*key.0, key.1)) else {
            return;
        };
        self.fresh += 1;
        let k = self.fresh;
        let span = e.span;
        let node = |kind: ExprKind| Node {
            kind,
            span,
            anno: Anno {
                line,
                terms: Box::default(),
            },
        };
        // `#` cannot start or appear in a Core Erlang variable, so these
        // names are fresh.
        let temps: Vec<ast::Name> = (0..s.params.len())
            .map(|i| format!("#a{k}.{i}").into())
            .collect();
        let mut rename: HashMap<&str, ast::Name> = s
            .params
            .iter()
            .zip(&temps)
            .map(|(p, t)| (*p, t.clone()))
            .collect();
        let temp_vars = || -> Vec<Expr> {
            temps
                .iter()
                .map(|t| node(ExprKind::Var(t.clone())))
                .collect()
        };
        // The original call, on the temporaries.
        let ExprKind::Apply(orig) = std::mem::replace(&mut e.kind, ExprKind::Values(Vec::new()))
        else {
            return;
        };
        let orig = *orig;
        let call = Node {
            kind: ExprKind::Apply(Box::new(ast::Apply {
                op: orig.op,
                args: temp_vars(),
            })),
            span,
            anno: std::mem::take(&mut e.anno),
        };
        // Clauses after the last trivial one all make the call: one
        // catch-all does that for them.
        let kept = s
            .clauses
            .iter()
            .rposition(|cl| {
                let k2 = &cl.kind;
                let bound = |x: &str| s.params.contains(&x) || k2.pats.iter().any(|p| binds(p, x));
                trivial_body(&k2.body, &bound)
            })
            .map_or(0, |t| t + 1);
        let mut clauses = Vec::with_capacity(kept + 1);
        for (ci, cl) in s.clauses[..kept].iter().enumerate() {
            let k2 = &cl.kind;
            let mut local = rename.clone();
            let pats: Vec<Pat> = k2
                .pats
                .iter()
                .map(|p| rename_pat(p, &mut local, &format!("#p{k}.{ci}.")))
                .collect();
            let bound = |x: &str| local.contains_key(x);
            let body = if trivial_body(&k2.body, &bound) {
                rename_expr(&k2.body, &local, span)
            } else {
                call.clone()
            };
            clauses.push(Node {
                kind: Box::new(ast::ClauseKind {
                    pats,
                    guard: rename_expr(&k2.guard, &local, span),
                    body,
                }),
                span,
                anno: Anno::default(),
            });
        }
        rename.clear();
        let catch_all = s.clauses[..kept].last().is_some_and(matches_anything);
        if !catch_all {
            let pats = (0..temps.len())
                .map(|i| Node::new(PatKind::Var(format!("#w{k}.{i}").into()), span))
                .collect();
            clauses.push(Node {
                kind: Box::new(ast::ClauseKind {
                    pats,
                    guard: node(ExprKind::Lit(Lit::Atom("true".into()))),
                    body: call,
                }),
                span,
                anno: Anno::default(),
            });
        }
        let case = node(ExprKind::Case(Box::new(ast::Case {
            arg: node(ExprKind::Values(temp_vars())),
            clauses,
        })));
        e.kind = ExprKind::Let(Box::new(ast::Let {
            vars: temps.iter().map(|t| Node::new(t.clone(), span)).collect(),
            arg: node(ExprKind::Values(orig.args)),
            body: case,
        }));
        e.anno = Anno {
            line,
            terms: Box::default(),
        };
    }
}

/// Whether the clause matches whatever it is given: variables only, guard
/// `'true'`.
pub(super) fn matches_anything(cl: &ast::Clause) -> bool {
    matches!(&cl.kind.guard.kind, ExprKind::Lit(Lit::Atom(a)) if &**a == "true")
        && cl
            .kind
            .pats
            .iter()
            .all(|p| matches!(p.kind, PatKind::Var(_)))
}

/// `p` with its variables renamed to fresh names starting with `prefix`,
/// recorded in `names`.
fn rename_pat<'p>(p: &'p Pat, names: &mut HashMap<&'p str, ast::Name>, prefix: &str) -> Pat {
    let kind = match &p.kind {
        PatKind::Var(v) => {
            let n: ast::Name = format!("{prefix}{v}").into();
            names.insert(v, n.clone());
            PatKind::Var(n)
        }
        PatKind::Lit(l) => PatKind::Lit(l.clone()),
        PatKind::Tuple(ps) => {
            PatKind::Tuple(ps.iter().map(|p| rename_pat(p, names, prefix)).collect())
        }
        PatKind::List(l) => PatKind::List(Box::new(ast::List {
            elems: l
                .elems
                .iter()
                .map(|p| rename_pat(p, names, prefix))
                .collect(),
            tail: l
                .tail
                .as_deref()
                .map(|t| Box::new(rename_pat(t, names, prefix))),
        })),
        other => other.clone(),
    };
    Node {
        kind,
        span: p.span,
        anno: p.anno.clone(),
    }
}

/// A guard or trivial body (see [`simple_guard`]) with its variables
/// renamed.
fn rename_expr(e: &Expr, names: &HashMap<&str, ast::Name>, span: Span) -> Expr {
    let kind = match &e.kind {
        ExprKind::Var(v) => ExprKind::Var(names.get(&**v).cloned().unwrap_or_else(|| v.clone())),
        ExprKind::Call(c) => ExprKind::Call(Box::new(ast::Call {
            module: rename_expr(&c.module, names, span),
            name: rename_expr(&c.name, names, span),
            args: c.args.iter().map(|a| rename_expr(a, names, span)).collect(),
        })),
        other => other.clone(),
    };
    Node {
        kind,
        span,
        anno: e.anno.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(defs: &str) -> ast::Module {
        let src = format!("module 'm' ['f'/1, 'g'/2] attributes [] {defs} end");
        coral_syntax::parse_module("m.core", &src).expect("parses")
    }

    /// The functions whose calls were replaced: those whose body (after
    /// the rewrite) holds a `let` of the `#a` temporaries.
    fn rewritten(m: &ast::Module) -> Vec<String> {
        let mut out: Vec<String> = m
            .defs
            .iter()
            .filter(|d| format!("{:?}", d.fun.kind.body).contains("\"#a"))
            .map(|d| d.name.kind.name.to_string())
            .collect();
        out.sort();
        out
    }

    const FIB: &str = "
        'f'/1 = fun (_0) ->
            case _0 of
              <N> when call 'erlang':'<' (_0, 2) -> N
              <N> when 'true' ->
                let <A> = apply 'f'/1 (call 'erlang':'-' (N, 1)) in
                let <B> = apply 'f'/1 (call 'erlang':'-' (N, 2)) in
                call 'erlang':'+' (A, B)
            end";

    #[test]
    fn a_function_calling_itself_twice_has_its_leaf_selected_inline() {
        let m = trivial_clauses(&module(&format!("{FIB} 'g'/2 = fun (_0, _1) -> _0"))).unwrap();
        assert_eq!(rewritten(&m), vec!["f".to_string()]);
    }

    #[test]
    fn a_chain_of_calls_is_left_alone() {
        let m = module(
            "'f'/1 = fun (_0) ->
                case _0 of
                  <[]> when 'true' -> []
                  <[H|T]> when 'true' -> [H|apply 'f'/1 (T)]
                end
             'g'/2 = fun (_0, _1) -> _0",
        );
        assert!(trivial_clauses(&m).is_none());
    }

    #[test]
    fn tail_calls_and_shadowed_names_are_left_alone() {
        let m = trivial_clauses(&module(&format!(
            "{FIB}
             'g'/2 = fun (_0, _1) ->
                letrec 'f'/1 = fun (X) -> X
                in let <Y> = apply 'f'/1 (_0) in apply 'f'/1 (Y)"
        )))
        .unwrap();
        // Only `f`'s own calls changed: `g`'s are of its letrec's `f`.
        assert_eq!(rewritten(&m), vec!["f".to_string()]);
        let tail = module(&format!("{FIB} 'g'/2 = fun (_0, _1) -> apply 'f'/1 (_0)"));
        assert_eq!(
            rewritten(&trivial_clauses(&tail).unwrap()),
            vec!["f".to_string()]
        );
    }

    #[test]
    fn guards_that_may_fail_or_cost_keep_the_call() {
        let m = module(
            "'f'/1 = fun (_0) ->
                case _0 of
                  <L> when call 'erlang':'>' (call 'erlang':'length' (L), 2) -> L
                  <L> when 'true' -> {apply 'f'/1 (L), apply 'f'/1 (L)}
                end
             'g'/2 = fun (_0, _1) -> _0",
        );
        assert!(trivial_clauses(&m).is_none());
    }
}
