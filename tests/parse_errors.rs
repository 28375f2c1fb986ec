//! Bad input and the exact diagnostic each must produce.
//!
//! Every `tests/parse-errors/NAME.core` must fail to parse, and the plain
//! rendering of its diagnostics must equal `NAME.expected`, byte for byte.
//! The file name in the rendering is the bare `NAME.core`.
//!
//! To write the `.expected` files anew after a deliberate change to the
//! messages, run with `CORAL_BLESS=1` and review the difference.

use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("parse-errors")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/parse-errors is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "core"))
        .collect();
    cases.sort();
    cases
}

fn render(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).expect("case is readable");
    match coral_syntax::parse_module_bytes(&name, &bytes) {
        Ok(_) => panic!("{name} parsed, but every case must fail"),
        Err(d) => d.render(),
    }
}

#[test]
fn each_case_gives_its_expected_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 10, "only {} cases", cases.len());
    let bless = std::env::var_os("CORAL_BLESS").is_some();
    let mut wrong = Vec::new();
    for case in &cases {
        let got = render(case);
        let expected_path = case.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).expect("can write .expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if got != expected {
            wrong.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_expected_file_has_a_case() {
    for entry in std::fs::read_dir(cases_dir()).expect("tests/parse-errors is readable") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|x| x == "expected") {
            assert!(
                path.with_extension("core").exists(),
                "{} has no .core file",
                path.display()
            );
        }
    }
}
