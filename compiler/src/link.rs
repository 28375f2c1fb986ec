//! Linking an object file with the runtime library into an executable.
//!
//! The runtime is the `coral-runtime` crate built as a static library,
//! `libcoral_runtime.a`. Cargo builds it with the workspace, into the same
//! target directory as the `coral` binary: `target/<profile>/` when the
//! runtime is built as a package of its own, `target/<profile>/deps/`
//! (under a hashed name) when it is built as a dependency of `coral`. The
//! environment variable `CORAL_RUNTIME_LIB` names another one.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use coral_codegen::object::NATIVE_LIBS;

/// Why an executable could not be made, as a message for the user.
#[derive(Debug)]
pub enum LinkError {
    /// `CORAL_RUNTIME_LIB` names no file.
    EnvMissing(PathBuf),
    /// No runtime library in the places searched.
    NotFound(Vec<PathBuf>),
    TempDir(std::io::Error),
    WriteObject(PathBuf, std::io::Error),
    CcMissing,
    CcFailed(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::EnvMissing(p) => write!(
                f,
                "CORAL_RUNTIME_LIB is {}, which is not a file",
                p.display()
            ),
            LinkError::NotFound(searched) => {
                write!(
                    f,
                    "cannot find the Coral runtime library libcoral_runtime.a; build it with \
                     `cargo build -p coral-runtime` (in the profile coral was built with), or \
                     set CORAL_RUNTIME_LIB to its path. Searched:"
                )?;
                for p in searched {
                    write!(f, "\n  {}", p.display())?;
                }
                Ok(())
            }
            LinkError::TempDir(e) => write!(f, "cannot make a temporary directory: {e}"),
            LinkError::WriteObject(p, e) => write!(f, "cannot write {}: {e}", p.display()),
            LinkError::CcMissing => write!(
                f,
                "cannot link: the C compiler `cc` is not installed (Coral links executables \
                 with it; install gcc or clang)"
            ),
            LinkError::CcFailed(out) => {
                write!(f, "cc failed to link the executable:\n{}", out.trim_end())
            }
        }
    }
}

/// The runtime library: `CORAL_RUNTIME_LIB`, else the newest of
/// `libcoral_runtime.a` next to this executable and `libcoral_runtime-*.a`
/// in the `deps` directory beside it.
pub fn runtime_library() -> Result<PathBuf, LinkError> {
    if let Some(p) = std::env::var_os("CORAL_RUNTIME_LIB").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(LinkError::EnvMissing(p))
        };
    }
    let mut searched = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        let beside = dir.join("libcoral_runtime.a");
        let deps = dir.join("deps");
        // The newest wins: building `coral` refreshes the copy in `deps`
        // but not one left beside it by an earlier build of the runtime
        // alone.
        let in_deps = std::fs::read_dir(&deps)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.starts_with("libcoral_runtime-") && n.ends_with(".a")
            })
            .map(|e| e.path());
        let newest = std::iter::once(beside.clone())
            .chain(in_deps)
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .max();
        if let Some((_, p)) = newest {
            return Ok(p);
        }
        searched.push(beside);
        searched.push(deps.join("libcoral_runtime-*.a"));
    }
    Err(LinkError::NotFound(searched))
}

/// Writes `object` to a temporary file and links it with `runtime` into
/// `output`.
pub fn link(object: &[u8], runtime: &Path, output: &Path) -> Result<(), LinkError> {
    let dir = crate::input::TempDir::new().map_err(LinkError::TempDir)?;
    let obj = dir.path().join("program.o");
    std::fs::write(&obj, object).map_err(|e| LinkError::WriteObject(obj.clone(), e))?;
    let out = Command::new("cc")
        .arg("-o")
        .arg(output)
        .arg(&obj)
        .arg(runtime)
        .args(NATIVE_LIBS)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(LinkError::CcMissing),
        Err(e) => return Err(LinkError::CcFailed(e.to_string())),
    };
    if !out.status.success() {
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        return Err(LinkError::CcFailed(text));
    }
    Ok(())
}
