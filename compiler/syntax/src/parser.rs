//! The glue between the grammar (`grammar.lalrpop`) and the tree: the state
//! its actions share, the error type they raise, and the parse entry point.
//!
//! Two pieces of state are shared between the lexer, which runs ahead, and
//! the grammar's actions, which build nodes bottom-up:
//!
//! - **Lines.** The lexer records each `%% Line N` comment against the offset
//!   of the token after it. When a node is built, it claims the line recorded
//!   at its first token; the innermost node starting there claims first, so
//!   several comments before one token go to nested nodes innermost-last,
//!   which is how `core_pp` prints them. An annotated form `( E -| [...] )`
//!   claims the line recorded before its `(`.
//! - **Depth.** A stack of (start offset, depth) for the subtrees built so
//!   far that no parent has taken yet. A new node spanning `l..` takes every
//!   entry starting at or after `l`: exactly its descendants' roots. Its
//!   depth is one more than theirs. Deeper than [`MAX_DEPTH`] is an error,
//!   raised before any deeper subtree exists, so dropping the parser's stack
//!   after an error is as safe as any recursion over an accepted tree.

use std::cell::RefCell;
use std::num::NonZeroU32;

use lalrpop_util::ParseError;

use crate::ast::*;
use crate::int;
use crate::lexer::{LexError, Lexer, Spanned, Tok, unescape};

/// Errors raised while parsing, besides lalrpop's own token errors.
#[derive(Clone, Debug, PartialEq)]
pub enum SyntaxError {
    Lex(LexError),
    /// A well-formed phrase that Core Erlang still rejects, such as a binary
    /// segment with three arguments.
    Invalid {
        message: String,
        label: String,
        span: (usize, usize),
    },
    /// Nodes nested deeper than [`MAX_DEPTH`].
    TooDeep {
        span: (usize, usize),
    },
}

pub(crate) type PResult<'s, T> = Result<T, ParseError<usize, Tok<'s>, SyntaxError>>;

fn invalid<'s, T>(message: &str, label: &str, l: usize, r: usize) -> PResult<'s, T> {
    Err(ParseError::User {
        error: SyntaxError::Invalid {
            message: message.to_string(),
            label: label.to_string(),
            span: (l, r),
        },
    })
}

/// A list's elements collected in reverse, so that the elements of an
/// enclosing cons can be added in front in time linear in their number.
pub struct RevList<T> {
    rev: Vec<T>,
    tail: Option<Box<T>>,
}

impl<T> RevList<T> {
    pub(crate) fn new(mut elems: Vec<T>, tail: Option<T>) -> RevList<T> {
        elems.reverse();
        RevList {
            rev: elems,
            tail: tail.map(Box::new),
        }
    }

    /// Puts `elems` in front: `[elems | self]`.
    pub(crate) fn prepend(mut self, elems: Vec<T>) -> RevList<T> {
        self.rev.extend(elems.into_iter().rev());
        self
    }

    fn finish(mut self) -> (Vec<T>, Option<Box<T>>) {
        self.rev.reverse();
        (self.rev, self.tail)
    }
}

/// The state the grammar's actions share; see the module documentation.
pub struct State<'s> {
    /// (offset of a token, line) for each `%% Line N` comment, in source
    /// order; a claimed entry's line is set to 0.
    lines: RefCell<Vec<(u32, u32)>>,
    /// (start offset, depth) of built subtrees not yet taken by a parent.
    open: RefCell<Vec<(u32, u32)>>,
    _source: std::marker::PhantomData<&'s str>,
}

impl<'s> State<'s> {
    fn new() -> State<'s> {
        State {
            lines: RefCell::new(Vec::new()),
            open: RefCell::new(Vec::new()),
            _source: std::marker::PhantomData,
        }
    }

    /// Claims the innermost unclaimed `%% Line` comment recorded for the
    /// token at `at`.
    fn line(&self, at: usize) -> Option<NonZeroU32> {
        let mut lines = self.lines.borrow_mut();
        if lines.is_empty() {
            return None;
        }
        let at = at as u32;
        let mut i = lines.partition_point(|&(o, _)| o <= at);
        while i > 0 && lines[i - 1].0 == at {
            i -= 1;
            if let Some(line) = NonZeroU32::new(lines[i].1) {
                lines[i].1 = 0;
                return Some(line);
            }
        }
        None
    }

    pub(crate) fn node<T>(&self, kind: T, l: usize, r: usize) -> Node<T> {
        Node {
            kind,
            span: Span::new(l as u32, r as u32),
            anno: Anno {
                line: self.line(l),
                terms: Box::default(),
            },
        }
    }

    /// `( node -| terms )`, the `(` at `l`.
    pub(crate) fn annotate<T>(&self, mut node: Node<T>, l: usize, terms: Box<[Const]>) -> Node<T> {
        node.anno.terms = terms;
        if let Some(line) = self.line(l) {
            node.anno.line = Some(line);
        }
        node
    }

    /// Records a subtree starting at `l` and checks how deep it is.
    fn track(&self, l: usize, r: usize) -> PResult<'s, ()> {
        let mut open = self.open.borrow_mut();
        let start = l as u32;
        let mut below = 0;
        while let Some(&(s, d)) = open.last() {
            if s < start {
                break;
            }
            below = below.max(d);
            open.pop();
        }
        let depth = below + 1;
        if depth > MAX_DEPTH {
            return Err(ParseError::User {
                error: SyntaxError::TooDeep { span: (l, r) },
            });
        }
        open.push((start, depth));
        Ok(())
    }

    /// A node with children: tracks its depth.
    pub(crate) fn nest<T>(&self, node: Node<T>) -> PResult<'s, Node<T>> {
        self.track(node.span.start as usize, node.span.end as usize)?;
        Ok(node)
    }

    pub(crate) fn atom(&self, raw: &str) -> Name {
        unescape(raw).into()
    }

    pub(crate) fn string(&self, raw: &str) -> Box<str> {
        unescape(raw).into()
    }

    pub(crate) fn integer(&self, text: &str) -> Lit {
        Lit::Int(parse_int(text))
    }

    /// The arity of `'f'/N` or `fun 'm':'f'/N`.
    pub(crate) fn arity(&self, text: &str, l: usize, r: usize) -> PResult<'s, u32> {
        match parse_int(text) {
            Int::Small(n @ 0..=255) => Ok(n as u32),
            _ => invalid(
                "arity out of range",
                "an arity is an integer from 0 to 255",
                l,
                r,
            ),
        }
    }

    pub(crate) fn var_pat(&self, v: Var) -> Pat {
        Node {
            kind: PatKind::Var(v.kind),
            span: v.span,
            anno: v.anno,
        }
    }

    pub(crate) fn var_expr(&self, v: Var) -> Expr {
        Node {
            kind: ExprKind::Var(v.kind),
            span: v.span,
            anno: v.anno,
        }
    }

    pub(crate) fn const_tuple(&self, elems: Vec<Const>, l: usize, r: usize) -> PResult<'s, Const> {
        self.track(l, r)?;
        Ok(Const::Tuple(elems))
    }

    pub(crate) fn const_list(&self, body: RevList<Const>, l: usize) -> PResult<'s, Const> {
        self.track(l, l + 1)?;
        let (elems, tail) = body.finish();
        Ok(Const::List(elems, tail))
    }

    pub(crate) fn const_tail(&self, tail: Const) -> Option<Const> {
        match tail {
            Const::Lit(Lit::Nil) => None,
            t => Some(t),
        }
    }

    pub(crate) fn expr_tail(&self, tail: Expr) -> Option<Expr> {
        match tail.kind {
            ExprKind::Lit(Lit::Nil) if tail.anno.is_empty() => None,
            _ => Some(tail),
        }
    }

    pub(crate) fn pat_tail(&self, tail: Pat) -> Option<Pat> {
        match tail.kind {
            PatKind::Lit(Lit::Nil) if tail.anno.is_empty() => None,
            _ => Some(tail),
        }
    }

    /// `[es | [inner]]`, the inner `[` at `il`: merged into one list unless a
    /// line comment gives the inner cons a line of its own.
    pub(crate) fn prepend_expr(
        &self,
        es: Vec<Expr>,
        inner: RevList<Expr>,
        il: usize,
        ir: usize,
    ) -> PResult<'s, RevList<Expr>> {
        match self.line(il) {
            None => Ok(inner.prepend(es)),
            Some(line) => {
                let (elems, tail) = inner.finish();
                let mut node = self.nest(Node::new(
                    ExprKind::List(Box::new(List { elems, tail })),
                    Span::new(il as u32, ir as u32),
                ))?;
                node.anno.line = Some(line);
                Ok(RevList::new(es, Some(node)))
            }
        }
    }

    pub(crate) fn prepend_pat(
        &self,
        es: Vec<Pat>,
        inner: RevList<Pat>,
        il: usize,
        ir: usize,
    ) -> PResult<'s, RevList<Pat>> {
        match self.line(il) {
            None => Ok(inner.prepend(es)),
            Some(line) => {
                let (elems, tail) = inner.finish();
                let mut node = self.nest(Node::new(
                    PatKind::List(Box::new(List { elems, tail })),
                    Span::new(il as u32, ir as u32),
                ))?;
                node.anno.line = Some(line);
                Ok(RevList::new(es, Some(node)))
            }
        }
    }

    pub(crate) fn expr_list(&self, body: RevList<Expr>, l: usize, r: usize) -> PResult<'s, Expr> {
        let (elems, tail) = body.finish();
        self.nest(self.node(ExprKind::List(Box::new(List { elems, tail })), l, r))
    }

    pub(crate) fn pat_list(&self, body: RevList<Pat>, l: usize, r: usize) -> PResult<'s, Pat> {
        let (elems, tail) = body.finish();
        self.nest(self.node(PatKind::List(Box::new(List { elems, tail })), l, r))
    }

    /// `#<value>(Size, Unit, Type, Flags)`.
    pub(crate) fn segment<V>(
        &self,
        value: Node<V>,
        args: Vec<Expr>,
        l: usize,
        r: usize,
    ) -> PResult<'s, Segment<V>> {
        let n = args.len();
        let mut it = args.into_iter();
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some(size), Some(unit), Some(kind), Some(flags)) if n == 4 => self.nest(self.node(
                Box::new(SegmentKind {
                    value,
                    size,
                    unit,
                    kind,
                    flags,
                }),
                l,
                r,
            )),
            _ => invalid(
                "expected 4 arguments in binary segment",
                &format!("this segment has {n}: it needs size, unit, type and flags"),
                l,
                r,
            ),
        }
    }

    pub(crate) fn try_expr(&self, t: Try, cl: usize, cr: usize) -> PResult<'s, ExprKind> {
        match t.evars.len() {
            2 | 3 => Ok(ExprKind::Try(Box::new(t))),
            n => invalid(
                "expected 2 or 3 exception variables in 'try'",
                &if n == 1 {
                    "1 variable here".to_string()
                } else {
                    format!("{n} variables here")
                },
                cl,
                cr,
            ),
        }
    }

    // Attributes come boxed: the grammar keeps them boxed while they sit on
    // the parser's stack, whose slots are as large as the largest value.
    #[allow(clippy::too_many_arguments, clippy::vec_box)]
    pub(crate) fn module(
        &self,
        name: &str,
        na: usize,
        nb: usize,
        exports: Vec<Node<FunName>>,
        attributes: Vec<Box<Attribute>>,
        defs: Vec<FunDef>,
        l: usize,
        r: usize,
        paren: Option<usize>,
    ) -> PResult<'s, Box<Module>> {
        let line = paren.and_then(|p| self.line(p)).or_else(|| self.line(l));
        Ok(Box::new(Module {
            name: self.atom(name),
            name_span: Span::new(na as u32, nb as u32),
            exports,
            attributes: attributes.into_iter().map(|a| *a).collect(),
            defs,
            anno: Anno {
                line,
                terms: Box::default(),
            },
            span: Span::new(paren.unwrap_or(l) as u32, r as u32),
        }))
    }
}

fn parse_int(text: &str) -> Int {
    if text.contains('#') {
        int::parse_based(text)
    } else {
        int::parse_decimal(text)
    }
}

/// The token stream the grammar pulls: the lexer's tokens, with each batch
/// of `%% Line` comments handed to the shared state as it is seen.
struct Tokens<'s, 'st> {
    lexer: Lexer<'s>,
    state: &'st State<'s>,
}

impl<'s> Iterator for Tokens<'s, '_> {
    type Item = Result<Spanned<'s>, SyntaxError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let item = self.lexer.next()?;
        if self.lexer.has_lines() {
            self.state
                .lines
                .borrow_mut()
                .extend(self.lexer.take_lines());
        }
        Some(item.map_err(SyntaxError::Lex))
    }
}

#[allow(clippy::all, clippy::pedantic, unused_parens, unused_qualifications)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/grammar.rs"));
}

/// Parses a whole module; the raw lalrpop error on failure.
pub(crate) fn parse(source: &str) -> Result<Module, ParseError<usize, Tok<'_>, SyntaxError>> {
    let state = State::new();
    let tokens = Tokens {
        lexer: Lexer::new(source),
        state: &state,
    };
    grammar::ModuleParser::new()
        .parse(&state, tokens)
        .map(|m| *m)
}
