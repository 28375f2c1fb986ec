//! Lowering real Core Erlang: a sample of about 40 of OTP's own modules
//! (from `target/otp-core`, or when that corpus has not been generated,
//! the test programs of `tests/programs` compiled with `erlc +to_core`),
//! and every LFE module of `tests/lfe`. Each must lower and verify.
//! The whole corpus is `examples/lower_corpus.rs`.

mod common;

use std::path::PathBuf;

fn files_with(dir: &std::path::Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every `step`th file, so the sample spreads over the alphabet.
fn sample(files: Vec<PathBuf>, n: usize) -> Vec<PathBuf> {
    let step = (files.len() / n).max(1);
    files.into_iter().step_by(step).take(n).collect()
}

#[test]
fn corpus_sample_lowers_and_verifies() {
    let root = common::root();
    let corpus = files_with(&root.join("target/otp-core"), "core");
    let (files, scratch) = if corpus.len() >= 40 {
        (sample(corpus, 40), None)
    } else {
        let out = common::scratch("corpus");
        let erls = sample(files_with(&root.join("tests/programs"), "erl"), 40);
        assert!(erls.len() >= 20, "no corpus and too few test programs");
        let cores = erls.iter().map(|e| common::to_core(e, &out)).collect();
        (cores, Some(out))
    };
    let mut failures = Vec::new();
    let mut functions = 0;
    for f in &files {
        match common::lower_file(f) {
            Ok(ir) => functions += ir.functions.len(),
            Err(e) => failures.push(e),
        }
    }
    if let Some(out) = scratch {
        let _ = std::fs::remove_dir_all(out);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        functions > files.len(),
        "suspiciously few functions: {functions}"
    );
}

#[test]
fn lfe_modules_lower_and_verify() {
    let files = files_with(&common::root().join("tests/lfe"), "core");
    assert!(!files.is_empty(), "no LFE modules found");
    for f in &files {
        if let Err(e) = common::lower_file(f) {
            panic!("{e}");
        }
    }
}

/// Every function of every LFE module, and each of its clauses' bodies cut
/// short, still lowers without a panic: either IR or a `LowerError`.
#[test]
fn truncated_lfe_functions_never_panic() {
    for f in files_with(&common::root().join("tests/lfe"), "core") {
        let bytes = std::fs::read(&f).expect("read");
        let Ok(module) = coral_syntax::parse_module_bytes("lfe.core", &bytes) else {
            continue;
        };
        for i in 0..module.defs.len() {
            // Keep one definition and no exports: references to the other
            // functions become errors, never panics.
            let mut m = module.clone();
            let def = m.defs.swap_remove(i);
            m.defs = vec![def];
            m.exports.clear();
            if let Ok(ir) = coral_ir::lower(&m) {
                coral_ir::verify(&ir)
                    .unwrap_or_else(|e| panic!("{}: {}", f.display(), e.join("\n")));
            }
        }
    }
}
