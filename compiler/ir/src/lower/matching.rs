//! Pattern matching: `case` and `receive` clauses compiled to a decision
//! tree.
//!
//! The clauses form a matrix: one row per clause, one column per value
//! being matched (an "occurrence"). The compiler picks the leftmost column
//! where the first row has a refutable pattern and switches on it once for
//! every row that agrees: the type (tuple, cons, literal), then the tuple
//! arity or the literal value. Each branch gets the rows compatible with
//! it, the tuple elements or head and tail becoming new columns; rows with
//! a variable in that column go to every branch and to the default, so no
//! test is repeated on any path. When the first row is all variables it
//! has matched: its variables are bound, its guard is evaluated, and a
//! failing guard continues with the rows below it.
//!
//! Binary and map patterns are tested row by row (a failed segment or key
//! continues with the next row), and a copy budget bounds the duplication
//! of variable rows: past it, the matrix is split at the first such row
//! and the halves are tried in order, as a backtracking automaton would.
//!
//! Each clause body is lowered once, in a block whose parameters are the
//! clause's variables; every path that selects the clause jumps there.

use std::collections::HashMap;

use coral_syntax::ast::{self, ExprKind, Lit, PatKind, Span};

use super::{Binding, Dest, Lowerer, Res, Want, err, term_of_lit};
use crate::ir::*;

/// A pattern as the matcher sees it: variables are `Bind` layers, strings
/// are cons cells.
#[derive(Clone, Debug)]
enum MPat<'a> {
    Wild,
    Bind(&'a str, Box<MPat<'a>>),
    /// An atom, number or `[]`.
    Lit(Term),
    Tuple(Vec<MPat<'a>>),
    Cons(Box<MPat<'a>>, Box<MPat<'a>>),
    Bin(&'a [ast::Segment<PatKind>]),
    Map(&'a ast::MapPat, Span),
}

fn mpat(p: &ast::Pat) -> MPat<'_> {
    match &p.kind {
        PatKind::Var(n) => MPat::Bind(n, Box::new(MPat::Wild)),
        PatKind::Alias(a) => MPat::Bind(&a.var.kind, Box::new(mpat(&a.pat))),
        PatKind::Lit(Lit::String(s)) => {
            let mut out = MPat::Lit(Term::Nil);
            for c in s.chars().rev() {
                let h = MPat::Lit(Term::Int(ast::Int::Small(i64::from(u32::from(c)))));
                out = MPat::Cons(Box::new(h), Box::new(out));
            }
            out
        }
        PatKind::Lit(l) => MPat::Lit(term_of_lit(l)),
        PatKind::Tuple(ps) => MPat::Tuple(ps.iter().map(mpat).collect()),
        PatKind::List(l) => {
            let mut out = match &l.tail {
                Some(t) => mpat(t),
                None => MPat::Lit(Term::Nil),
            };
            for e in l.elems.iter().rev() {
                out = MPat::Cons(Box::new(mpat(e)), Box::new(out));
            }
            out
        }
        PatKind::Binary(segs) => MPat::Bin(segs),
        PatKind::Map(m) => MPat::Map(m, p.span),
    }
}

fn pattern_vars<'a>(p: &'a ast::Pat, out: &mut Vec<&'a str>) {
    match &p.kind {
        PatKind::Var(n) => out.push(n),
        PatKind::Lit(_) => {}
        PatKind::Alias(a) => {
            out.push(&a.var.kind);
            pattern_vars(&a.pat, out);
        }
        PatKind::Tuple(ps) => ps.iter().for_each(|p| pattern_vars(p, out)),
        PatKind::List(l) => {
            l.elems.iter().for_each(|p| pattern_vars(p, out));
            if let Some(t) = &l.tail {
                pattern_vars(t, out);
            }
        }
        PatKind::Binary(segs) => segs.iter().for_each(|s| pattern_vars(&s.kind.value, out)),
        PatKind::Map(m) => m
            .pairs
            .iter()
            .for_each(|p| pattern_vars(&p.kind.value, out)),
    }
}

/// A row of the matrix.
#[derive(Clone, Debug)]
struct Row<'a> {
    pats: Vec<MPat<'a>>,
    binds: Vec<(&'a str, Value)>,
    clause: usize,
}

/// A clause's guard and the block its body is lowered in.
struct Arm<'a> {
    vars: Vec<&'a str>,
    guard: &'a ast::Expr,
    body: BlockId,
    line: Option<u32>,
    used: bool,
}

/// What the switch on one column branches on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Head {
    Tuple(usize),
    Cons,
    Lit(Term),
}

fn head_of(p: &MPat<'_>) -> Option<Head> {
    match p {
        MPat::Tuple(ps) => Some(Head::Tuple(ps.len())),
        MPat::Cons(..) => Some(Head::Cons),
        MPat::Lit(t) => Some(Head::Lit(t.clone())),
        _ => None,
    }
}

/// How many row copies one `case` may make before the compiler stops
/// duplicating variable rows.
const COPY_BUDGET: usize = 4096;

impl<'a> Lowerer<'a> {
    pub(super) fn case(&mut self, c: &'a ast::Case, d: Dest, span: Span) -> Res<Vec<Value>> {
        let Some(first) = c.clauses.first() else {
            return err(span, "a case needs at least one clause");
        };
        let n = first.kind.pats.len();
        if let Some(bad) = c.clauses.iter().find(|cl| cl.kind.pats.len() != n) {
            return err(
                bad.span,
                format!("every clause of this case must have {n} pattern(s)"),
            );
        }
        let vals = self.expr(&c.arg, Dest::Here(Want::N(n)))?;
        let (d, join) = self.join_for(d);
        let start = self.f().cur;
        let fail = match self.f().guard_fail {
            Some(g) => g,
            None => {
                let (fb, _) = self.f().new_block(0);
                self.f().switch_to(fb);
                let reason = if n == 0 {
                    self.atom("if_clause")
                } else {
                    let v = if n == 1 {
                        vals[0]
                    } else {
                        self.f().emit1(Op::Tuple(vals.clone()), None)
                    };
                    let tag = self.atom("case_clause");
                    self.f().emit1(Op::Tuple(vec![tag, v]), None)
                };
                let line = self.line;
                self.terminate(Terminator::MatchFail { reason, line });
                fb
            }
        };
        self.f().switch_to(start);
        self.match_clauses(&c.clauses, vals, fail, None, d)?;
        Ok(self.after_join(join))
    }

    /// `receive` written as such (erlc writes the primops instead).
    pub(super) fn receive(&mut self, r: &'a ast::Receive, d: Dest, span: Span) -> Res<Vec<Value>> {
        if self.f().guard_fail.is_some() {
            return err(span, "a receive inside a guard");
        }
        if let Some(bad) = r.clauses.iter().find(|c| c.kind.pats.len() != 1) {
            return err(bad.span, "a receive clause has exactly one pattern");
        }
        let timeout = self.expr1(&r.timeout)?;
        let (d, join) = self.join_for(d);
        let (header, _) = self.f().new_block(0);
        self.f().jump(header, Vec::new());
        self.f().switch_to(header);
        let peek = self.emit(Op::RecvPeekMessage);
        let (got, _) = self.f().new_block(0);
        let (wait, _) = self.f().new_block(0);
        self.terminate(Terminator::Branch {
            cond: Cond::IsTrue(peek[0]),
            then: BlockCall {
                block: got,
                args: Vec::new(),
            },
            else_: BlockCall {
                block: wait,
                args: Vec::new(),
            },
        });
        let (next, _) = self.f().new_block(0);
        self.f().switch_to(next);
        self.f().emit(Op::RecvNext, None);
        self.f().jump(header, Vec::new());
        self.f().switch_to(got);
        self.match_clauses(&r.clauses, vec![peek[1]], next, Some(Op::RemoveMessage), d)?;
        self.f().switch_to(wait);
        let timed_out = self.wait_timeout(timeout, span)?;
        let (after, _) = self.f().new_block(0);
        self.terminate(Terminator::Branch {
            cond: Cond::IsTrue(timed_out),
            then: BlockCall {
                block: after,
                args: Vec::new(),
            },
            else_: BlockCall {
                block: header,
                args: Vec::new(),
            },
        });
        self.f().switch_to(after);
        self.expr(&r.action, d)?;
        Ok(self.after_join(join))
    }

    /// Matches `vals` against `clauses` from the current block; bodies go
    /// to `d`, and when no clause matches control goes to `fail`.
    fn match_clauses(
        &mut self,
        clauses: &'a [ast::Clause],
        vals: Vec<Value>,
        fail: BlockId,
        body_prefix: Option<Op>,
        d: Dest,
    ) -> Res<()> {
        let mut arms = Vec::with_capacity(clauses.len());
        let mut rows = Vec::with_capacity(clauses.len());
        let start = self.f().cur;
        for (i, c) in clauses.iter().enumerate() {
            let mut vars = Vec::new();
            for p in &c.kind.pats {
                pattern_vars(p, &mut vars);
            }
            let (body, _) = self.f().new_block(vars.len());
            if let Some(op) = &body_prefix {
                self.f().switch_to(body);
                self.f().emit(op.clone(), None);
            }
            arms.push(Arm {
                vars,
                guard: &c.kind.guard,
                body,
                line: c.anno.line.map(|l| l.get()).or(self.line),
                used: false,
            });
            rows.push(Row {
                pats: c.kind.pats.iter().map(mpat).collect(),
                binds: Vec::new(),
                clause: i,
            });
        }
        self.f().switch_to(start);
        let mut budget = COPY_BUDGET;
        self.compile(&vals, rows, fail, &mut arms, &mut budget)?;
        let saved = self.line;
        for (arm, c) in arms.iter().zip(clauses) {
            if !arm.used {
                continue;
            }
            self.f().switch_to(arm.body);
            self.line = arm.line;
            let params = self.f().params(arm.body);
            let mark = self.env.mark();
            let level = self.level();
            for (n, v) in arm.vars.iter().zip(params) {
                self.env.bind_var(n, Binding::Var { level, value: v });
            }
            let r = self.expr(&c.kind.body, d);
            self.env.reset(mark);
            r?;
        }
        self.line = saved;
        Ok(())
    }

    fn compile(
        &mut self,
        occ: &[Value],
        mut rows: Vec<Row<'a>>,
        fail: BlockId,
        arms: &mut [Arm<'a>],
        budget: &mut usize,
    ) -> Res<()> {
        for r in rows.iter_mut() {
            for (i, p) in r.pats.iter_mut().enumerate() {
                while let MPat::Bind(n, inner) = p {
                    r.binds.push((n, occ[i]));
                    let inner = std::mem::replace(&mut **inner, MPat::Wild);
                    *p = inner;
                }
            }
        }
        let Some(first) = rows.first() else {
            self.f().jump(fail, Vec::new());
            return Ok(());
        };
        match first.pats.iter().position(|p| !matches!(p, MPat::Wild)) {
            None => self.leaf(occ, rows, fail, arms, budget),
            Some(c) => match &first.pats[c] {
                MPat::Bin(_) | MPat::Map(..) => self.match_one(occ, rows, c, fail, arms, budget),
                _ => self.switch(occ, rows, c, fail, arms, budget),
            },
        }
    }

    /// The first row has matched: bind, test the guard, go to the body.
    fn leaf(
        &mut self,
        occ: &[Value],
        mut rows: Vec<Row<'a>>,
        fail: BlockId,
        arms: &mut [Arm<'a>],
        budget: &mut usize,
    ) -> Res<()> {
        let rest = rows.split_off(1);
        let Some(row) = rows.pop() else {
            return Ok(());
        };
        let arm = &mut arms[row.clause];
        arm.used = true;
        let (body, guard, line) = (arm.body, arm.guard, arm.line);
        let mut args = Vec::with_capacity(arm.vars.len());
        for n in &arm.vars {
            match row.binds.iter().rev().find(|(b, _)| b == n) {
                Some((_, v)) => args.push(*v),
                None => {
                    return err(
                        guard.span,
                        format!("internal error: pattern variable {n} not bound"),
                    );
                }
            }
        }
        let target = BlockCall { block: body, args };
        if matches!(&guard.kind, ExprKind::Lit(Lit::Atom(a)) if &**a == "true") {
            self.terminate(Terminator::Jump {
                target,
                back_edge: false,
            });
            // Rows below can never be reached through this path.
            return Ok(());
        }
        let mark = self.env.mark();
        let level = self.level();
        for (n, v) in &row.binds {
            self.env.bind_var(n, Binding::Var { level, value: *v });
        }
        let (gfail, _) = self.f().new_block(0);
        let saved_fail = self.f().guard_fail;
        let saved_line = self.line;
        self.line = line;
        self.f().guard_fail = Some(gfail);
        let r = self.expr1(guard);
        self.f().guard_fail = saved_fail;
        self.line = saved_line;
        self.env.reset(mark);
        let v = r?;
        self.terminate(Terminator::Branch {
            cond: Cond::IsTrue(v),
            then: target,
            else_: BlockCall {
                block: gfail,
                args: Vec::new(),
            },
        });
        self.f().switch_to(gfail);
        self.compile(occ, rest, fail, arms, budget)
    }

    /// Binary and map patterns: test the first row's pattern alone; on
    /// failure continue with the rows below.
    fn match_one(
        &mut self,
        occ: &[Value],
        mut rows: Vec<Row<'a>>,
        c: usize,
        fail: BlockId,
        arms: &mut [Arm<'a>],
        budget: &mut usize,
    ) -> Res<()> {
        let rest_rows = rows.split_off(1);
        let Some(mut row) = rows.pop() else {
            return Ok(());
        };
        let (rest, _) = self.f().new_block(0);
        let pat = std::mem::replace(&mut row.pats[c], MPat::Wild);
        let mut occ2 = occ.to_vec();
        let v = occ[c];
        match pat {
            MPat::Bin(segs) => {
                let mut ctx = self.guarded(Op::BsStartMatch(v), rest)[0];
                let mut consumed_all = false;
                for seg in segs {
                    let spec = self.seg_spec(&seg.kind, seg.span, Some(&row.binds))?;
                    consumed_all = spec.size == SegSize::All;
                    let r = self.guarded(Op::BsGet { ctx, spec }, rest);
                    ctx = r[1];
                    let mut p = mpat(&seg.kind.value);
                    // Bind at once: a later segment's size may use it.
                    while let MPat::Bind(n, inner) = p {
                        row.binds.push((n, r[0]));
                        p = *inner;
                    }
                    if !matches!(p, MPat::Wild) {
                        occ2.push(r[0]);
                        row.pats.push(p);
                    }
                }
                if !consumed_all {
                    self.guarded(Op::BsTestTail { ctx }, rest);
                }
            }
            MPat::Map(m, span) => {
                if m.arg.is_some() {
                    return err(span, "a map pattern cannot update a map");
                }
                let (is_map, _) = self.f().new_block(0);
                self.terminate(Terminator::Branch {
                    cond: Cond::IsMap(v),
                    then: BlockCall {
                        block: is_map,
                        args: Vec::new(),
                    },
                    else_: BlockCall {
                        block: rest,
                        args: Vec::new(),
                    },
                });
                self.f().switch_to(is_map);
                for pair in &m.pairs {
                    let mark = self.env.mark();
                    let level = self.level();
                    for (n, b) in &row.binds {
                        self.env.bind_var(n, Binding::Var { level, value: *b });
                    }
                    let saved = self.f().guard_fail;
                    self.f().guard_fail = Some(rest);
                    let k = self.expr1(&pair.kind.key);
                    self.f().guard_fail = saved;
                    self.env.reset(mark);
                    let k = k?;
                    let val = self.guarded(Op::MapGet { map: v, key: k }, rest)[0];
                    occ2.push(val);
                    row.pats.push(mpat(&pair.kind.value));
                }
            }
            _ => {
                return err(
                    Span::default(),
                    "internal error: not a binary or map pattern",
                );
            }
        }
        self.compile(&occ2, vec![row], rest, arms, budget)?;
        self.f().switch_to(rest);
        self.compile(occ, rest_rows, fail, arms, budget)
    }

    /// Switches on column `c` for the rows that have a constructor or a
    /// variable there.
    fn switch(
        &mut self,
        occ: &[Value],
        mut rows: Vec<Row<'a>>,
        c: usize,
        fail: BlockId,
        arms: &mut [Arm<'a>],
        budget: &mut usize,
    ) -> Res<()> {
        // The rows switched on together: up to a binary or map pattern in
        // this column, or up to a variable row once the budget is spent.
        // Each row's head (an index into `heads`) or `None` for a variable.
        let mut heads: Vec<Head> = Vec::new();
        let mut head_index: HashMap<Head, usize> = HashMap::new();
        let mut row_heads: Vec<Option<usize>> = Vec::new();
        let mut wild = 0usize;
        let mut n = 0;
        for r in &rows {
            match head_of(&r.pats[c]) {
                Some(h) => {
                    let next = heads.len();
                    let i = *head_index.entry(h.clone()).or_insert(next);
                    if i == next {
                        heads.push(h);
                    }
                    row_heads.push(Some(i));
                }
                None if matches!(r.pats[c], MPat::Wild) => {
                    if *budget < heads.len() + 1 {
                        break;
                    }
                    wild += 1;
                    row_heads.push(None);
                }
                None => break,
            }
            n += 1;
        }
        // The rows of each branch, in order: its own and the variable rows.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); heads.len()];
        let wild_rows: Vec<usize> = (0..n).filter(|i| row_heads[*i].is_none()).collect();
        for (i, h) in row_heads.iter().enumerate() {
            if let Some(h) = h {
                members[*h].push(i);
            }
        }
        *budget = budget.saturating_sub(wild * (heads.len() + 1));
        let rest_rows = rows.split_off(n);
        let fail2 = if rest_rows.is_empty() {
            fail
        } else {
            self.f().new_block(0).0
        };
        let v = occ[c];
        let default_rows: Vec<Row<'a>> = rows
            .iter()
            .filter(|r| matches!(r.pats[c], MPat::Wild))
            .cloned()
            .collect();
        let default = if default_rows.is_empty() {
            fail2
        } else {
            self.f().new_block(0).0
        };
        let call = |b: BlockId| BlockCall {
            block: b,
            args: Vec::new(),
        };
        let arities: Vec<usize> = heads
            .iter()
            .filter_map(|h| match h {
                Head::Tuple(a) => Some(*a),
                _ => None,
            })
            .collect();
        let has_cons = heads.contains(&Head::Cons);
        let lits: Vec<Term> = heads
            .iter()
            .filter_map(|h| match h {
                Head::Lit(t) => Some(t.clone()),
                _ => None,
            })
            .collect();

        // Each branch: (block, head) to fill in after the tests.
        let mut branches: Vec<(BlockId, Head)> = Vec::new();
        if !arities.is_empty() {
            let (bt, _) = self.f().new_block(0);
            let (bn, _) = self.f().new_block(0);
            self.terminate(Terminator::Branch {
                cond: Cond::IsTuple(v),
                then: call(bt),
                else_: call(bn),
            });
            self.f().switch_to(bt);
            let mut cases = Vec::new();
            for a in &arities {
                let (b, _) = self.f().new_block(0);
                cases.push((*a as u32, call(b)));
                branches.push((b, Head::Tuple(*a)));
            }
            self.terminate(Terminator::SwitchArity {
                arg: v,
                cases,
                default: call(default),
            });
            self.f().switch_to(bn);
        }
        if has_cons {
            let (bc, _) = self.f().new_block(0);
            let (bn, _) = self.f().new_block(0);
            self.terminate(Terminator::Branch {
                cond: Cond::IsCons(v),
                then: call(bc),
                else_: call(bn),
            });
            branches.push((bc, Head::Cons));
            self.f().switch_to(bn);
        }
        if !lits.is_empty() {
            let mut cases = Vec::new();
            for t in &lits {
                let (b, _) = self.f().new_block(0);
                let k = self.term_const(t.clone());
                cases.push((k, call(b)));
                branches.push((b, Head::Lit(t.clone())));
            }
            self.terminate(Terminator::Switch {
                arg: v,
                cases,
                default: call(default),
            });
        } else {
            self.f().jump(default, Vec::new());
        }

        for (b, head) in branches {
            self.f().switch_to(b);
            let mut occ2 = occ.to_vec();
            let extra = match &head {
                Head::Tuple(a) => {
                    for i in 0..*a {
                        let e = self.f().emit1(
                            Op::GetElement {
                                tuple: v,
                                index: i as u32,
                            },
                            None,
                        );
                        occ2.push(e);
                    }
                    *a
                }
                Head::Cons => {
                    let h = self.f().emit1(Op::GetHd(v), None);
                    let t = self.f().emit1(Op::GetTl(v), None);
                    occ2.push(h);
                    occ2.push(t);
                    2
                }
                Head::Lit(_) => 0,
            };
            let mut spec = Vec::new();
            let hi = head_index.get(&head).copied().unwrap_or(usize::MAX);
            let own = members.get(hi).map(Vec::as_slice).unwrap_or(&[]);
            let mut picked: Vec<usize> = own.iter().chain(&wild_rows).copied().collect();
            picked.sort_unstable();
            for r in picked.iter().map(|i| &rows[*i]) {
                let mut r2 = r.clone();
                let p = std::mem::replace(&mut r2.pats[c], MPat::Wild);
                match (p, &head) {
                    (MPat::Wild, _) => r2.pats.extend((0..extra).map(|_| MPat::Wild)),
                    (MPat::Tuple(ps), Head::Tuple(a)) if ps.len() == *a => r2.pats.extend(ps),
                    (MPat::Cons(h, t), Head::Cons) => {
                        r2.pats.push(*h);
                        r2.pats.push(*t);
                    }
                    (MPat::Lit(t), Head::Lit(t2)) if t == *t2 => {}
                    _ => continue,
                }
                spec.push(r2);
            }
            self.compile(&occ2, spec, fail2, arms, budget)?;
        }
        if !default_rows.is_empty() {
            self.f().switch_to(default);
            self.compile(occ, default_rows, fail2, arms, budget)?;
        }
        if !rest_rows.is_empty() {
            self.f().switch_to(fail2);
            self.compile(occ, rest_rows, fail, arms, budget)?;
        }
        Ok(())
    }
}
