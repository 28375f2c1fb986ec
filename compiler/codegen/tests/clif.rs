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
