//! Prints a tree as Core Erlang text, in the layout of OTP's `core_pp`
//! (indentation in tabs of 8, `let`/`in`, `case`/`end` and clause layout,
//! guards with one call argument a line), with a `%% Line N` comment before
//! every node that has a line and `( X -| [...] )` around every node that has
//! annotation terms.
//!
//! Parsing the output gives back the same tree, spans aside. Two choices
//! make that so: lists print flat (`[a,b|T]`, where `core_pp` prints literal
//! lists as nested cons cells), which parses to the same flat list; and when
//! a node that starts with its first child (an alias `V = P`, a map pair
//! `K => V`) has a line but that child has none, the node is printed in the
//! `( ... -| [] )` form, so its `%% Line` comment stays its own.
//!
//! A tree built by hand must stay within what the grammar can express: a
//! map update needs at least one pair, a `try` two or three exception
//! variables, a cons that is a list's tail a line or an annotation of its
//! own (or it reads back merged into the list).

use std::fmt::Write;

use crate::ast::*;

/// The module as Core Erlang text, ending in a newline. Runs on a deep
/// stack ([`crate::with_deep_stack`]).
pub fn module(m: &Module) -> String {
    crate::with_deep_stack(|| {
        let mut p = Printer::default();
        p.module(m);
        p.out.push('\n');
        p.out
    })
}

// The printers of parts recurse on the caller's stack: they are for small
// trees, such as one constant in a message.

/// One expression as Core Erlang text.
pub fn expr(e: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(e, 0);
    p.out
}

/// One pattern as Core Erlang text.
pub fn pattern(pat: &Pat) -> String {
    let mut p = Printer::default();
    p.pat(pat, 0);
    p.out
}

/// One constant as Core Erlang text.
pub fn constant(c: &Const) -> String {
    let mut p = Printer::default();
    p.constant(c);
    p.out
}

/// Writes an atom in single quotes with `core_pp`'s escapes.
pub fn atom(out: &mut String, name: &str) {
    quoted(out, name, '\'');
}

/// Writes text in the given quotes, escaping as `io_lib:write_string` does:
/// the quote and backslash, the named control characters, and other
/// characters below the space, DEL and U+0080 to U+009F in octal.
fn quoted(out: &mut String, text: &str, quote: char) {
    out.push(quote);
    for c in text.chars() {
        escape_char(out, c, quote);
    }
    out.push(quote);
}

fn escape_char(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{0B}' => out.push_str("\\v"),
        '\u{08}' => out.push_str("\\b"),
        '\u{0C}' => out.push_str("\\f"),
        '\u{1B}' => out.push_str("\\e"),
        '\u{7F}' => out.push_str("\\d"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if c < ' ' || ('\u{80}'..'\u{A0}').contains(&c) => {
            let _ = write!(out, "\\{:03o}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// Formats a float as `core_pp` does (`float_to_list/1`, that is `%.20e`):
/// `3.50000000000000000000e+00`. Twenty digits after the point are more
/// than enough to read back the same 64-bit float.
pub fn float(out: &mut String, f: f64) {
    let s = format!("{f:.20e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let _ = write!(out, "{mantissa}e{sign}{:02}", exp.unsigned_abs());
}

#[derive(Default)]
struct Printer {
    out: String,
    /// The current column, tabs counted as 8.
    col: usize,
}

impl Printer {
    /// Writes text without newlines.
    fn s(&mut self, text: &str) {
        self.out.push_str(text);
        self.col += if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
    }

    /// Writes text that another function appended to `out` directly.
    fn sync_col(&mut self, from: usize) {
        let added = &self.out[from..];
        self.col += if added.is_ascii() {
            added.len()
        } else {
            added.chars().count()
        };
    }

    fn nl(&mut self, indent: usize) {
        self.out.push('\n');
        for _ in 0..indent / 8 {
            self.out.push('\t');
        }
        for _ in 0..indent % 8 {
            self.out.push(' ');
        }
        self.col = indent;
    }

    fn atom(&mut self, name: &str) {
        let from = self.out.len();
        atom(&mut self.out, name);
        self.sync_col(from);
    }

    fn line(&mut self, anno: &Anno, indent: usize) {
        if let Some(line) = anno.line {
            let _ = write!(self.out, "%% Line {line}");
            self.nl(indent);
        }
    }

    /// `%% Line N` and `( ... -| [...] )` around whatever `body` prints.
    fn annotated(
        &mut self,
        anno: &Anno,
        indent: usize,
        force_parens: bool,
        body: impl FnOnce(&mut Printer, usize),
    ) {
        self.line(anno, indent);
        if anno.terms.is_empty() && !force_parens {
            body(self, indent);
        } else {
            self.s("( ");
            body(self, indent + 2);
            self.nl(indent + 2);
            self.s("-| ");
            self.const_list_items(&anno.terms);
            self.s(" )");
        }
    }

    fn const_list_items(&mut self, terms: &[Const]) {
        self.s("[");
        for (i, t) in terms.iter().enumerate() {
            if i > 0 {
                self.s(",");
            }
            self.constant(t);
        }
        self.s("]");
    }

    fn module(&mut self, m: &Module) {
        self.annotated(&m.anno, 0, false, |p, indent| p.module_body(m, indent));
    }

    fn module_body(&mut self, m: &Module, indent: usize) {
        self.s("module ");
        self.atom(&m.name);
        self.s(" [");
        let col = self.col;
        for (i, e) in m.exports.iter().enumerate() {
            if i > 0 {
                self.s(",");
                self.nl(col);
            }
            self.fun_name(e, col);
        }
        self.s("]");
        self.nl(indent);
        self.s("    attributes [");
        let col = self.col;
        for (i, a) in m.attributes.iter().enumerate() {
            if i > 0 {
                self.s(",");
                self.nl(col);
            }
            self.annotated(&a.key.anno, col, false, |p, _| p.atom(&a.key.kind));
            self.s(" =");
            self.nl(col + 4);
            self.annotated(&a.value.anno, col + 4, false, |p, _| {
                p.constant(&a.value.kind)
            });
        }
        self.s("]");
        self.nl(indent);
        self.fun_defs(&m.defs, indent);
        self.nl(indent);
        self.s("end");
    }

    fn fun_defs(&mut self, defs: &[FunDef], indent: usize) {
        for (i, d) in defs.iter().enumerate() {
            if i > 0 {
                self.nl(indent);
            }
            self.fun_name(&d.name, indent);
            self.s(" =");
            self.nl(indent + 4);
            self.annotated(&d.fun.anno, indent + 4, false, |p, ind| {
                p.fun(&d.fun.kind, ind)
            });
        }
    }

    fn fun_name(&mut self, f: &Node<FunName>, indent: usize) {
        self.annotated(&f.anno, indent, false, |p, _| {
            p.atom(&f.kind.name);
            p.s("/");
            p.s(&f.kind.arity.to_string());
        });
    }

    fn fun(&mut self, f: &Fun, indent: usize) {
        self.s("fun (");
        self.vars_hseq(&f.vars);
        self.s(") ->");
        self.nl(indent + 4);
        self.expr(&f.body, indent + 4);
    }

    fn var(&mut self, v: &Var) {
        let col = self.col;
        self.annotated(&v.anno, col, false, |p, _| p.s(&v.kind));
    }

    fn vars_hseq(&mut self, vars: &[Var]) {
        for (i, v) in vars.iter().enumerate() {
            if i > 0 {
                self.s(",");
            }
            self.var(v);
        }
    }

    fn values_of_vars(&mut self, vars: &[Var]) {
        self.s("<");
        self.vars_hseq(vars);
        self.s(">");
    }

    fn lit(&mut self, lit: &Lit) {
        match lit {
            Lit::Atom(a) => self.atom(a),
            Lit::Int(i) => self.s(&i.to_string()),
            Lit::Float(f) => {
                let from = self.out.len();
                float(&mut self.out, f.0);
                self.sync_col(from);
            }
            Lit::Char(c) => {
                let from = self.out.len();
                self.out.push('$');
                match c {
                    ' ' => self.out.push_str("\\s"),
                    c => escape_char(&mut self.out, *c, '\0'),
                }
                self.sync_col(from);
            }
            Lit::String(s) => {
                let from = self.out.len();
                quoted(&mut self.out, s, '"');
                self.sync_col(from);
            }
            Lit::Nil => self.s("[]"),
        }
    }

    fn constant(&mut self, c: &Const) {
        match c {
            Const::Lit(l) => self.lit(l),
            Const::Tuple(es) => {
                self.s("{");
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                    }
                    self.constant(e);
                }
                self.s("}");
            }
            Const::List(es, tail) => {
                self.s("[");
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                    }
                    self.constant(e);
                }
                if let Some(t) = tail {
                    self.s("|");
                    self.constant(t);
                }
                self.s("]");
            }
        }
    }

    fn expr(&mut self, e: &Expr, indent: usize) {
        self.annotated(&e.anno, indent, false, |p, ind| p.expr_kind(&e.kind, ind));
    }

    /// Expressions one after another on a line, each at the column it
    /// starts at.
    fn exprs_hseq(&mut self, es: &[Expr], sep: &str) {
        for (i, e) in es.iter().enumerate() {
            if i > 0 {
                self.s(sep);
            }
            let col = self.col;
            self.expr(e, col);
        }
    }

    fn args(&mut self, args: &[Expr], indent: usize) {
        self.nl(indent + 4);
        self.s("(");
        self.exprs_hseq(args, ", ");
        self.s(")");
    }

    fn expr_kind(&mut self, kind: &ExprKind, indent: usize) {
        match kind {
            ExprKind::Var(v) => self.s(v),
            ExprKind::FunName(f) => {
                self.atom(&f.name);
                self.s("/");
                self.s(&f.arity.to_string());
            }
            ExprKind::Lit(l) => self.lit(l),
            ExprKind::FunRef(f) => {
                self.s("fun ");
                self.atom(&f.module);
                self.s(":");
                self.atom(&f.name);
                self.s("/");
                self.s(&f.arity.to_string());
            }
            ExprKind::Tuple(es) => {
                self.s("{");
                self.exprs_hseq(es, ",");
                self.s("}");
            }
            ExprKind::List(l) => {
                self.s("[");
                self.exprs_hseq(&l.elems, ",");
                if let Some(t) = &l.tail {
                    self.s("|");
                    let col = self.col;
                    self.expr(t, col);
                }
                self.s("]");
            }
            ExprKind::Binary(segs) => {
                self.s("#{");
                let col = self.col;
                for (i, seg) in segs.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                        self.nl(col);
                    }
                    self.annotated(&seg.anno, col, false, |p, ind| {
                        p.s("#<");
                        p.expr(&seg.kind.value, ind + 2);
                        p.s(">(");
                        p.segment_args(&seg.kind);
                        p.s(")");
                    });
                }
                self.s("}#");
            }
            ExprKind::Map(m) => {
                self.s("~{");
                for (i, pair) in m.pairs.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                    }
                    let col = self.col;
                    let parens = needs_own_parens(&pair.anno, &pair.kind.key.anno);
                    self.annotated(&pair.anno, col, parens, |p, _| {
                        let col = p.col;
                        p.expr(&pair.kind.key, col);
                        p.s(match pair.kind.op {
                            MapOp::Assoc => "=>",
                            MapOp::Exact => ":=",
                        });
                        let col = p.col;
                        p.expr(&pair.kind.value, col);
                    });
                }
                if let Some(arg) = &m.arg {
                    self.s("|");
                    let col = self.col;
                    self.expr(arg, col);
                }
                self.s("}~");
            }
            ExprKind::Values(es) => {
                self.s("<");
                self.exprs_hseq(es, ",");
                self.s(">");
            }
            ExprKind::Fun(f) => self.fun(f, indent),
            ExprKind::Let(l) => {
                self.s("let ");
                self.values_of_vars(&l.vars);
                if is_simple(&l.arg) {
                    self.s(" = ");
                    let col = self.col;
                    self.expr(&l.arg, col);
                } else {
                    self.s(" =");
                    self.nl(indent + 4);
                    self.expr(&l.arg, indent + 4);
                }
                self.nl(indent);
                self.s("in  ");
                self.expr(&l.body, indent + 4);
            }
            ExprKind::Letrec(l) => {
                self.s("letrec");
                self.nl(indent + 4);
                self.fun_defs(&l.defs, indent + 4);
                self.nl(indent);
                self.s("in  ");
                self.expr(&l.body, indent + 4);
            }
            ExprKind::Case(c) => {
                self.s("case ");
                self.expr(&c.arg, indent + 5);
                self.s(" of");
                self.nl(indent + 2);
                self.clauses(&c.clauses, indent + 2);
                self.nl(indent);
                self.s("end");
            }
            ExprKind::Receive(r) => {
                self.s("receive");
                self.nl(indent + 2);
                self.clauses(&r.clauses, indent + 2);
                self.nl(indent);
                self.s("after ");
                self.expr(&r.timeout, indent + 6);
                self.s(" ->");
                self.nl(indent + 2);
                self.expr(&r.action, indent + 2);
            }
            ExprKind::Apply(a) => {
                self.s("apply ");
                self.expr(&a.op, indent + 6);
                self.args(&a.args, indent);
            }
            ExprKind::Call(c) => {
                self.call_head(c, indent);
                self.args(&c.args, indent);
            }
            ExprKind::PrimOp(p) => {
                self.s("primop ");
                self.expr(&p.name, indent + 7);
                self.args(&p.args, indent);
            }
            ExprKind::Try(t) => {
                self.s("try");
                self.nl(indent + 4);
                self.expr(&t.arg, indent + 4);
                self.nl(indent);
                self.s("of ");
                self.values_of_vars(&t.vars);
                self.s(" ->");
                self.nl(indent + 4);
                self.expr(&t.body, indent + 4);
                self.nl(indent);
                self.s("catch ");
                self.values_of_vars(&t.evars);
                self.s(" ->");
                self.nl(indent + 4);
                self.expr(&t.handler, indent + 4);
            }
            ExprKind::Catch(e) => {
                self.s("catch");
                self.nl(indent + 4);
                self.expr(e, indent + 4);
            }
            ExprKind::Seq(s) => {
                self.s("do  ");
                self.expr(&s.arg, indent + 4);
                self.nl(indent + 4);
                self.expr(&s.body, indent + 4);
            }
        }
    }

    fn call_head(&mut self, c: &Call, indent: usize) {
        self.s("call ");
        self.expr(&c.module, indent + 5);
        self.s(":");
        let col = self.col;
        self.expr(&c.name, col);
    }

    fn segment_args<V>(&mut self, seg: &SegmentKind<V>) {
        for (i, e) in [&seg.size, &seg.unit, &seg.kind, &seg.flags]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                self.s(",");
            }
            let col = self.col;
            self.expr(e, col);
        }
    }

    fn clauses(&mut self, clauses: &[Clause], indent: usize) {
        for (i, c) in clauses.iter().enumerate() {
            if i > 0 {
                self.nl(indent);
            }
            self.annotated(&c.anno, indent, false, |p, ind| p.clause(&c.kind, ind));
        }
    }

    fn clause(&mut self, c: &ClauseKind, indent: usize) {
        self.s("<");
        for (i, pat) in c.pats.iter().enumerate() {
            if i > 0 {
                self.s(",");
            }
            let col = self.col;
            self.pat(pat, col);
        }
        self.s(">");
        let trivial = matches!(c.guard.kind, ExprKind::Lit(Lit::Atom(_)));
        if trivial {
            self.s(" when ");
            let col = self.col;
            self.guard(&c.guard, col);
        } else {
            self.nl(indent + 4);
            self.s("when ");
            self.guard(&c.guard, indent + 6);
        }
        self.s(" ->");
        self.nl(indent + 4);
        self.expr(&c.body, indent + 4);
    }

    /// Guards print calls with one argument a line, as `core_pp` does.
    fn guard(&mut self, g: &Expr, indent: usize) {
        self.annotated(&g.anno, indent, false, |p, ind| match &g.kind {
            ExprKind::Call(c) => {
                p.call_head(c, ind);
                p.nl(ind + 4);
                p.s("(");
                let col = p.col;
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        p.s(",");
                        p.nl(col);
                    }
                    p.guard(a, col);
                }
                p.s(")");
            }
            kind => p.expr_kind(kind, ind),
        });
    }

    fn pat(&mut self, pat: &Pat, indent: usize) {
        let parens = match &pat.kind {
            PatKind::Alias(a) => needs_own_parens(&pat.anno, &a.var.anno),
            _ => false,
        };
        self.annotated(&pat.anno, indent, parens, |p, ind| {
            p.pat_kind(&pat.kind, ind)
        });
    }

    fn pats_hseq(&mut self, pats: &[Pat]) {
        for (i, pat) in pats.iter().enumerate() {
            if i > 0 {
                self.s(",");
            }
            let col = self.col;
            self.pat(pat, col);
        }
    }

    fn pat_kind(&mut self, kind: &PatKind, _indent: usize) {
        match kind {
            PatKind::Var(v) => self.s(v),
            PatKind::Lit(l) => self.lit(l),
            PatKind::Tuple(ps) => {
                self.s("{");
                self.pats_hseq(ps);
                self.s("}");
            }
            PatKind::List(l) => {
                self.s("[");
                self.pats_hseq(&l.elems);
                if let Some(t) = &l.tail {
                    self.s("|");
                    let col = self.col;
                    self.pat(t, col);
                }
                self.s("]");
            }
            PatKind::Binary(segs) => {
                self.s("#{");
                let col = self.col;
                for (i, seg) in segs.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                        self.nl(col);
                    }
                    self.annotated(&seg.anno, col, false, |p, ind| {
                        p.s("#<");
                        p.pat(&seg.kind.value, ind + 2);
                        p.s(">(");
                        p.segment_args(&seg.kind);
                        p.s(")");
                    });
                }
                self.s("}#");
            }
            PatKind::Map(m) => {
                self.s("~{");
                for (i, pair) in m.pairs.iter().enumerate() {
                    if i > 0 {
                        self.s(",");
                    }
                    let col = self.col;
                    let parens = needs_own_parens(&pair.anno, &pair.kind.key.anno);
                    self.annotated(&pair.anno, col, parens, |p, _| {
                        let col = p.col;
                        p.expr(&pair.kind.key, col);
                        p.s(":=");
                        let col = p.col;
                        p.pat(&pair.kind.value, col);
                    });
                }
                if let Some(arg) = &m.arg {
                    self.s("|");
                    let col = self.col;
                    self.expr(arg, col);
                }
                self.s("}~");
            }
            PatKind::Alias(a) => {
                self.var(&a.var);
                self.s(" = ");
                let col = self.col;
                self.pat(&a.pat, col);
            }
        }
    }
}

/// A node that starts with its first child and has a line while the child
/// has none must be printed in parentheses: otherwise its `%% Line` comment
/// would go to the child when read back (the innermost node claims it).
fn needs_own_parens(outer: &Anno, first_child: &Anno) -> bool {
    outer.line.is_some() && first_child.line.is_none()
}

/// `core_pp` prints `let <X> = Arg` on one line when the argument is a small
/// term.
fn is_simple(e: &Expr) -> bool {
    if !e.anno.is_empty() {
        return false;
    }
    match &e.kind {
        ExprKind::Var(_) => true,
        ExprKind::Lit(Lit::String(_)) => false,
        ExprKind::Lit(_) => true,
        ExprKind::Tuple(es) => es.len() < 4 && es.iter().all(is_simple),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fl(f: f64) -> String {
        let mut s = String::new();
        float(&mut s, f);
        s
    }

    #[test]
    fn floats_print_like_core_pp() {
        assert_eq!(fl(3.5), "3.50000000000000000000e+00");
        assert_eq!(fl(-1.5), "-1.50000000000000000000e+00");
        assert_eq!(fl(0.9), "9.00000000000000022204e-01");
        assert_eq!(fl(1e100), "1.00000000000000001590e+100");
        assert_eq!(fl(-0.0), "-0.00000000000000000000e+00");
        for f in [0.1, 1.0 / 3.0, 5e-324, f64::MAX, 123456.789e-200] {
            assert_eq!(fl(f).parse::<f64>().ok(), Some(f));
        }
    }

    #[test]
    fn atoms_escape_like_core_pp() {
        let cases = [
            ("ok", "'ok'"),
            ("a'b\\c", r"'a\'b\\c'"),
            ("a\nb", r"'a\nb'"),
            ("\u{0}\u{7F}ÿ", r"'\000\dÿ'"),
            ("\u{96}", r"'\226'"),
            ("日本", "'日本'"),
        ];
        for (name, text) in cases {
            let mut s = String::new();
            atom(&mut s, name);
            assert_eq!(s, text);
        }
    }
}
