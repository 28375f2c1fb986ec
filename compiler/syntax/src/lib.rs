//! Core Erlang syntax: lexer, parser, tree, printer and diagnostics.
//!
//! Coral reads Core Erlang as `erlc +to_core` and `core_pp` write it, the
//! whole language of OTP 25's `core_parse` (module header and attributes,
//! function definitions, annotations `( X -| [...] )` wherever OTP allows
//! them, value lists, `fun`, `let`, `letrec`, `case`, `receive`, `apply`,
//! `call`, `primop`, `try` with two or three exception variables, `catch`,
//! `do`, tuples, lists, binaries, maps and `fun 'm':'f'/N`), plus the dashed
//! variable names that LFE's `lfec +to-core` writes (`_-acc-1-`).
//!
//! # Use
//!
//! ```
//! let source = "module 'm' ['f'/0] attributes [] 'f'/0 = fun () -> 'ok' end";
//! let module = coral_syntax::parse_module("m.core", source).unwrap();
//! assert_eq!(&*module.name, "m");
//!
//! // Printing gives Core Erlang text that parses back to the same tree.
//! let text = coral_syntax::print::module(&module);
//! let again = coral_syntax::parse_module("m.core", &text).unwrap();
//! assert!(coral_syntax::same_ignoring_spans(&module, &again));
//!
//! // Errors come back as diagnostics, rendered with the line underlined.
//! let errors = coral_syntax::parse_module("bad.core", "module 'm' [").unwrap_err();
//! assert!(errors.render().contains("bad.core:1:13"));
//! ```
//!
//! - [`parse_module`] and [`parse_module_bytes`] parse a whole module to an
//!   [`ast::Module`], or return [`Diagnostics`].
//! - [`Diagnostics::render`] gives plain text; [`Diagnostics::emit_to_stderr`]
//!   writes to the terminal, in colour if it is one.
//! - [`print::module`] prints Core Erlang in `core_pp`'s layout, with `%% Line N`
//!   comments where the tree has lines. [`dump::module`] is a debug dump of
//!   the tree with spans, for `coral dump --stage ast`.
//! - [`same_ignoring_spans`] (also `==`) compares modules by content.
//! - [`lexer::Lexer`] gives the tokens alone.
//!
//! # Lines
//!
//! `erlc` and `core_pp` print a node's line annotation as a `%% Line N`
//! comment just before the node. Coral keeps it as [`ast::Anno::line`] of the
//! node that starts at the next token (the innermost one, if several start
//! there), or of the annotated node if the comment comes before the `(` of a
//! `( X -| [...] )` form. Other annotation terms stay as constants in
//! [`ast::Anno::terms`].
//!
//! # Encoding
//!
//! A `.core` file is read as UTF-8. That is what `erlc +to_core` and `core_pp`
//! write (atoms with characters beyond ASCII appear as UTF-8, and OTP reads
//! atoms back as UTF-8), and what LFE writes. OTP's own reader takes the
//! file's bytes as Latin-1 characters and only atoms as UTF-8, which makes it
//! misread the rare non-ASCII variable names and strings it wrote itself;
//! reading all of the file as UTF-8 reads back what was written. Escapes
//! (`\351`) stand for Unicode code points. A file that is not valid UTF-8 is
//! rejected with a diagnostic at the first bad byte.
//!
//! # Limits
//!
//! Trees nest at most [`ast::MAX_DEPTH`] levels; deeper input gets a
//! diagnostic (cons chains `[a|[b|[c]]]` do not count: they are flat lists).
//! Parsing itself is iterative, and dropping a tree that deep fits any
//! thread's stack, but other recursive walks may not: [`print::module`],
//! [`dump::module`] and [`same_ignoring_spans`] run on a thread of their own
//! with a large stack ([`with_deep_stack`]), and later passes over the tree
//! should do the same. OTP's own modules nest at most 141 levels.
//!
//! Files are at most 4 GiB (offsets are 32-bit).

pub mod ast;
pub mod diag;
pub mod dump;
mod int;
pub mod lexer;
mod parser;
pub mod print;

pub use diag::{Diagnostic, Diagnostics};

/// Parses the text of a whole `.core` file. `file_name` is only used in
/// diagnostics.
pub fn parse_module(file_name: &str, source: &str) -> Result<ast::Module, Diagnostics> {
    if u32::try_from(source.len()).is_err() {
        return Err(Diagnostics::new(
            file_name,
            "",
            vec![Diagnostic {
                message: "file too large".to_string(),
                span: 0..0,
                label: "Coral reads files of at most 4 GiB".to_string(),
                notes: Vec::new(),
            }],
        ));
    }
    parser::parse(source).map_err(|e| {
        let d = diag::from_parse_error(source, e);
        Diagnostics::new(file_name, source, vec![d])
    })
}

/// Parses a `.core` file's bytes, which must be UTF-8 (see the crate
/// documentation).
pub fn parse_module_bytes(file_name: &str, bytes: &[u8]) -> Result<ast::Module, Diagnostics> {
    match std::str::from_utf8(bytes) {
        Ok(source) => parse_module(file_name, source),
        Err(e) => {
            let at = e.valid_up_to();
            // Show the file with the bad bytes replaced; everything before
            // the first bad byte, and so its offset, is unchanged.
            let shown = String::from_utf8_lossy(bytes);
            Err(Diagnostics::new(
                file_name,
                &shown,
                vec![Diagnostic {
                    message: "invalid UTF-8".to_string(),
                    span: at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                    label: format!(
                        "byte 0x{:02X} cannot start or continue a character here",
                        bytes[at]
                    ),
                    notes: vec!["a .core file is read as UTF-8 text".to_string()],
                }],
            ))
        }
    }
}

/// Whether two modules are the same apart from where their parts are in
/// the source: `a == b` (spans always compare equal), run on a deep stack.
pub fn same_ignoring_spans(a: &ast::Module, b: &ast::Module) -> bool {
    with_deep_stack(|| a == b)
}

/// The stack size of the threads [`with_deep_stack`] runs work on: room for
/// a recursive walk of a tree [`ast::MAX_DEPTH`] deep with frames of up to
/// 64 KiB a level. It is reserved address space; only the pages a walk
/// touches are ever used.
pub const DEEP_STACK_BYTES: usize = 256 << 20;

/// Runs `f` on a thread with a [`DEEP_STACK_BYTES`] stack and returns its
/// result (a panic in `f` is passed on). Recursive passes over a tree call
/// this once at the top, so that a tree of the largest depth the parser
/// accepts cannot overflow the stack, whatever the caller's thread. Called
/// on such a thread already, it just runs `f`. If no thread can be started,
/// `f` runs on the caller's thread.
pub fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    thread_local! {
        /// Whether this thread is one that `with_deep_stack` started.
        static DEEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if DEEP.with(std::cell::Cell::get) {
        return f();
    }
    let mut job = Some(f);
    let slot = &mut job;
    let outcome = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("coral-deep-stack".to_string())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, move || {
                DEEP.with(|d| d.set(true));
                slot.take().map(|f| f())
            });
        spawned.ok().map(|handle| handle.join())
    });
    match outcome {
        Some(Ok(Some(value))) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // The thread could not be started, so the job is still here.
        _ => match job.take() {
            Some(f) => f(),
            None => unreachable!("the job ran but returned nothing"),
        },
    }
}
