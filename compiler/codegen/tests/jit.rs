//! The JIT against the real BEAM: every program in `tests/cases/` is
//! compiled by `erlc +to_core` (and plain `erlc`) into a scratch directory,
//! run by `erl -noshell -eval 'M:main(), halt().'`, and run by Coral's JIT
//! through the `jit_run` example with the heap verifier on. Standard output
//! bytes and exit status must be equal. Nothing expected is stored: erl's
//! output is produced by this run.
//!
//! A program named `NAME_a.erl` is run together with its sibling
//! `NAME_b.erl` (calls between modules of one compilation).
//!
//! When erl crashes in `main/0` it exits 1 and writes its
//! `{"init terminating in do_boot",...}` line to stdout; Coral reports on
//! stderr instead, so erl's stdout is compared up to that line.
//!
//! Needs `erl` and `erlc` on the PATH; the example binary is built by
//! `cargo test` itself (examples are built for tests).

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// The `jit_run` example next to this test's executable.
fn jit_run() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile directory");
    let p = dir.join("examples").join("jit_run");
    assert!(
        p.exists(),
        "{} is missing: run the tests with `cargo test -p coral-codegen`, which builds examples",
        p.display()
    );
    p
}

fn scratch(name: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("jit-cases")
        .join(name);
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("scratch directory");
    base
}

fn erlc(dir: &Path, src: &Path, core: bool) {
    let mut c = Command::new("erlc");
    if core {
        c.arg("+to_core");
    }
    let out = c
        .arg("-o")
        .arg(dir)
        .arg(src)
        .output()
        .expect("erlc must be installed");
    assert!(
        out.status.success(),
        "erlc failed on {}: {}",
        src.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// erl's stdout without its crash line and what follows it.
fn erl_program_output(stdout: &[u8]) -> Vec<u8> {
    const CRASH: &[u8] = b"{\"init terminating in do_boot\"";
    match stdout.windows(CRASH.len()).position(|w| w == CRASH) {
        Some(i) => stdout[..i].to_vec(),
        None => stdout.to_vec(),
    }
}

fn check(name: &str) {
    let dir = scratch(name);
    let mut modules = vec![cases_dir().join(format!("{name}.erl"))];
    if let Some(stem) = name.strip_suffix("_a") {
        modules.push(cases_dir().join(format!("{stem}_b.erl")));
    }
    for m in &modules {
        erlc(&dir, m, true);
        erlc(&dir, m, false);
    }
    let expected = Command::new("erl")
        .current_dir(&dir)
        .args(["-noshell", "-eval", &format!("{name}:main(), halt().")])
        .output()
        .expect("erl must be installed");
    let cores: Vec<PathBuf> = modules
        .iter()
        .map(|m| dir.join(m.with_extension("core").file_name().expect("file name")))
        .collect();
    let got = Command::new(jit_run())
        .current_dir(&dir)
        .env("CORAL_VERIFY_CLIF", "1")
        .arg("--verify-heap")
        .args(&cores)
        .output()
        .expect("jit_run runs");
    let want = erl_program_output(&expected.stdout);
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&want),
        "{name}: stdout differs; Coral's stderr:\n{}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert_eq!(
        got.status.code(),
        expected.status.code(),
        "{name}: exit status differs; Coral's stderr:\n{}",
        String::from_utf8_lossy(&got.stderr)
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every program in `tests/cases/` has a test above.
        #[test]
        fn every_case_is_listed() {
            let listed = [$(stringify!($name)),*];
            for e in std::fs::read_dir(cases_dir()).expect("cases directory") {
                let p = e.expect("directory entry").path();
                let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else { continue };
                if p.extension().and_then(|x| x.to_str()) != Some("erl") || stem.ends_with("_b") {
                    continue;
                }
                assert!(listed.contains(&stem), "tests/cases/{stem}.erl has no test");
            }
        }
    };
}

cases!(
    fib, tak, nrev, qsort, matching, deep, loop_100m, gc_churn, exceptions, funs, multi_a, crash,
    map_ops, bif_alloc, binaries,
);
