//! The `coral` command: argument parsing and the subcommands.
//!
//! Each subcommand is a thin driver over the library crates: `check` parses
//! files and reports diagnostics; `dump` prints one stage of a file's
//! compilation. Later stages of the pipeline add a [`Stage`] each, and
//! `build`, `run` and `eval` add a [`Command`] each, sharing [`input`] for
//! reading sources.

mod input;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::input::Source;

#[derive(Parser)]
#[command(
    name = "coral",
    version,
    about = "Coral: a native compiler for Core Erlang",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse files and report their errors; exit 1 if any has one.
    ///
    /// FILE.core is read as Core Erlang; FILE.erl is first turned into Core
    /// Erlang by `erlc +to_core`.
    Check {
        /// The files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print a file as one stage of its compilation sees it.
    Dump {
        /// Which stage to print.
        #[arg(long, value_enum)]
        stage: Stage,
        /// A .core file (or a .erl file, through `erlc +to_core`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// The stages `coral dump` can print.
#[derive(Clone, Copy, ValueEnum)]
enum Stage {
    /// The syntax tree, one node a line, with spans, lines and annotations.
    Ast,
    /// The syntax tree printed back as Core Erlang.
    Core,
    /// Coral's intermediate representation, after lowering and its passes.
    Ir,
}

/// A failure already reported to the user; the command exits with 1.
struct Reported;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The tree may nest deeply; every pass over it runs on a deep stack.
    let outcome = coral_syntax::with_deep_stack(move || match cli.command {
        Command::Check { files } => check(&files),
        Command::Dump { stage, file } => dump(stage, &file),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Reported) => ExitCode::FAILURE,
    }
}

/// Prints a one-line error about `path` and returns [`Reported`].
fn fail(message: impl std::fmt::Display) -> Reported {
    eprintln!("coral: {message}");
    Reported
}

/// Whether diagnostics may be coloured (`NO_COLOR` unset; they are only
/// coloured on a terminal anyway).
fn colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Reads and parses one file, reporting any error.
fn parse(path: &std::path::Path) -> Result<coral_syntax::ast::Module, Reported> {
    parse_source(path).map(|(_, module)| module)
}

/// Reads and parses one file, keeping its text for later diagnostics.
fn parse_source(path: &std::path::Path) -> Result<(Source, coral_syntax::ast::Module), Reported> {
    let source = Source::load(path).map_err(fail)?;
    let module =
        coral_syntax::parse_module_bytes(&source.name, &source.bytes).map_err(|diagnostics| {
            diagnostics.emit_to_stderr(colour());
            Reported
        })?;
    Ok((source, module))
}

/// Lowers a parsed module to IR, reporting an error as a diagnostic at its span.
fn lower(source: &Source, module: &coral_syntax::ast::Module) -> Result<coral_ir::Module, Reported> {
    coral_ir::lower(module).map_err(|error| {
        // The module parsed, so its bytes are UTF-8.
        let text = String::from_utf8_lossy(&source.bytes);
        let diagnostic = coral_syntax::Diagnostic {
            message: error.message.clone(),
            span: error.span.range(),
            label: String::new(),
            notes: Vec::new(),
        };
        coral_syntax::Diagnostics::new(&source.name, &text, vec![diagnostic])
            .emit_to_stderr(colour());
        Reported
    })
}

fn check(files: &[PathBuf]) -> Result<(), Reported> {
    let mut ok = true;
    for path in files {
        ok &= parse(path).is_ok();
    }
    if ok { Ok(()) } else { Err(Reported) }
}

fn dump(stage: Stage, path: &std::path::Path) -> Result<(), Reported> {
    let (source, module) = parse_source(path)?;
    let text = match stage {
        Stage::Ast => coral_syntax::dump::module(&module),
        Stage::Core => coral_syntax::print::module(&module),
        Stage::Ir => coral_ir::print(&lower(&source, &module)?),
    };
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`coral dump ... | head`) is not an error worth a word.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(fail(format_args!("cannot write to standard output: {e}"))),
    }
}
