//! Coral beside the BEAM: the same Erlang programs, run by `erl` and as
//! native executables built by Coral, timed from outside.
//!
//! Usage: `cargo bench -p coral-codegen --bench vs_erl [-- FILTER...]`.
//!
//! Every program in `benches/programs/` exports `main/1`, which takes an
//! iteration count (as a string, as a command line gives it) and prints one
//! checksum with `erlang:display/1`. A line `%% vs_erl iterations: N` in the
//! program says how many iterations make a run long enough to time.
//!
//! For each program the bench compiles it twice: with `erlc` to BEAM code,
//! and with `erlc +to_core` then Coral (parse, lower, verify, object file,
//! `cc` with the runtime library) to an executable. Each side runs with 0
//! and with N iterations; the difference of the two wall-clock times is the
//! time of N iterations with process start-up (the BEAM's boot, loading the
//! module, Coral's image rebuild) cancelled out. The two sides alternate,
//! run after run, so that a change in the machine's load hits both. The
//! figures are medians over the runs; `erl/coral` above 1 means Coral is
//! faster.
//!
//! `erl` is the oracle: the checksum Coral prints must be the one `erl`
//! prints for the same count, in every run, or the bench fails.
//!
//! A line `%% vs_erl schedulers: 1 2` runs the program once per listed
//! count of scheduler threads (`erl +S N:N`, `CORAL_SCHEDULERS=N`), as rows
//! `NAME/S1`, `NAME/S2`: the process benchmarks (spawn, ring, ping-pong,
//! and the parallel speed-up) use it.
//!
//! Environment: `VS_ERL_RUNS` (runs per program, default 5), `VS_ERL_SCALE`
//! (a factor on every iteration count, default 1), `CORAL_RUNTIME_LIB` (the
//! runtime library to link with, else the newest `libcoral_runtime*.a`
//! beside this executable). Arguments not starting with `-` select the
//! programs whose name contains one of them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant};

use coral_codegen::object::NATIVE_LIBS;

/// The marker of the line giving a program's iteration count.
const ITERATIONS_MARK: &str = "%% vs_erl iterations:";
/// The marker of the line listing scheduler-thread counts to run a program
/// with (`erl +S N:N`, `CORAL_SCHEDULERS=N`); without it, both sides use
/// their default (one per core).
const SCHEDULERS_MARK: &str = "%% vs_erl schedulers:";

#[derive(Clone)]
struct Program {
    /// The module.
    module: String,
    /// The row's name: the module, with `/S<n>` for a scheduler count.
    name: String,
    source: PathBuf,
    iterations: u64,
    schedulers: Option<u32>,
}

/// One side of the comparison: how to run a program with a count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Erl,
    Coral,
}

/// The wall-clock times of one side's runs of one program.
#[derive(Default)]
struct Times {
    /// Runs with 0 iterations: start-up and the program's fixed work.
    zero: Vec<Duration>,
    /// Runs with N iterations minus the 0 run of the same round.
    net: Vec<Duration>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vs_erl: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    // `cargo bench` passes `--bench`; every flag is ignored, the rest filter.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = env_number("VS_ERL_RUNS", 5.0)?;
    if runs < 1.0 || runs.fract() != 0.0 {
        return Err(format!(
            "VS_ERL_RUNS must be a whole number >= 1, not {runs}"
        ));
    }
    let runs = runs as usize;
    let scale = env_number("VS_ERL_SCALE", 1.0)?;
    if scale <= 0.0 {
        return Err(format!("VS_ERL_SCALE must be above 0, not {scale}"));
    }

    let programs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/programs");
    let mut programs = find_programs(&programs_dir, scale)?;
    programs.retain(|p| filters.is_empty() || filters.iter().any(|f| p.name.contains(f)));
    if programs.is_empty() {
        return Err(format!(
            "no program in {} matches {filters:?}",
            programs_dir.display()
        ));
    }

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vs_erl");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot make {}: {e}", scratch.display()))?;
    let runtime = runtime_library()?;
    println!("runtime library: {}", runtime.display());
    println!("scratch directory: {}", scratch.display());
    println!("runs per program: {runs}\n");

    let mut rows = Vec::new();
    let mut built_modules: Vec<(String, PathBuf)> = Vec::new();
    for p in &programs {
        let built = Instant::now();
        let exe = match built_modules.iter().find(|(m, _)| *m == p.module) {
            Some((_, e)) => e.clone(),
            None => {
                let e = build(p, &scratch, &runtime)?;
                built_modules.push((p.module.clone(), e.clone()));
                e
            }
        };
        println!(
            "{}: built with erlc and Coral in {:.0} ms; timing {runs} runs of 0 and {} iterations",
            p.name,
            built.elapsed().as_secs_f64() * 1e3,
            p.iterations
        );
        rows.push(measure(p, &scratch, &exe, runs)?);
    }

    println!();
    println!(
        "{:<14} {:>8} {:>24}  {:>10} {:>24}  {:>10} {:>9}  checksum",
        "program",
        "N",
        "erl net ms (min..max)",
        "erl start",
        "coral net ms (min..max)",
        "coral start",
        "erl/coral"
    );
    for r in &rows {
        println!(
            "{:<14} {:>8} {:>24}  {:>10} {:>24}  {:>10} {:>9.2}  {}",
            r.name,
            r.iterations,
            spread(&r.erl.net),
            format!("{:.1}", ms(median(&r.erl.zero))),
            spread(&r.coral.net),
            format!("{:.1}", ms(median(&r.coral.zero))),
            ms(median(&r.erl.net)) / ms(median(&r.coral.net)),
            r.checksum
        );
    }
    println!(
        "\nnet = wall time with N iterations minus wall time with 0, median of {runs} runs; \
         start = median wall time with 0 iterations; erl/coral > 1 means Coral is faster"
    );
    Ok(())
}

/// The programs in `dir`, sorted by name, with their iteration counts.
fn find_programs(dir: &Path, scale: f64) -> Result<Vec<Program>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut programs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_none_or(|e| e != "erl") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: not a UTF-8 name", path.display()))?
            .to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let count = text
            .lines()
            .find_map(|l| l.trim().strip_prefix(ITERATIONS_MARK))
            .ok_or_else(|| format!("{}: no line `{ITERATIONS_MARK} N`", path.display()))?;
        let count: u64 = count
            .trim()
            .parse()
            .map_err(|e| format!("{}: bad iteration count {count:?}: {e}", path.display()))?;
        let iterations = ((count as f64 * scale).round() as u64).max(1);
        let counts: Vec<u32> = match text
            .lines()
            .find_map(|l| l.trim().strip_prefix(SCHEDULERS_MARK))
        {
            Some(list) => list
                .split_whitespace()
                .map(|n| {
                    n.parse::<u32>()
                        .map_err(|e| format!("{}: {n:?}: {e}", path.display()))
                })
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        if counts.is_empty() {
            programs.push(Program {
                module: name.clone(),
                name,
                source: path,
                iterations,
                schedulers: None,
            });
        } else {
            for n in counts {
                programs.push(Program {
                    module: name.clone(),
                    name: format!("{name}/S{n}"),
                    source: path.clone(),
                    iterations,
                    schedulers: Some(n),
                });
            }
        }
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(programs)
}

fn env_number(name: &str, default: f64) -> Result<f64, String> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|e| format!("{name}={v:?} is not a number: {e}")),
        Err(std::env::VarError::NotPresent) => Ok(default),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// `CORAL_RUNTIME_LIB`, else the newest `libcoral_runtime*.a` in this
/// executable's directory (`target/<profile>/deps`, where cargo put the
/// runtime it built for this bench) or the one above it.
fn runtime_library() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CORAL_RUNTIME_LIB").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("CORAL_RUNTIME_LIB={} is not a file", p.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let dir = exe
        .parent()
        .ok_or("this executable has no directory")?
        .to_path_buf();
    let dirs = [Some(dir.clone()), dir.parent().map(Path::to_path_buf)];
    let newest = dirs
        .iter()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libcoral_runtime") && n.ends_with(".a"))
        })
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max();
    newest.map(|(_, p)| p).ok_or_else(|| {
        format!(
            "no libcoral_runtime*.a in {} or its parent; set CORAL_RUNTIME_LIB",
            dir.display()
        )
    })
}

/// Runs a command to completion, failing with its output unless it exits 0.
fn checked(cmd: &mut Command, what: &str) -> Result<Output, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("{what}: cannot start {:?}: {e}", cmd.get_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{what}: {}\n--- stdout\n{}--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out)
}

/// Compiles `p` with `erlc` (BEAM file and Core Erlang) into `scratch` and
/// with Coral into an executable there; returns the executable's path.
fn build(p: &Program, scratch: &Path, runtime: &Path) -> Result<PathBuf, String> {
    checked(
        Command::new("erlc").arg("-o").arg(scratch).arg(&p.source),
        &format!("erlc {}", p.source.display()),
    )?;
    checked(
        Command::new("erlc")
            .arg("+to_core")
            .arg("-o")
            .arg(scratch)
            .arg(&p.source),
        &format!("erlc +to_core {}", p.source.display()),
    )?;
    let core = scratch.join(format!("{}.core", p.module));
    let bytes = std::fs::read(&core).map_err(|e| format!("{}: {e}", core.display()))?;
    let file = core.display().to_string();
    let ast = coral_syntax::parse_module_bytes(&file, &bytes).map_err(|d| d.render())?;
    let ir = coral_syntax::with_deep_stack(|| coral_ir::lower(&ast))
        .map_err(|e| format!("{file}: {e}"))?;
    coral_ir::verify(&ir).map_err(|e| format!("{file}: the IR failed verification: {e:?}"))?;
    let entry = coral_codegen::object::Entry {
        module: p.module.clone(),
        function: "main".to_string(),
        arities: vec![1],
    };
    let object = coral_codegen::object::compile(&[ir], &entry)
        .map_err(|e| format!("{file}: cannot compile: {e}"))?;
    let obj_path = scratch.join(format!("{}.o", p.module));
    std::fs::write(&obj_path, object).map_err(|e| format!("{}: {e}", obj_path.display()))?;
    let exe = scratch.join(format!("{}.coral", p.module));
    checked(
        Command::new("cc")
            .arg("-o")
            .arg(&exe)
            .arg(&obj_path)
            .arg(runtime)
            .args(NATIVE_LIBS),
        &format!("linking {}", exe.display()),
    )?;
    Ok(exe)
}

/// Runs `p` on one side with `count` iterations; returns the wall time and
/// what it printed, failing unless it exits 0 with empty standard error.
fn run_once(
    side: Side,
    p: &Program,
    scratch: &Path,
    exe: &Path,
    count: u64,
) -> Result<(Duration, String), String> {
    let mut cmd = match side {
        Side::Erl => {
            let mut c = Command::new("erl");
            if let Some(n) = p.schedulers {
                c.arg("+S").arg(format!("{n}:{n}"));
            }
            c.arg("-noshell")
                .arg("-pa")
                .arg(scratch)
                .arg("-eval")
                .arg(format!("{}:main([\"{count}\"]), halt().", p.module));
            c
        }
        Side::Coral => {
            let mut c = Command::new(exe);
            if let Some(n) = p.schedulers {
                c.env("CORAL_SCHEDULERS", n.to_string());
            }
            c.arg(count.to_string());
            c
        }
    };
    let what = format!(
        "{} with {count} iterations under {}",
        p.name,
        match side {
            Side::Erl => "erl",
            Side::Coral => "Coral",
        }
    );
    let started = Instant::now();
    let out = checked(&mut cmd, &what)?;
    let took = started.elapsed();
    if !out.stderr.is_empty() {
        return Err(format!(
            "{what} wrote to standard error:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if text.is_empty() {
        return Err(format!("{what} printed nothing"));
    }
    Ok((took, text))
}

struct Row {
    name: String,
    iterations: u64,
    erl: Times,
    coral: Times,
    checksum: String,
}

fn measure(p: &Program, scratch: &Path, exe: &Path, runs: usize) -> Result<Row, String> {
    let mut erl = Times::default();
    let mut coral = Times::default();
    // What erl printed first for 0 and for N iterations: every later run, on
    // either side, must print the same.
    let mut oracle: [Option<String>; 2] = [None, None];
    for round in 0..runs {
        let order = if round % 2 == 0 {
            [Side::Erl, Side::Coral]
        } else {
            [Side::Coral, Side::Erl]
        };
        // erl goes first in the first round, so the oracle is set before
        // Coral's output is compared.
        for side in order {
            let mut zero = Duration::ZERO;
            for (i, count) in [0, p.iterations].into_iter().enumerate() {
                let (took, text) = run_once(side, p, scratch, exe, count)?;
                match &oracle[i] {
                    None => oracle[i] = Some(text),
                    Some(expected) if *expected == text => {}
                    Some(expected) => {
                        return Err(format!(
                            "{} with {count} iterations: erl printed {expected:?} but {} \
                             printed {text:?} (round {})",
                            p.name,
                            if side == Side::Erl {
                                "a later erl run"
                            } else {
                                "Coral"
                            },
                            round + 1
                        ));
                    }
                }
                let times = if side == Side::Erl {
                    &mut erl
                } else {
                    &mut coral
                };
                if count == 0 {
                    zero = took;
                    times.zero.push(took);
                } else {
                    times.net.push(took.saturating_sub(zero));
                }
            }
        }
    }
    Ok(Row {
        name: p.name.clone(),
        iterations: p.iterations,
        erl,
        coral,
        checksum: oracle[1].clone().unwrap_or_default(),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    match s.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2,
    }
}

/// `median (min..max)` in milliseconds.
fn spread(v: &[Duration]) -> String {
    let min = v.iter().min().copied().unwrap_or_default();
    let max = v.iter().max().copied().unwrap_or_default();
    format!("{:.1} ({:.0}..{:.0})", ms(median(v)), ms(min), ms(max))
}
