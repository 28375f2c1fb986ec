//! Parser conformance over real Core Erlang.
//!
//! Three groups of files must each parse, print, and re-parse to the same AST
//! (spans aside), and the printed text must be a fixed point of print∘parse:
//!
//! - `otp`: the Core Erlang of every module of the installed Erlang/OTP that
//!   carries debug info, produced on this machine by `otp-corpus/gen_core.escript`
//!   (cached under the target directory, keyed by the OTP version);
//! - `programs`: what `erlc +to_core` makes of each program in `tests/programs/`;
//! - `lfe`: the `.core` files LFE emitted, in `tests/lfe/`.
//!
//! `CORAL_CORPUS_FILTER=substr` restricts the run to files whose name contains
//! `substr`. The closing line is `N passed, M failed`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use coral_tests::{require_erlang, tests_dir};

/// Parse, print, re-parse, compare. `Err` carries a report for the reader.
fn round_trip(name: &str, bytes: &[u8]) -> Result<(), String> {
    let first = coral_syntax::parse_module_bytes(name, bytes)
        .map_err(|d| format!("does not parse:\n{}", d.render()))?;
    let printed = coral_syntax::print::module(&first);
    let second = coral_syntax::parse_module(&format!("{name} (printed)"), &printed)
        .map_err(|d| format!("printed form does not parse:\n{}", d.render()))?;
    if !coral_syntax::same_ignoring_spans(&first, &second) {
        return Err("printed form parses to a different AST".to_string());
    }
    let reprinted = coral_syntax::print::module(&second);
    if reprinted != printed {
        let line = first_difference(&printed, &reprinted);
        return Err(format!(
            "printing is not a fixed point; first difference at printed line {line}"
        ));
    }
    Ok(())
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()))
        + 1
}

struct Group {
    name: &'static str,
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    if let Err(message) = require_erlang() {
        eprintln!("corpus: {message}");
        return ExitCode::FAILURE;
    }
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let filter = std::env::var("CORAL_CORPUS_FILTER").ok();

    let started = Instant::now();
    let groups = match collect_groups(&scratch) {
        Ok(groups) => groups,
        Err(message) => {
            eprintln!("corpus: {message}");
            return ExitCode::FAILURE;
        }
    };
    println!("corpus: inputs ready in {:.1?}", started.elapsed());

    let mut passed = 0usize;
    let mut failed = 0usize;
    for group in groups {
        let files: Vec<PathBuf> = group
            .files
            .into_iter()
            .filter(|f| match &filter {
                Some(s) => f.to_string_lossy().contains(s.as_str()),
                None => true,
            })
            .collect();
        let started = Instant::now();
        let (bytes, failures) = check_files(&files);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "corpus: {:<8} {:>4} files, {:>6.1} MB, {:>4} failed, {:.1} s",
            group.name,
            files.len(),
            bytes as f64 / 1e6,
            failures.len(),
            secs
        );
        for (path, report) in failures.iter().take(20) {
            println!("FAIL {}: {}", path.display(), report);
        }
        if failures.len() > 20 {
            println!("... and {} more failures", failures.len() - 20);
        }
        if group.name == "otp" && filter.is_none() && files.len() < 700 {
            // The installed OTP has about 785 modules with debug info; far fewer
            // means the generator lost modules, which must not pass quietly.
            println!(
                "FAIL otp corpus: only {} modules generated, expected about 785",
                files.len()
            );
            failed += 1;
        }
        passed += files.len() - failures.len();
        failed += failures.len();
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn collect_groups(scratch: &Path) -> Result<Vec<Group>, String> {
    let otp_dir = otp_corpus(scratch)?;
    let programs_dir = programs_core(scratch)?;
    Ok(vec![
        Group {
            name: "otp",
            files: core_files(&otp_dir)?,
        },
        Group {
            name: "programs",
            files: core_files(&programs_dir)?,
        },
        Group {
            name: "lfe",
            files: core_files(&tests_dir().join("lfe"))?,
        },
    ])
}

fn core_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "core"))
        .collect();
    files.sort();
    Ok(files)
}

/// The OTP corpus directory, generated once per OTP version.
fn otp_corpus(scratch: &Path) -> Result<PathBuf, String> {
    let version = erl_eval(
        "io:format(\"~s-~s\", [erlang:system_info(otp_release), erlang:system_info(version)])",
    )?;
    let dir = scratch.join(format!("otp-core-{version}"));
    let complete = dir.join(".complete");
    if complete.exists() {
        return Ok(dir);
    }
    let partial = scratch.join(format!("otp-core-{version}.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    let started = Instant::now();
    let script = tests_dir().join("otp-corpus/gen_core.escript");
    let out = Command::new("escript")
        .arg(&script)
        .arg(&partial)
        .output()
        .map_err(|e| format!("cannot run escript {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "generating the OTP corpus failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    println!(
        "corpus: {} ({:.1?})",
        String::from_utf8_lossy(&out.stdout).trim(),
        started.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&partial, &dir).map_err(|e| format!("cannot move corpus into place: {e}"))?;
    std::fs::write(&complete, b"").map_err(|e| format!("cannot mark corpus complete: {e}"))?;
    Ok(dir)
}

/// `erlc +to_core` for every test program, into a fresh scratch directory.
fn programs_core(scratch: &Path) -> Result<PathBuf, String> {
    let dir = scratch.join("programs-core");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let sources: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("programs"))
        .map_err(|e| format!("cannot read tests/programs: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    if sources.is_empty() {
        return Err("tests/programs holds no .erl programs".to_string());
    }
    // One erlc per chunk keeps the command line short and the VM starts few.
    for chunk in sources.chunks(64) {
        let out = Command::new("erlc")
            .arg("+to_core")
            .arg("-o")
            .arg(&dir)
            .args(chunk)
            .output()
            .map_err(|e| format!("cannot run erlc: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "erlc +to_core failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(dir)
}

fn erl_eval(expr: &str) -> Result<String, String> {
    let out = Command::new("erl")
        .args(["-noshell", "-eval", &format!("{expr}, halt().")])
        .output()
        .map_err(|e| format!("cannot run erl: {e}"))?;
    if !out.status.success() {
        return Err(format!("erl -eval {expr} failed"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Round-trips every file on all cores; returns the bytes read and the failures.
fn check_files(files: &[PathBuf]) -> (usize, Vec<(PathBuf, String)>) {
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let result = match std::fs::read(path) {
                        Ok(raw) => {
                            bytes.fetch_add(raw.len(), Ordering::Relaxed);
                            round_trip(&path.to_string_lossy(), &raw)
                        }
                        Err(e) => Err(format!("cannot read: {e}")),
                    };
                    if let Err(report) = result {
                        let mut failures = failures.lock().unwrap_or_else(|p| p.into_inner());
                        failures.push((path.clone(), report));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|p| p.into_inner());
    failures.sort();
    (bytes.into_inner(), failures)
}
