//! `stdlib/core/*.core`, which the `coral` binary embeds, must be exactly
//! what `stdlib/gen.sh` makes of `stdlib/src/*.erl` (`erlc +to_core`, run in
//! `stdlib/` so the recorded file names are `src/NAME.erl`): one `.core` per
//! `.erl`, byte for byte. Needs erlc.

use std::path::{Path, PathBuf};
use std::process::Command;

fn stdlib_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../stdlib")
}

/// The file names in `dir` ending in `.ext`, without it, sorted.
fn stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn committed_core_matches_erlc() {
    let stdlib = stdlib_dir();
    let sources = stems(&stdlib.join("src"), "erl");
    assert!(!sources.is_empty(), "no modules in stdlib/src");
    assert_eq!(
        sources,
        stems(&stdlib.join("core"), "core"),
        "stdlib/core must hold one .core per stdlib/src/*.erl; run stdlib/gen.sh"
    );
    let out = std::env::temp_dir().join(format!("coral-stdlib-sync-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temporary directory");
    let mut stale = Vec::new();
    for name in &sources {
        let status = Command::new("erlc")
            .arg("+to_core")
            .arg("-o")
            .arg(&out)
            .arg(format!("src/{name}.erl"))
            .current_dir(&stdlib)
            .status()
            .unwrap_or_else(|e| panic!("cannot run erlc (Erlang/OTP is needed): {e}"));
        assert!(
            status.success(),
            "erlc +to_core failed on stdlib/src/{name}.erl"
        );
        let fresh = std::fs::read(out.join(format!("{name}.core"))).expect("erlc's output");
        let committed = std::fs::read(stdlib.join("core").join(format!("{name}.core")))
            .expect("the committed .core");
        if fresh != committed {
            stale.push(name.clone());
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        stale.is_empty(),
        "stdlib/core is out of date for {stale:?}; run stdlib/gen.sh"
    );
}
