//! The `coral` command: argument parsing and the subcommands.
//!
//! Each subcommand is a thin driver over the library crates: `check` parses
//! files and reports diagnostics; `dump` prints one stage of a file's
//! compilation; `build` compiles modules to an object file and links it
//! with the runtime into a native executable ([`link`]); `run` compiles
//! them with the JIT and runs them at once. All share [`input`] for
//! reading sources.

mod eval;
mod input;
mod link;
mod otp;
mod stdlib;

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
    /// Compile modules into a native executable.
    ///
    /// The executable runs the entry function (`main` of the first module:
    /// `main/1` with the command-line arguments as strings when some are
    /// given or there is no `main/0`, else `main/0`) and
    /// exits with 0 when it returns, 1 on an uncaught exception (reported
    /// on stderr), or the status given to `halt/1`. It is linked with `cc`
    /// against the runtime library `libcoral_runtime.a`, found next to the
    /// `coral` executable or named by `CORAL_RUNTIME_LIB`.
    Build {
        /// The modules (.core, or .erl through `erlc +to_core`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The executable to write.
        #[arg(short, long, value_name = "EXE")]
        output: PathBuf,
        /// The entry function, `module:function` (arity 0 or 1).
        #[arg(long, value_name = "MOD:FUN")]
        entry: Option<String>,
    },
    /// Compile modules with the JIT and run the entry function now.
    ///
    /// Nothing is written. Exit statuses are those of `coral build`'s
    /// executables.
    Run {
        /// The modules (.core, or .erl through `erlc +to_core`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The entry function, `module:function` (arity 0 or 1).
        #[arg(long, value_name = "MOD:FUN")]
        entry: Option<String>,
        /// Arguments for the entry function of arity 1.
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<String>,
    },
    /// Evaluate Erlang expressions and print the value as the erl shell
    /// does (`~p`).
    ///
    /// EXPRS is a comma-separated sequence of expressions (a final `.` is
    /// allowed), compiled through `erlc` into a module and run at once.
    Eval {
        /// The expressions, e.g. 'lists:seq(1, 5)' or 'X = 6, X * 7.'
        #[arg(value_name = "EXPRS")]
        exprs: String,
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
    /// The Cranelift IR of every function, as compiled for this machine.
    Clif,
}

/// A failure already reported to the user; the command exits with 1.
struct Reported;

/// How `coral run` ended, when it got to run the program.
enum Ran {
    /// An exit status of the program itself.
    Status(u8),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The tree may nest deeply; every pass over it runs on a deep stack.
    let outcome = coral_syntax::with_deep_stack(move || match cli.command {
        Command::Check { files } => check(&files).map(|()| Ran::Status(0)),
        Command::Dump { stage, file } => dump(stage, &file).map(|()| Ran::Status(0)),
        Command::Build {
            files,
            output,
            entry,
        } => build(&files, &output, entry.as_deref()).map(|()| Ran::Status(0)),
        Command::Run { files, entry, args } => run(&files, entry.as_deref(), &args),
        Command::Eval { exprs } => eval_exprs(&exprs),
    });
    match outcome {
        Ok(Ran::Status(s)) => ExitCode::from(s),
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
fn lower(
    source: &Source,
    module: &coral_syntax::ast::Module,
) -> Result<coral_ir::Module, Reported> {
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
        Stage::Clif => {
            let ir = lower(&source, &module)?;
            let functions =
                coral_codegen::clif(&ir).map_err(|e| fail(format_args!("{}: {e}", source.name)))?;
            let mut text = String::new();
            for (name, clif) in functions {
                text.push_str(&format!("; {name}\n{clif}\n"));
            }
            text
        }
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

/// Reads, parses and lowers every file, reporting every error; then adds
/// the installed OTP modules they use ([`otp`]) and Coral's own preloaded
/// modules ([`stdlib`]). The program's modules come first, in the order
/// given.
fn load_modules(files: &[PathBuf]) -> Result<Vec<coral_ir::Module>, Reported> {
    let mut modules = Vec::new();
    let mut ok = true;
    for path in files {
        match parse_source(path).and_then(|(source, module)| lower(&source, &module)) {
            Ok(m) => {
                if let Err(e) = coral_ir::verify(&m) {
                    ok = false;
                    fail(format_args!(
                        "{}: internal error: the IR failed verification: {e:?}",
                        path.display()
                    ));
                } else if modules.iter().any(|o: &coral_ir::Module| o.name == m.name) {
                    ok = false;
                    fail(format_args!(
                        "{}: module {} is given twice",
                        path.display(),
                        m.name
                    ));
                } else {
                    modules.push(m);
                }
            }
            Err(Reported) => ok = false,
        }
    }
    if !ok {
        return Err(Reported);
    }
    let preloaded = stdlib::modules(&modules).map_err(fail)?;
    otp::load(&mut modules, &preloaded);
    modules.extend(preloaded);
    Ok(modules)
}

/// The entry function: `--entry mod:fun`, or `main` of the first module,
/// with the arities it has among 0 and 1 (`F/1` gets the command-line
/// arguments when some are given or there is no `F/0`).
fn entry_of(
    modules: &[coral_ir::Module],
    entry: Option<&str>,
) -> Result<coral_codegen::object::Entry, Reported> {
    let (module, function) = match entry {
        Some(e) => e
            .split_once(':')
            .ok_or_else(|| fail(format_args!("--entry {e}: expected MODULE:FUNCTION")))?,
        None => (modules.first().map_or("", |m| &*m.name), "main"),
    };
    let m = modules
        .iter()
        .find(|m| &*m.name == module)
        .ok_or_else(|| fail(format_args!("no module {module} among the inputs")))?;
    let has = |arity: u32| {
        m.functions.iter().any(|f| {
            &*f.name == function
                && f.arity == arity
                && matches!(f.kind, coral_ir::FunKind::TopLevel)
        })
    };
    let arities: Vec<u32> = [0, 1].into_iter().filter(|&a| has(a)).collect();
    if arities.is_empty() {
        return Err(fail(format_args!(
            "module {module} has no function {function}/0 or {function}/1 to start"
        )));
    }
    Ok(coral_codegen::object::Entry {
        module: module.to_string(),
        function: function.to_string(),
        arities,
    })
}

fn build(files: &[PathBuf], output: &std::path::Path, entry: Option<&str>) -> Result<(), Reported> {
    let modules = load_modules(files)?;
    let entry = entry_of(&modules, entry)?;
    // Find the runtime before the work of compiling.
    let runtime = link::runtime_library().map_err(fail)?;
    let object = coral_codegen::object::compile(&modules, &entry)
        .map_err(|e| fail(format_args!("cannot compile: {e}")))?;
    link::link(&object, &runtime, output).map_err(fail)
}

fn eval_exprs(exprs: &str) -> Result<Ran, Reported> {
    let dir = eval::TempDir::new()
        .map_err(|e| fail(format_args!("cannot make a temporary directory: {e}")))?;
    let path = eval::write_module(&dir, exprs)
        .map_err(|e| fail(format_args!("cannot write the expression's module: {e}")))?;
    let modules = load_modules(&[path])?;
    drop(dir);
    let program = coral_codegen::jit::Program::load(&modules)
        .map_err(|e| fail(format_args!("cannot compile: {e}")))?;
    let halt = program
        .run(eval::MODULE, "main", &Default::default())
        .map_err(|e| fail(format_args!("cannot run: {e}")))?;
    halt.terminate()
}

fn run(files: &[PathBuf], entry: Option<&str>, args: &[String]) -> Result<Ran, Reported> {
    use coral_codegen::jit::{Program, RunOptions};
    let modules = load_modules(files)?;
    let entry = entry_of(&modules, entry)?;
    let arities = entry.arities.iter().fold(0, |m, &a| m | 1 << a);
    let program = Program::load(&modules).map_err(|e| fail(format_args!("cannot compile: {e}")))?;
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    let args =
        coral_runtime::jit_support::entry_args(arities, &entry.module, &entry.function, &args)
            .map_err(fail)?;
    let halt = program
        .run_with_args(&entry.module, &entry.function, args, &RunOptions::default())
        .map_err(|e| fail(format_args!("cannot run: {e}")))?;
    halt.terminate()
}
