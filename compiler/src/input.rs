//! Reading a source file: Core Erlang as it is, Erlang through
//! `erlc +to_core`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Core Erlang text of one input file.
pub struct Source {
    /// The name diagnostics show: the path, or for Erlang input the path of
    /// the `.erl` file with the `.core` made from it.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why an input could not be read, as a one-line message.
#[derive(Debug)]
pub enum InputError {
    Read(PathBuf, std::io::Error),
    ErlcMissing(PathBuf),
    ErlcFailed(PathBuf, String),
    TempDir(std::io::Error),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            InputError::ErlcMissing(path) => write!(
                f,
                "cannot compile {}: erlc is not installed (Coral needs Erlang/OTP's erlc to \
                 turn .erl files into Core Erlang; install Erlang/OTP, or pass a .core file)",
                path.display()
            ),
            InputError::ErlcFailed(path, output) => {
                write!(f, "erlc +to_core failed on {}", path.display())?;
                let output = output.trim_end();
                if !output.is_empty() {
                    write!(f, ":\n{output}")?;
                }
                Ok(())
            }
            InputError::TempDir(e) => write!(f, "cannot make a temporary directory: {e}"),
        }
    }
}

impl Source {
    /// Loads `path`: a `.erl` file is compiled to Core Erlang with
    /// `erlc +to_core`; anything else is read as Core Erlang.
    pub fn load(path: &Path) -> Result<Source, InputError> {
        if path.extension().is_some_and(|e| e == "erl") {
            return from_erlang(path);
        }
        let bytes = std::fs::read(path).map_err(|e| InputError::Read(path.to_path_buf(), e))?;
        Ok(Source {
            name: path.display().to_string(),
            bytes,
        })
    }
}

/// A directory under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn new() -> std::io::Result<TempDir> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("coral-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Nothing useful can be done if a temporary file cannot be removed.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn from_erlang(path: &Path) -> Result<Source, InputError> {
    // Fail on a missing file with the same message as for .core files,
    // rather than with erlc's.
    if let Err(e) = std::fs::metadata(path) {
        return Err(InputError::Read(path.to_path_buf(), e));
    }
    let dir = TempDir::new().map_err(InputError::TempDir)?;
    let output = Command::new("erlc")
        .arg("+to_core")
        .arg("-o")
        .arg(&dir.0)
        .arg(path)
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(InputError::ErlcMissing(path.to_path_buf()));
        }
        Err(e) => return Err(InputError::ErlcFailed(path.to_path_buf(), e.to_string())),
    };
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        return Err(InputError::ErlcFailed(path.to_path_buf(), text));
    }
    // erlc names the file after the module, which it insists matches the
    // file name; take the one .core file it wrote.
    let core = std::fs::read_dir(&dir.0)
        .map_err(|e| InputError::Read(dir.0.clone(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "core"));
    let Some(core) = core else {
        return Err(InputError::ErlcFailed(
            path.to_path_buf(),
            "it wrote no .core file".to_string(),
        ));
    };
    let bytes = std::fs::read(&core).map_err(|e| InputError::Read(core.clone(), e))?;
    let core_name = core
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(Source {
        name: format!("{} ({core_name} from erlc +to_core)", path.display()),
        bytes,
    })
}
