//! Snapshot tests: each `cases/NAME.erl` is compiled with `erlc +to_core`,
//! lowered, verified and printed; the text must equal `cases/NAME.ir`.
//! `CORAL_BLESS=1 cargo test -p coral-ir --test snapshots` rewrites the
//! `.ir` files, which must then be read and checked by hand.

mod common;

use std::path::PathBuf;

#[test]
fn printed_ir_matches_reviewed_snapshots() {
    let cases = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut erls: Vec<PathBuf> = std::fs::read_dir(&cases)
        .expect("tests/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    erls.sort();
    assert!(
        erls.len() >= 12,
        "expected at least 12 cases, found {}",
        erls.len()
    );
    let out = common::scratch("snapshots");
    let bless = std::env::var_os("CORAL_BLESS").is_some();
    let mut failures = Vec::new();
    for erl in &erls {
        let core = common::to_core(erl, &out);
        let ir = match common::lower_file(&core) {
            Ok(ir) => ir,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let text = coral_ir::print(&ir);
        let snap = erl.with_extension("ir");
        if bless {
            std::fs::write(&snap, &text).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&snap) {
            Ok(want) if want == text => {}
            Ok(want) => {
                let line = want
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(want.lines().count().min(text.lines().count()));
                failures.push(format!(
                    "{}: printed IR differs from the snapshot at line {}:\n  want: {}\n  got:  {}",
                    snap.display(),
                    line + 1,
                    want.lines().nth(line).unwrap_or("<end>"),
                    text.lines().nth(line).unwrap_or("<end>")
                ));
            }
            Err(_) => failures.push(format!(
                "{}: missing snapshot (run with CORAL_BLESS=1 and review it)",
                snap.display()
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
