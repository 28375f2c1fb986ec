//! Diagnostics: what went wrong in a file, where, rendered with
//! codespan-reporting as `file:line:col`, the source line underlined, and
//! what was expected there in words a reader knows (`an atom`, `'->'`,
//! `end`, `an expression`).

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files;
use codespan_reporting::term::{self, termcolor};
use lalrpop_util::ParseError;

use crate::ast::MAX_DEPTH;
use crate::lexer::{LexError, LexErrorKind, Tok};
use crate::parser::SyntaxError;

/// One error, with the span of the source it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The headline: `expected an atom, found '{'`.
    pub message: String,
    /// The bytes of the source to underline.
    pub span: Range<usize>,
    /// The text under the underline.
    pub label: String,
    /// Extra lines of help after the snippet.
    pub notes: Vec<String>,
}

/// The errors found in one file, with the file's name and text so that they
/// can be rendered on their own.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    file_name: String,
    source: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file_name: &str, source: &str, items: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics {
            file_name: file_name.to_string(),
            source: printable(source),
            items,
        }
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Renders every diagnostic as plain text, without colour.
    pub fn render(&self) -> String {
        let mut out = termcolor::NoColor::new(Vec::new());
        self.emit(&mut out);
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    /// Writes every diagnostic to standard error, in colour when `color` is
    /// true and standard error is a terminal.
    pub fn emit_to_stderr(&self, color: bool) {
        let choice = if color && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            termcolor::ColorChoice::Auto
        } else {
            termcolor::ColorChoice::Never
        };
        let stream = termcolor::StandardStream::stderr(choice);
        let mut lock = stream.lock();
        self.emit(&mut lock);
    }

    /// Writes every diagnostic to a codespan style writer (a terminal, or
    /// `termcolor::NoColor` over a buffer).
    pub fn emit<W: term::WriteStyle + ?Sized>(&self, out: &mut W) {
        let config = term::Config::default();
        let line_starts: Vec<usize> = files::line_starts(&self.source).collect();
        for d in &self.items {
            let view = View::new(&self.file_name, &self.source, &line_starts, d.span.clone());
            let mut cs = CsDiagnostic::error()
                .with_message(d.message.clone())
                .with_labels(vec![
                    Label::primary((), view.label.clone()).with_message(d.label.clone()),
                ]);
            if !d.notes.is_empty() {
                cs = cs.with_notes(d.notes.clone());
            }
            // Rendering can only fail for a span outside the file, which
            // `View` rules out, or a failed write to the output, which the
            // caller could not act on either.
            let _ = term::emit_to_write_style(out, &config, &view, &cs);
        }
    }
}

/// The source as one diagnostic shows it. Generated Core Erlang can have
/// lines of many kilobytes; the line of the error is shown as a window of
/// about [`View::WIDTH`] bytes around it, while line and column numbers stay
/// those of the whole file.
struct View<'a> {
    name: &'a str,
    source: &'a str,
    line_starts: &'a [usize],
    /// The line of the error, and the part of it to show.
    line: usize,
    window: Range<usize>,
    /// The span to underline: the diagnostic's, cut to the window.
    label: Range<usize>,
}

impl<'a> View<'a> {
    const WIDTH: usize = 160;
    const BEFORE: usize = 60;

    fn new(
        name: &'a str,
        source: &'a str,
        line_starts: &'a [usize],
        span: Range<usize>,
    ) -> View<'a> {
        let len = source.len();
        let start = floor_char(source, span.start.min(len));
        let line = line_starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        let line_start = line_starts.get(line).copied().unwrap_or(0);
        let line_end = line_starts
            .get(line + 1)
            .map_or(len, |&next| next.saturating_sub(1))
            .max(line_start);
        let from = if start - line_start > Self::BEFORE {
            floor_char(source, start - Self::BEFORE)
        } else {
            line_start
        };
        let to = ceil_char(source, (from + Self::WIDTH).max(start + 1).min(line_end));
        let end = ceil_char(source, span.end.max(start).min(to));
        View {
            name,
            source,
            line_starts,
            line,
            window: from..to,
            label: start..end,
        }
    }

    fn line_bounds(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.source.len());
        Some(start..end)
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

impl<'a> files::Files<'a> for View<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, files::Error> {
        Ok(self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, files::Error> {
        Ok(self
            .line_starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn column_number(
        &'a self,
        (): (),
        line: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let bounds = self.line_bounds(line).ok_or(files::Error::LineTooLarge {
            given: line,
            max: self.line_starts.len().saturating_sub(1),
        })?;
        Ok(files::column_index(self.source, bounds, byte_index) + 1)
    }

    fn line_range(&'a self, (): (), line: usize) -> Result<Range<usize>, files::Error> {
        if line == self.line {
            return Ok(self.window.clone());
        }
        self.line_bounds(line).ok_or(files::Error::LineTooLarge {
            given: line,
            max: self.line_starts.len().saturating_sub(1),
        })
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// The source as it may be shown on a terminal: control characters other
/// than tab and line ends become `?`, one per byte, so that a file cannot
/// send escape sequences to the terminal and every span still fits.
fn printable(source: &str) -> String {
    let keep = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if source.chars().all(keep) {
        return source.to_string();
    }
    let mut out = String::with_capacity(source.len());
    for c in source.chars() {
        if keep(c) {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    out
}

fn diag(message: impl Into<String>, span: Range<usize>, label: impl Into<String>) -> Diagnostic {
    Diagnostic {
        message: message.into(),
        span,
        label: label.into(),
        notes: Vec::new(),
    }
}

/// Turns a parse failure into a diagnostic.
pub(crate) fn from_parse_error(
    source: &str,
    error: ParseError<usize, Tok<'_>, SyntaxError>,
) -> Diagnostic {
    match error {
        ParseError::User {
            error: SyntaxError::Lex(e),
        } => from_lex_error(source, &e),
        ParseError::User {
            error:
                SyntaxError::Invalid {
                    message,
                    label,
                    span,
                },
        } => diag(message, span.0..span.1, label),
        ParseError::User {
            error: SyntaxError::TooDeep { span },
        } => {
            let mut d = diag(
                "nesting too deep",
                span.0..span.0 + 1,
                format!("this is nested more than {MAX_DEPTH} levels deep"),
            );
            d.notes.push(format!(
                "Coral accepts at most {MAX_DEPTH} levels of nested expressions, patterns and constants"
            ));
            d
        }
        // lalrpop reports a token after a complete module as unrecognized,
        // with nothing expected.
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } if expected.is_empty() => extra_token(l, &tok, r),
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => {
            let found = describe(&tok);
            let expected = expected_list(&expected);
            diag(
                format!("expected {expected}, found {found}"),
                l..r,
                format!("expected {expected}"),
            )
        }
        ParseError::UnrecognizedEof { location, expected } => {
            let expected = expected_list(&expected);
            // Point just past the last token: the end of the file may be
            // far below it, after comments.
            let at = location.min(source.len());
            diag(
                format!("unexpected end of file, expected {expected}"),
                at..at,
                "the file ends here",
            )
        }
        ParseError::ExtraToken { token: (l, tok, r) } => extra_token(l, &tok, r),
        ParseError::InvalidToken { location } => {
            diag("invalid token", location..location + 1, "not a token")
        }
    }
}

fn extra_token(l: usize, tok: &Tok<'_>, r: usize) -> Diagnostic {
    diag(
        format!("found {} after the end of the module", describe(tok)),
        l..r,
        "nothing may follow the module's `end`",
    )
}

fn from_lex_error(source: &str, e: &LexError) -> Diagnostic {
    let (l, r) = e.span.unwrap_or((0, 0));
    let text = source.get(l..r).unwrap_or("");
    match &e.kind {
        LexErrorKind::Stray => {
            let c = text.chars().next().unwrap_or('?');
            diag(
                format!("unexpected character {}", show_char(c)),
                l..r,
                "no token starts with this character",
            )
        }
        LexErrorKind::UnterminatedAtom => {
            diag("unterminated atom", l..r, "this quote is never closed")
        }
        LexErrorKind::UnterminatedString => {
            diag("unterminated string", l..r, "this quote is never closed")
        }
        LexErrorKind::UnterminatedChar => diag(
            "unterminated character literal",
            l..r,
            "the file ends before the character",
        ),
        LexErrorKind::UnknownEscape(c) => {
            let mut d = diag(
                format!("unknown escape sequence `\\{c}`"),
                l..r,
                "not an escape",
            );
            if *c == 'x' {
                d.notes.push(
                    "Core Erlang has no `\\x` escapes (OTP reads `\\x` as a plain `x`): \
                     write the character itself, or in octal such as `\\101`"
                        .to_string(),
                );
            }
            d.notes.push(
                "the escapes are \\b \\d \\e \\f \\n \\r \\s \\t \\v, octal \\0 to \\777, \
                 control characters \\^A to \\^Z, and a backslash before punctuation"
                    .to_string(),
            );
            d
        }
        LexErrorKind::BadBase => diag(
            format!("illegal base {text}"),
            l..r,
            "the base of an integer is from 2 to 16",
        ),
        LexErrorKind::BadDigit { base, digit } => diag(
            format!("digit `{digit}` is not valid in base {base}"),
            l..r,
            format!("not a base {base} digit"),
        ),
        LexErrorKind::SignedBased => diag(
            "a based integer cannot have a sign",
            l..r,
            "write the value in decimal, such as -255",
        ),
        LexErrorKind::FloatExponent => diag("bad float", l..r, "the exponent has no digits"),
        LexErrorKind::FloatRange => {
            diag("float out of range", l..r, "too large for a 64-bit float")
        }
        LexErrorKind::BareWord => {
            let mut d = diag(
                format!("unknown keyword `{}`", truncate(text)),
                l..r,
                "not a keyword",
            );
            d.notes.push(format!(
                "atoms are always quoted in Core Erlang: '{}'",
                truncate(text)
            ));
            d
        }
        LexErrorKind::LfeVar => diag(
            "bad variable name",
            l..r,
            "a variable starting with `_-` must end in `-N-`, as LFE writes them",
        ),
    }
}

fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

fn truncate(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push_str("...");
        s
    }
}

/// How a found token reads in a message.
fn describe(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Char(_) => "a character literal".to_string(),
        Tok::Integer(t) => format!("the integer {}", truncate(t)),
        Tok::Float(_) => "a float".to_string(),
        Tok::Atom(a) => format!("the atom '{}'", truncate(a)),
        Tok::String(_) => "a string".to_string(),
        Tok::Var(v) => format!("the variable {}", truncate(v)),
        other => terminal_name(token_text(other)),
    }
}

/// The text of a fixed token (punctuation or keyword).
fn token_text(tok: &Tok<'_>) -> &'static str {
    match tok {
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Bar => "|",
        Tok::Comma => ",",
        Tok::Arrow => "->",
        Tok::Eq => "=",
        Tok::Slash => "/",
        Tok::Lt => "<",
        Tok::Gt => ">",
        Tok::Colon => ":",
        Tok::AnnoBar => "-|",
        Tok::Hash => "#",
        Tok::Tilde => "~",
        Tok::Assoc => "=>",
        Tok::Exact => ":=",
        Tok::Module => "module",
        Tok::Attributes => "attributes",
        Tok::Do => "do",
        Tok::Let => "let",
        Tok::In => "in",
        Tok::Letrec => "letrec",
        Tok::Apply => "apply",
        Tok::Call => "call",
        Tok::Primop => "primop",
        Tok::Case => "case",
        Tok::Of => "of",
        Tok::End => "end",
        Tok::When => "when",
        Tok::Fun => "fun",
        Tok::Try => "try",
        Tok::Catch => "catch",
        Tok::Receive => "receive",
        Tok::After => "after",
        Tok::Char(_)
        | Tok::Integer(_)
        | Tok::Float(_)
        | Tok::Atom(_)
        | Tok::String(_)
        | Tok::Var(_)
        | Tok::BareWord
        | Tok::Comment => "token",
    }
}

/// Names a fixed token: keywords bare (`end`), punctuation quoted (`'->'`).
fn terminal_name(text: &str) -> String {
    if text.bytes().all(|b| b.is_ascii_lowercase()) {
        text.to_string()
    } else {
        format!("'{text}'")
    }
}

/// The terminals, as lalrpop names them, that start an expression. A `(`
/// (the start of an annotated one) is not needed to say "an expression":
/// right after a `(` the same set is expected without it.
const EXPR_START: &[&str] = &[
    "<", "char", "integer", "float", "atom", "string", "var", "[", "{", "#", "~", "fun", "let",
    "letrec", "case", "receive", "apply", "call", "primop", "try", "catch", "do",
];
/// ... a pattern.
const PAT_START: &[&str] = &[
    "char", "integer", "float", "atom", "string", "var", "[", "{", "#", "~",
];
/// ... a constant.
const CONST_START: &[&str] = &["char", "integer", "float", "atom", "string", "[", "{"];

/// Turns lalrpop's expected terminals into words: `an atom, '->' or end`,
/// with the whole set of an expression's first tokens said as
/// `an expression` (and likewise for patterns and constants).
fn expected_list(expected: &[String]) -> String {
    // lalrpop quotes fixed terminals: "\"->\"", and leaves named ones bare.
    let mut names: Vec<&str> = expected.iter().map(|e| e.trim_matches('"')).collect();
    let mut words: Vec<String> = Vec::new();
    for (group, word) in [
        (EXPR_START, "an expression"),
        (PAT_START, "a pattern"),
        (CONST_START, "a constant"),
    ] {
        if group.iter().all(|g| names.contains(g)) {
            names.retain(|n| !group.contains(n) && *n != "(");
            words.push(word.to_string());
        }
    }
    for n in names {
        words.push(match n {
            "char" => "a character literal".to_string(),
            "integer" => "an integer".to_string(),
            "float" => "a float".to_string(),
            "atom" => "an atom".to_string(),
            "string" => "a string".to_string(),
            "var" => "a variable".to_string(),
            other => terminal_name(other),
        });
    }
    match words.len() {
        0 => "nothing more".to_string(),
        1 => words.remove(0),
        n => {
            let last = words.remove(n - 1);
            format!("{} or {}", words.join(", "), last)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| match *n {
                "char" | "integer" | "float" | "atom" | "string" | "var" => n.to_string(),
                _ => format!("\"{n}\""),
            })
            .collect()
    }

    #[test]
    fn expected_words() {
        assert_eq!(expected_list(&quoted(&["->"])), "'->'");
        assert_eq!(expected_list(&quoted(&["atom", "end"])), "an atom or end");
        assert_eq!(
            expected_list(&quoted(&["(", "atom", "]"])),
            "'(', an atom or ']'"
        );
        let mut exprs: Vec<&str> = EXPR_START.to_vec();
        exprs.push(">");
        assert_eq!(expected_list(&quoted(&exprs)), "an expression or '>'");
        exprs.push("(");
        assert_eq!(expected_list(&quoted(&exprs)), "an expression or '>'");
        assert_eq!(expected_list(&quoted(PAT_START)), "a pattern");
        assert_eq!(expected_list(&quoted(CONST_START)), "a constant");
    }
}
