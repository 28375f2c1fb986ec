//! The free names of a `letrec` group: the variables its functions use but
//! do not bind, and the functions they apply that are not their own. A
//! letrec function becomes an IR function that receives these as extra
//! arguments, so they must be known before any call to it is lowered.

use std::collections::{HashMap, HashSet};

use coral_syntax::ast::{self, ExprKind, PatKind};

#[derive(Default)]
struct Fv<'a> {
    bound: HashMap<&'a str, u32>,
    bound_funs: HashMap<(&'a str, u32), u32>,
    vars: Vec<&'a str>,
    seen: HashSet<&'a str>,
    funs: Vec<(&'a str, u32)>,
    seen_funs: HashSet<(&'a str, u32)>,
}

/// Free variables (in order of first use) and free function names of the
/// definitions of `lr`, not counting the group's own names.
pub(super) fn letrec_group(lr: &ast::Letrec) -> (Vec<&str>, Vec<(&str, u32)>) {
    let mut fv = Fv::default();
    for d in &lr.defs {
        fv.bind_fun(&d.name.kind.name, d.name.kind.arity);
    }
    for d in &lr.defs {
        fv.fun(&d.fun.kind);
    }
    (fv.vars, fv.funs)
}

impl<'a> Fv<'a> {
    fn bind(&mut self, n: &'a str) {
        *self.bound.entry(n).or_insert(0) += 1;
    }

    fn unbind(&mut self, n: &'a str) {
        if let Some(c) = self.bound.get_mut(n) {
            *c -= 1;
            if *c == 0 {
                self.bound.remove(n);
            }
        }
    }

    fn bind_fun(&mut self, n: &'a str, a: u32) {
        *self.bound_funs.entry((n, a)).or_insert(0) += 1;
    }

    fn unbind_fun(&mut self, n: &'a str, a: u32) {
        if let Some(c) = self.bound_funs.get_mut(&(n, a)) {
            *c -= 1;
            if *c == 0 {
                self.bound_funs.remove(&(n, a));
            }
        }
    }

    fn use_var(&mut self, n: &'a str) {
        if !self.bound.contains_key(n) && self.seen.insert(n) {
            self.vars.push(n);
        }
    }

    fn use_fun(&mut self, n: &'a str, a: u32) {
        if !self.bound_funs.contains_key(&(n, a)) && self.seen_funs.insert((n, a)) {
            self.funs.push((n, a));
        }
    }

    fn fun(&mut self, f: &'a ast::Fun) {
        for v in &f.vars {
            self.bind(&v.kind);
        }
        self.expr(&f.body);
        for v in &f.vars {
            self.unbind(&v.kind);
        }
    }

    fn exprs(&mut self, es: &'a [ast::Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &'a ast::Expr) {
        match &e.kind {
            ExprKind::Var(n) => self.use_var(n),
            ExprKind::FunName(f) => self.use_fun(&f.name, f.arity),
            ExprKind::Lit(_) | ExprKind::FunRef(_) => {}
            ExprKind::Tuple(es) | ExprKind::Values(es) => self.exprs(es),
            ExprKind::List(l) => {
                self.exprs(&l.elems);
                if let Some(t) = &l.tail {
                    self.expr(t);
                }
            }
            ExprKind::Binary(segs) => {
                for s in segs {
                    self.expr(&s.kind.value);
                    self.expr(&s.kind.size);
                }
            }
            ExprKind::Map(m) => {
                if let Some(a) = &m.arg {
                    self.expr(a);
                }
                for p in &m.pairs {
                    self.expr(&p.kind.key);
                    self.expr(&p.kind.value);
                }
            }
            ExprKind::Fun(f) => self.fun(f),
            ExprKind::Let(l) => {
                self.expr(&l.arg);
                for v in &l.vars {
                    self.bind(&v.kind);
                }
                self.expr(&l.body);
                for v in &l.vars {
                    self.unbind(&v.kind);
                }
            }
            ExprKind::Letrec(lr) => {
                for d in &lr.defs {
                    self.bind_fun(&d.name.kind.name, d.name.kind.arity);
                }
                for d in &lr.defs {
                    self.fun(&d.fun.kind);
                }
                self.expr(&lr.body);
                for d in &lr.defs {
                    self.unbind_fun(&d.name.kind.name, d.name.kind.arity);
                }
            }
            ExprKind::Case(c) => {
                self.expr(&c.arg);
                self.clauses(&c.clauses);
            }
            ExprKind::Receive(r) => {
                self.clauses(&r.clauses);
                self.expr(&r.timeout);
                self.expr(&r.action);
            }
            ExprKind::Apply(a) => {
                self.expr(&a.op);
                self.exprs(&a.args);
            }
            ExprKind::Call(c) => {
                self.expr(&c.module);
                self.expr(&c.name);
                self.exprs(&c.args);
            }
            ExprKind::PrimOp(p) => self.exprs(&p.args),
            ExprKind::Try(t) => {
                self.expr(&t.arg);
                for v in &t.vars {
                    self.bind(&v.kind);
                }
                self.expr(&t.body);
                for v in &t.vars {
                    self.unbind(&v.kind);
                }
                for v in &t.evars {
                    self.bind(&v.kind);
                }
                self.expr(&t.handler);
                for v in &t.evars {
                    self.unbind(&v.kind);
                }
            }
            ExprKind::Catch(b) => self.expr(b),
            ExprKind::Seq(s) => {
                self.expr(&s.arg);
                self.expr(&s.body);
            }
        }
    }

    fn clauses(&mut self, cs: &'a [ast::Clause]) {
        for c in cs {
            let mut binds = Vec::new();
            for p in &c.kind.pats {
                self.pat(p, &mut binds);
            }
            for b in &binds {
                self.bind(b);
            }
            self.expr(&c.kind.guard);
            self.expr(&c.kind.body);
            for b in &binds {
                self.unbind(b);
            }
        }
    }

    /// Collects the variables `p` binds; size and key expressions inside it
    /// are uses (a size may name a variable bound earlier in the pattern).
    fn pat(&mut self, p: &'a ast::Pat, binds: &mut Vec<&'a str>) {
        match &p.kind {
            PatKind::Var(n) => binds.push(n),
            PatKind::Lit(_) => {}
            PatKind::Tuple(ps) => {
                for p in ps {
                    self.pat(p, binds);
                }
            }
            PatKind::List(l) => {
                for p in &l.elems {
                    self.pat(p, binds);
                }
                if let Some(t) = &l.tail {
                    self.pat(t, binds);
                }
            }
            PatKind::Binary(segs) => {
                for s in segs {
                    self.pat(&s.kind.value, binds);
                    match &s.kind.size.kind {
                        ExprKind::Var(n) if binds.iter().any(|b| b == &&**n) => {}
                        _ => self.expr(&s.kind.size),
                    }
                }
            }
            PatKind::Map(m) => {
                if let Some(a) = &m.arg {
                    self.expr(a);
                }
                for pair in &m.pairs {
                    self.expr(&pair.kind.key);
                    self.pat(&pair.kind.value, binds);
                }
            }
            PatKind::Alias(a) => {
                binds.push(&a.var.kind);
                self.pat(&a.pat, binds);
            }
        }
    }
}
