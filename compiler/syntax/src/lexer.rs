//! The Core Erlang lexer: source text to tokens, with the lexical rules of
//! OTP's `core_scan`, plus LFE's dashed variable names.
//!
//! Tokens borrow from the source: atoms, strings, variables and integers are
//! slices of it (atoms and strings without their quotes, escapes still in
//! place but already checked), so lexing allocates nothing. The parser
//! decodes escapes when it builds the tree ([`unescape`]).
//!
//! The source is UTF-8 text (see the crate documentation for why). The rules
//! follow `core_scan`, read on characters:
//!
//! - Whitespace is every character up to the space (U+0000 to U+0020) and
//!   U+0080 to U+00A0, as in Latin-1's control and no-break-space range.
//! - `%` starts a comment to the end of the line. A comment of the form
//!   `%% Line N` is how `core_pp` prints a node's line annotation: the lexer
//!   records it against the next token's offset (see [`Lexer::take_lines`]).
//! - Atoms are always quoted: `'ok'`. A bare lowercase word is a keyword, or
//!   an error. Variables start with an uppercase letter or `_`; name
//!   characters are letters (Latin-1 letters included), digits, `_` and `@`.
//! - Numbers: `42`, `-1`, `+1`, `16#FF` (base 2 to 16), `1.5`, `-1.5e-3`.
//! - Escapes in atoms, strings and `$c` characters: `\n \r \t \v \b \f \e \s \d`
//!   (`\s` is space, `\d` delete), one to three octal digits `\101`, `\^C` for
//!   control characters, and a backslash before any other character that is
//!   not a letter or digit stands for that character (`\'`, `\"`, `\\`).
//!   `core_scan` reads a backslash before any other letter as that letter;
//!   Coral rejects those instead, because Erlang's own scanner gives some of
//!   them (`\x{41}`) another meaning and a silent difference is worse than an
//!   error. `core_pp` never writes them.
//! - LFE (`lfec +to-core`) keeps the dashes of its variable names: `_-n-0-`,
//!   `_-acc-1-`, `_-*-2-0-`. Such a name starts with `_-`, ends with
//!   `-DIGITS-`, and may be followed directly by `>`, `(`, `,` and the like.
//!   OTP never writes a variable starting with `_-` (its own scanner cannot
//!   read one), so accepting them changes nothing for OTP's files.

use std::borrow::Cow;

use logos::Logos;

/// What went wrong while lexing, and where (byte offsets).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LexError {
    pub kind: LexErrorKind,
    /// The offending bytes; `None` until the lexer wrapper fills in the span
    /// of the failed match.
    pub span: Option<(usize, usize)>,
}

/// The kinds of lexical error.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LexErrorKind {
    /// A character that starts no token.
    #[default]
    Stray,
    /// An atom whose closing `'` never comes. The span is the opening quote.
    UnterminatedAtom,
    /// A string whose closing `"` never comes.
    UnterminatedString,
    /// A `$` at the end of the file.
    UnterminatedChar,
    /// A backslash before a letter or digit that is no escape.
    UnknownEscape(char),
    /// A based integer with a base outside 2..=16.
    BadBase,
    /// A based integer with a digit its base does not have.
    BadDigit { base: u32, digit: char },
    /// `-16#FF`: Core Erlang has no signed based integers.
    SignedBased,
    /// `1.5e` with no exponent digits.
    FloatExponent,
    /// A float too large for a 64-bit float.
    FloatRange,
    /// A lowercase word that is not a keyword (atoms must be quoted).
    BareWord,
    /// A `_-` name that does not end in `-DIGITS-`.
    LfeVar,
}

fn err<T>(kind: LexErrorKind, start: usize, end: usize) -> Result<T, LexError> {
    Err(LexError {
        kind,
        span: Some((start, end)),
    })
}

/// Per-lexer state: line comments seen since the last token.
#[derive(Default)]
pub struct Extras {
    pending_lines: Vec<u32>,
}

/// A token. Tokens that hold text borrow it from the source.
#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(extras = Extras)]
#[logos(error = LexError)]
#[logos(skip r"[\x00-\x20\u{80}-\u{A0}]+")]
pub enum Tok<'s> {
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("|")]
    Bar,
    #[token(",")]
    Comma,
    #[token("->")]
    Arrow,
    #[token("=")]
    Eq,
    #[token("/")]
    Slash,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token(":")]
    Colon,
    #[token("-|")]
    AnnoBar,
    #[token("#")]
    Hash,
    #[token("~")]
    Tilde,
    #[token("=>")]
    Assoc,
    #[token(":=")]
    Exact,

    #[token("module")]
    Module,
    #[token("attributes")]
    Attributes,
    #[token("do")]
    Do,
    #[token("let")]
    Let,
    #[token("in")]
    In,
    #[token("letrec")]
    Letrec,
    #[token("apply")]
    Apply,
    #[token("call")]
    Call,
    #[token("primop")]
    Primop,
    #[token("case")]
    Case,
    #[token("of")]
    Of,
    #[token("end")]
    End,
    #[token("when")]
    When,
    #[token("fun")]
    Fun,
    #[token("try")]
    Try,
    #[token("catch")]
    Catch,
    #[token("receive")]
    Receive,
    #[token("after")]
    After,

    /// `$c`: the character's code.
    #[token("$", char_literal)]
    Char(char),
    /// The text of a decimal (`-12`) or based (`16#ff`) integer.
    #[regex(r"[+-]?[0-9]+", |lex| lex.slice())]
    #[regex(r"[+-]?[0-9]+#[0-9A-Za-z]+", based_integer)]
    Integer(&'s str),
    #[regex(r"[+-]?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?", float)]
    #[regex(r"[+-]?[0-9]+\.[0-9]+[eE][+-]?", |lex| err(LexErrorKind::FloatExponent, lex.span().start, lex.span().end))]
    Float(f64),
    /// An atom's text between the quotes, escapes not yet decoded.
    #[token("'", |lex| quoted(lex, b'\'', LexErrorKind::UnterminatedAtom))]
    Atom(&'s str),
    /// A string's text between the quotes, escapes not yet decoded.
    #[token("\"", |lex| quoted(lex, b'"', LexErrorKind::UnterminatedString))]
    String(&'s str),
    /// A variable name.
    #[regex(r"[A-Z_\u{C0}-\u{D6}\u{D8}-\u{DE}][0-9A-Za-z_@\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{FF}]*", |lex| lex.slice())]
    #[token("_-", lfe_var)]
    Var(&'s str),

    /// Never produced: a lowercase word that is no keyword is an error.
    #[regex(r"[a-z\u{DF}-\u{F6}\u{F8}-\u{FF}][0-9A-Za-z_@\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{FF}]*", |lex| err::<()>(LexErrorKind::BareWord, lex.span().start, lex.span().end))]
    BareWord,
    /// Never produced: comments are skipped, `%% Line N` ones recorded.
    #[regex(r"%[^\n]*", comment, allow_greedy = true)]
    Comment,
}

fn comment<'s>(lex: &mut logos::Lexer<'s, Tok<'s>>) -> logos::Skip {
    if let Some(line) = line_comment(lex.slice()) {
        lex.extras.pending_lines.push(line);
    }
    logos::Skip
}

/// The line of a `%% Line N` comment (as `core_pp` prints them), if this is
/// one. Line 0 is never printed by `core_pp` and is read as a plain comment.
fn line_comment(text: &str) -> Option<u32> {
    let rest = text.strip_prefix("%% Line ")?;
    let rest = rest.trim_end_matches([' ', '\t', '\r']);
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse::<u32>().ok().filter(|&n| n > 0)
}

fn char_literal<'s>(lex: &mut logos::Lexer<'s, Tok<'s>>) -> Result<char, LexError> {
    let start = lex.span().start;
    let rest = lex.remainder();
    let mut chars = rest.chars();
    match chars.next() {
        None => err(LexErrorKind::UnterminatedChar, start, start + 1),
        Some('\\') => {
            let len = check_escape(&rest[1..], start + 2)?;
            let (c, _) = escape_value(&rest[1..]);
            lex.bump(1 + len);
            Ok(c)
        }
        Some(c) => {
            lex.bump(c.len_utf8());
            Ok(c)
        }
    }
}

fn based_integer<'s>(lex: &mut logos::Lexer<'s, Tok<'s>>) -> Result<&'s str, LexError> {
    let text = lex.slice();
    let span = lex.span();
    if text.starts_with(['-', '+']) {
        return err(LexErrorKind::SignedBased, span.start, span.end);
    }
    let hash = text.find('#').unwrap_or(0);
    let base = match text[..hash].parse::<u32>() {
        Ok(b @ 2..=16) => b,
        _ => return err(LexErrorKind::BadBase, span.start, span.start + hash),
    };
    for (i, c) in text[hash + 1..].char_indices() {
        if c.to_digit(base).is_none() {
            let at = span.start + hash + 1 + i;
            return err(LexErrorKind::BadDigit { base, digit: c }, at, at + 1);
        }
    }
    Ok(text)
}

fn float<'s>(lex: &mut logos::Lexer<'s, Tok<'s>>) -> Result<f64, LexError> {
    let span = lex.span();
    match lex.slice().parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => err(LexErrorKind::FloatRange, span.start, span.end),
    }
}

/// Scans a quoted atom or string after its opening quote, checking escapes,
/// and returns the text between the quotes.
fn quoted<'s>(
    lex: &mut logos::Lexer<'s, Tok<'s>>,
    quote: u8,
    unterminated: LexErrorKind,
) -> Result<&'s str, LexError> {
    let start = lex.span().start;
    let rest = lex.remainder();
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == quote {
            lex.bump(i + 1);
            return Ok(&rest[..i]);
        }
        if b == b'\\' {
            match check_escape(&rest[i + 1..], start + 2 + i) {
                Ok(len) => i += 1 + len,
                // The file ends inside the escape: the quote is what is open.
                Err(LexError {
                    kind: LexErrorKind::UnterminatedChar,
                    ..
                }) => break,
                Err(e) => return Err(e),
            }
        } else {
            i += 1;
        }
    }
    err(unterminated, start, start + 1)
}

/// Checks the escape after a backslash and returns its length in bytes.
/// `text` starts just after the backslash, at offset `at` in the file.
fn check_escape(text: &str, at: usize) -> Result<usize, LexError> {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        // The caller reports the unterminated atom, string or character.
        return err(LexErrorKind::UnterminatedChar, at - 1, at);
    };
    match first {
        b'0'..=b'7' => Ok(octal_len(bytes)),
        b'^' => match text[1..].chars().next() {
            Some(c) => Ok(1 + c.len_utf8()),
            None => err(LexErrorKind::UnterminatedChar, at - 1, at + 1),
        },
        b'n' | b'r' | b't' | b'v' | b'b' | b'f' | b'e' | b's' | b'd' => Ok(1),
        b if b.is_ascii_alphanumeric() => {
            err(LexErrorKind::UnknownEscape(b as char), at - 1, at + 1)
        }
        _ => Ok(text.chars().next().map_or(1, char::len_utf8)),
    }
}

fn octal_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take(3)
        .take_while(|b| (b'0'..=b'7').contains(b))
        .count()
}

/// The character an escape stands for, and the escape's length in bytes;
/// `text` starts just after the backslash and holds a checked escape.
fn escape_value(text: &str) -> (char, usize) {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(b'0'..=b'7') => {
            let len = octal_len(bytes);
            let v = bytes[..len]
                .iter()
                .fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
            (char::from_u32(v).unwrap_or('\0'), len)
        }
        Some(b'^') => {
            let c = text[1..].chars().next().unwrap_or('@');
            (
                char::from_u32(u32::from(c) & 31).unwrap_or('\0'),
                1 + c.len_utf8(),
            )
        }
        Some(b'n') => ('\n', 1),
        Some(b'r') => ('\r', 1),
        Some(b't') => ('\t', 1),
        Some(b'v') => ('\u{0B}', 1),
        Some(b'b') => ('\u{08}', 1),
        Some(b'f') => ('\u{0C}', 1),
        Some(b'e') => ('\u{1B}', 1),
        Some(b's') => (' ', 1),
        Some(b'd') => ('\u{7F}', 1),
        _ => {
            let c = text.chars().next().unwrap_or('\\');
            (c, c.len_utf8())
        }
    }
}

/// Decodes the escapes of an atom's or string's text as the lexer returned
/// it. Text without a backslash is returned as it is.
pub fn unescape(raw: &str) -> Cow<'_, str> {
    let Some(first) = raw.find('\\') else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let (c, len) = escape_value(&rest[pos + 1..]);
        out.push(c);
        rest = &rest[pos + 1 + len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether `c` ends an LFE variable name: whitespace and the punctuation
/// that can follow a variable in Core Erlang.
fn ends_lfe_name(c: char) -> bool {
    c <= ' '
        || ('\u{80}'..='\u{A0}').contains(&c)
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | '|' | '\'' | '"' | '%'
        )
}

/// Lexes an LFE variable after its leading `_-`: the longest run of name
/// characters that ends in `-DIGITS-`. The run stops at whitespace, at
/// brackets, commas and bars, and before `=>` and `:=` (map pairs print
/// without spaces: `~{_-k-0-=>_-v-1-}~`). A `>` may end the run, as in
/// `<_-acc-0->`, because the name must end with `-`.
fn lfe_var<'s>(lex: &mut logos::Lexer<'s, Tok<'s>>) -> Result<&'s str, LexError> {
    let start = lex.span().start;
    let rest = lex.remainder();
    let bytes = rest.as_bytes();
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        let next = bytes.get(i + 1).copied();
        if ends_lfe_name(c) || (c == '=' && next == Some(b'>')) || (c == ':' && next == Some(b'='))
        {
            break;
        }
        end = i + c.len_utf8();
    }
    // The whole name is "_-" + rest[..k]; find the longest k whose name ends
    // in "-DIGITS-" (the dash of "_-" may be the first of the two).
    let name_bytes = &lex.source().as_bytes()[start..start + 2 + end];
    let mut k = name_bytes.len();
    while k >= 4 {
        if name_bytes[k - 1] == b'-' {
            let digits = name_bytes[..k - 1]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let dash = k - 1 - digits;
            if digits > 0 && dash >= 2 && name_bytes[dash - 1] == b'-' {
                lex.bump(k - 2);
                return Ok(lex.slice());
            }
        }
        k -= 1;
    }
    err(LexErrorKind::LfeVar, start, start + 2 + end)
}

/// A token with its byte span, as the parser consumes them.
pub type Spanned<'s> = (usize, Tok<'s>, usize);

/// The lexer: yields tokens with their spans, and remembers `%% Line N`
/// comments as (offset of the next token, line) pairs.
pub struct Lexer<'s> {
    inner: logos::Lexer<'s, Tok<'s>>,
    lines: Vec<(u32, u32)>,
}

impl<'s> Lexer<'s> {
    pub fn new(source: &'s str) -> Lexer<'s> {
        Lexer {
            inner: Tok::lexer(source),
            lines: Vec::new(),
        }
    }

    /// The `%% Line N` comments seen since the last call, as
    /// (offset of the token after the comment, N) pairs in source order.
    /// Several comments before one token give several pairs, outermost first.
    pub fn take_lines(&mut self) -> std::vec::Drain<'_, (u32, u32)> {
        self.lines.drain(..)
    }

    /// Whether [`Lexer::take_lines`] has anything to give.
    #[inline]
    pub fn has_lines(&self) -> bool {
        !self.lines.is_empty()
    }
}

impl<'s> Iterator for Lexer<'s> {
    type Item = Result<Spanned<'s>, LexError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let tok = self.inner.next()?;
        let span = self.inner.span();
        if !self.inner.extras.pending_lines.is_empty() {
            let at = span.start as u32;
            let lines = &mut self.lines;
            lines.extend(self.inner.extras.pending_lines.drain(..).map(|l| (at, l)));
        }
        Some(match tok {
            Ok(t) => Ok((span.start, t, span.end)),
            Err(mut e) => {
                if e.span.is_none() {
                    // A stray character: report the whole character.
                    let len = self.inner.source()[span.start..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                    e.span = Some((span.start, span.start + len));
                }
                Err(e)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok<'_>> {
        Lexer::new(src)
            .map(|r| r.map(|(_, t, _)| t))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("lexing {src:?}: {e:?}"))
    }

    fn one(src: &str) -> Tok<'_> {
        let t = toks(src);
        assert_eq!(t.len(), 1, "{src:?} gave {t:?}");
        t[0]
    }

    fn error(src: &str) -> LexError {
        Lexer::new(src)
            .find_map(|r| r.err())
            .unwrap_or_else(|| panic!("{src:?} lexed without error"))
    }

    #[test]
    fn punctuation_and_keywords() {
        use Tok::*;
        assert_eq!(
            toks("( ) { } [ ] | , -> = / < > : -| # ~ => :="),
            vec![
                LParen, RParen, LBrace, RBrace, LBracket, RBracket, Bar, Comma, Arrow, Eq, Slash,
                Lt, Gt, Colon, AnnoBar, Hash, Tilde, Assoc, Exact
            ]
        );
        assert_eq!(
            toks(
                "module attributes do let in letrec apply call primop case of end when fun try catch receive after"
            ),
            vec![
                Module, Attributes, Do, Let, In, Letrec, Apply, Call, Primop, Case, Of, End, When,
                Fun, Try, Catch, Receive, After
            ]
        );
        // Map and binary brackets are two tokens each, as in core_scan.
        assert_eq!(toks("~{}~"), vec![Tilde, LBrace, RBrace, Tilde]);
        assert_eq!(toks("#{}#"), vec![Hash, LBrace, RBrace, Hash]);
    }

    #[test]
    fn numbers() {
        assert_eq!(one("42"), Tok::Integer("42"));
        assert_eq!(one("-1"), Tok::Integer("-1"));
        assert_eq!(one("+1"), Tok::Integer("+1"));
        assert_eq!(one("16#FF"), Tok::Integer("16#FF"));
        assert_eq!(one("2#1010"), Tok::Integer("2#1010"));
        assert_eq!(
            one("36893488147419103232"),
            Tok::Integer("36893488147419103232")
        );
        assert_eq!(one("3.50000000000000000000e+00"), Tok::Float(3.5));
        assert_eq!(one("-1.5"), Tok::Float(-1.5));
        assert_eq!(one("1.0E-3"), Tok::Float(0.001));
        assert_eq!(one("2.5e3"), Tok::Float(2500.0));
        assert_eq!(error("17#1").kind, LexErrorKind::BadBase);
        assert_eq!(error("1#1").kind, LexErrorKind::BadBase);
        assert_eq!(
            error("8#78").kind,
            LexErrorKind::BadDigit {
                base: 8,
                digit: '8'
            }
        );
        assert_eq!(error("-16#FF").kind, LexErrorKind::SignedBased);
        assert_eq!(error("1.5e").kind, LexErrorKind::FloatExponent);
        assert_eq!(error("1.0e999").kind, LexErrorKind::FloatRange);
    }

    #[test]
    fn atoms_strings_and_escapes() {
        assert_eq!(one("'ok'"), Tok::Atom("ok"));
        assert_eq!(one("''"), Tok::Atom(""));
        assert_eq!(one(r"'a\'b'"), Tok::Atom(r"a\'b"));
        assert_eq!(one("\"hi\""), Tok::String("hi"));
        assert_eq!(one("'été'"), Tok::Atom("été"));
        let cases: &[(&str, &str)] = &[
            (r"\n", "\n"),
            (r"\r", "\r"),
            (r"\t", "\t"),
            (r"\v", "\u{0B}"),
            (r"\b", "\u{08}"),
            (r"\f", "\u{0C}"),
            (r"\e", "\u{1B}"),
            (r"\s", " "),
            (r"\d", "\u{7F}"),
            (r"\101", "A"),
            (r"\0", "\0"),
            (r"\12", "\n"),
            (r"\1012", "A2"),
            (r"\777", "\u{1FF}"),
            (r"\^a", "\u{01}"),
            (r"\^A", "\u{01}"),
            (r"\^[", "\u{1B}"),
            (r"\'", "'"),
            (r#"\""#, "\""),
            (r"\\", "\\"),
            (r"\ ", " "),
            ("\\\n", "\n"),
            (r"\é", "é"),
        ];
        for (escaped, value) in cases {
            let src = format!("'{escaped}'");
            let Tok::Atom(raw) = one(&src) else {
                panic!("{src} is no atom")
            };
            assert_eq!(unescape(raw), *value, "atom {src}");
            let src = format!("\"{escaped}\"");
            let Tok::String(raw) = one(&src) else {
                panic!("{src} is no string")
            };
            assert_eq!(unescape(raw), *value, "string {src}");
            if value.chars().count() != 1 {
                continue;
            }
            let src = format!("${escaped}");
            assert_eq!(
                one(&src),
                Tok::Char(value.chars().next().unwrap_or_default()),
                "char {src}"
            );
        }
        assert_eq!(one("$a"), Tok::Char('a'));
        assert_eq!(one("$ "), Tok::Char(' '));
        assert_eq!(one("$\n"), Tok::Char('\n'));
        assert_eq!(one("$é"), Tok::Char('é'));
        assert_eq!(one("$$"), Tok::Char('$'));
    }

    #[test]
    fn escape_errors() {
        let e = error(r"'a\x{41}'");
        assert_eq!(e.kind, LexErrorKind::UnknownEscape('x'));
        assert_eq!(e.span, Some((2, 4)));
        assert_eq!(error(r#""\q""#).kind, LexErrorKind::UnknownEscape('q'));
        assert_eq!(error(r"$\9").kind, LexErrorKind::UnknownEscape('9'));
        assert_eq!(error("'abc").kind, LexErrorKind::UnterminatedAtom);
        assert_eq!(error("'abc\\").kind, LexErrorKind::UnterminatedAtom);
        assert_eq!(error("'abc\\^").kind, LexErrorKind::UnterminatedAtom);
        assert_eq!(error("\"abc").kind, LexErrorKind::UnterminatedString);
        assert_eq!(error("$").kind, LexErrorKind::UnterminatedChar);
    }

    #[test]
    fn variables() {
        assert_eq!(one("X"), Tok::Var("X"));
        assert_eq!(one("_0"), Tok::Var("_0"));
        assert_eq!(one("_"), Tok::Var("_"));
        assert_eq!(one("Foo@Bar_1"), Tok::Var("Foo@Bar_1"));
        assert_eq!(one("Été"), Tok::Var("Été"));
        assert_eq!(one("_X_foo"), Tok::Var("_X_foo"));
        // × is punctuation, not a letter.
        assert_eq!(error("A×").kind, LexErrorKind::Stray);
    }

    #[test]
    fn lfe_variables() {
        assert_eq!(one("_-n-0-"), Tok::Var("_-n-0-"));
        assert_eq!(one("_-acc-1-"), Tok::Var("_-acc-1-"));
        assert_eq!(one("_-*-2-0-"), Tok::Var("_-*-2-0-"));
        assert_eq!(one("_-a->b-3-"), Tok::Var("_-a->b-3-"));
        use Tok::*;
        assert_eq!(toks("<_-acc-0->"), vec![Lt, Var("_-acc-0-"), Gt]);
        assert_eq!(
            toks("#<_-a-0->(8"),
            vec![Hash, Lt, Var("_-a-0-"), Gt, LParen, Integer("8")]
        );
        assert_eq!(
            toks("[_-h-0-|_-t-0-]"),
            vec![LBracket, Var("_-h-0-"), Bar, Var("_-t-0-"), RBracket]
        );
        assert_eq!(
            toks("~{_-k-0-=>_-v-1-}~"),
            vec![
                Tilde,
                LBrace,
                Var("_-k-0-"),
                Assoc,
                Var("_-v-1-"),
                RBrace,
                Tilde
            ]
        );
        assert_eq!(
            toks("~{_-k-0-:=_-v-1-}~"),
            vec![
                Tilde,
                LBrace,
                Var("_-k-0-"),
                Exact,
                Var("_-v-1-"),
                RBrace,
                Tilde
            ]
        );
        assert_eq!(toks("{_-a-0-,_-b-1-}").len(), 5);
        assert_eq!(error("_-abc").kind, LexErrorKind::LfeVar);
        assert_eq!(error("_-a-b-").kind, LexErrorKind::LfeVar);
    }

    #[test]
    fn comments_and_lines() {
        let mut lx = Lexer::new("%% Line 3\n'a' % plain\n%% Line 12\n%% Line 13\n'b'\n%% Line 9");
        let toks: Vec<_> = lx.by_ref().map(|r| r.map(|(s, _, _)| s)).collect();
        assert_eq!(toks, vec![Ok(10), Ok(44)]);
        assert_eq!(
            lx.take_lines().collect::<Vec<_>>(),
            vec![(10, 3), (44, 12), (44, 13)]
        );
        assert_eq!(line_comment("%% Line 7\r"), Some(7));
        assert_eq!(line_comment("%% Line 0"), None);
        assert_eq!(line_comment("%% Line x"), None);
        assert_eq!(line_comment("%%Line 7"), None);
    }

    #[test]
    fn whitespace_and_stray() {
        assert_eq!(
            toks("\u{0}\u{1}\t\r\n \u{85}\u{A0}'a'"),
            vec![Tok::Atom("a")]
        );
        let e = error("'a' ! 'b'");
        assert_eq!((e.kind, e.span), (LexErrorKind::Stray, Some((4, 5))));
        let e = error("'a' € 'b'");
        assert_eq!((e.kind, e.span), (LexErrorKind::Stray, Some((4, 7))));
        assert_eq!(error("foo").kind, LexErrorKind::BareWord);
        assert_eq!(error("modules").kind, LexErrorKind::BareWord);
        assert_eq!(error("- 1").kind, LexErrorKind::Stray);
    }
}
