//! The CLIF dump and the code generator's refusals, on small modules
//! written in Core Erlang directly.

fn lower(src: &str) -> coral_ir::Module {
    let ast = coral_syntax::parse_module("t.core", src).expect("test source parses");
    let ir = coral_ir::lower(&ast).expect("test source lowers");
    coral_ir::verify(&ir).expect("IR verifies");
    ir
}

const FIB: &str = "module 'f' ['fib'/1] attributes []
'fib'/1 = fun (N) ->
    case call 'erlang':'<'(N, 2) of
      <'true'> when 'true' -> N
      <'false'> when 'true' -> call 'erlang':'+'(apply 'fib'/1(call 'erlang':'-'(N, 1)),
                                   apply 'fib'/1(call 'erlang':'-'(N, 2)))
    end
end";

#[test]
fn clif_names_every_region_and_uses_tail_calls() {
    let fs = coral_codegen::clif(&lower(FIB)).expect("compiles");
    let names: Vec<&str> = fs.iter().map(|(n, _)| n.as_str()).collect();
    // The entry, two continuations, the resume stub, and the fixed
    // functions.
    assert!(names.contains(&"f:fib/1"), "{names:?}");
    assert_eq!(
        names.iter().filter(|n| n.starts_with("f:fib/1$c")).count(),
        2
    );
    assert!(names.contains(&"f:fib/1$resume"));
    assert!(names.contains(&"coral$enter"));
    let entry = &fs.iter().find(|(n, _)| n == "f:fib/1").expect("entry").1;
    assert!(entry.contains("return_call"), "{entry}");
    assert!(entry.contains("tail"), "{entry}");
    // `N - 1` inline: subtracting a literal overflowed exactly when the
    // wrapped difference is greater than `N`.
    assert!(entry.contains("icmp sgt"), "{entry}");
    // `fib(N-1) + fib(N-2)` adds two unknown smalls with an overflow test.
    let all: String = fs.iter().map(|(_, t)| t.as_str()).collect();
    assert!(all.contains("sadd_overflow"), "{all}");
}

#[test]
fn receive_waits_through_the_runtime() {
    let src = "module 'r' ['w'/0] attributes []
'w'/0 = fun () -> receive <X> when 'true' -> X after 'infinity' -> 'ok' end";
    let fs = coral_codegen::clif(&lower(src)).expect("receive compiles");
    let all: String = fs.iter().map(|(_, t)| t.as_str()).collect();
    for f in [
        "coral_recv_peek",
        "coral_remove_message",
        "coral_jit_recv_wait",
    ] {
        assert!(all.contains(f), "no call of {f}:\n{all}");
    }
}

/// A loop calling a function whose first clause's test is inlined into it:
/// the generic comparison's ways lead back into the loop's joins.
const LOOP_TAK: &str = "module 't' ['loop'/2] attributes []
'loop'/2 = fun (_0, _1) ->
    case <_0, _1> of
      <0, Acc> when 'true' -> Acc
      <I, Acc> when 'true' ->
          let <_6> = call 'erlang':'-'(I, 1)
          in let <_2> = call 'erlang':'rem'(I, 3)
          in let <_3> = call 'erlang':'+'(22, _2)
          in let <_4> = apply 'tak'/3(_3, 16, 8)
          in let <_5> = call 'erlang':'+'(Acc, _4)
          in apply 'loop'/2(_6, _5)
    end
'tak'/3 = fun (X, Y, Z) ->
    case call 'erlang':'<'(Y, X) of
      <'true'> when 'true' ->
          apply 'tak'/3(apply 'tak'/3(call 'erlang':'-'(X, 1), Y, Z),
                        apply 'tak'/3(call 'erlang':'-'(Y, 1), Z, X),
                        apply 'tak'/3(call 'erlang':'-'(Z, 1), X, Y))
      <'false'> when 'true' -> Z
    end
end";

/// Checks the cold blocks of one function's dump; returns how many slow
/// calls it found in them.
fn check_cold_blocks(text: &str) -> usize {
    // The functions the code calls, as the dump names them.
    let names: std::collections::HashMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("; ")?.split_once(" = "))
        .collect();
    let slow = |f: &str| {
        names.get(f).is_some_and(|n| {
            n.starts_with("coral$keep$")
                || n.starts_with("coral_jit_raise")
                || *n == "coral_jit_match_fail"
        })
    };
    let cold: std::collections::HashSet<&str> = text
        .lines()
        .filter(|l| l.starts_with("block") && l.contains(" cold"))
        .filter_map(|l| l.split([':', '(', ' ']).next())
        .collect();
    let mut header = "";
    let mut slow_calls = 0;
    for line in text.lines() {
        if line.starts_with("block") {
            header = line;
            continue;
        }
        // Every runtime call of a slow way is in a cold block.
        if let Some(rest) = line.split("call ").nth(1) {
            let callee = rest.split('(').next().unwrap_or("");
            if slow(callee) {
                assert!(header.contains(" cold"), "{header} calls {callee}:\n{text}");
                slow_calls += 1;
            }
        }
        // A cold block branching two ways goes only to cold blocks: the
        // moves of an edge back into the fast code are made in a cold
        // block too.
        if header.contains(" cold") && line.trim_start().starts_with("brif ") {
            let targets = line
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.starts_with("block"));
            for b in targets {
                assert!(cold.contains(b), "{header} branches to hot {b}:\n{text}");
            }
        }
    }
    slow_calls
}

#[test]
fn slow_ways_are_cold_so_the_fast_way_falls_through() {
    let fs = coral_codegen::clif(&lower(FIB)).expect("compiles");
    let entry = &fs.iter().find(|(n, _)| n == "f:fib/1").expect("entry").1;
    // The generic `<`, `-` and `+`, the collection, the raises.
    assert!(check_cold_blocks(entry) >= 4, "{entry}");
    let fs = coral_codegen::clif(&lower(LOOP_TAK)).expect("compiles");
    let looped = &fs.iter().find(|(n, _)| n == "t:loop/2").expect("loop").1;
    assert!(check_cold_blocks(looped) >= 2, "{looped}");
}
