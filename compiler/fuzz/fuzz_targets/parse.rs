//! Fuzzes the Core Erlang front end with arbitrary bytes.
//!
//! Whatever the input, parsing must return a tree or diagnostics (never panic,
//! never hang), rendering the diagnostics must not panic, and a tree that
//! parses must print to text that parses back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match coral_syntax::parse_module_bytes("fuzz.core", data) {
        Ok(module) => {
            let printed = coral_syntax::print::module(&module);
            let again = coral_syntax::parse_module("printed.core", &printed)
                .unwrap_or_else(|d| panic!("printed module does not parse:\n{}\n{printed}", d.render()));
            assert!(
                coral_syntax::same_ignoring_spans(&module, &again),
                "printed module parses differently:\n{printed}"
            );
        }
        Err(diagnostics) => {
            let _ = diagnostics.render();
        }
    }
});
