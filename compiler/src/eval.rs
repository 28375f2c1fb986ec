//! `coral eval 'Expr'`: evaluates Erlang expressions and prints the value
//! as the erl shell does (`~p`), through a generated module.
//!
//! The expressions become the body of `coral_eval:main/0`, which prints
//! their value with `io:format("~p~n", [Value])`. The module is written as
//! Erlang into a fresh temporary directory and compiled like any `.erl`
//! input (so `erlc` must be installed); the caller runs it with the JIT.

use std::path::{Path, PathBuf};

/// The generated module's name.
pub const MODULE: &str = "coral_eval";

/// The Erlang source of the module evaluating `exprs`: a sequence of
/// expressions separated by commas, as typed at the shell (a final `.` is
/// allowed and dropped).
pub fn module_source(exprs: &str) -> String {
    let body = exprs.trim_end();
    let body = body.strip_suffix('.').unwrap_or(body);
    // `begin ... end` keeps a comma-separated sequence one expression; the
    // line break before `end` lets the input end in a `%` comment.
    format!(
        "-module({MODULE}).\n-export([main/0]).\nmain() ->\n    io:format(\"~p~n\", [begin\n{body}\nend]).\n"
    )
}

/// A temporary directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> std::io::Result<TempDir> {
        let base = std::env::temp_dir();
        for n in 0..1000u32 {
            let dir = base.join(format!("coral-eval-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free temporary directory name"))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the module for `exprs` into `dir`; the path of the `.erl` file.
pub fn write_module(dir: &TempDir, exprs: &str) -> std::io::Result<PathBuf> {
    let path = dir.path().join(format!("{MODULE}.erl"));
    std::fs::write(&path, module_source(exprs))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_full_stop_is_dropped() {
        assert!(module_source("1 + 2.").contains("begin\n1 + 2\nend"));
        assert!(module_source("X = 1, X + 1").contains("begin\nX = 1, X + 1\nend"));
    }

    #[test]
    fn temporary_directories_are_removed() {
        let d = TempDir::new().expect("temp dir");
        let p = d.path().to_path_buf();
        write_module(&d, "ok").expect("write");
        assert!(p.join("coral_eval.erl").exists());
        drop(d);
        assert!(!p.exists());
    }
}
