//! Compiles every Core Erlang module in a directory to an object file, one
//! module at a time, and reports how far each got: parsed, lowered and
//! verified, compiled. Prints counts, object bytes, the time spent in each
//! stage, and the failures grouped by the start of their message.
//!
//! Usage: `compile_corpus [--threads N] [--list] DIR`
//!
//! `DIR` holds `.core` files, e.g. OTP's modules written by
//! `tests/otp-corpus/gen_core.escript`. Each module is compiled alone, with
//! its first exported function as the executable's entry (the object
//! driver wants one). `--threads` spreads the modules over N threads
//! (default 2); stage times are summed over the threads, so beside the
//! wall time they show the work. `--list` names every failing module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How many characters of a failure's message name its group.
const GROUP_CHARS: usize = 60;

/// The stage a module stopped at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Read,
    Parse,
    Lower,
    Verify,
    Compile,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "parse",
            Stage::Lower => "lower",
            Stage::Verify => "verify",
            Stage::Compile => "compile",
        }
    }
}

/// The time one stage took: wall clock, and CPU time of the thread that
/// ran it (which, on a loaded machine, is the better measure of the work).
#[derive(Clone, Copy, Default)]
struct Spent {
    wall: Duration,
    cpu: Duration,
}

impl std::ops::Add for Spent {
    type Output = Spent;
    fn add(self, o: Spent) -> Spent {
        Spent {
            wall: self.wall + o.wall,
            cpu: self.cpu + o.cpu,
        }
    }
}

/// Runs `f`, storing how long it took in `spent`.
fn timed<T>(spent: &mut Spent, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    let value = f();
    *spent = Spent {
        wall: wall.elapsed(),
        cpu: thread_cpu_time().saturating_sub(cpu),
    };
    value
}

/// The CPU time the calling thread has used; zero where it cannot be read.
fn thread_cpu_time() -> Duration {
    coral_runtime::stats::cpu_time(coral_runtime::stats::CpuClock::Thread)
}

/// What happened to one module.
#[derive(Default)]
struct Outcome {
    parsed: bool,
    lowered: bool,
    compiled: bool,
    object_bytes: usize,
    parse: Spent,
    lower: Spent,
    verify: Spent,
    compile: Spent,
    failure: Option<(Stage, String)>,
}

fn main() -> ExitCode {
    let mut threads = 2usize;
    let mut list = false;
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n >= 1 => threads = n,
                _ => return usage("--threads needs a number >= 1"),
            },
            "--list" => list = true,
            _ if a.starts_with('-') => return usage(&format!("unknown option {a}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return usage("more than one directory"),
        }
    }
    let Some(dir) = dir else {
        return usage("no directory");
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "core"))
            .collect(),
        Err(e) => {
            eprintln!("compile_corpus: {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    files.sort();
    if files.is_empty() {
        eprintln!("compile_corpus: no .core files in {}", dir.display());
        return ExitCode::from(2);
    }

    let started = Instant::now();
    let outcomes = compile_all(&files, threads);
    let wall = started.elapsed();
    report(&files, &outcomes, threads, wall, list);
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("compile_corpus: {problem}\nusage: compile_corpus [--threads N] [--list] DIR");
    ExitCode::from(2)
}

/// Compiles every file, `threads` at a time; the outcomes are in the order
/// of `files`.
fn compile_all(files: &[PathBuf], threads: usize) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new(std::iter::repeat_with(|| None).take(files.len()).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(files.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let outcome = compile_one(path);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(outcome);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Outcome {
                failure: Some((Stage::Read, "no outcome recorded".to_string())),
                ..Outcome::default()
            })
        })
        .collect()
}

/// Parses, lowers, verifies and compiles one module. A panic anywhere is
/// caught and recorded as the failure of the stage it happened in.
fn compile_one(path: &Path) -> Outcome {
    let mut out = Outcome::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            out.failure = Some((Stage::Read, e.to_string()));
            return out;
        }
    };
    let file = path.display().to_string();
    // The stages recurse over the tree; the deep-stack thread lets them go
    // as deep as the parser allows.
    coral_syntax::with_deep_stack(|| {
        let mut stage = Stage::Parse;
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stages(&file, &bytes, &mut out, &mut stage)
        }));
        let failure = match caught {
            Ok(Ok(())) => None,
            Ok(Err(message)) => Some((stage, message)),
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic with no message".to_string());
                Some((stage, format!("PANIC: {text}")))
            }
        };
        out.failure = failure;
        out
    })
}

fn stages(file: &str, bytes: &[u8], out: &mut Outcome, stage: &mut Stage) -> Result<(), String> {
    let ast = timed(&mut out.parse, || {
        coral_syntax::parse_module_bytes(file, bytes)
    });
    let ast = ast.map_err(|d| {
        d.items()
            .first()
            .map_or_else(|| "a parse error".to_string(), |i| i.message.clone())
    })?;
    out.parsed = true;

    *stage = Stage::Lower;
    let ir = timed(&mut out.lower, || coral_ir::lower(&ast));
    let ir = ir.map_err(|e| e.message)?;

    *stage = Stage::Verify;
    let verified = timed(&mut out.verify, || coral_ir::verify(&ir));
    verified.map_err(|e| e.first().cloned().unwrap_or_default())?;
    out.lowered = true;

    *stage = Stage::Compile;
    let (function, arity) = ir
        .exports
        .first()
        .map(|(n, a)| (n.to_string(), *a))
        .ok_or_else(|| "no exported function to use as the entry".to_string())?;
    let entry = coral_codegen::object::Entry {
        module: ir.name.to_string(),
        function,
        arities: vec![arity],
    };
    let object = timed(&mut out.compile, || {
        coral_codegen::object::compile(&[ir], &entry)
    });
    let object = object.map_err(|e| e.message)?;
    out.compiled = true;
    out.object_bytes = object.len();
    Ok(())
}

fn report(files: &[PathBuf], outcomes: &[Outcome], threads: usize, wall: Duration, list: bool) {
    let n = outcomes.len();
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let sum =
        |f: fn(&Outcome) -> Spent| outcomes.iter().map(f).fold(Spent::default(), |a, b| a + b);
    let bytes: usize = outcomes.iter().map(|o| o.object_bytes).sum();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;

    println!("modules:              {n}");
    println!("parsed:               {}", count(|o| o.parsed));
    println!("lowered and verified: {}", count(|o| o.lowered));
    println!("compiled to objects:  {}", count(|o| o.compiled));
    println!(
        "object bytes:         {bytes} ({:.1} MiB)",
        bytes as f64 / (1024.0 * 1024.0)
    );
    println!("threads:              {threads}");
    println!("time, summed over threads:     wall ms       CPU ms");
    let (p, l, v, c) = (
        sum(|o| o.parse),
        sum(|o| o.lower),
        sum(|o| o.verify),
        sum(|o| o.compile),
    );
    let line = |name: &str, s: Spent| {
        println!("  {name:<28} {:>10.1} {:>12.1}", ms(s.wall), ms(s.cpu));
    };
    line("parse", p);
    line("lower", l);
    line("verify", v);
    line("compile (ok and failed)", c);
    line("total", p + l + v + c);
    println!("wall time of the run:   {:.1} ms", ms(wall));

    // The slowest compiles, which dominate the total.
    let mut slow: Vec<(Spent, usize, &Path)> = outcomes
        .iter()
        .zip(files)
        .filter(|(o, _)| o.compiled)
        .map(|(o, f)| (o.compile, o.object_bytes, f.as_path()))
        .collect();
    slow.sort_by_key(|s| std::cmp::Reverse(s.0.cpu));
    if !slow.is_empty() {
        println!("slowest compiles (CPU ms, wall ms, object bytes):");
        for (s, bytes, f) in slow.iter().take(8) {
            println!(
                "  {:>8.1} {:>8.1} {:>10}  {}",
                ms(s.cpu),
                ms(s.wall),
                bytes,
                name_of(f)
            );
        }
    }

    let mut groups: BTreeMap<(Stage, String), Vec<&Path>> = BTreeMap::new();
    for (o, f) in outcomes.iter().zip(files) {
        if let Some((stage, message)) = &o.failure {
            let line = message.lines().next().unwrap_or("");
            let key: String = without_function(line).chars().take(GROUP_CHARS).collect();
            groups.entry((*stage, key)).or_default().push(f);
        }
    }
    let failed: usize = groups.values().map(Vec::len).sum();
    println!("failures: {failed} in {} groups", groups.len());
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    for ((stage, key), members) in &groups {
        print!("  {:>4}  {:<7}  {key}", members.len(), stage.name());
        if list {
            let names: Vec<String> = members.iter().map(|f| name_of(f)).collect();
            print!("\n          {}", names.join(" "));
        } else {
            let names: Vec<String> = members.iter().take(3).map(|f| name_of(f)).collect();
            print!(
                "  [{}{}]",
                names.join(" "),
                if members.len() > 3 { " ..." } else { "" }
            );
        }
        println!();
    }
}

fn name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A message without its leading `module:function/arity: `, so that the
/// same problem in different functions falls into one group.
fn without_function(message: &str) -> &str {
    match message.split_once(": ") {
        Some((head, rest)) if head.contains('/') && head.contains(':') && !head.contains(' ') => {
            rest
        }
        _ => message,
    }
}
