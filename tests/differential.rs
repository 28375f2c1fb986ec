//! Differential tests: every program in `tests/programs/` must behave under
//! Coral exactly as under the real BEAM.
//!
//! Run with `cargo test -p coral-tests --test differential [-- FILTER...]`
//! (a FILTER keeps the programs whose name contains it). Phases:
//!
//! 1. `erlc` compiles each `NAME.erl` to `NAME.core` (`+to_core`) and to
//!    `NAME.beam`, into a scratch directory under the cargo target directory
//!    (`target/tmp/differential/`), never into the source tree.
//! 2. `erl` runs each `.beam`; its stdout and exit status are the expected
//!    behaviour, computed on every run. Most programs run many to a VM (one
//!    batch per worker) through `tests/harness/coral_diff_runner.erl`, which
//!    gives each program what `erl -noshell -eval 'NAME:main(), halt(0).'`
//!    gives it and captures its output through its group leader. Programs
//!    whose Core Erlang calls `erlang:display`, `halt` or `init:stop` run alone
//!    as that `erl -eval` command. A batch VM that prints anything to its own
//!    stdout (a logger report, `io:format(user, ...)`) fails the run: such
//!    output cannot be attributed, and has pids and times in it anyway.
//!    With `CORAL_DIFF_VERIFY_RUNNER=1`, every batched program is also run
//!    alone and must give the same result (see `verify_one`).
//! 3. Coral: `coral check NAME.core` must accept what erlc wrote (while the
//!    binary has no `check` subcommand this is reported, not failed). The
//!    programs are then built in one batch per worker: `coral build` of their
//!    `.core` files and a small dispatcher module into one executable, run as
//!    `EXE NAME` once per program, in a directory of its own (the dispatcher
//!    tail-calls `NAME:main()`). A batch that fails to build is built again one
//!    program at a time (`coral build NAME.core -o NAME`). Stdout bytes and
//!    exit status must equal erl's.
//!
//! The rule for programs that crash on purpose: erl exits with status 1 and
//! writes `{"init terminating in do_boot",Reason}\r\n` to stdout, which Coral
//! is not expected to copy (it reports an uncaught exception on stderr). The
//! expected stdout is the program's own output: for a batched program, what
//! its group leader received; for a program run alone, erl's stdout without
//! that line. Stderr is never compared; the exit status must be equal. A
//! lone erl writes the crash line byte by byte while `io` output may still be
//! in flight, and can halt before that output is written, so a program run
//! alone must print only through `erlang:display/1` if it crashes.
//!
//! The `coral` binary is `$CORAL_BIN` if set, else `coral` in the target
//! profile directory this test was built into (`target/debug/coral` for
//! `cargo test`); build it first with `cargo build -p coral`.
//! Time limits: `CORAL_DIFF_TIMEOUT` seconds per program run (default 60, on
//! both sides) and `CORAL_DIFF_BUILD_TIMEOUT` for each `coral check` and
//! `coral build` (default 300).
//!
//! `tests/expected-failures.txt` lists, one per line as `NAME  reason`, the
//! programs Coral is not yet expected to pass. A listed program that fails is
//! an expected failure; one that passes fails the run until it is removed from
//! the list; an unlisted program that fails, or a name on the list with no
//! program, fails the run. So does `coral check` rejecting a `.core`, listed
//! or not: every program's Core Erlang must parse. The run ends with the line
//! `N passed, M failed`, then the number of expected failures.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use coral_tests::erl::{self, Otp, Outcome, Status};

/// Changed lines shown for a program whose output differs.
const DIFF_LINES: usize = 40;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("differential: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Settings read from the environment and the command line.
struct Config {
    filters: Vec<String>,
    verify_runner: bool,
    run_timeout: Duration,
    build_timeout: Duration,
    workers: usize,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let seconds = |var: &str, default: u64| -> Result<Duration, String> {
            match std::env::var(var) {
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_secs)
                    .map_err(|_| format!("{var} must be a number of seconds, not {v:?}")),
                Err(_) => Ok(Duration::from_secs(default)),
            }
        };
        Ok(Config {
            // Options meant for libtest (`--nocapture` and the like) are not ours.
            filters: std::env::args()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .collect(),
            verify_runner: std::env::var("CORAL_DIFF_VERIFY_RUNNER").is_ok_and(|v| v == "1"),
            run_timeout: seconds("CORAL_DIFF_TIMEOUT", 60)?,
            build_timeout: seconds("CORAL_DIFF_BUILD_TIMEOUT", 300)?,
            workers: thread::available_parallelism()
                .map_or(2, |n| n.get())
                .max(2),
        })
    }
}

fn run() -> Result<bool, String> {
    let config = Config::from_env()?;
    let otp = Otp::locate()?;
    let tests_dir = coral_tests::tests_dir();
    let programs = discover(&tests_dir.join("programs"))?;
    let list_path = tests_dir.join("expected-failures.txt");
    let expected = load_expected_failures(&list_path, &programs)?;
    let selected: Vec<&Program> = programs
        .iter()
        .filter(|p| config.filters.is_empty() || config.filters.iter().any(|f| p.name.contains(f)))
        .collect();
    if selected.is_empty() {
        return Err(format!(
            "no program matches the filters {:?}",
            config.filters
        ));
    }
    println!(
        "differential: {} programs ({} selected), {} workers",
        programs.len(),
        selected.len(),
        config.workers
    );

    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("differential");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.display()))?;
    }
    let dirs = Dirs::create(&scratch)?;

    // Phase 1: erlc.
    let started = Instant::now();
    compile_all(&otp, &tests_dir, &dirs, &selected)?;
    println!("phase erlc: {:.1} s", started.elapsed().as_secs_f64());

    // Phase 2: erl, the oracle.
    let started = Instant::now();
    let mut own_vm = BTreeSet::new();
    for p in &selected {
        let core = read_core(&dirs, &p.name)?;
        if erl::needs_own_vm(&core) {
            own_vm.insert(p.name.clone());
        }
    }
    let expected_outcomes = run_erl(&otp, &dirs, &selected, &own_vm, &config)?;
    println!(
        "phase erl: {:.1} s ({} programs batched in {} VMs, {} in their own VM)",
        started.elapsed().as_secs_f64(),
        selected.len() - own_vm.len(),
        config.workers,
        own_vm.len()
    );
    let mut oracle_ok = true;
    for (name, outcome) in &expected_outcomes {
        if outcome.status == Status::TimedOut {
            println!("ORACLE {name}: erl timed out; a test program must finish under erl");
            oracle_ok = false;
        }
    }

    if config.verify_runner {
        let started = Instant::now();
        let ok = verify_runner(&otp, &dirs, &selected, &own_vm, &expected_outcomes, &config)?;
        println!(
            "phase verify-runner: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        oracle_ok &= ok;
    }

    // Phase 3: Coral.
    let started = Instant::now();
    let coral = locate_coral()?;
    println!("coral: {}", coral.display());
    let results = run_coral(&coral, &dirs, &selected, &expected_outcomes, &config);
    println!("phase coral: {:.1} s", started.elapsed().as_secs_f64());

    Ok(report(&selected, &expected, &results, &list_path) && oracle_ok)
}

/// A test program: `tests/programs/NAME.erl`.
struct Program {
    name: String,
    source: PathBuf,
}

fn discover(dir: &Path) -> Result<Vec<Program>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut programs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("erl") {
            continue;
        }
        let Some(name) = erl::stem(&path).map(str::to_owned) else {
            return Err(format!("{}: the file name is not UTF-8", path.display()));
        };
        if !erl::is_plain_module_name(&name) || name == erl::RUNNER_MODULE {
            return Err(format!(
                "{}: a program's name must be a plain lowercase atom other than {}",
                path.display(),
                erl::RUNNER_MODULE
            ));
        }
        programs.push(Program { name, source: path });
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    if programs.is_empty() {
        return Err(format!("no .erl programs in {}", dir.display()));
    }
    Ok(programs)
}

/// `NAME  reason` lines; `#` starts a comment line.
fn load_expected_failures(
    path: &Path,
    programs: &[Program],
) -> Result<BTreeMap<String, String>, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let known: BTreeSet<&str> = programs.iter().map(|p| p.name.as_str()).collect();
    let mut list = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = match line.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (line, ""),
        };
        let at = format!("{}:{}", path.display(), i + 1);
        if reason.is_empty() {
            problems.push(format!("{at}: `{name}` has no reason"));
        } else if !known.contains(name) {
            problems.push(format!("{at}: `{name}` is not a program in tests/programs"));
        } else if list.insert(name.to_owned(), reason.to_owned()).is_some() {
            problems.push(format!("{at}: `{name}` is listed twice"));
        }
    }
    if problems.is_empty() {
        Ok(list)
    } else {
        Err(problems.join("\n"))
    }
}

/// The scratch directories of one run.
struct Dirs {
    /// `.core` files.
    core: PathBuf,
    /// The programs' `.beam` files.
    beam: PathBuf,
    /// The batch runner's `.beam`.
    runner: PathBuf,
    /// erl's results.
    erl: PathBuf,
    /// One directory per program for Coral's build and run.
    coral: PathBuf,
}

impl Dirs {
    fn create(root: &Path) -> Result<Dirs, String> {
        let dirs = Dirs {
            core: root.join("core"),
            beam: root.join("beam"),
            runner: root.join("runner"),
            erl: root.join("erl"),
            coral: root.join("coral"),
        };
        for d in [&dirs.core, &dirs.beam, &dirs.runner, &dirs.erl, &dirs.coral] {
            fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        }
        Ok(dirs)
    }
}

fn read_core(dirs: &Dirs, name: &str) -> Result<String, String> {
    let path = dirs.core.join(format!("{name}.core"));
    fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Compiles the runner and the programs, `.core` and `.beam` side by side.
fn compile_all(
    otp: &Otp,
    tests_dir: &Path,
    dirs: &Dirs,
    programs: &[&Program],
) -> Result<(), String> {
    let sources: Vec<PathBuf> = programs.iter().map(|p| p.source.clone()).collect();
    let runner = tests_dir
        .join("harness")
        .join(format!("{}.erl", erl::RUNNER_MODULE));
    thread::scope(|s| {
        let core = s.spawn(|| otp.compile(&sources, &dirs.core, true));
        let beam = s.spawn(|| {
            otp.compile(std::slice::from_ref(&runner), &dirs.runner, false)?;
            otp.compile(&sources, &dirs.beam, false)
        });
        let core = core
            .join()
            .map_err(|_| "the erlc +to_core thread panicked".to_owned())?;
        let beam = beam
            .join()
            .map_err(|_| "the erlc thread panicked".to_owned())?;
        core.and(beam)
    })
}

/// Work items for the erl phase.
enum ErlJob {
    Batch(Vec<String>),
    Alone(String),
}

/// Runs every program under erl and returns the expected outcomes.
fn run_erl(
    otp: &Otp,
    dirs: &Dirs,
    programs: &[&Program],
    own_vm: &BTreeSet<String>,
    config: &Config,
) -> Result<BTreeMap<String, Outcome>, String> {
    let batched: Vec<String> = programs
        .iter()
        .map(|p| p.name.clone())
        .filter(|n| !own_vm.contains(n))
        .collect();
    // Deal the batched programs out in turn, so that the slow ones (sorted
    // apart by name) are unlikely to pile into one batch.
    let mut batches = vec![Vec::new(); config.workers];
    for (i, name) in batched.into_iter().enumerate() {
        batches[i % config.workers].push(name);
    }
    let mut jobs: Vec<ErlJob> = batches
        .into_iter()
        .filter(|b| !b.is_empty())
        .map(ErlJob::Batch)
        .collect();
    jobs.extend(own_vm.iter().cloned().map(ErlJob::Alone));

    let results = Mutex::new(BTreeMap::new());
    let errors = Mutex::new(Vec::new());
    for_each_parallel(&jobs, config.workers, |index, job| {
        let result = match job {
            ErlJob::Batch(names) => {
                let out = dirs.erl.join(format!("batch{index}"));
                otp.run_batch(&dirs.beam, &dirs.runner, &out, names, config.run_timeout)
            }
            ErlJob::Alone(name) => otp
                .run_single(
                    &dirs.beam,
                    name,
                    &dirs.erl.join("alone"),
                    config.run_timeout,
                )
                .map(|o| BTreeMap::from([(name.clone(), o)])),
        };
        match result {
            Ok(map) => lock(&results).extend(map),
            Err(e) => lock(&errors).push(e),
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    Ok(results.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// How a batched result compared with the same program run alone.
enum Verified {
    Same,
    /// A crashing program whose lone runs all lost the end of its output
    /// (erl halted before flushing it) but agreed with the batch up to there.
    CrashPrefix {
        shown: usize,
        total: usize,
    },
    Different(Outcome),
}

/// Lone runs tried for a crashing program before settling for a prefix.
const CRASH_TRIES: usize = 5;

/// Runs one batched program alone and compares. For a program that exits
/// normally, stdout bytes and status must be equal. For one that raised,
/// erl's crash line can be interleaved byte by byte with the program's own
/// output, and the end of that output can be lost when the VM halts, so the
/// lone run must be a prefix of the batch output interleaved with one crash
/// line; it is retried a few times in the hope of a complete one.
fn verify_one(
    otp: &Otp,
    dirs: &Dirs,
    name: &str,
    batched: &Outcome,
    config: &Config,
) -> Result<Verified, String> {
    let scratch = dirs.erl.join("verify");
    let mut shortest = None;
    for _ in 0..CRASH_TRIES {
        let alone = otp.run_single_raw(&dirs.beam, name, &scratch, config.run_timeout)?;
        if alone.status != batched.status {
            return Ok(Verified::Different(alone));
        }
        if alone.status != Status::Code(1) {
            return Ok(if alone.stdout == batched.stdout {
                Verified::Same
            } else {
                Verified::Different(alone)
            });
        }
        match erl::crash_output_prefix(&alone.stdout, &batched.stdout) {
            Some(n) if n == batched.stdout.len() => return Ok(Verified::Same),
            Some(n) => shortest = Some(shortest.map_or(n, |s: usize| s.min(n))),
            None => return Ok(Verified::Different(alone)),
        }
    }
    Ok(match shortest {
        Some(shown) => Verified::CrashPrefix {
            shown,
            total: batched.stdout.len(),
        },
        None => Verified::Same,
    })
}

/// Runs each batched program alone in its own erl and checks that it gives the
/// same stdout bytes and status as in the batch.
fn verify_runner(
    otp: &Otp,
    dirs: &Dirs,
    programs: &[&Program],
    own_vm: &BTreeSet<String>,
    batched: &BTreeMap<String, Outcome>,
    config: &Config,
) -> Result<bool, String> {
    let names: Vec<&String> = programs
        .iter()
        .map(|p| &p.name)
        .filter(|n| !own_vm.contains(*n))
        .collect();
    let results = Mutex::new(BTreeMap::new());
    let errors = Mutex::new(Vec::new());
    for_each_parallel(&names, config.workers, |_, name| {
        let Some(batch) = batched.get(*name) else {
            lock(&errors).push(format!("{name}: no batch result"));
            return;
        };
        match verify_one(otp, dirs, name, batch, config) {
            Ok(v) => {
                lock(&results).insert((*name).clone(), v);
            }
            Err(e) => lock(&errors).push(e),
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut same = 0;
    let mut prefixes = 0;
    let mut different = 0;
    for (name, verdict) in &results {
        match verdict {
            Verified::Same => same += 1,
            Verified::CrashPrefix { shown, total } => {
                prefixes += 1;
                println!(
                    "runner: {name}: every lone erl lost output after the crash; \
                     the longest agreeing prefix is {shown} of {total} bytes"
                );
            }
            Verified::Different(alone) => {
                different += 1;
                let batch = &batched[name];
                println!(
                    "RUNNER MISMATCH {name}: alone {}, batched {}\n{}",
                    alone.status,
                    batch.status,
                    erl::line_diff(&alone.stdout, &batch.stdout, DIFF_LINES).replacen(
                        "--- erl\n+++ coral\n",
                        "--- erl alone\n+++ erl batched\n",
                        1
                    )
                );
            }
        }
    }
    println!(
        "verify-runner: {} batched programs: {same} identical alone, {prefixes} crash-truncated prefixes, \
         {different} different",
        names.len()
    );
    Ok(different == 0)
}

fn locate_coral() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CORAL_BIN") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("CORAL_BIN={} is not a file", path.display()))
        };
    }
    // This executable is target/<profile>/deps/differential-HASH; the coral
    // binary of the same profile is target/<profile>/coral.
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find this test's own path: {e}"))?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected test executable path {}", exe.display()))?;
    let coral = profile_dir.join(format!("coral{}", std::env::consts::EXE_SUFFIX));
    if coral.is_file() {
        Ok(coral)
    } else {
        Err(format!(
            "the coral binary is not at {}: build it first with `cargo build -p coral` \
             (the same profile as this test), or point CORAL_BIN at it",
            coral.display()
        ))
    }
}

/// What `coral check` said about a `.core` file.
#[derive(Debug, Clone)]
enum Check {
    Accepted,
    Rejected(String),
    /// The binary has no `check` subcommand yet.
    Unavailable,
}

/// The Coral side of one program.
#[derive(Debug)]
struct CoralResult {
    check: Check,
    verdict: Verdict,
}

#[derive(Debug)]
enum Verdict {
    Pass,
    /// A one-line reason and the details (a diff, stderr excerpts).
    Fail(String, String),
}

/// The module that starts one program of a batch executable: `main([Name])`
/// calls `Name:main()` as a tail call (so the program's own frames are the
/// whole stack, as when it is the entry itself).
const DISPATCH_MODULE: &str = "coral_diff_main";

const DISPATCH_CORE: &str = "module 'coral_diff_main' ['main'/1]
    attributes []
'main'/1 =
    fun (_0) ->
        case _0 of
          <[Name|[]]> when 'true' ->
              let <M> = call 'erlang':'list_to_atom'(Name)
              in  call M:'main'()
          <_1> when 'true' ->
              primop 'match_fail'({'function_clause',_1})
        end
end
";

/// Phase 3: `coral check` every program, then build them `workers` batches
/// to an executable each (a program is one module; compiling the standard
/// library once per batch instead of once per program is what makes the
/// phase fast), and run each program as `EXE NAME` in a directory of its
/// own. A batch that does not build is built again one program at a time,
/// so that one program's failure is its own.
fn run_coral(
    coral: &Path,
    dirs: &Dirs,
    programs: &[&Program],
    expected: &BTreeMap<String, Outcome>,
    config: &Config,
) -> BTreeMap<String, CoralResult> {
    let results = Mutex::new(BTreeMap::new());
    let checks = Mutex::new(BTreeMap::new());
    for_each_parallel(programs, config.workers, |_, program| {
        let c = coral_check(coral, dirs, &program.name, config);
        lock(&checks).insert(program.name.clone(), c);
    });
    let checks = checks.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut runnable: Vec<&Program> = Vec::new();
    for p in programs {
        if expected.contains_key(&p.name) {
            runnable.push(p);
        }
    }
    let batches: Vec<Vec<&Program>> = (0..config.workers.min(runnable.len()).max(1))
        .map(|w| {
            runnable
                .iter()
                .enumerate()
                .filter(|(i, _)| i % config.workers == w)
                .map(|(_, p)| *p)
                .collect()
        })
        .collect();
    for_each_parallel(&batches, config.workers, |bi, batch| {
        let built = build_batch(coral, dirs, bi, batch, config);
        for program in batch {
            let want = &expected[&program.name];
            let verdict = match &built {
                Ok(exe) => run_program(exe, dirs, &program.name, want, config),
                Err(_) => build_one(coral, dirs, &program.name, want, config),
            };
            lock(&results).insert(program.name.clone(), verdict);
        }
    });
    let mut verdicts = results.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut out = BTreeMap::new();
    for p in programs {
        let check = checks.get(&p.name).cloned().unwrap_or(Check::Unavailable);
        let verdict = verdicts
            .remove(&p.name)
            .unwrap_or_else(|| Verdict::Fail("erl produced no result".into(), String::new()));
        out.insert(p.name.clone(), CoralResult { check, verdict });
    }
    out
}

fn coral_tool(
    coral: &Path,
    args: &[&std::ffi::OsStr],
    work: &Path,
    log: &str,
    timeout: Duration,
) -> std::io::Result<erl::Captured> {
    let mut cmd = Command::new(coral);
    cmd.args(args).current_dir(work).stdin(Stdio::null());
    erl::run_captured(&mut cmd, &work.join(log), timeout)
}

fn work_dir(dirs: &Dirs, name: &str) -> Result<PathBuf, Verdict> {
    let work = dirs.coral.join(name);
    fs::create_dir_all(&work).map_err(|e| {
        Verdict::Fail(
            format!("cannot create {}: {e}", work.display()),
            String::new(),
        )
    })?;
    Ok(work)
}

fn coral_check(coral: &Path, dirs: &Dirs, name: &str, config: &Config) -> Check {
    let work = match work_dir(dirs, name) {
        Ok(w) => w,
        Err(_) => return Check::Unavailable,
    };
    let core = dirs.core.join(format!("{name}.core"));
    match coral_tool(
        coral,
        &["check".as_ref(), core.as_os_str()],
        &work,
        "check",
        config.build_timeout,
    ) {
        Err(e) => Check::Rejected(format!("cannot run coral check: {e}")),
        Ok(run) if run.status == Status::Code(0) => Check::Accepted,
        Ok(run) if unrecognized_subcommand(&run.stderr) => Check::Unavailable,
        Ok(run) => Check::Rejected(format!("{}\n{}", run.status, excerpt(&run.stderr))),
    }
}

/// Builds the programs of `batch` and the dispatcher into one executable.
fn build_batch(
    coral: &Path,
    dirs: &Dirs,
    index: usize,
    batch: &[&Program],
    config: &Config,
) -> Result<PathBuf, Verdict> {
    let work = work_dir(dirs, &format!("batch-{index}"))?;
    let dispatch = work.join(format!("{DISPATCH_MODULE}.core"));
    fs::write(&dispatch, DISPATCH_CORE)
        .map_err(|e| Verdict::Fail(format!("cannot write the dispatcher: {e}"), String::new()))?;
    let exe = work.join("programs");
    let cores: Vec<PathBuf> = batch
        .iter()
        .map(|p| dirs.core.join(format!("{}.core", p.name)))
        .collect();
    let entry = format!("{DISPATCH_MODULE}:main");
    let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref()];
    args.extend(cores.iter().map(|c| c.as_os_str()));
    args.extend([
        dispatch.as_os_str(),
        "-o".as_ref(),
        exe.as_os_str(),
        "--entry".as_ref(),
        entry.as_ref(),
    ]);
    built(
        coral_tool(coral, &args, &work, "build", config.build_timeout * 4),
        &exe,
    )
}

/// Builds one program alone and runs it.
fn build_one(coral: &Path, dirs: &Dirs, name: &str, want: &Outcome, config: &Config) -> Verdict {
    let work = match work_dir(dirs, name) {
        Ok(w) => w,
        Err(v) => return v,
    };
    let core = dirs.core.join(format!("{name}.core"));
    let exe = work.join(name);
    let args = [
        "build".as_ref(),
        core.as_os_str(),
        "-o".as_ref(),
        exe.as_os_str(),
    ];
    match built(
        coral_tool(coral, &args, &work, "build", config.build_timeout),
        &exe,
    ) {
        Ok(exe) => run_executable(&exe, &[], &work, want, config.run_timeout),
        Err(v) => v,
    }
}

fn built(run: std::io::Result<erl::Captured>, exe: &Path) -> Result<PathBuf, Verdict> {
    match run {
        Err(e) => Err(Verdict::Fail(
            format!("cannot run coral build: {e}"),
            String::new(),
        )),
        Ok(run) if unrecognized_subcommand(&run.stderr) => Err(Verdict::Fail(
            "coral build: the binary has no `build` subcommand".into(),
            String::new(),
        )),
        Ok(run) if run.status != Status::Code(0) => Err(Verdict::Fail(
            format!("coral build failed ({})", run.status),
            excerpt(&run.stderr),
        )),
        Ok(_) if !exe.is_file() => Err(Verdict::Fail(
            format!("coral build exited 0 but wrote no {}", exe.display()),
            String::new(),
        )),
        Ok(_) => Ok(exe.to_path_buf()),
    }
}

/// Runs program `name` of a batch executable.
fn run_program(exe: &Path, dirs: &Dirs, name: &str, want: &Outcome, config: &Config) -> Verdict {
    match work_dir(dirs, name) {
        Ok(work) => run_executable(exe, &[name], &work, want, config.run_timeout),
        Err(v) => v,
    }
}

fn run_executable(
    exe: &Path,
    args: &[&str],
    work: &Path,
    want: &Outcome,
    timeout: Duration,
) -> Verdict {
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(work).stdin(Stdio::null());
    let run = match erl::run_captured(&mut cmd, &work.join("run"), timeout) {
        Ok(run) => run,
        Err(e) => {
            return Verdict::Fail(format!("cannot run {}: {e}", exe.display()), String::new());
        }
    };
    let same_output = run.stdout == want.stdout;
    let same_status = run.status == want.status;
    if same_output && same_status {
        return Verdict::Pass;
    }
    let what = match (same_output, same_status) {
        (false, false) => "stdout and exit status differ",
        (false, true) => "stdout differs",
        _ => "exit status differs",
    };
    let mut details = format!("erl: {}; coral: {}\n", want.status, run.status);
    if !same_output {
        details.push_str(&erl::line_diff(&want.stdout, &run.stdout, DIFF_LINES));
    }
    if !run.stderr.is_empty() {
        details.push_str("coral stderr:\n");
        details.push_str(&excerpt(&run.stderr));
    }
    Verdict::Fail(what.into(), details)
}

fn unrecognized_subcommand(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr).contains("unrecognized subcommand")
}

/// The first lines of a stream, for a failure report.
fn excerpt(bytes: &[u8]) -> String {
    const LINES: usize = 20;
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .lines()
        .take(LINES)
        .map(|l| format!("  {l}\n"))
        .collect();
    if text.lines().count() > LINES {
        out.push_str("  ...\n");
    }
    out
}

/// Prints every program's result and the totals; true when the run passes.
fn report(
    programs: &[&Program],
    expected: &BTreeMap<String, String>,
    results: &BTreeMap<String, CoralResult>,
    list_path: &Path,
) -> bool {
    let mut passed = 0;
    let mut failed = 0;
    let mut expected_failures = 0;
    let mut unexpected_passes = Vec::new();
    let mut check_unavailable = 0;
    let mut out = std::io::stdout().lock();
    for program in programs {
        let name = &program.name;
        let Some(result) = results.get(name) else {
            let _ = writeln!(out, "FAIL  {name}: no result");
            failed += 1;
            continue;
        };
        // A .core that coral check rejects fails the program whatever the list says.
        if let Check::Rejected(why) = &result.check {
            let _ = writeln!(
                out,
                "FAIL  {name}: coral check rejected the .core erlc wrote: {why}"
            );
            failed += 1;
            continue;
        }
        if matches!(result.check, Check::Unavailable) {
            check_unavailable += 1;
        }
        match (&result.verdict, expected.get(name)) {
            (Verdict::Pass, None) => {
                let _ = writeln!(out, "ok    {name}");
                passed += 1;
            }
            (Verdict::Pass, Some(_)) => {
                let _ = writeln!(
                    out,
                    "XPASS {name}: passes now; remove it from {}",
                    list_path.display()
                );
                passed += 1;
                unexpected_passes.push(name.clone());
            }
            (Verdict::Fail(why, _), Some(listed)) => {
                let _ = writeln!(out, "xfail {name}: {why} (listed: {listed})");
                expected_failures += 1;
            }
            (Verdict::Fail(why, details), None) => {
                let _ = writeln!(out, "FAIL  {name}: {why}");
                for line in details.lines() {
                    let _ = writeln!(out, "      {line}");
                }
                failed += 1;
            }
        }
    }
    if check_unavailable > 0 {
        let _ = writeln!(
            out,
            "note: `coral check` is not a subcommand of this coral binary yet; \
             {check_unavailable} .core files were not checked"
        );
    }
    if !unexpected_passes.is_empty() {
        let _ = writeln!(
            out,
            "{} listed programs now pass; remove them from {}: {}",
            unexpected_passes.len(),
            list_path.display(),
            unexpected_passes.join(" ")
        );
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    let _ = writeln!(out, "{expected_failures} expected failures");
    failed == 0 && unexpected_passes.is_empty()
}

/// Calls `f(index, item)` for every item on `workers` threads.
fn for_each_parallel<T: Sync>(items: &[T], workers: usize, f: impl Fn(usize, &T) + Sync) {
    let next = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..workers.min(items.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    f(i, item);
                }
            });
        }
    });
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
