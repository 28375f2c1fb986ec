//! The heap size series against the real BEAM: for each size in Coral's
//! table, a process spawned with `min_heap_size` at that size (and one word
//! above it) must get the same `heap_size` from `erl` as from
//! `next_heap_size`.

use coral_runtime::heap::{MIN_HEAP_SIZE, heap_sizes, next_heap_size};
use std::process::Command;

#[test]
fn heap_sizes_match_erl() {
    // Up to about 3M words (24 MB per probe process): past the switch from
    // Fibonacci steps to 20% steps.
    let probes: Vec<usize> = heap_sizes()
        .iter()
        .copied()
        .filter(|&s| (MIN_HEAP_SIZE..3_000_000).contains(&s))
        .flat_map(|s| [s, s + 1])
        .collect();
    let list = probes
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let program = format!(
        "[begin P = spawn_opt(fun() -> receive stop -> ok end end, [{{min_heap_size, N}}]), \
         {{heap_size, H}} = process_info(P, heap_size), P ! stop, io:format(\"~w~n\", [H]) end \
         || N <- [{list}]], halt()."
    );
    let out = Command::new("erl")
        .args(["-noshell", "-eval", &program])
        .output()
        .expect("erl (Erlang/OTP) must be installed: it is the oracle for this test");
    assert!(out.status.success(), "erl failed: {out:?}");
    let beam: Vec<usize> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().parse().expect("a heap size"))
        .collect();
    let ours: Vec<usize> = probes.iter().map(|&n| next_heap_size(n, 0)).collect();
    assert_eq!(ours, beam);
}
