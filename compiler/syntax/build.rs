//! Generates the parser from `src/grammar.lalrpop`.

fn main() {
    let result = lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .emit_rerun_directives(true)
        .process();
    if let Err(e) = result {
        eprintln!("generating the Core Erlang parser failed: {e}");
        std::process::exit(1);
    }
}
