//! Lowers every `.core` file of a directory to the IR and verifies it;
//! prints how many lowered and verified, each failure with its module and
//! reason, and the time taken. Two lifted functions of a module with one
//! name count as a failure.
//!
//! ```text
//! cargo run --release -p coral-ir --example lower_corpus -- target/otp-core
//! ```
//!
//! Exits with status 1 if any file fails to parse, lower or verify.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: lower_corpus DIR");
        return ExitCode::from(2);
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "core"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    files.sort();
    let (mut parsed, mut lowered, mut verified) = (0usize, 0usize, 0usize);
    let (mut functions, mut blocks, mut insts) = (0usize, 0usize, 0usize);
    let mut lower_time = Duration::ZERO;
    let mut verify_time = Duration::ZERO;
    let mut failures = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{name}: read: {e}"));
                continue;
            }
        };
        let ast = match coral_syntax::parse_module_bytes(&name, &bytes) {
            Ok(m) => m,
            Err(d) => {
                failures.push(format!(
                    "{name}: parse: {}",
                    d.render().lines().next().unwrap_or("")
                ));
                continue;
            }
        };
        parsed += 1;
        let t = Instant::now();
        let ir = coral_ir::lower(&ast);
        let took = t.elapsed();
        lower_time += took;
        slowest.push((took, name.clone()));
        let ir = match ir {
            Ok(ir) => ir,
            Err(e) => {
                failures.push(format!("{name}: lower: {e}"));
                continue;
            }
        };
        lowered += 1;
        // Lifted functions (funs, letrec functions) must have names of
        // their own: top-level functions are told apart by arity too.
        let mut names = std::collections::HashSet::new();
        for f in &ir.functions {
            let arity = matches!(f.kind, coral_ir::FunKind::TopLevel).then_some(f.arity);
            if !names.insert((&*f.name, arity)) {
                failures.push(format!("{name}: two functions named {}", f.name));
            }
        }
        functions += ir.functions.len();
        for f in &ir.functions {
            blocks += f.blocks.len();
            insts += f.blocks.iter().map(|b| b.insts.len() + 1).sum::<usize>();
        }
        let t = Instant::now();
        let v = coral_ir::verify(&ir);
        verify_time += t.elapsed();
        match v {
            Ok(()) => verified += 1,
            Err(errs) => failures.push(format!(
                "{name}: verify: {} error(s), first: {}",
                errs.len(),
                errs[0]
            )),
        }
        drop(ast);
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{} files: {parsed} parsed, {lowered} lowered, {verified} verified",
        files.len()
    );
    println!("{functions} IR functions, {blocks} blocks, {insts} instructions and terminators");
    println!(
        "lowering {:.2} s, verifying {:.2} s",
        lower_time.as_secs_f64(),
        verify_time.as_secs_f64()
    );
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (t, name) in slowest.iter().take(5) {
        println!("  slowest: {name} {:.3} s", t.as_secs_f64());
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
