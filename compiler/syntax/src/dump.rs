//! A debug dump of the tree, one node a line, children indented, with each
//! node's byte span, line and annotation terms: what `coral dump --stage ast`
//! shows.
//!
//! ```text
//! module 'm' @0..97
//!   export 'f'/1 @12..17
//!   def 'f'/1 @55..60
//!     fun (X) @63..93 line 3 -| ['compiler_generated']
//!       body: call @76..93
//! ```

use std::fmt::Write;

use crate::ast::*;
use crate::print;

/// The dump of a whole module. Runs on a deep stack
/// ([`crate::with_deep_stack`]).
pub fn module(m: &Module) -> String {
    crate::with_deep_stack(|| {
        let mut d = Dumper::default();
        d.module(m);
        d.out
    })
}

#[derive(Default)]
struct Dumper {
    out: String,
}

impl Dumper {
    /// Starts a node's line: indentation, role, what it is; then span,
    /// line and annotation terms.
    fn head(&mut self, depth: usize, role: &str, what: &str, span: Span, anno: &Anno) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        if !role.is_empty() {
            self.out.push_str(role);
            self.out.push_str(": ");
        }
        let _ = write!(self.out, "{what} @{}..{}", span.start, span.end);
        if let Some(line) = anno.line {
            let _ = write!(self.out, " line {line}");
        }
        if !anno.terms.is_empty() {
            self.out.push_str(" -| [");
            for (i, t) in anno.terms.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                self.out.push_str(&print::constant(t));
            }
            self.out.push(']');
        }
        self.out.push('\n');
    }

    fn module(&mut self, m: &Module) {
        let mut name = String::from("module ");
        print::atom(&mut name, &m.name);
        self.head(0, "", &name, m.span, &m.anno);
        for e in &m.exports {
            self.head(
                1,
                "",
                &format!("export {}", fun_name(&e.kind)),
                e.span,
                &e.anno,
            );
        }
        for a in &m.attributes {
            let mut key = String::from("attribute ");
            print::atom(&mut key, &a.key.kind);
            self.head(1, "", &key, a.key.span, &a.key.anno);
            self.head(
                2,
                "value",
                &print::constant(&a.value.kind),
                a.value.span,
                &a.value.anno,
            );
        }
        for def in &m.defs {
            self.fun_def(1, def);
        }
    }

    fn fun_def(&mut self, depth: usize, def: &FunDef) {
        self.head(
            depth,
            "",
            &format!("def {}", fun_name(&def.name.kind)),
            def.name.span,
            &def.name.anno,
        );
        self.fun(depth + 1, "", &def.fun.kind, def.fun.span, &def.fun.anno);
    }

    fn fun(&mut self, depth: usize, role: &str, f: &Fun, span: Span, anno: &Anno) {
        self.head(depth, role, &format!("fun ({})", vars(&f.vars)), span, anno);
        self.var_annos(depth + 1, &f.vars);
        self.expr(depth + 1, "body", &f.body);
    }

    /// Variables with annotations get a line of their own.
    fn var_annos(&mut self, depth: usize, vs: &[Var]) {
        for v in vs.iter().filter(|v| !v.anno.is_empty()) {
            self.head(depth, "var", &v.kind, v.span, &v.anno);
        }
    }

    fn exprs(&mut self, depth: usize, role: &str, es: &[Expr]) {
        for e in es {
            self.expr(depth, role, e);
        }
    }

    fn expr(&mut self, depth: usize, role: &str, e: &Expr) {
        let (span, anno) = (e.span, &e.anno);
        let d = depth + 1;
        match &e.kind {
            ExprKind::Var(v) => self.head(depth, role, &format!("var {v}"), span, anno),
            ExprKind::FunName(f) => self.head(depth, role, &fun_name(f), span, anno),
            ExprKind::Lit(l) => self.head(depth, role, &lit(l), span, anno),
            ExprKind::FunRef(f) => {
                let mut s = String::from("fun ");
                print::atom(&mut s, &f.module);
                s.push(':');
                print::atom(&mut s, &f.name);
                let _ = write!(s, "/{}", f.arity);
                self.head(depth, role, &s, span, anno);
            }
            ExprKind::Tuple(es) => {
                self.head(depth, role, &format!("tuple/{}", es.len()), span, anno);
                self.exprs(d, "", es);
            }
            ExprKind::List(l) => {
                self.head(depth, role, &format!("list/{}", l.elems.len()), span, anno);
                self.exprs(d, "", &l.elems);
                if let Some(t) = &l.tail {
                    self.expr(d, "tail", t);
                }
            }
            ExprKind::Binary(segs) => {
                self.head(depth, role, &format!("binary/{}", segs.len()), span, anno);
                for s in segs {
                    self.head(d, "", "segment", s.span, &s.anno);
                    self.expr(d + 1, "value", &s.kind.value);
                    self.segment_args(d + 1, &s.kind);
                }
            }
            ExprKind::Map(m) => {
                self.head(depth, role, &format!("map/{}", m.pairs.len()), span, anno);
                if let Some(arg) = &m.arg {
                    self.expr(d, "arg", arg);
                }
                for p in &m.pairs {
                    let op = match p.kind.op {
                        MapOp::Assoc => "=>",
                        MapOp::Exact => ":=",
                    };
                    self.head(d, "", &format!("pair {op}"), p.span, &p.anno);
                    self.expr(d + 1, "key", &p.kind.key);
                    self.expr(d + 1, "value", &p.kind.value);
                }
            }
            ExprKind::Values(es) => {
                self.head(depth, role, &format!("values/{}", es.len()), span, anno);
                self.exprs(d, "", es);
            }
            ExprKind::Fun(f) => self.fun(depth, role, f, span, anno),
            ExprKind::Let(l) => {
                self.head(depth, role, &format!("let <{}>", vars(&l.vars)), span, anno);
                self.var_annos(d, &l.vars);
                self.expr(d, "arg", &l.arg);
                self.expr(d, "body", &l.body);
            }
            ExprKind::Letrec(l) => {
                self.head(depth, role, "letrec", span, anno);
                for def in &l.defs {
                    self.fun_def(d, def);
                }
                self.expr(d, "body", &l.body);
            }
            ExprKind::Case(c) => {
                self.head(depth, role, "case", span, anno);
                self.expr(d, "arg", &c.arg);
                self.clauses(d, &c.clauses);
            }
            ExprKind::Receive(r) => {
                self.head(depth, role, "receive", span, anno);
                self.clauses(d, &r.clauses);
                self.expr(d, "after", &r.timeout);
                self.expr(d, "action", &r.action);
            }
            ExprKind::Apply(a) => {
                self.head(depth, role, "apply", span, anno);
                self.expr(d, "op", &a.op);
                self.exprs(d, "arg", &a.args);
            }
            ExprKind::Call(c) => {
                self.head(depth, role, "call", span, anno);
                self.expr(d, "module", &c.module);
                self.expr(d, "name", &c.name);
                self.exprs(d, "arg", &c.args);
            }
            ExprKind::PrimOp(p) => {
                self.head(depth, role, "primop", span, anno);
                self.expr(d, "name", &p.name);
                self.exprs(d, "arg", &p.args);
            }
            ExprKind::Try(t) => {
                let what = format!("try of <{}> catch <{}>", vars(&t.vars), vars(&t.evars));
                self.head(depth, role, &what, span, anno);
                self.var_annos(d, &t.vars);
                self.var_annos(d, &t.evars);
                self.expr(d, "arg", &t.arg);
                self.expr(d, "body", &t.body);
                self.expr(d, "handler", &t.handler);
            }
            ExprKind::Catch(b) => {
                self.head(depth, role, "catch", span, anno);
                self.expr(d, "body", b);
            }
            ExprKind::Seq(s) => {
                self.head(depth, role, "do", span, anno);
                self.expr(d, "", &s.arg);
                self.expr(d, "", &s.body);
            }
        }
    }

    fn segment_args<V>(&mut self, depth: usize, s: &SegmentKind<V>) {
        self.expr(depth, "size", &s.size);
        self.expr(depth, "unit", &s.unit);
        self.expr(depth, "type", &s.kind);
        self.expr(depth, "flags", &s.flags);
    }

    fn clauses(&mut self, depth: usize, clauses: &[Clause]) {
        for c in clauses {
            self.head(depth, "", "clause", c.span, &c.anno);
            for p in &c.kind.pats {
                self.pat(depth + 1, "pat", p);
            }
            self.expr(depth + 1, "guard", &c.kind.guard);
            self.expr(depth + 1, "body", &c.kind.body);
        }
    }

    fn pat(&mut self, depth: usize, role: &str, p: &Pat) {
        let (span, anno) = (p.span, &p.anno);
        let d = depth + 1;
        match &p.kind {
            PatKind::Var(v) => self.head(depth, role, &format!("var {v}"), span, anno),
            PatKind::Lit(l) => self.head(depth, role, &lit(l), span, anno),
            PatKind::Tuple(ps) => {
                self.head(depth, role, &format!("tuple/{}", ps.len()), span, anno);
                for q in ps {
                    self.pat(d, "", q);
                }
            }
            PatKind::List(l) => {
                self.head(depth, role, &format!("list/{}", l.elems.len()), span, anno);
                for q in &l.elems {
                    self.pat(d, "", q);
                }
                if let Some(t) = &l.tail {
                    self.pat(d, "tail", t);
                }
            }
            PatKind::Binary(segs) => {
                self.head(depth, role, &format!("binary/{}", segs.len()), span, anno);
                for s in segs {
                    self.head(d, "", "segment", s.span, &s.anno);
                    self.pat(d + 1, "value", &s.kind.value);
                    self.segment_args(d + 1, &s.kind);
                }
            }
            PatKind::Map(m) => {
                self.head(depth, role, &format!("map/{}", m.pairs.len()), span, anno);
                if let Some(arg) = &m.arg {
                    self.expr(d, "arg", arg);
                }
                for pair in &m.pairs {
                    self.head(d, "", "pair :=", pair.span, &pair.anno);
                    self.expr(d + 1, "key", &pair.kind.key);
                    self.pat(d + 1, "value", &pair.kind.value);
                }
            }
            PatKind::Alias(a) => {
                self.head(depth, role, &format!("alias {}", a.var.kind), span, anno);
                self.var_annos(d, std::slice::from_ref(&a.var));
                self.pat(d, "pat", &a.pat);
            }
        }
    }
}

fn fun_name(f: &FunName) -> String {
    let mut s = String::new();
    print::atom(&mut s, &f.name);
    let _ = write!(s, "/{}", f.arity);
    s
}

fn vars(vs: &[Var]) -> String {
    vs.iter().map(|v| &*v.kind).collect::<Vec<_>>().join(",")
}

fn lit(l: &Lit) -> String {
    match l {
        Lit::Atom(_) => format!("atom {}", print::constant(&Const::Lit(l.clone()))),
        Lit::Int(i) => format!("int {i}"),
        Lit::Float(_) => format!("float {}", print::constant(&Const::Lit(l.clone()))),
        Lit::Char(_) => format!("char {}", print::constant(&Const::Lit(l.clone()))),
        Lit::String(_) => format!("string {}", print::constant(&Const::Lit(l.clone()))),
        Lit::Nil => "nil".to_string(),
    }
}
