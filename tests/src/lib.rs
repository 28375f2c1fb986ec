//! Shared helpers for Coral's end-to-end tests: where the test data lives and
//! whether the oracle (Erlang/OTP's `erl` and `erlc`) is installed.

use std::path::PathBuf;
use std::process::{Command, Stdio};

pub mod erl;

/// The `tests/` directory of the workspace, where programs and data live.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root.
pub fn workspace_dir() -> PathBuf {
    tests_dir()
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(tests_dir)
}

/// `Ok` when `erl`, `erlc` and `escript` can be run. Tests that compare with
/// the BEAM fail (never skip) without them.
pub fn require_erlang() -> Result<(), String> {
    for tool in ["erl", "erlc", "escript"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Err(format!(
                "`{tool}` is not installed; these tests compare Coral with Erlang/OTP. \
                 Install it (Debian: apt-get install erlang-nox) and run them again."
            ));
        }
    }
    Ok(())
}
