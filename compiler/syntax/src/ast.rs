//! The typed syntax tree of a Core Erlang module.
//!
//! The tree follows the grammar of OTP's `core_parse` closely, with three
//! deliberate simplifications that keep it small and shallow:
//!
//! - A chain of cons cells `[a|[b|[c|T]]]` is one [`ExprKind::List`] with the
//!   elements `a, b, c` and the tail `T`, exactly as `[a,b,c|T]` is. A nested
//!   cons is only merged into its parent when it carries no annotation of its
//!   own, so no information is lost. A `[]` tail is dropped: `[a|[]]` is `[a]`.
//!   Long string literals, which `core_pp` prints as thousands of nested cons
//!   cells, thus become flat vectors rather than deep trees.
//! - Nodes that can carry an annotation in the concrete syntax are [`Node`]s:
//!   a `kind`, a byte [`Span`] and an [`Anno`]. The annotation keeps the terms
//!   written after `-|` as constants, and the line of a `%% Line N` comment
//!   printed just before the node.
//! - Literals stay as written where that matters for printing (`$a` is a
//!   [`Lit::Char`], `"ab"` a [`Lit::String`]) but integers are normalised: `16#FF`
//!   and `255` are the same [`Int`].
//!
//! Equality (`==`) compares content and ignores spans: [`Span`]'s `PartialEq`
//! is always true, so two parses of differently laid out text compare equal
//! when they mean the same. Compare `span.start`/`span.end` when positions
//! matter.
//!
//! Every tree a parse returns is at most [`MAX_DEPTH`] nodes deep, so the
//! recursive walks over it (printing, equality, dropping, and the compiler's
//! own passes) have a known bound on their stack use.

use std::fmt;
use std::num::NonZeroU32;

/// How deeply nodes may nest. The parser rejects deeper input with a
/// diagnostic rather than building a tree that recursive passes could not
/// walk (see [`crate::with_deep_stack`]). OTP's own modules nest at most 141
/// levels; a function of a few thousand sequential statements nests one
/// level per statement.
pub const MAX_DEPTH: u32 = 4_000;

/// A byte range in the source file: `start..end`.
///
/// Equality deliberately ignores positions (see the module documentation).
#[derive(Clone, Copy, Default, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// The span as a `usize` range, to index the source text with.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl PartialEq for Span {
    fn eq(&self, _other: &Span) -> bool {
        true
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A node's annotation: its source line, if a `%% Line N` comment came just
/// before it, and the constant terms of a `( X -| [T1, T2] )` form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Anno {
    pub line: Option<NonZeroU32>,
    pub terms: Box<[Const]>,
}

impl Anno {
    pub fn is_empty(&self) -> bool {
        self.line.is_none() && self.terms.is_empty()
    }

    /// Whether the annotation holds the atom `name`, as in
    /// `-| ['compiler_generated']`.
    pub fn has_atom(&self, name: &str) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t, Const::Lit(Lit::Atom(a)) if &**a == name))
    }
}

/// Something that may carry an annotation: a kind, where it is, its
/// annotation, and how deep the tree below it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<T> {
    pub kind: T,
    pub span: Span,
    pub anno: Anno,
}

impl<T> Node<T> {
    pub fn new(kind: T, span: Span) -> Node<T> {
        Node {
            kind,
            span,
            anno: Anno::default(),
        }
    }
}

/// An atom's text, or a variable's name.
pub type Name = Box<str>;

/// A variable: `X`, `_0`, `_-acc-1-` (LFE), possibly annotated.
pub type Var = Node<Name>;

/// An expression.
pub type Expr = Node<ExprKind>;

/// A pattern.
pub type Pat = Node<PatKind>;

/// One clause of a `case` or `receive`.
pub type Clause = Node<Box<ClauseKind>>;

/// `'f'/2`: a function name with arity, in exports, definitions and as an
/// expression.
#[derive(Clone, Debug, PartialEq)]
pub struct FunName {
    pub name: Name,
    pub arity: u32,
}

/// A whole module.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub name: Name,
    /// The span of the module's name atom.
    pub name_span: Span,
    pub exports: Vec<Node<FunName>>,
    pub attributes: Vec<Attribute>,
    pub defs: Vec<FunDef>,
    /// The annotation of the whole module, from `( module ... end -| [...] )`.
    pub anno: Anno,
    pub span: Span,
}

/// `'key' = Constant` in the module's `attributes [...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub key: Node<Name>,
    pub value: Node<Const>,
}

/// `'f'/N = fun (...) -> ...`, at module level or in a `letrec`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunDef {
    pub name: Node<FunName>,
    pub fun: Node<Box<Fun>>,
}

/// `fun (V1, ..., Vn) -> Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fun {
    pub vars: Vec<Var>,
    pub body: Expr,
}

/// An atomic literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Atom(Name),
    Int(Int),
    Float(Float),
    /// `$c`: an integer, kept apart so it prints as it was written.
    Char(char),
    /// `"..."`: a list of character codes, kept as text.
    String(Box<str>),
    /// `[]`.
    Nil,
}

/// An integer of any size.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Int {
    Small(i64),
    /// Only for values outside the `i64` range.
    Big(Box<BigInt>),
}

/// A big integer: sign and magnitude, the magnitude in little-endian 64-bit
/// limbs without high zero limbs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInt {
    pub negative: bool,
    pub magnitude: Box<[u64]>,
}

/// A float literal. Equality compares bits, so `-0.0` and `0.0` differ, as
/// they print differently.
#[derive(Clone, Copy, Debug)]
pub struct Float(pub f64);

impl PartialEq for Float {
    fn eq(&self, other: &Float) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

/// A constant term: annotations (`-| [...]`) and attribute values.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Lit(Lit),
    Tuple(Vec<Const>),
    /// `[a, b | T]`; `tail` is `None` for a proper list.
    List(Vec<Const>, Option<Box<Const>>),
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Var(Name),
    /// `'f'/N` as a value: a function of this module or of the enclosing
    /// `letrec`.
    FunName(FunName),
    Lit(Lit),
    /// `fun 'm':'f'/N`: an external function literal.
    FunRef(Box<FunRef>),
    Tuple(Vec<Expr>),
    /// `[E1, ..., En | Tail]`, with at least one element.
    List(Box<List<ExprKind>>),
    /// `#{#<V>(Size,Unit,Type,Flags), ...}#`.
    Binary(Vec<Segment<ExprKind>>),
    /// `~{K => V, K := V | Arg}~`.
    Map(Box<Map>),
    /// `<E1, ..., En>`.
    Values(Vec<Expr>),
    Fun(Box<Fun>),
    Let(Box<Let>),
    Letrec(Box<Letrec>),
    Case(Box<Case>),
    Receive(Box<Receive>),
    Apply(Box<Apply>),
    Call(Box<Call>),
    PrimOp(Box<PrimOp>),
    Try(Box<Try>),
    Catch(Box<Expr>),
    /// `do E1 E2`.
    Seq(Box<Seq>),
}

/// `fun 'm':'f'/N`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunRef {
    pub module: Name,
    pub name: Name,
    pub arity: u32,
}

/// A list of expressions or patterns with an optional tail.
#[derive(Clone, Debug, PartialEq)]
pub struct List<T> {
    pub elems: Vec<Node<T>>,
    pub tail: Option<Box<Node<T>>>,
}

/// One segment `#<Value>(Size, Unit, Type, Flags)` of a binary, in an
/// expression (`V = ExprKind`) or a pattern (`V = PatKind`). Size, unit,
/// type and flags are expressions in both.
pub type Segment<V> = Node<Box<SegmentKind<V>>>;

#[derive(Clone, Debug, PartialEq)]
pub struct SegmentKind<V> {
    pub value: Node<V>,
    pub size: Expr,
    pub unit: Expr,
    pub kind: Expr,
    pub flags: Expr,
}

/// `~{Pairs | Arg}~` as an expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// The map being updated, or `None` for a new map.
    pub arg: Option<Expr>,
    pub pairs: Vec<Node<Box<MapPair>>>,
}

/// `=>` or `:=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapOp {
    Assoc,
    Exact,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapPair {
    pub op: MapOp,
    pub key: Expr,
    pub value: Expr,
}

/// `let <Vars> = Arg in Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub vars: Vec<Var>,
    pub arg: Expr,
    pub body: Expr,
}

/// `letrec Defs in Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct Letrec {
    pub defs: Vec<FunDef>,
    pub body: Expr,
}

/// `case Arg of Clauses end`.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub arg: Expr,
    pub clauses: Vec<Clause>,
}

/// `receive Clauses after Timeout -> Action`.
#[derive(Clone, Debug, PartialEq)]
pub struct Receive {
    pub clauses: Vec<Clause>,
    pub timeout: Expr,
    pub action: Expr,
}

/// `apply Op (Args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Apply {
    pub op: Expr,
    pub args: Vec<Expr>,
}

/// `call Module:Name (Args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub module: Expr,
    pub name: Expr,
    pub args: Vec<Expr>,
}

/// `primop Name (Args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimOp {
    pub name: Expr,
    pub args: Vec<Expr>,
}

/// `try Arg of <Vars> -> Body catch <EVars> -> Handler`, with two or three
/// exception variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Try {
    pub arg: Expr,
    pub vars: Vec<Var>,
    pub body: Expr,
    pub evars: Vec<Var>,
    pub handler: Expr,
}

/// `do Arg Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct Seq {
    pub arg: Expr,
    pub body: Expr,
}

/// `<Pats> when Guard -> Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClauseKind {
    pub pats: Vec<Pat>,
    pub guard: Expr,
    pub body: Expr,
}

/// The kinds of pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum PatKind {
    Var(Name),
    Lit(Lit),
    Tuple(Vec<Pat>),
    List(Box<List<PatKind>>),
    Binary(Vec<Segment<PatKind>>),
    Map(Box<MapPat>),
    /// `V = P`.
    Alias(Box<Alias>),
}

/// `~{K := P, ... | Arg}~` as a pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPat {
    /// OTP's grammar allows a map expression here; `core_pp` never prints one.
    pub arg: Option<Expr>,
    pub pairs: Vec<Node<Box<MapPairPat>>>,
}

/// `K := P`: the key is an expression (a literal or a bound variable).
#[derive(Clone, Debug, PartialEq)]
pub struct MapPairPat {
    pub key: Expr,
    pub value: Pat,
}

/// `V = P`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub var: Var,
    pub pat: Pat,
}

impl Int {
    /// The value if it fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Int::Small(i) => Some(*i),
            Int::Big(_) => None,
        }
    }
}

impl fmt::Display for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Int::Small(i) => write!(f, "{i}"),
            Int::Big(b) => write!(f, "{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser moves these by value, and the parser's stack slots are
    /// as large as the largest of them: keep them small.
    #[test]
    fn nodes_stay_small() {
        assert_eq!(std::mem::size_of::<Anno>(), 24);
        assert_eq!(std::mem::size_of::<ExprKind>(), 32);
        assert_eq!(std::mem::size_of::<Expr>(), 64);
        assert_eq!(std::mem::size_of::<Pat>(), 64);
        assert!(std::mem::size_of::<Const>() <= 40);
        assert!(std::mem::size_of::<Clause>() <= 64);
        assert!(std::mem::size_of::<Segment<ExprKind>>() <= 64);
    }
}
