//! Helpers shared by the IR tests: compiling Erlang to Core Erlang with
//! `erlc`, lowering and verifying.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch directory for this test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coral-ir-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

/// Compiles `erl` with `erlc +to_core` into `out`, returning the `.core`.
pub fn to_core(erl: &Path, out: &Path) -> PathBuf {
    let status = Command::new("erlc")
        .arg("+to_core")
        .arg("-o")
        .arg(out)
        .arg(erl)
        .status()
        .expect("erlc must be installed (Erlang/OTP 25)");
    assert!(status.success(), "erlc +to_core {} failed", erl.display());
    let stem = erl.file_stem().expect("file stem");
    out.join(stem).with_extension("core")
}

/// Parses, lowers and verifies a `.core` file; returns the module.
pub fn lower_file(path: &Path) -> Result<coral_ir::Module, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    let ast = coral_syntax::parse_module_bytes(&name, &bytes)
        .map_err(|d| format!("{name}: parse: {}", d.render()))?;
    let ir = coral_ir::lower(&ast).map_err(|e| format!("{name}: lower: {e}"))?;
    coral_ir::verify(&ir).map_err(|errs| format!("{name}: verify:\n{}", errs.join("\n")))?;
    Ok(ir)
}
