//! The JIT driver: compiles modules with cranelift-jit into this process,
//! registers their frame descriptors, literals, fun entries and exports
//! with the runtime, and runs a function in one process.
//!
//! The program then runs on a new runtime (`jit_support::run_program`):
//! the main process and every process it spawns run compiled code through
//! the trampoline, on the scheduler threads.

use crate::{CodegenError, Compiled, Target, Word};
use coral_ir as ir;
use coral_runtime::atom::Atom;
use coral_runtime::frame::{CodeLocation, FrameDescriptor, LocationId, global_frames};
use coral_runtime::fun::FunEntry;
use coral_runtime::heap::ProcessMemory;
use coral_runtime::jit_support;
use coral_runtime::literal::LiteralArea;
use coral_runtime::process::code::CompiledCode;
pub use coral_runtime::sched::HaltRequest;
use coral_runtime::term::Term;
use cranelift_jit::{JITBuilder, JITModule};

use std::collections::HashMap;
use std::sync::Arc;

/// Cranelift settings for compiled Erlang code. `preserve_frame_pointers`
/// is required by `tail` calls on x86-64. Cranelift's own IR verifier (a
/// seventh of the compile time of a program with the standard library)
/// runs in debug builds, or when `CORAL_VERIFY_CLIF=1`.
pub(crate) fn flags() -> Vec<(&'static str, &'static str)> {
    let verify =
        cfg!(debug_assertions) || std::env::var_os("CORAL_VERIFY_CLIF").is_some_and(|v| v == "1");
    vec![
        ("preserve_frame_pointers", "true"),
        // The process context's register (see `abi`).
        ("enable_pinned_reg", "true"),
        // A code address is its own continuation word (primary tag `00`
        // needs two zero bits); 16 also suits the instruction fetch.
        ("log2_min_function_alignment", "4"),
        ("opt_level", "speed"),
        ("enable_verifier", if verify { "true" } else { "false" }),
    ]
}

/// The runtime symbols compiled code calls.
fn runtime_symbols() -> Vec<(&'static str, *const u8)> {
    use coral_runtime::jit_support::*;
    use coral_runtime::process::code;
    vec![
        (
            "coral_process_gc",
            coral_runtime::process::coral_process_gc as *const u8,
        ),
        ("coral_jit_apply", code::coral_jit_apply as *const u8),
        (
            "coral_recv_peek",
            coral_runtime::process::coral_recv_peek as *const u8,
        ),
        (
            "coral_recv_next",
            coral_runtime::process::coral_recv_next as *const u8,
        ),
        (
            "coral_remove_message",
            coral_runtime::process::coral_remove_message as *const u8,
        ),
        (
            "coral_recv_timeout",
            coral_runtime::process::coral_recv_timeout as *const u8,
        ),
        (
            "coral_jit_recv_wait",
            code::coral_jit_recv_wait as *const u8,
        ),
        (
            "coral_jit_recv_resumed",
            code::coral_jit_recv_resumed as *const u8,
        ),
        ("coral_jit_call_bif", coral_jit_call_bif as *const u8),
        ("coral_jit_raise", coral_jit_raise as *const u8),
        ("coral_jit_raise_bif", coral_jit_raise_bif as *const u8),
        ("coral_jit_match_fail", coral_jit_match_fail as *const u8),
        ("coral_jit_undef", coral_jit_undef as *const u8),
        ("coral_jit_reraise", coral_jit_reraise as *const u8),
        (
            "coral_jit_build_stacktrace",
            coral_jit_build_stacktrace as *const u8,
        ),
        ("coral_jit_export_code", coral_jit_export_code as *const u8),
        ("coral_jit_apply_code", coral_jit_apply_code as *const u8),
        (
            "coral_jit_bad_fun_call",
            coral_jit_bad_fun_call as *const u8,
        ),
        ("coral_jit_map_put", coral_jit_map_put as *const u8),
        ("coral_jit_map_get", coral_jit_map_get as *const u8),
        ("coral_jit_bin_build", coral_jit_bin_build as *const u8),
        ("coral_jit_bs_init", coral_jit_bs_init as *const u8),
        ("coral_jit_bs_get", coral_jit_bs_get as *const u8),
        ("coral_jit_bit_size", coral_jit_bit_size as *const u8),
    ]
}

fn new_module() -> Result<JITModule, CodegenError> {
    let mut b = JITBuilder::with_flags(&flags(), cranelift_module::default_libcall_names())?;
    let symbols = runtime_symbols();
    // cranelift-jit panics on an unresolved symbol; refuse up front instead.
    for f in crate::abi::RUNTIME_FNS {
        if !symbols.iter().any(|(n, _)| *n == f.name) {
            return Err(CodegenError::new(format!(
                "runtime function {} has no JIT symbol",
                f.name
            )));
        }
    }
    for (name, p) in symbols {
        b.symbol(name, p);
    }
    Ok(JITModule::new(b))
}

/// A module's name and, per function, its name, arity and environment size.
type ModuleNames = (Atom, Vec<(Atom, u32, u32)>);

/// The JIT's answers to [`Target`]: addresses in this process.
struct JitTarget {
    names: Vec<ModuleNames>,
    files: Vec<Option<Arc<str>>>,
    literals: Vec<Vec<Term>>,
    locations: HashMap<(usize, u32, Option<u32>), u32>,
    funs: HashMap<(usize, u32), &'static FunEntry>,
    /// Export-table words, boxed so their addresses stay put.
    exports: HashMap<(String, String, u32), Box<u64>>,
    _areas: Vec<Arc<LiteralArea>>,
}

pub(crate) fn atom(name: &str) -> Result<Atom, CodegenError> {
    Atom::intern(name).map_err(|e| CodegenError::new(format!("atom {name:?}: {e:?}")))
}

/// Builds `t` on `m`'s heap.
pub(crate) fn build_term(m: &mut ProcessMemory, t: &ir::Term) -> Result<Term, CodegenError> {
    Ok(match t {
        ir::Term::Atom(a) => Term::atom(atom(a)?),
        ir::Term::Int(coral_syntax::ast::Int::Small(v)) => m.int(*v),
        ir::Term::Int(coral_syntax::ast::Int::Big(b)) => {
            let v = coral_runtime::heap::ibig_from_limbs(b.negative, &b.magnitude);
            m.integer(&v)
        }
        ir::Term::Float(bits) => m.float(f64::from_bits(*bits)),
        ir::Term::Nil => Term::NIL,
        ir::Term::Tuple(es) => {
            let v = es
                .iter()
                .map(|e| build_term(m, e))
                .collect::<Result<Vec<_>, _>>()?;
            m.tuple(&v)
                .ok_or_else(|| CodegenError::new("tuple literal too large"))?
        }
        ir::Term::List(es, tail) => {
            let mut l = build_term(m, tail)?;
            for e in es.iter().rev() {
                let h = build_term(m, e)?;
                l = m.cons(h, l);
            }
            l
        }
        ir::Term::Binary { bytes, bits } => {
            let b = m.binary(bytes);
            if *bits == bytes.len() as u64 * 8 {
                b
            } else {
                m.sub_binary(b, 0, *bits as usize)
                    .ok_or_else(|| CodegenError::new("bad bitstring literal"))?
            }
        }
        ir::Term::Map(pairs) => {
            let kv = pairs
                .iter()
                .map(|(k, v)| Ok((build_term(m, k)?, build_term(m, v)?)))
                .collect::<Result<Vec<_>, CodegenError>>()?;
            // Flat up to 32 keys, BEAM's hash trie above (as at run time).
            coral_runtime::map::from_pairs(m, &kv)
        }
    })
}

impl JitTarget {
    fn new(modules: &[ir::Module]) -> Result<JitTarget, CodegenError> {
        let mut names = Vec::new();
        let mut files = Vec::new();
        let mut literals = Vec::new();
        let mut areas = Vec::new();
        for m in modules {
            let fs = m
                .functions
                .iter()
                .map(|f| Ok((atom(&f.name)?, f.arity, f.env_len)))
                .collect::<Result<Vec<_>, CodegenError>>()?;
            names.push((atom(&m.name)?, fs));
            files.push(m.file.as_deref().map(Arc::from));
            let mut tmp = ProcessMemory::new();
            let roots = m
                .literals
                .iter()
                .map(|t| build_term(&mut tmp, t))
                .collect::<Result<Vec<_>, _>>()?;
            let (area, copied) = LiteralArea::build(&tmp, &roots);
            areas.push(area);
            literals.push(copied);
        }
        Ok(JitTarget {
            names,
            files,
            literals,
            locations: HashMap::new(),
            funs: HashMap::new(),
            exports: HashMap::new(),
            _areas: areas,
        })
    }
}

impl Target for JitTarget {
    fn literal(&mut self, module: usize, lit: ir::LitId) -> Word {
        Word::Imm(
            self.literals[module]
                .get(lit.0 as usize)
                .map_or(Term::NIL.raw(), |t| t.raw()),
        )
    }

    fn atom(&mut self, name: &str) -> Result<u64, CodegenError> {
        Ok(Term::atom(atom(name)?).raw())
    }

    fn location(&mut self, module: usize, func: ir::FuncId, line: Option<u32>) -> u32 {
        if let Some(&l) = self.locations.get(&(module, func.0, line)) {
            return l;
        }
        let (m, fs) = &self.names[module];
        let (f, arity, _) = fs[func.0 as usize];
        let id = global_frames().add_location(CodeLocation {
            module: *m,
            function: f,
            arity,
            file: self.files[module].clone(),
            line: line.unwrap_or(0),
        });
        self.locations.insert((module, func.0, line), id.0);
        id.0
    }

    fn fun_entry(&mut self, module: usize, func: ir::FuncId) -> Word {
        Word::Imm(self.fun_entry_address(module, func))
    }

    fn export_slot(&mut self, module: &str, name: &str, arity: u32) -> Word {
        Word::Imm(self.export_slot_address(module, name, arity))
    }
}

impl JitTarget {
    fn fun_entry_address(&mut self, module: usize, func: ir::FuncId) -> u64 {
        let key = (module, func.0);
        if let Some(e) = self.funs.get(&key) {
            return *e as *const FunEntry as u64;
        }
        let (m, fs) = &self.names[module];
        let (f, arity, env) = fs[func.0 as usize];
        let index = self.funs.keys().filter(|k| k.0 == module).count() as u32;
        let e = FunEntry::register(*m, f, arity, env, index);
        self.funs.insert(key, e);
        e as *const FunEntry as u64
    }

    fn export_slot_address(&mut self, module: &str, name: &str, arity: u32) -> u64 {
        let slot = self
            .exports
            .entry((module.to_string(), name.to_string(), arity))
            .or_insert_with(|| Box::new(0));
        &**slot as *const u64 as u64
    }
}

/// Compiled, loaded code, ready to run.
pub struct Program {
    module: JITModule,
    compiled: Compiled,
    target: JitTarget,
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Verify the heap after every collection.
    pub verify_heap: bool,
    /// Scheduler threads (default: one per core).
    pub schedulers: Option<usize>,
}

impl Program {
    /// Compiles and loads `modules`.
    pub fn load(modules: &[ir::Module]) -> Result<Program, CodegenError> {
        let modules = &crate::with_bif_exports(modules)?;
        let mut module = new_module()?;
        let mut target = JitTarget::new(modules)?;
        let compiled = crate::compile(&mut module, modules, &mut target, false)?;
        module.finalize_definitions()?;
        let frames = global_frames();
        for spec in &compiled.frames {
            let addr = module.get_finalized_function(spec.func) as usize;
            let d = FrameDescriptor::new(
                spec.size,
                &spec.live,
                &spec.catches,
                LocationId(spec.location),
            )
            .map_err(|e| CodegenError::new(format!("frame descriptor: {e}")))?;
            frames
                .register(addr, d)
                .map_err(|e| CodegenError::new(format!("frame descriptor: {e}")))?;
        }
        for &(mi, fid, stub) in &compiled.closure_stubs {
            let addr = module.get_finalized_function(stub) as usize;
            if let Some(e) = target.funs.get(&(mi, fid.0)) {
                e.set_code(addr);
            }
        }
        // Exported functions: the export table words and the registry.
        for m in modules {
            let (exports, attributes) = crate::module_info(m)?;
            let exports = exports
                .iter()
                .map(|(f, a)| Ok((atom(f)?, *a)))
                .collect::<Result<Vec<_>, CodegenError>>()?;
            let functions = crate::module_functions(m)
                .iter()
                .map(|(f, a)| Ok((atom(f)?, *a)))
                .collect::<Result<Vec<_>, CodegenError>>()?;
            coral_runtime::modules::register(
                atom(&m.name)?,
                coral_runtime::modules::ModuleInfo {
                    exports,
                    functions,
                    attributes,
                },
            );
            for (name, arity) in &m.exports {
                let key = (m.name.to_string(), name.to_string(), *arity);
                if let Some(&id) = compiled.entries.get(&key) {
                    let addr = module.get_finalized_function(id) as u64;
                    let slot = target.export_slot_address(&m.name, name, *arity) as *mut u64;
                    // SAFETY: `slot` is a boxed word owned by `target`, alive
                    // as long as the program; no code runs yet.
                    unsafe { *slot = addr };
                    coral_runtime::jit_support::register_export(
                        atom(&m.name)?,
                        atom(name)?,
                        *arity,
                        addr as usize,
                    );
                }
            }
        }
        Ok(Program {
            module,
            compiled,
            target,
        })
    }

    fn addr(&self, id: cranelift_module::FuncId) -> usize {
        self.module.get_finalized_function(id) as usize
    }

    /// Runs `module:name()` (arity 0) as the main process of a new
    /// runtime until the runtime halts.
    pub fn run(
        &self,
        module: &str,
        name: &str,
        opts: &RunOptions,
    ) -> Result<HaltRequest, CodegenError> {
        self.run_with_args(module, name, None, opts)
    }

    /// Runs `module:name()`, or `module:name(Args)` with `args` as a list of
    /// strings when given, as the main process of a new runtime (one
    /// scheduler thread per core) until the runtime halts: the main process
    /// returned (exit status 0), crashed (1, reported on stderr), or
    /// `halt` was called. The function must be exported.
    pub fn run_with_args(
        &self,
        module: &str,
        name: &str,
        args: Option<&[Vec<u8>]>,
        opts: &RunOptions,
    ) -> Result<HaltRequest, CodegenError> {
        let arity = u32::from(args.is_some());
        let key = (module.to_string(), name.to_string(), arity);
        if !self.compiled.entries.contains_key(&key) {
            return Err(CodegenError::new(format!(
                "no function {module}:{name}/{arity}"
            )));
        }
        let id = |f: Option<cranelift_module::FuncId>, what: &str| {
            f.map(|f| self.addr(f))
                .ok_or_else(|| CodegenError::new(format!("no {what}")))
        };
        let code = CompiledCode {
            trampoline: id(self.compiled.trampoline, "trampoline")?,
            done: id(self.compiled.done, "bottom continuation")?,
            spawn: id(self.compiled.spawn, "spawn continuation")?,
            apply: id(self.compiled.apply, "apply continuation")?,
            max_x: self.compiled.max_x,
        };
        let mut config = coral_runtime::sched::Config::default();
        if let Some(n) = opts.schedulers {
            config.schedulers = n;
        }
        jit_support::run_program(code, module, name, args, config, opts.verify_heap)
            .map_err(CodegenError::new)
    }

    /// The CLIF text of every function, in definition order.
    pub fn clif(&self) -> &[(String, String)] {
        &self.compiled.clif
    }

    #[doc(hidden)]
    pub fn export_count(&self) -> usize {
        self.target.exports.len()
    }
}

/// Compiles `modules` and runs `module:main()` once.
pub fn run_main(
    modules: &[ir::Module],
    module: &str,
    opts: &RunOptions,
) -> Result<HaltRequest, CodegenError> {
    let p = Program::load(modules)?;
    p.run(module, "main", opts)
}

/// The CLIF of every function of `modules`, compiled for this machine.
pub fn clif_text(modules: &[ir::Module]) -> Result<Vec<(String, String)>, CodegenError> {
    let mut module = new_module()?;
    let mut target = JitTarget::new(modules)?;
    let compiled = crate::compile(&mut module, modules, &mut target, true)?;
    Ok(compiled.clif)
}
