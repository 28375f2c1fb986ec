//! Erlang/OTP as the oracle of the differential tests, and the process plumbing
//! both sides of those tests share.
//!
//! The expected behaviour of a test program is whatever the real BEAM does with
//! it, computed afresh on every run: `erlc` compiles the program (to a `.beam`
//! for `erl`, and with `+to_core` to the `.core` Coral compiles), and `erl` runs
//! it. A VM boot is costly next to a small program, so most programs run many to
//! a VM under `tests/harness/coral_diff_runner.erl`, which gives each one what
//! `erl -noshell -eval 'NAME:main(), halt(0).'` would; programs whose output
//! bypasses the group leader run in a VM of their own ([`needs_own_vm`]).
//!
//! What counts as a program's output when it crashes: under
//! `erl -noshell -eval`, an exception escaping `main/0` makes `erl` write one
//! line `{"init terminating in do_boot",Reason}\r\n` to stdout (inserted among
//! the program's own output wherever the write happened to land), a longer form
//! to stderr, and exit with status 1. Coral reports an uncaught exception on
//! stderr instead, so that line is not part of the expected stdout
//! ([`strip_boot_crash_line`]): a crashing program must match erl's stdout
//! without it, and erl's exit status.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The Erlang module that runs a batch of programs in one VM.
pub const RUNNER_MODULE: &str = "coral_diff_runner";

/// The start of the line `erl` prints to stdout when `-eval` raises.
const BOOT_CRASH_MARKER: &[u8] = b"{\"init terminating in do_boot\",";

/// Beyond this much output a program is stopped: it is running away.
const MAX_OUTPUT_BYTES: u64 = 64 << 20;

/// The installed `erl` and `erlc`.
#[derive(Debug, Clone)]
pub struct Otp {
    pub erl: PathBuf,
    pub erlc: PathBuf,
}

impl Otp {
    /// Finds `erl` and `erlc` on `PATH`. Their absence is an error, never a
    /// reason to skip: without the oracle nothing can be checked.
    pub fn locate() -> Result<Otp, String> {
        let find = |name: &str| {
            find_in_path(name).ok_or_else(|| {
                format!(
                    "`{name}` was not found on PATH. The differential tests need Erlang/OTP \
                     as their oracle: install it (on Debian or Ubuntu: \
                     `apt-get install -y erlang-nox`) and run them again."
                )
            })
        };
        Ok(Otp {
            erl: find("erl")?,
            erlc: find("erlc")?,
        })
    }

    /// A command for `erl` in a clean environment: no user flags, no crash
    /// dump (it would only cost time), stdin empty.
    fn erl_command(&self, cwd: &Path) -> Command {
        let mut cmd = Command::new(&self.erl);
        cmd.current_dir(cwd)
            .env_remove("ERL_FLAGS")
            .env_remove("ERL_AFLAGS")
            .env_remove("ERL_ZFLAGS")
            .env("ERL_CRASH_DUMP_SECONDS", "0")
            .stdin(Stdio::null());
        cmd
    }

    /// Compiles `sources` with `erlc` into `out_dir`: to `.core` text when
    /// `to_core` is set, to `.beam` otherwise.
    pub fn compile(
        &self,
        sources: &[PathBuf],
        out_dir: &Path,
        to_core: bool,
    ) -> Result<(), String> {
        if sources.is_empty() {
            return Ok(());
        }
        let mut cmd = Command::new(&self.erlc);
        cmd.env_remove("ERL_FLAGS")
            .env_remove("ERL_AFLAGS")
            .env_remove("ERL_ZFLAGS")
            .env("ERL_CRASH_DUMP_SECONDS", "0")
            .stdin(Stdio::null())
            .arg("-o")
            .arg(out_dir);
        if to_core {
            cmd.arg("+to_core");
        }
        cmd.args(sources);
        let what = if to_core { "erlc +to_core" } else { "erlc" };
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.erlc.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Runs the programs `modules` in one VM with the batch runner, whose
    /// `.beam` is in `runner_dir`; the programs' `.beam` files are in
    /// `beam_dir`. Results are written to, and read back from, `out_dir`.
    pub fn run_batch(
        &self,
        beam_dir: &Path,
        runner_dir: &Path,
        out_dir: &Path,
        modules: &[String],
        per_program: Duration,
    ) -> Result<BTreeMap<String, Outcome>, String> {
        fs::create_dir_all(out_dir)
            .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
        let mut cmd = self.erl_command(out_dir);
        cmd.arg("-noshell")
            .arg("-pa")
            .arg(runner_dir)
            .arg("-pa")
            .arg(beam_dir)
            .arg("-run")
            .arg(RUNNER_MODULE)
            .arg("main")
            .arg(out_dir)
            .arg(per_program.as_millis().to_string())
            .args(modules);
        // The runner stops a program that overruns on its own; this bound only
        // guards against the runner itself hanging.
        let whole = per_program * (modules.len() as u32 + 1);
        let log = out_dir.join("runner");
        let run =
            run_captured(&mut cmd, &log, whole).map_err(|e| format!("cannot run erl: {e}"))?;
        if run.status != Status::Code(0) {
            return Err(format!(
                "the batch runner failed ({}).\nstdout:\n{}\nstderr:\n{}",
                run.status,
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            ));
        }
        if !run.stdout.is_empty() {
            return Err(format!(
                "a program in this batch wrote to the VM's own stdout, past its group leader \
                 (erlang:display/1, io:format(user, ...), a logger report): the batch cannot \
                 capture that, so the program must not do it, or must be recognised by \
                 `needs_own_vm` and run alone. Batch: {}\nstray output:\n{}",
                modules.join(" "),
                String::from_utf8_lossy(&run.stdout)
            ));
        }
        let mut outcomes = BTreeMap::new();
        for module in modules {
            let read = |ext: &str| {
                let path = out_dir.join(format!("{module}.{ext}"));
                fs::read(&path)
                    .map_err(|e| format!("the batch runner left no {}: {e}", path.display()))
            };
            let stdout = read("out")?;
            let status = match read("status")?.as_slice() {
                b"0" => Status::Code(0),
                b"1" => Status::Code(1),
                b"timeout" => Status::TimedOut,
                other => {
                    return Err(format!(
                        "the batch runner wrote an unknown status for {module}: {:?}",
                        String::from_utf8_lossy(other)
                    ));
                }
            };
            outcomes.insert(module.clone(), Outcome { stdout, status });
        }
        Ok(outcomes)
    }

    /// Runs one program alone, exactly as `erl -noshell -eval 'NAME:main(),
    /// halt(0).'`, in `scratch` (which also receives the captured streams).
    /// The expected stdout is erl's without its boot crash line, which is only
    /// reliable for a program that prints through `erlang:display/1` alone:
    /// see [`strip_boot_crash_line`].
    pub fn run_single(
        &self,
        beam_dir: &Path,
        module: &str,
        scratch: &Path,
        timeout: Duration,
    ) -> Result<Outcome, String> {
        let raw = self.run_single_raw(beam_dir, module, scratch, timeout)?;
        Ok(Outcome {
            stdout: strip_boot_crash_line(&raw.stdout),
            status: raw.status,
        })
    }

    /// Like [`Otp::run_single`], with erl's stdout exactly as it was written.
    pub fn run_single_raw(
        &self,
        beam_dir: &Path,
        module: &str,
        scratch: &Path,
        timeout: Duration,
    ) -> Result<Outcome, String> {
        fs::create_dir_all(scratch)
            .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
        let mut cmd = self.erl_command(scratch);
        cmd.arg("-noshell")
            .arg("-pa")
            .arg(beam_dir)
            .arg("-eval")
            .arg(format!("{module}:main(), halt(0)."));
        let run = run_captured(&mut cmd, &scratch.join(module), timeout)
            .map_err(|e| format!("cannot run erl: {e}"))?;
        Ok(Outcome {
            stdout: run.stdout,
            status: run.status,
        })
    }
}

/// What a program did: the bytes it wrote to stdout, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub status: Status,
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(i32),
    Signal(i32),
    TimedOut,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(c) => write!(f, "exit status {c}"),
            Status::Signal(s) => write!(f, "killed by signal {s}"),
            Status::TimedOut => write!(f, "timed out"),
        }
    }
}

/// A finished process: its streams and how it ended.
#[derive(Debug)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: Status,
}

/// Runs `cmd` with stdout and stderr sent to `PREFIX.stdout` and
/// `PREFIX.stderr` (files, so no pipe can fill up and stall the child), killing
/// it after `timeout` or when its output passes `MAX_OUTPUT_BYTES`.
pub fn run_captured(cmd: &mut Command, prefix: &Path, timeout: Duration) -> io::Result<Captured> {
    let with_ext = |ext: &str| {
        let mut p = prefix.as_os_str().to_owned();
        p.push(ext);
        PathBuf::from(p)
    };
    let out_path = with_ext(".stdout");
    let err_path = with_ext(".stderr");
    cmd.stdout(File::create(&out_path)?)
        .stderr(File::create(&err_path)?);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break exit_status(st);
        }
        let runaway = fs::metadata(&out_path)
            .map(|m| m.len() > MAX_OUTPUT_BYTES)
            .unwrap_or(false)
            || fs::metadata(&err_path)
                .map(|m| m.len() > MAX_OUTPUT_BYTES)
                .unwrap_or(false);
        if start.elapsed() >= timeout || runaway {
            // The child may have exited meanwhile; a failed kill is then harmless.
            let _ = child.kill();
            let st = child.wait()?;
            break if runaway {
                exit_status(st)
            } else {
                Status::TimedOut
            };
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    Ok(Captured {
        stdout: fs::read(&out_path)?,
        stderr: fs::read(&err_path)?,
        status,
    })
}

fn exit_status(st: std::process::ExitStatus) -> Status {
    if let Some(code) = st.code() {
        return Status::Code(code);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = st.signal() {
            return Status::Signal(sig);
        }
    }
    Status::Code(-1)
}

/// Removes the `{"init terminating in do_boot",...}\r\n` line that `erl` writes
/// to stdout when `main/0` raises; everything else is the program's own.
///
/// erl writes that line as `erlang:display/1` does, one byte per `write(2)`,
/// while the program's `io` output reaches stdout through a port that may lag
/// behind, so the two can interleave byte by byte. Output written by
/// `erlang:display/1` itself cannot be overtaken that way (each call returns
/// after its writes), so for a program printing only through it the crash
/// line is contiguous: from the marker to the first `\r\n` after it (the
/// rendering of a reason contains no raw line break). For output that went
/// through `io`, see [`crash_output_prefix`].
pub fn strip_boot_crash_line(stdout: &[u8]) -> Vec<u8> {
    let Some(start) = find(stdout, BOOT_CRASH_MARKER) else {
        return stdout.to_vec();
    };
    let end = find(&stdout[start..], b"\r\n").map_or(stdout.len(), |i| start + i + 2);
    let mut kept = stdout[..start].to_vec();
    kept.extend_from_slice(&stdout[end..]);
    kept
}

/// How much of a crashing program's own output `own` (as the batch runner
/// captured it) appears in `raw`, what a lone erl wrote to stdout for it.
///
/// A lone erl prints its crash line `{"init terminating in do_boot",...}\r\n`
/// one byte per write while the program's `io` output is still on its way
/// through a port, so the two interleave byte by byte; and the VM can halt
/// before that port has written everything, losing the end of the output.
/// So `raw` should be a prefix of `own` interleaved with one crash line
/// ([`BOOT_CRASH_MARKER`], then bytes other than `\r` and `\n`, then
/// `\r\n`). Returns the length of the longest such prefix, or `None` when
/// `raw` has no such shape.
pub fn crash_output_prefix(raw: &[u8], own: &[u8]) -> Option<usize> {
    const MAX_STEPS: usize = 50_000_000;
    let marker = BOOT_CRASH_MARKER;
    if raw.len().saturating_mul(own.len() + 1) > MAX_STEPS {
        // Too large to search; accept only the contiguous, complete case.
        return (strip_boot_crash_line(raw) == own).then_some(own.len());
    }
    // For each count j of `own` bytes consumed so far: whether raw[..i] splits
    // into own[..j] and the start of a crash line that is (0) before its
    // `\r`, (1) just past its `\r`, or (2) complete. Bytes of raw not given to
    // `own` belong to the crash line, so in phase 0 the crash line holds
    // exactly i - j bytes, which places each byte against the marker.
    let width = own.len() + 1;
    let mut reach = vec![[false; 3]; width];
    reach[0][0] = true;
    for (i, &byte) in raw.iter().enumerate() {
        let mut next = vec![[false; 3]; width];
        for j in 0..=i.min(own.len()) {
            let [mid, cr, done] = reach[j];
            let takes_own = j < own.len() && own[j] == byte;
            if mid {
                if takes_own {
                    next[j + 1][0] = true;
                }
                let c = i - j;
                if c < marker.len() {
                    next[j][0] |= byte == marker[c];
                } else if byte == b'\r' {
                    next[j][1] = true;
                } else if byte != b'\n' {
                    next[j][0] = true;
                }
            }
            if cr {
                if takes_own {
                    next[j + 1][1] = true;
                }
                next[j][2] |= byte == b'\n';
            }
            if done && takes_own {
                next[j + 1][2] = true;
            }
        }
        reach = next;
    }
    (0..width).rev().find(|&j| reach[j][2])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether a program, given its `.core` text, must run in a VM of its own:
/// `erlang:display/1` writes to the VM's stdout past the group leader, and
/// `halt` or `init:stop` end the VM itself. Both direct calls
/// (`call 'erlang':'display'`) and fun references (`fun 'erlang':'halt'/1`)
/// print the same way in Core Erlang.
pub fn needs_own_vm(core: &str) -> bool {
    ["'erlang':'display", "'erlang':'halt'", "'init':'stop'"]
        .iter()
        .any(|p| core.contains(p))
}

/// Finds an executable called `name` in the directories of `PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Whether `name` is a module name the harness can pass unquoted on an `erl`
/// command line and in `-eval` text: a lowercase atom without quotes.
pub fn is_plain_module_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The file stem of `path` as UTF-8, if it has one.
pub fn stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(OsStr::to_str)
}

/// A unified-style line diff of `expected` against `actual`, showing at most
/// `max_changed` changed lines with a line of context around each change.
pub fn line_diff(expected: &[u8], actual: &[u8], max_changed: usize) -> String {
    let a = split_lines(expected);
    let b = split_lines(actual);
    // Common prefix and suffix need no alignment; only the middle does.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mid_a = &a[prefix..a.len() - suffix];
    let mid_b = &b[prefix..b.len() - suffix];
    let mut ops: Vec<(char, &[u8])> = Vec::new();
    if prefix > 0 {
        ops.push((' ', a[prefix - 1]));
    }
    align(mid_a, mid_b, &mut ops);
    if suffix > 0 {
        ops.push((' ', a[a.len() - suffix]));
    }
    let mut text = format!(
        "--- erl\n+++ coral\n@@ first difference at line {} @@\n",
        prefix + 1
    );
    let mut changed = 0;
    for (tag, line) in ops {
        if tag != ' ' {
            changed += 1;
            if changed > max_changed {
                text.push_str("... (more differences not shown)\n");
                break;
            }
        }
        text.push(tag);
        text.push_str(&show_line(line));
        text.push('\n');
    }
    text
}

/// Lines with their terminators, so that a missing final newline or a `\r`
/// shows up as a difference.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' {
            lines.push(&bytes[start..=i]);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        lines.push(&bytes[start..]);
    }
    lines
}

/// Appends the edit script between `a` and `b`: a longest common subsequence
/// when the sizes allow, otherwise all of `a` removed and all of `b` added.
fn align<'a>(a: &[&'a [u8]], b: &[&'a [u8]], ops: &mut Vec<(char, &'a [u8])>) {
    const MAX_CELLS: usize = 4_000_000;
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        ops.extend(a.iter().map(|l| ('-', *l)));
        ops.extend(b.iter().map(|l| ('+', *l)));
        return;
    }
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
}

/// A line for the diff: its terminator dropped, a missing one noted, and
/// carriage returns and other control bytes made visible.
fn show_line(line: &[u8]) -> String {
    let (body, terminated) = match line.strip_suffix(b"\n") {
        Some(body) => (body, true),
        None => (line, false),
    };
    let mut s = String::new();
    for chunk in String::from_utf8_lossy(body).chars() {
        match chunk {
            '\r' => s.push_str("\\r"),
            '\t' => s.push('\t'),
            c if c.is_control() => s.push_str(&format!("\\x{:02x}", c as u32)),
            c => s.push(c),
        }
    }
    if !terminated {
        s.push_str("  (no newline at end)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_boot_crash_line_wherever_it_lands() {
        let out = b"a\n{\"init terminating in do_boot\",{badarith,[]}}\r\nb\n";
        assert_eq!(strip_boot_crash_line(out), b"a\nb\n");
        let mid = b"abc{\"init terminating in do_boot\",bye}\r\n";
        assert_eq!(strip_boot_crash_line(mid), b"abc");
        assert_eq!(strip_boot_crash_line(b"plain\n"), b"plain\n");
    }

    #[test]
    fn finds_the_program_output_around_an_interleaved_crash_line() {
        let own = b"x\nabc\n";
        let clean = b"x\nabc\n{\"init terminating in do_boot\",bye}\r\n";
        assert_eq!(crash_output_prefix(clean, own), Some(own.len()));
        let mixed = b"{x\n\"init terminating in do_boot\",ab{{bye}}c\n}\r\n";
        assert_eq!(crash_output_prefix(mixed, own), Some(own.len()));
        let lost_tail = b"x\n{\"init terminating in do_boot\",bye}\r\n";
        assert_eq!(crash_output_prefix(lost_tail, own), Some(2));
        assert_eq!(crash_output_prefix(mixed, b"x\nabd\n"), None);
        assert_eq!(crash_output_prefix(b"x\nabc\n", own), None);
        assert_eq!(
            crash_output_prefix(b"x\nzzz\n{\"init terminating in do_boot\",b}\r\n", own),
            None
        );
    }

    #[test]
    fn recognises_programs_that_need_their_own_vm() {
        assert!(needs_own_vm("do  call 'erlang':'display'\n (1)"));
        assert!(needs_own_vm("fun 'erlang':'halt'/1"));
        assert!(needs_own_vm("call 'init':'stop'\n ()"));
        assert!(!needs_own_vm("call 'io':'format'\n ([126|[110]])"));
    }

    #[test]
    fn diff_shows_changed_lines() {
        let d = line_diff(b"a\nb\nc\n", b"a\nx\nc\n", 40);
        assert!(d.contains("-b\n"), "{d}");
        assert!(d.contains("+x\n"), "{d}");
        assert!(d.contains(" a\n"), "{d}");
        let d = line_diff(b"a\r\n", b"a\n", 40);
        assert!(d.contains("-a\\r\n"), "{d}");
        let d = line_diff(b"a\n", b"a", 40);
        assert!(d.contains("(no newline at end)"), "{d}");
    }

    #[test]
    fn module_names() {
        assert!(is_plain_module_name("bin_utf16_match"));
        assert!(!is_plain_module_name("Bad"));
        assert!(!is_plain_module_name("a-b"));
        assert!(!is_plain_module_name(""));
    }
}
