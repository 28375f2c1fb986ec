//! The OTP modules a program uses (`lists`, `io`, `io_lib`, `string`,
//! `maps`, ...), compiled natively from the installed Erlang/OTP.
//!
//! Coral does not rewrite OTP. After the program's own modules are lowered,
//! [`load`] follows what they call, function by function: every function
//! of another module they can reach (remote calls other than runtime BIFs,
//! `fun M:F/A`, `apply`/`spawn` of a literal module, `{M, F, ...}` tuples),
//! and what those reach in turn. Each module named gets its Core Erlang
//! from the installation, a batch at a time: an escript
//! (`otp_core.escript`, embedded here) reads each module's abstract code
//! from its beam file's debug info and prints the Core Erlang that
//! `compile` makes from it. The text is cached per OTP installation, so only
//! the first build that needs a module runs `erl`. In the end each module
//! keeps only its reachable functions: `io:format/2` needs 15 modules, not
//! the 140 that whole-module closure drags in (the compiler among them).
//!
//! # The cache
//!
//! `$CORAL_CACHE_DIR`, else `$XDG_CACHE_HOME/coral`, else `~/.cache/coral`
//! holds:
//!
//! - `otp-RELEASE-erts-VERSION/MODULE.core`, the Core Erlang of a module,
//!   or `MODULE.none` (with the reason inside) for a module that has no
//!   beam file, no debug info, or does not compile, so it is not asked for
//!   again;
//! - `installs/HASH`, naming the `otp-...` directory of the installation
//!   whose `erl` (its real path and modification time, hashed) is first on
//!   `PATH`, so a warm build does not start `erl` to learn its version;
//! - `otp-core-HASH.escript`, the embedded escript, written before its
//!   first run.
//!
//! Every file is written under a temporary name and renamed into place, so
//! builds running at the same time never read a partial file.
//!
//! # BIFs
//!
//! A function that BEAM implements natively has a stub body in its module
//! (`lists:reverse/2` is `erlang:nif_error(undef)`). In every loaded module,
//! a function the runtime has as a BIF gets the body `call 'M':'F'(Args)`,
//! which the code generator compiles as a BIF call, so local calls inside
//! the module reach the BIF too.
//!
//! A module that cannot be had is left out silently: calls to it raise
//! `undef` at run time, as BEAM does for a missing module.
//! `CORAL_VERBOSE=1` reports what was loaded, skipped and why, and how long
//! it took.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use coral_syntax::ast;

/// The escript that turns installed modules into Core Erlang.
const ESCRIPT: &str = include_str!("otp_core.escript");

/// Modules never loaded from the installation, each with the reason.
/// They are part of erts itself (preloaded, with no debug info, or whose
/// functions the runtime must provide), or only make sense inside BEAM.
const DENIED: &[(&str, &str)] = &[
    (
        "erlang",
        "the runtime's BIFs; its Erlang parts only make sense in erts",
    ),
    ("erts_internal", "erts's private BIFs"),
    (
        "erts_code_purger",
        "purges BEAM code; Coral code is never unloaded",
    ),
    (
        "erts_literal_area_collector",
        "BEAM's literal-area GC helper",
    ),
    (
        "erts_dirty_process_signal_handler",
        "BEAM's dirty scheduler helper",
    ),
    ("erl_init", "BEAM's boot"),
    (
        "init",
        "BEAM's boot and shutdown; coral_boot starts programs",
    ),
    (
        "erl_prim_loader",
        "loads beam files from an archive or the boot server",
    ),
    ("prim_file", "a preloaded NIF module of erts"),
    ("prim_inet", "a preloaded port driver module of erts"),
    ("prim_buffer", "a preloaded NIF module of erts"),
    ("prim_net", "a preloaded NIF module of erts"),
    ("prim_socket", "a preloaded NIF module of erts"),
    ("prim_zip", "reads BEAM's code archives"),
    ("prim_eval", "erts's receive evaluator for the shell"),
    ("zlib", "a preloaded NIF module of erts"),
    ("atomics", "BIFs of erts"),
    ("counters", "BIFs of erts"),
    ("persistent_term", "BIFs of erts"),
    ("erl_tracer", "BEAM's tracing NIF"),
    ("socket_registry", "bookkeeping of erts's socket NIF"),
    (
        "code",
        "loads beam files; Coral programs are compiled ahead of time",
    ),
    (
        "code_server",
        "loads beam files; Coral programs are compiled ahead of time",
    ),
    ("erl_ddll", "loads BEAM drivers"),
];

/// Why a module was denied, if it was.
fn denied(module: &str) -> Option<&'static str> {
    DENIED
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, why)| *why)
}

/// Whether `name` can be an installed module: OTP's modules are named
/// like `io_lib`, and anything else (`'../x'`) must not become a file name.
fn plausible(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `CORAL_VERBOSE=1`.
fn verbose() -> bool {
    std::env::var_os("CORAL_VERBOSE").is_some_and(|v| v == "1")
}

/// A reference to functions of another module, found in reachable code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Ref {
    module: Box<str>,
    /// `None`: every exported function of the module (`apply` of a
    /// literal module with a computed name).
    name: Option<Box<str>>,
    /// `None`: every exported arity (an `{M, F, ...}` tuple).
    arity: Option<u32>,
}

/// An installed module being loaded: its tree (to prune it at the end),
/// its top-level functions by name, and which functions are reached.
struct Loaded {
    ast: ast::Module,
    top: HashMap<(Box<str>, u32), coral_ir::FuncId>,
    reached: Vec<bool>,
}

/// Adds to `modules` the installed OTP modules they need, transitively,
/// each cut down to the functions the program can reach.
///
/// Reachability is by function: every function of `modules` is a root; a
/// reached function reaches the local functions and funs it uses, the
/// remote functions it calls (other than runtime BIFs) or makes funs of,
/// every export of a module it `apply`s or `spawn`s with a literal module
/// name, every export `M:F/_` for a tuple or a call's arguments holding the
/// atoms `M, F` side by side (how OTP passes `{M, F, Args}` to be applied
/// elsewhere, as `io` does with `io_lib:format`), and every export of a
/// module that passes its own name to a call (a behaviour such as
/// `gen_server`, whose callbacks `gen` and `sys` call through a variable).
/// A call whose module is computed at run time cannot be followed; a
/// function it needs that nothing else reaches is missing, and calling it
/// raises `undef`.
///
/// `preloaded` (Coral's own modules, added after these by the caller) is
/// looked at last and only for modules loaded anyway: a preloaded module
/// does not pull in an OTP module by itself.
///
/// Nothing is reported unless `CORAL_VERBOSE=1`; a module that cannot be
/// loaded is left out.
pub fn load(modules: &mut Vec<coral_ir::Module>, preloaded: &[coral_ir::Module]) {
    let started = Instant::now();
    let verbose = verbose();
    let mut otp = Installation::new(verbose);
    let program = modules.len();
    let mut index: HashMap<Box<str>, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect();
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut queue: Vec<Ref> = Vec::new();
    for m in modules.iter() {
        for f in &m.functions {
            scan(m, f, &mut Vec::new(), &mut queue);
        }
    }
    // Modules asked for, loaded or not, and the references waiting for
    // the next batch.
    let mut tried: BTreeSet<Box<str>> = index
        .keys()
        .cloned()
        .chain(preloaded.iter().map(|m| m.name.clone()))
        .collect();
    let mut waiting: BTreeMap<Box<str>, Vec<Ref>> = BTreeMap::new();
    let mut preloaded_scanned = false;
    loop {
        while let Some(r) = queue.pop() {
            match index.get(&r.module) {
                // The program's own functions are all reached already.
                Some(&i) if i < program => {}
                Some(&i) => reach(&modules[i], &mut loaded[i - program], &r, &mut queue),
                None if !tried.contains(&r.module) => {
                    waiting.entry(r.module.clone()).or_default().push(r)
                }
                None => {}
            }
        }
        if waiting.is_empty() {
            if preloaded_scanned {
                break;
            }
            // What the preloaded modules use of the modules loaded.
            preloaded_scanned = true;
            for m in preloaded {
                for f in &m.functions {
                    scan(m, f, &mut Vec::new(), &mut queue);
                }
            }
            queue.retain(|r| index.contains_key(&r.module));
            continue;
        }
        let batch = std::mem::take(&mut waiting);
        tried.extend(batch.keys().cloned());
        let names: Vec<&str> = batch
            .keys()
            .map(|m| &**m)
            .filter(|m| {
                let why = match denied(m) {
                    Some(why) => why,
                    None if !plausible(m) => "not the name of an installed module",
                    None => return true,
                };
                if verbose {
                    eprintln!("coral: otp: not loading {m}: {why}");
                }
                false
            })
            .collect();
        for (name, text) in otp.core(&names) {
            match compile(&name, &text) {
                Ok((ast, ir)) => {
                    let top = ir
                        .functions
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| matches!(f.kind, coral_ir::FunKind::TopLevel))
                        .map(|(i, f)| ((f.name.clone(), f.arity), coral_ir::FuncId(i as u32)))
                        .collect();
                    loaded.push(Loaded {
                        ast,
                        top,
                        reached: vec![false; ir.functions.len()],
                    });
                    index.insert(ir.name.clone(), modules.len());
                    modules.push(ir);
                    if let Some(refs) = batch.get(name.as_str()) {
                        queue.extend(refs.iter().cloned());
                    }
                }
                Err(why) => {
                    if verbose {
                        eprintln!("coral: otp: not loading {name}: {why}");
                    }
                }
            }
        }
    }
    let fetched = started.elapsed();
    // Keep the reached functions of each module that has any.
    let otp_modules = modules.split_off(program);
    let mut kept = Vec::new();
    for (ir, l) in otp_modules.into_iter().zip(loaded) {
        if let Some(m) = prune(ir, &l) {
            kept.push(format!("{}/{}", m.name, m.functions.len()));
            modules.push(m);
        }
    }
    if verbose {
        eprintln!(
            "coral: otp: {} modules (module/functions kept) in {:.2} s ({:.2} s to fetch and lower): {}",
            kept.len(),
            started.elapsed().as_secs_f64(),
            fetched.as_secs_f64(),
            kept.join(" ")
        );
    }
}

/// Marks as reached the exported functions of `m` that `r` names, and
/// everything they reach inside `m`; references to other modules (and to
/// `m`) go to `queue`.
fn reach(m: &coral_ir::Module, l: &mut Loaded, r: &Ref, queue: &mut Vec<Ref>) {
    let mut stack: Vec<coral_ir::FuncId> = m
        .exports
        .iter()
        .filter(|(f, a)| r.name.as_ref().is_none_or(|n| n == f) && r.arity.is_none_or(|n| n == *a))
        .filter_map(|(f, a)| l.top.get(&(f.clone(), *a)).copied())
        .collect();
    while let Some(id) = stack.pop() {
        let Some(seen) = l.reached.get_mut(id.0 as usize) else {
            continue;
        };
        if std::mem::replace(seen, true) {
            continue;
        }
        scan(m, &m.functions[id.0 as usize], &mut stack, queue);
    }
}

/// What function `f` of `m` uses: local functions and funs go to `local`,
/// references to functions of other modules to `refs`.
fn scan(
    m: &coral_ir::Module,
    f: &coral_ir::Function,
    local: &mut Vec<coral_ir::FuncId>,
    refs: &mut Vec<Ref>,
) {
    use coral_ir::{Callee, Const, Op, Terminator};
    let fun = |module: &str, name: &str, arity: u32| Ref {
        module: module.into(),
        name: Some(name.into()),
        arity: Some(arity),
    };
    // The atoms of the function, for `apply`/`spawn` with literal modules
    // and `{M, F, ...}` tuples.
    let mut atoms: HashMap<coral_ir::Value, &str> = HashMap::new();
    for b in &f.blocks {
        for i in &b.insts {
            if let (Op::Const(Const::Atom(a)), [v]) = (&i.op, &i.results[..]) {
                atoms.insert(*v, a);
            }
        }
    }
    let pair = |module: &str, name: &str| Ref {
        module: module.into(),
        name: Some(name.into()),
        arity: None,
    };
    for b in &f.blocks {
        for i in &b.insts {
            match &i.op {
                Op::ExportFun {
                    module,
                    name,
                    arity,
                } => refs.push(fun(module, name, *arity)),
                Op::MakeFun { func, .. } => local.push(*func),
                Op::Tuple(vs) => {
                    for w in vs.windows(2) {
                        if let (Some(m), Some(f)) = (atoms.get(&w[0]), atoms.get(&w[1])) {
                            refs.push(pair(m, f));
                        }
                    }
                }
                Op::Const(Const::Lit(id)) => {
                    if let Some(t) = m.literals.get(id.0 as usize) {
                        literal_pairs(t, &mut |m, f| refs.push(pair(m, f)));
                    }
                }
                _ => {}
            }
        }
        let (Terminator::Call { callee, args, .. } | Terminator::TailCall { callee, args, .. }) =
            &b.term
        else {
            continue;
        };
        // Atoms passed side by side (`proc_lib:start_link(gen, init_it,
        // Args)`) name a function to be applied elsewhere, like an `{M, F,
        // Args}` tuple; a module passing its own name (`gen:start(gen_server,
        // ...)`) may have any export called back (`gen_server:init_it/6`,
        // `system_continue/3` from `sys`).
        for w in args.windows(2) {
            if let (Some(m), Some(f)) = (atoms.get(&w[0]), atoms.get(&w[1])) {
                refs.push(pair(m, f));
            }
        }
        if args
            .iter()
            .any(|a| atoms.get(a).is_some_and(|a| *a == &*m.name))
        {
            refs.push(Ref {
                module: m.name.clone(),
                name: None,
                arity: None,
            });
        }
        match callee {
            Callee::Local(id) => local.push(*id),
            Callee::Remote {
                module,
                name,
                arity,
            } => {
                if coral_runtime::jit_support::bif_index(module, name, *arity as usize).is_none() {
                    refs.push(fun(module, name, *arity));
                }
                // erlang:apply(M, F, A), spawn(M, F, A) and the like.
                let applies = matches!(
                    (&**module, &**name, *arity),
                    (
                        "erlang",
                        "apply" | "spawn" | "spawn_link" | "spawn_monitor",
                        3
                    ) | ("erlang", "spawn_opt", 4)
                );
                if applies && let Some(m) = args.first().and_then(|a| atoms.get(a)) {
                    let name = args.get(1).and_then(|a| atoms.get(a));
                    refs.push(Ref {
                        module: (*m).into(),
                        name: name.map(|n| (*n).into()),
                        arity: None,
                    });
                }
            }
            Callee::Apply { module, name } => {
                if let Some(m) = atoms.get(module) {
                    refs.push(Ref {
                        module: (*m).into(),
                        name: atoms.get(name).map(|n| (*n).into()),
                        arity: Some(args.len() as u32),
                    });
                }
            }
            Callee::Fun(_) => {}
        }
    }
}

/// Calls `f` with each pair of atoms side by side in a tuple inside the
/// literal `t`.
fn literal_pairs(t: &coral_ir::Term, f: &mut impl FnMut(&str, &str)) {
    use coral_ir::Term;
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        match t {
            Term::Tuple(es) => {
                for w in es.windows(2) {
                    if let (Term::Atom(m), Term::Atom(n)) = (&w[0], &w[1]) {
                        f(m, n);
                    }
                }
                stack.extend(es);
            }
            Term::List(es, tail) => {
                stack.extend(es);
                stack.push(tail);
            }
            Term::Map(pairs) => {
                for (k, v) in pairs {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// `ir` cut down to its reached top-level functions (and what they
/// contain), by lowering its tree again without the others; `None` if
/// nothing of it is reached.
fn prune(ir: coral_ir::Module, l: &Loaded) -> Option<coral_ir::Module> {
    let keep: BTreeSet<(&str, u32)> = l
        .top
        .iter()
        .filter(|(_, id)| l.reached[id.0 as usize])
        .map(|((n, a), _)| (&**n, *a))
        .collect();
    if keep.is_empty() {
        return None;
    }
    if keep.len() == l.top.len() {
        return Some(ir);
    }
    let mut ast = l.ast.clone();
    ast.defs
        .retain(|d| keep.contains(&(&*d.name.kind.name, d.name.kind.arity)));
    ast.exports
        .retain(|e| keep.contains(&(&*e.kind.name, e.kind.arity)));
    // The whole module, if the smaller one fails (it should not).
    match coral_ir::lower(&ast) {
        Ok(small) if coral_ir::verify(&small).is_ok() => Some(small),
        _ => Some(ir),
    }
}

/// Parses, rewrites and lowers one installed module's Core Erlang.
fn compile(name: &str, text: &[u8]) -> Result<(ast::Module, coral_ir::Module), String> {
    let mut module = coral_syntax::parse_module_bytes(name, text)
        .map_err(|_| "its Core Erlang does not parse".to_string())?;
    if &*module.name != name {
        return Err(format!("its Core Erlang is module {}", module.name));
    }
    call_bifs(&mut module);
    let ir = coral_ir::lower(&module).map_err(|e| format!("lowering failed: {}", e.message))?;
    coral_ir::verify(&ir).map_err(|e| format!("the IR failed verification: {e:?}"))?;
    Ok((module, ir))
}

/// Replaces the body of every function of `module` that the runtime has as
/// a BIF with `call 'Module':'F'(Args)`, a BIF call once compiled.
fn call_bifs(module: &mut ast::Module) {
    use ast::{Call, Expr, ExprKind, Lit};
    let module_name = module.name.clone();
    for def in &mut module.defs {
        let (name, arity) = (&def.name.kind.name, def.name.kind.arity);
        if coral_runtime::jit_support::bif_index(&module_name, name, arity as usize).is_none() {
            continue;
        }
        let fun = &mut def.fun.kind;
        let span = fun.body.span;
        let atom = |a: &str| Expr::new(ExprKind::Lit(Lit::Atom(a.into())), span);
        let args = fun
            .vars
            .iter()
            .map(|v| Expr::new(ExprKind::Var(v.kind.clone()), v.span))
            .collect();
        fun.body = Expr::new(
            ExprKind::Call(Box::new(Call {
                module: atom(&module_name),
                name: atom(name),
                args,
            })),
            span,
        );
    }
}

/// The installed Erlang/OTP as the cache sees it.
struct Installation {
    verbose: bool,
    /// The cache's root directory, if there is a place for one.
    root: Option<PathBuf>,
    /// `installs/HASH` for the `erl` on `PATH`, if there is one.
    install_file: Option<PathBuf>,
    /// The directory of this installation's `.core` files, once known.
    dir: Option<PathBuf>,
    /// Whether running the escript can still help (it is installed and
    /// has not failed).
    usable: bool,
}

impl Installation {
    fn new(verbose: bool) -> Installation {
        let root = cache_root();
        let erl = find_on_path("erl");
        let install_file = match (&root, &erl) {
            (Some(root), Some(erl)) => install_key(erl).map(|k| root.join("installs").join(k)),
            _ => None,
        };
        let dir = match (&root, &install_file) {
            (Some(root), Some(file)) => std::fs::read_to_string(file)
                .ok()
                .map(|d| root.join(d.trim()))
                .filter(|d| d.is_dir()),
            _ => None,
        };
        if verbose && erl.is_none() {
            eprintln!("coral: otp: erl is not on PATH; no OTP module can be loaded");
        }
        Installation {
            verbose,
            usable: root.is_some() && erl.is_some(),
            root,
            install_file,
            dir,
        }
    }

    /// The Core Erlang of each of `modules` that can be had, from the cache
    /// or, for those not there, from one run of the escript.
    fn core(&mut self, modules: &[&str]) -> Vec<(String, Vec<u8>)> {
        let missing: Vec<&str> = match &self.dir {
            Some(dir) => modules
                .iter()
                .copied()
                .filter(|m| {
                    !dir.join(format!("{m}.core")).is_file()
                        && !dir.join(format!("{m}.none")).is_file()
                })
                .collect(),
            None => modules.to_vec(),
        };
        if !missing.is_empty()
            && self.usable
            && let Err(why) = self.run_escript(&missing)
        {
            self.usable = false;
            if self.verbose {
                eprintln!("coral: otp: cannot get Core Erlang from the installation: {why}");
            }
        }
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &m in modules {
            match std::fs::read(dir.join(format!("{m}.core"))) {
                Ok(text) => out.push((m.to_string(), text)),
                Err(_) => {
                    if self.verbose {
                        let why = std::fs::read_to_string(dir.join(format!("{m}.none")))
                            .unwrap_or_else(|_| "no Core Erlang".to_string());
                        eprintln!("coral: otp: not loading {m}: {}", why.trim());
                    }
                }
            }
        }
        out
    }

    /// Runs the escript for `modules`, learning the cache directory.
    fn run_escript(&mut self, modules: &[&str]) -> Result<(), String> {
        let root = self.root.as_ref().ok_or("no cache directory")?;
        std::fs::create_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let script = root.join(format!(
            "otp-core-{:016x}.escript",
            fnv1a(ESCRIPT.as_bytes())
        ));
        if !script.is_file() {
            write_atomically(&script, ESCRIPT.as_bytes())
                .map_err(|e| format!("{}: {e}", script.display()))?;
        }
        let started = Instant::now();
        let output = Command::new("escript")
            .arg(&script)
            .arg(root)
            .args(modules)
            .output()
            .map_err(|e| format!("cannot run escript: {e}"))?;
        if self.verbose {
            eprintln!(
                "coral: otp: escript for {} modules took {:.2} s",
                modules.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let dir = stdout
            .lines()
            .find_map(|l| l.strip_prefix("dir "))
            .map(PathBuf::from)
            .filter(|_| output.status.success())
            .ok_or_else(|| {
                format!(
                    "escript failed: {}{}",
                    stdout.trim(),
                    String::from_utf8_lossy(&output.stderr).trim()
                )
            })?;
        // Remember the directory for this installation, by its name inside
        // the root (the root may be given differently next time).
        if let (Some(file), Some(name)) = (&self.install_file, dir.file_name()) {
            let known =
                std::fs::read_to_string(file).is_ok_and(|d| d.trim() == name.to_string_lossy());
            if !known {
                if let Some(parent) = file.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                // A cache that cannot be written only costs time.
                let _ = write_atomically(file, name.to_string_lossy().as_bytes());
            }
        }
        self.dir = Some(dir);
        Ok(())
    }
}

/// The cache's root: `$CORAL_CACHE_DIR`, `$XDG_CACHE_HOME/coral` or
/// `~/.cache/coral`.
fn cache_root() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("CORAL_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(dir) = var("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(dir.join("coral"));
    }
    var("HOME").map(|home| home.join(".cache").join("coral"))
}

/// The first `name` on `PATH`.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A key for the installation `erl` belongs to: its real path and
/// modification time, hashed. Reinstalling changes the time.
fn install_key(erl: &Path) -> Option<String> {
    let real = std::fs::canonicalize(erl).ok()?;
    let modified = std::fs::metadata(&real).ok()?.modified().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    let key = format!(
        "{}\n{}.{}",
        real.display(),
        since.as_secs(),
        since.subsec_nanos()
    );
    Some(format!("{:016x}", fnv1a(key.as_bytes())))
}

/// The 64-bit FNV-1a hash: stable across Rust versions, unlike `std`'s.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes `path` through a temporary file renamed into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
