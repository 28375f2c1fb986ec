//! `coral build` and `coral run` as a user runs them: the executables they
//! make and the programs they run behave as the same programs under `erl`
//! (whose behaviour each test computes), and failures to link are
//! explained.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn coral() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coral"));
    c.env("NO_COLOR", "1");
    c
}

fn run(c: &mut Command) -> Output {
    c.output().expect("the command runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coral-build-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("can make a scratch directory");
    dir
}

/// Writes `name.erl` into `dir` and compiles it to `.beam` there for erl.
fn program(dir: &Path, name: &str, source: &str) -> PathBuf {
    let path = dir.join(format!("{name}.erl"));
    std::fs::write(&path, source).expect("can write a test program");
    let out = run(Command::new("erlc").arg("-o").arg(dir).arg(&path));
    assert!(out.status.success(), "erlc: {}", text(&out.stderr));
    path
}

/// What `erl` prints and exits with for `Expr` evaluated with `dir` on the
/// code path: the oracle. A crash's `init terminating` line, which Coral
/// does not copy, is left out.
fn erl(dir: &Path, expr: &str) -> (Vec<u8>, Option<i32>) {
    let out = run(Command::new("erl")
        .arg("-noshell")
        .arg("-pa")
        .arg(dir)
        .arg("-eval")
        .arg(expr));
    let mut stdout = out.stdout;
    if let Some(i) = stdout
        .windows(24)
        .position(|w| w == b"{\"init terminating in do")
    {
        stdout.truncate(i);
    }
    (stdout, out.status.code())
}

const ARITH: &str = r#"-module(arith).
-export([main/0]).
main() ->
    erlang:display(fact(25)),
    erlang:display({1.5 * 2, 7 div 2, -7 rem 3, 1 bsl 70}),
    erlang:display([X * X || X <- seq(1, 5)]),
    erlang:display(catch throw(thrown)),
    erlang:display(try error({bad, [1]}) catch error:R -> {caught, R} end),
    erlang:display(#{a => 1, "b" => <<"two">>}),
    F = fun(X) -> {X, self_less} end,
    erlang:display(F(x)),
    Ops = [fun erlang:'+'/2, fun erlang:'*'/2, fun erlang:'-'/2],
    erlang:display([Op(6, 7) || Op <- Ops]),
    erlang:display(apply(erlang, element, [2, {a, b}])).
fact(0) -> 1;
fact(N) -> N * fact(N - 1).
seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].
"#;

#[test]
fn a_built_executable_prints_what_erl_prints() {
    let dir = scratch("arith");
    let src = program(&dir, "arith", ARITH);
    let exe = dir.join("arith");
    let out = run(coral().arg("build").arg(&src).arg("-o").arg(&exe));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = run(&mut Command::new(&exe));
    let (want, status) = erl(&dir, "arith:main(), halt(0).");
    assert_eq!(text(&got.stdout), text(&want));
    assert_eq!(got.status.code(), status);
    assert_eq!(status, Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

const MULTI_A: &str = r#"-module(multi_a).
-export([main/1]).
main(Args) ->
    erlang:display(Args),
    erlang:display(multi_b:twice(21)),
    G = fun multi_b:twice/1,
    erlang:display(G(4)),
    case Args of
        ["crash"] -> multi_b:crash(atom);
        ["halt"] -> erlang:halt(3);
        _ -> done
    end.
"#;

const MULTI_B: &str = r#"-module(multi_b).
-export([twice/1, crash/1]).
twice(X) -> 2 * X.
crash(X) -> erlang:display(crashing), X + 1.
"#;

/// `multi_a` and `multi_b` built into one executable whose entry is
/// `multi_a:main/1`, given the command-line arguments.
fn build_multi(dir: &Path) -> PathBuf {
    let a = program(dir, "multi_a", MULTI_A);
    let b = program(dir, "multi_b", MULTI_B);
    let exe = dir.join("multi");
    let out = run(coral()
        .arg("build")
        .arg(&a)
        .arg(&b)
        .arg("--entry")
        .arg("multi_a:main")
        .arg("-o")
        .arg(&exe));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    exe
}

#[test]
fn modules_call_each_other_and_main_gets_the_arguments() {
    let dir = scratch("multi");
    let exe = build_multi(&dir);
    let got = run(Command::new(&exe).args(["a", "b c", "\u{e9}"]));
    let (want, status) = erl(&dir, "multi_a:main([\"a\", \"b c\", [233]]), halt(0).");
    assert_eq!(text(&got.stdout), text(&want));
    assert_eq!(got.status.code(), status);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_uncaught_exception_exits_1_with_a_report_on_stderr() {
    let dir = scratch("crash");
    let a = program(&dir, "multi_a", MULTI_A);
    let b = program(&dir, "multi_b", MULTI_B);
    let exe = dir.join("crash");
    // Without main/0 in the entry module the executable starts main/1.
    let out = run(coral()
        .arg("build")
        .arg(&b)
        .arg(&a)
        .arg("--entry")
        .arg("multi_b:crash")
        .arg("-o")
        .arg(&exe));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = run(Command::new(&exe).arg("x"));
    let (want, status) = erl(&dir, "multi_b:crash([\"x\"]), halt(0).");
    assert_eq!(text(&got.stdout), text(&want));
    assert_eq!(got.status.code(), status);
    assert_eq!(status, Some(1));
    // The report erl writes to stderr when the boot process crashes.
    let err = text(&got.stderr);
    assert!(
        err.contains("init terminating in do_boot ({badarith,[{multi_b,crash,1,"),
        "{err}"
    );
    assert!(err.contains("multi_b.erl\"},{line,"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coral_run_behaves_as_erl_and_writes_nothing() {
    let dir = scratch("run");
    let a = program(&dir, "multi_a", MULTI_A);
    let b = program(&dir, "multi_b", MULTI_B);
    let listing = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .expect("readable")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        v.sort();
        v
    };
    let before = listing(&dir);
    for (args, expr) in [
        (vec![], "multi_a:main([]), halt(0)."),
        (vec!["crash"], "multi_a:main([\"crash\"]), halt(0)."),
        (vec!["halt"], "multi_a:main([\"halt\"]), halt(0)."),
    ] {
        let mut c = coral();
        c.current_dir(&dir).arg("run").arg(&a).arg(&b);
        if !args.is_empty() {
            c.arg("--").args(&args);
        }
        let got = run(&mut c);
        let (want, status) = erl(&dir, expr);
        assert_eq!(text(&got.stdout), text(&want), "{args:?}");
        assert_eq!(got.status.code(), status, "{args:?}: {}", text(&got.stderr));
    }
    assert_eq!(listing(&dir), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_executable_exits_with_the_halt_status() {
    let dir = scratch("halt");
    let exe = build_multi(&dir);
    let got = run(Command::new(&exe).arg("halt"));
    let (want, status) = erl(&dir, "multi_a:main([\"halt\"]), halt(0).");
    assert_eq!(text(&got.stdout), text(&want));
    assert_eq!(got.status.code(), status);
    assert_eq!(status, Some(3));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_runtime_library_is_explained() {
    let dir = scratch("no-runtime");
    let src = program(&dir, "arith", ARITH);
    let exe = dir.join("arith");
    // Named by the environment, but not there.
    let missing = dir.join("nowhere/libcoral_runtime.a");
    let out = run(coral()
        .env("CORAL_RUNTIME_LIB", &missing)
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&exe));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("CORAL_RUNTIME_LIB"), "{err}");
    assert!(err.contains("nowhere/libcoral_runtime.a"), "{err}");
    assert!(!exe.exists());
    // A coral executable with no runtime beside it.
    let lone = dir.join("bin");
    std::fs::create_dir_all(&lone).expect("can make a directory");
    let copy = lone.join("coral");
    std::fs::copy(env!("CARGO_BIN_EXE_coral"), &copy).expect("can copy coral");
    let out = run(Command::new(&copy)
        .env_remove("CORAL_RUNTIME_LIB")
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&exe));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("coral: cannot find the Coral runtime library libcoral_runtime.a"),
        "{err}"
    );
    assert!(
        err.contains(&lone.join("libcoral_runtime.a").display().to_string()),
        "{err}"
    );
    assert!(!exe.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn build_refuses_a_missing_entry() {
    let dir = scratch("entry");
    let src = program(&dir, "multi_b", MULTI_B);
    let exe = dir.join("x");
    let out = run(coral().arg("build").arg(&src).arg("-o").arg(&exe));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(
        err,
        "coral: module multi_b has no function main/0 or main/1 to start\n"
    );
    let out = run(coral()
        .args(["build", "--entry", "nocolon"])
        .arg(&src)
        .arg("-o")
        .arg(&exe));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("expected MODULE:FUNCTION"));
    assert!(!exe.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dump_clif_prints_cranelift_functions() {
    let dir = scratch("clif");
    let src = program(&dir, "multi_b", MULTI_B);
    let out = run(coral().args(["dump", "--stage", "clif"]).arg(&src));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let clif = text(&out.stdout);
    assert!(clif.contains("; multi_b:twice/1\n"), "{clif}");
    assert!(clif.contains("function "), "{clif}");
    assert!(clif.contains(" tail"), "{clif}");
    let _ = std::fs::remove_dir_all(&dir);
}

const BOTH_MAINS: &str = r#"-module(both).
-export([main/0, main/1]).
main() -> erlang:display(no_arguments).
main(Args) -> erlang:display({arguments, Args}).
"#;

const ONLY_MAIN0: &str = r#"-module(only0).
-export([main/0]).
main() -> erlang:display(no_arguments).
"#;

/// With both `main/0` and `main/1`, arguments go to `main/1` and no
/// arguments start `main/0`, in an executable and in `coral run`; arguments
/// for a module with only `main/0` are refused, not dropped.
#[test]
fn arguments_choose_main_1_over_main_0() {
    let dir = scratch("mains");
    let both = program(&dir, "both", BOTH_MAINS);
    let exe = dir.join("both");
    let out = run(coral().arg("build").arg(&both).arg("-o").arg(&exe));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for args in [&[][..], &["1", "two"][..]] {
        let expr = if args.is_empty() {
            "both:main(), halt(0).".to_string()
        } else {
            format!("both:main({args:?}), halt(0).")
        };
        let (want, status) = erl(&dir, &expr);
        let got = run(Command::new(&exe).args(args));
        assert_eq!(text(&got.stdout), text(&want), "{args:?}");
        assert_eq!(got.status.code(), status);
        let got = run(coral().arg("run").arg(&both).arg("--").args(args));
        assert_eq!(text(&got.stdout), text(&want), "run {args:?}");
        assert_eq!(got.status.code(), status);
    }

    let only0 = program(&dir, "only0", ONLY_MAIN0);
    let exe = dir.join("only0");
    let out = run(coral().arg("build").arg(&only0).arg("-o").arg(&exe));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let got = run(&mut Command::new(&exe));
    assert_eq!(
        text(&got.stdout),
        text(&erl(&dir, "only0:main(), halt(0).").0)
    );
    // The executable's status for a program it cannot start; coral's own
    // for a command it cannot carry out.
    for (got, status) in [
        (run(Command::new(&exe).arg("x")), 2),
        (run(coral().arg("run").arg(&only0).arg("--").arg("x")), 1),
    ] {
        assert_eq!(got.status.code(), Some(status));
        let err = text(&got.stderr);
        assert!(err.contains("only0:main/0 takes no arguments"), "{err}");
        assert!(got.stdout.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
