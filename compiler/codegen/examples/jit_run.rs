//! Runs `main/0` of the first of some Core Erlang files under the JIT, in
//! one process, printing what the program prints.
//!
//! Usage: `jit_run [--verify-heap] [--schedulers N] [--time] [--clif] MAIN.core [OTHER.core ...]`.
//! Exit status: 0 when `main/0` returns, 1 on an uncaught exception (the
//! report goes to stderr, as `erl` exits 1 on a crash), 2 when the input is
//! rejected or the runtime reports a broken invariant.

use coral_codegen::jit::{Program, RunOptions};
use std::process::ExitCode;

fn load(path: &str) -> Result<coral_ir::Module, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let ast = coral_syntax::parse_module_bytes(path, &bytes)
        .map_err(|d| format!("{path}: parse error: {d:?}"))?;
    let ir = coral_syntax::with_deep_stack(|| coral_ir::lower(&ast))
        .map_err(|e| format!("{path}: {e:?}"))?;
    coral_ir::verify(&ir).map_err(|e| format!("{path}: IR verification: {e:?}"))?;
    Ok(ir)
}

fn main() -> ExitCode {
    let mut opts = RunOptions::default();
    let mut clif = false;
    let mut time = false;
    let mut files = Vec::new();
    let mut argv = std::env::args().skip(1);
    while let Some(a) = argv.next() {
        match a.as_str() {
            "--verify-heap" => opts.verify_heap = true,
            "--clif" => clif = true,
            "--schedulers" => match argv.next().and_then(|n| n.parse().ok()) {
                Some(n) => opts.schedulers = Some(n),
                None => {
                    eprintln!("jit_run: --schedulers takes a number");
                    return ExitCode::from(2);
                }
            },
            "--time" => time = true,
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: jit_run [--verify-heap] [--clif] MAIN.core [OTHER.core ...]");
        return ExitCode::from(2);
    }
    let mut modules = Vec::new();
    for f in &files {
        match load(f) {
            Ok(m) => modules.push(m),
            Err(e) => {
                eprintln!("jit_run: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if clif {
        match coral_codegen::jit::clif_text(&modules) {
            Ok(fs) => {
                for (name, text) in fs {
                    println!("; {name}\n{text}");
                }
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("jit_run: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let main_module = modules[0].name.to_string();
    let started = std::time::Instant::now();
    let program = match Program::load(&modules) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("jit_run: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = started.elapsed();
    let outcome = program.run(&main_module, "main", &opts);
    if time {
        eprintln!(
            "compile and load: {:.3} ms, run: {:.3} ms",
            loaded.as_secs_f64() * 1e3,
            (started.elapsed() - loaded).as_secs_f64() * 1e3
        );
    }
    match outcome {
        Ok(req) => {
            use std::io::Write;
            let _ = std::io::stdout().flush();
            req.terminate()
        }
        Err(e) => {
            eprintln!("jit_run: {e}");
            ExitCode::from(2)
        }
    }
}
