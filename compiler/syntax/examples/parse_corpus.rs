//! Parses every `.core` file of a directory and reports throughput:
//! lexing alone, lexing and parsing, and printing; then checks that each
//! printed module parses back to the same tree.
//!
//! ```text
//! cargo run --release -p coral-syntax --example parse_corpus -- target/otp-core
//! ```
//!
//! Files are read into memory first, so the figures are for the front end
//! alone, in one thread. Exits with status 1 if any file fails. With
//! `--parse-only` after the directory it stops after parsing (for profiling
//! the parser: `perf record target/release/examples/parse_corpus DIR --parse-only`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use coral_syntax::lexer::Lexer;

fn mb_per_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

/// CPU time of this thread, from Linux's schedstat (nanoseconds on a CPU);
/// `None` elsewhere. On a busy machine wall time overstates the cost.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: thread_cpu(),
        }
    }

    fn report(&self, what: &str, bytes: usize) {
        let mut t = Times::default();
        t.add(self);
        t.report(what, bytes);
    }
}

#[derive(Default)]
struct Times {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Times {
    fn add(&mut self, clock: &Clock) {
        self.wall += clock.wall.elapsed();
        if let (Some(start), Some(now)) = (clock.cpu, thread_cpu()) {
            *self.cpu.get_or_insert(Duration::ZERO) += now.saturating_sub(start);
        }
    }

    fn report(&self, what: &str, bytes: usize) {
        print!(
            "{what:<12} {:>7.1} MB/s wall ({:.2} s)",
            mb_per_s(bytes, self.wall),
            self.wall.as_secs_f64()
        );
        if let Some(cpu) = self.cpu {
            print!(
                ", {:>7.1} MB/s CPU ({:.2} s)",
                mb_per_s(bytes, cpu),
                cpu.as_secs_f64()
            );
        }
        println!();
    }
}

fn main() -> ExitCode {
    // One thread with a deep stack for everything, so that printing does not
    // start a thread of its own for each module.
    coral_syntax::with_deep_stack(run)
}

fn run() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_corpus DIR");
        return ExitCode::FAILURE;
    };
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "core"))
            .collect(),
        Err(e) => {
            eprintln!("parse_corpus: cannot read {dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    paths.sort();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for p in &paths {
        match std::fs::read(p) {
            Ok(b) => files.push((p.display().to_string(), b)),
            Err(e) => {
                eprintln!("parse_corpus: cannot read {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    println!("{} files, {:.1} MB", files.len(), total as f64 / 1e6);

    let mut failed = 0usize;

    // Lexing alone.
    let clock = Clock::start();
    let mut tokens = 0usize;
    for (name, bytes) in &files {
        let Ok(src) = std::str::from_utf8(bytes) else {
            eprintln!("{name}: not UTF-8");
            continue;
        };
        for tok in Lexer::new(src) {
            match tok {
                Ok(_) => tokens += 1,
                Err(e) => {
                    eprintln!("{name}: lexing failed: {e:?}");
                    break;
                }
            }
        }
    }
    clock.report("lex", total);
    println!("             {tokens} tokens");

    // Lexing and parsing; each tree is dropped outside the timing.
    let mut parse_time = Times::default();
    let mut parsed = 0usize;
    for (name, bytes) in &files {
        let clock = Clock::start();
        let result = coral_syntax::parse_module_bytes(name, bytes);
        parse_time.add(&clock);
        match result {
            Ok(_) => parsed += 1,
            Err(d) => {
                failed += 1;
                eprint!("{}", d.render());
            }
        }
    }
    parse_time.report("lex+parse", total);
    if std::env::args().nth(2).as_deref() == Some("--parse-only") {
        return if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }

    // Printing, and parsing the printed text back.
    let mut print_time = Times::default();
    let mut printed_bytes = 0usize;
    let mut same = 0usize;
    for (name, bytes) in &files {
        let Ok(module) = coral_syntax::parse_module_bytes(name, bytes) else {
            continue;
        };
        let clock = Clock::start();
        let text = coral_syntax::print::module(&module);
        print_time.add(&clock);
        printed_bytes += text.len();
        match coral_syntax::parse_module(name, &text) {
            Ok(again) if coral_syntax::same_ignoring_spans(&module, &again) => same += 1,
            Ok(_) => {
                failed += 1;
                eprintln!("{name}: printed text parses to a different tree");
            }
            Err(d) => {
                failed += 1;
                eprintln!("{name}: printed text does not parse:");
                eprint!("{}", d.render());
            }
        }
    }
    print_time.report("print", printed_bytes);
    println!(
        "parsed {parsed}/{} files; printed text parses to the same tree for {same}/{parsed}",
        files.len()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        println!("{failed} failures");
        ExitCode::FAILURE
    }
}
