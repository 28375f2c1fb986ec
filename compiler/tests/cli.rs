//! The `coral` command as a user runs it: exit codes, where diagnostics go,
//! and what `dump` prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn coral() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coral"));
    c.env("NO_COLOR", "1");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(c: &mut Command) -> Output {
    c.output().expect("coral runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_reports_a_parse_error_on_stderr_and_exits_1() {
    let dir = repo().join("tests/parse-errors");
    let out = run(coral()
        .current_dir(&dir)
        .args(["check", "missing_when.core"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let expected = std::fs::read_to_string(dir.join("missing_when.expected"))
        .expect("the expected diagnostic is readable");
    assert_eq!(text(&out.stderr), expected);
}

#[test]
fn check_accepts_good_files_silently() {
    let lfe = repo().join("tests/lfe");
    let out = run(coral()
        .current_dir(&lfe)
        .args(["check", "lfe_hello.core", "lfe_try.core"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn check_goes_on_after_a_bad_file() {
    let out = run(coral().current_dir(repo()).args([
        "check",
        "tests/parse-errors/bare_word.core",
        "tests/lfe/lfe_ring.core",
        "tests/parse-errors/stray_char.core",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bare_word.core:4:15"), "{err}");
    assert!(err.contains("stray_char.core:4:37"), "{err}");
    assert!(!err.contains("lfe_ring"), "{err}");
}

#[test]
fn a_missing_file_is_a_one_line_error() {
    let out = run(coral().args(["check", "no/such/file.core"]));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("coral: cannot read no/such/file.core: "),
        "{err}"
    );
    let out = run(coral().args(["dump", "--stage", "ast", "no/such/file.erl"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("coral: cannot read no/such/file.erl: "));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(coral().args(["check"])).status.code(), Some(2));
    assert_eq!(run(coral().args(["dump", "x.core"])).status.code(), Some(2));
    assert_eq!(
        run(coral().args(["dump", "--stage", "nope", "x.core"]))
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn dump_core_prints_text_that_parses_to_the_same_tree() {
    let file = repo().join("tests/lfe/lfe_match.core");
    let out = run(coral().arg("dump").arg("--stage").arg("core").arg(&file));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let original = std::fs::read_to_string(&file).expect("readable");
    let a = coral_syntax::parse_module("original", &original).expect("parses");
    let b = coral_syntax::parse_module("printed", &printed).expect("printed text parses");
    assert!(coral_syntax::same_ignoring_spans(&a, &b));
}

#[test]
fn dump_ast_shows_the_tree() {
    let file = repo().join("tests/lfe/lfe_try.core");
    let out = run(coral().arg("dump").arg("--stage").arg("ast").arg(&file));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dump = text(&out.stdout);
    assert!(dump.starts_with("module 'lfe_try' @0.."), "{dump}");
    assert!(dump.contains("def 'safe'/1 @"), "{dump}");
    assert!(dump.contains("try of <_2> catch <_5,_4,_3> @"), "{dump}");
}

fn erl_file(dir: &Path) -> PathBuf {
    let path = dir.join("hello.erl");
    std::fs::write(
        &path,
        "-module(hello).\n-export([main/0]).\nmain() ->\n    io:format(\"hi~n\").\n",
    )
    .expect("can write a test file");
    path
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coral-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("can make a scratch directory");
    dir
}

#[test]
fn erlang_files_go_through_erlc() {
    let dir = scratch("erlc");
    let erl = erl_file(&dir);
    let out = run(coral().arg("dump").arg("--stage").arg("core").arg(&erl));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let core = text(&out.stdout);
    assert!(core.starts_with("module 'hello' ['main'/0,"), "{core}");
    assert!(core.contains("call 'io':'format'"), "{core}");
    // erlc's errors are passed on.
    let bad = dir.join("bad.erl");
    std::fs::write(&bad, "-module(bad).\nf( ->\n").expect("can write");
    let out = run(coral().arg("check").arg(&bad));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("coral: erlc +to_core failed on "), "{err}");
    assert!(err.contains("bad.erl:2:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_erlc_erlang_files_are_refused_clearly() {
    let dir = scratch("no-erlc");
    let erl = erl_file(&dir);
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).expect("can make a directory");
    let out = run(coral().env("PATH", &empty).arg("check").arg(&erl));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("erlc is not installed"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// What `erl` prints for `io:format("~p~n", [begin Exprs end])`: the
/// oracle for `coral eval`.
fn erl_eval_p(exprs: &str) -> String {
    let out = Command::new("erl")
        .arg("-noshell")
        .arg("-eval")
        .arg(format!("io:format(\"~p~n\", [begin {exprs} end]), halt()."))
        .output()
        .expect("erl must be installed");
    assert!(out.status.success(), "erl failed: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn eval_prints_values_as_erl_does() {
    for exprs in [
        "X = 6, X * 7",
        "lists:seq(1, 30)",
        "#{a => [1.5, \"text\", <<\"bin\">>], b => {self_is_a_pid, is_pid(self())}}",
        "lists:map(fun(N) -> N * N end, lists:seq(1, 5))",
        "string:uppercase(\"coral\")",
    ] {
        let out = run(coral().arg("eval").arg(format!("{exprs}.")));
        assert!(out.status.success(), "{exprs}: {}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            erl_eval_p(exprs),
            "coral eval '{exprs}.'"
        );
    }
}

#[test]
fn eval_of_a_crash_exits_1_with_the_reason() {
    let out = run(coral().arg("eval").arg("1 + list_to_atom(\"a\")"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("badarith"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn eval_of_bad_syntax_is_an_error_not_a_crash() {
    let out = run(coral().arg("eval").arg("1 +* 2"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("erlc"), "{}", text(&out.stderr));
}
