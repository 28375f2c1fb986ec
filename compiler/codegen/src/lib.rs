//! Cranelift code generation for Coral IR, and the drivers on top of it.
//!
//! ```text
//! coral_ir::Module --plan (regions, liveness)--> function::compile --> Cranelift functions
//!                                                     |-> jit.rs: cranelift-jit, run now
//!                                                     '-> object.rs: cranelift-object, a .o to link
//! ```
//!
//! One IR function becomes several Cranelift functions, one per *region*:
//! the function entry, each call's continuation, each `try` handler, and
//! each join point or loop header reached from more than one of those. See
//! `function.rs` for the lowering and `abi.rs` for the calling convention.
//! The core here is generic over [`cranelift_module::Module`], so the JIT
//! and an object-file driver share it; what differs between them (how a
//! literal, an atom or a fun entry is addressed) goes through [`Target`].
//!
//! # What is compiled
//!
//! Everything sequential: small-integer arithmetic and comparisons inline
//! (with the runtime for bignums, floats and errors), atoms, tuples, lists,
//! literals, maps, binaries (construction and matching, through the
//! runtime), local, remote and fun calls, tail calls as `return_call`,
//! self tail calls as loops, `try`/`catch` with catch frames on the process
//! stack, and reduction checks at function entry and on back edges. Not
//! yet: `receive` (it needs the scheduler); a module using it is refused
//! with a [`CodegenError`], never a panic.
//!
//! # Invariants
//!
//! - Only one compiled native frame is live: every Erlang call and return
//!   is a tail call, and a native `return` goes to the entry trampoline.
//! - A process stack frame holds only terms, continuations and catch
//!   markers, and every continuation has a registered frame descriptor.
//! - Whenever the collector can run, every live term is in a described
//!   stack slot or a live x register.

pub mod abi;
pub mod function;
pub mod jit;
pub mod object;
mod types;

use coral_ir as ir;
use cranelift_module::{DataId, FuncId, Module};
use std::collections::HashMap;

/// A reason the code generator refused a module: an IR shape it does not
/// handle. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    pub message: String,
}

impl CodegenError {
    pub fn new(message: impl Into<String>) -> CodegenError {
        CodegenError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CodegenError {}

impl From<cranelift_module::ModuleError> for CodegenError {
    fn from(e: cranelift_module::ModuleError) -> Self {
        CodegenError::new(format!("cranelift: {e}"))
    }
}

/// A machine word the code needs whose value the driver decides: known now
/// (the JIT), or found through a data object of the output (an object file,
/// whose words the runtime fills in at startup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// The word itself.
    Imm(u64),
    /// The word stored at `offset` bytes into data object `data`.
    Load(DataId, i32),
    /// The address `offset` bytes into data object `data`.
    Addr(DataId, i32),
}

/// What the code generator asks of the driver: how constants that live in
/// the runtime are addressed from code. The JIT answers with addresses in
/// this process; the object-file driver with words the runtime fills in at
/// startup, reached through relocations.
pub trait Target {
    /// The term word of literal `lit` of module `module` (an index into the
    /// compiled modules).
    fn literal(&mut self, module: usize, lit: ir::LitId) -> Word;
    /// The term word of an atom. Atom words are immediates in both
    /// drivers: the object-file driver fixes the atom table's order.
    fn atom(&mut self, name: &str) -> Result<u64, CodegenError>;
    /// A location id for stack traces: function `func` of `module`, `line`.
    fn location(&mut self, module: usize, func: ir::FuncId, line: Option<u32>) -> u32;
    /// The address of the `FunEntry` of lambda `func` of `module`.
    fn fun_entry(&mut self, module: usize, func: ir::FuncId) -> Word;
    /// The address of the export-table word for `module:name/arity`, which
    /// holds the code address of the function (0 while it is not loaded).
    fn export_slot(&mut self, module: &str, name: &str, arity: u32) -> Word;
}

/// One frame descriptor to register once code addresses are known.
#[derive(Debug, Clone)]
pub struct FrameSpec {
    /// The continuation's function.
    pub func: FuncId,
    pub size: u32,
    pub live: Vec<u32>,
    pub catches: Vec<u32>,
    pub location: u32,
}

/// What compiling a set of modules produced.
#[derive(Default)]
pub struct Compiled {
    pub frames: Vec<FrameSpec>,
    /// Entry of every top-level function: (module, name, arity).
    pub entries: HashMap<(String, String, u32), FuncId>,
    /// For spawning: the continuation that reads a function's arguments
    /// from a frame and calls it.
    pub resume_entries: HashMap<(String, String, u32), FuncId>,
    /// Closure stubs to store in fun entries: (module, lambda, stub).
    pub closure_stubs: Vec<(usize, ir::FuncId, FuncId)>,
    /// The bottom continuation: ends the process with the result in `x[0]`.
    pub done: Option<FuncId>,
    /// The `system_v` entry trampoline.
    pub trampoline: Option<FuncId>,
    /// The continuation of an apply frame (`coral_runtime::process::code`).
    pub apply: Option<FuncId>,
    /// The continuation of a spawn frame: a process's initial call.
    pub spawn: Option<FuncId>,
    /// x registers compiled code may use.
    pub max_x: usize,
    /// CLIF text of every function, when asked for.
    pub clif: Vec<(String, String)>,
}

/// Compiles `modules` into `module` (a JIT or object module).
pub fn compile<M: Module>(
    module: &mut M,
    modules: &[ir::Module],
    target: &mut dyn Target,
    want_clif: bool,
) -> Result<Compiled, CodegenError> {
    function::compile_program(module, modules, target, want_clif)
}

/// What `module_info(functions)` reports of `m`: its own functions in
/// order, then those made for funs and comprehensions, the last made
/// first (erl's order).
pub fn module_functions(m: &ir::Module) -> Vec<(String, u32)> {
    let own = m
        .functions
        .iter()
        .filter(|f| matches!(f.kind, ir::FunKind::TopLevel));
    let lifted = m
        .lifted
        .iter()
        .rev()
        .filter_map(|id| m.functions.get(id.0 as usize));
    own.chain(lifted)
        .map(|f| {
            let arity = match f.kind {
                ir::FunKind::TopLevel => f.arity,
                // The free variables come as arguments too.
                _ => f.arity + f.env_len,
            };
            (f.name.to_string(), arity)
        })
        .collect()
}

/// What `module_info` reports of `m`: its exports, and its attributes
/// (`[{Key, Value}]` without `file`) in the external term format.
pub fn module_info(m: &ir::Module) -> Result<(Vec<(String, u32)>, Vec<u8>), CodegenError> {
    let mut tmp = coral_runtime::heap::ProcessMemory::new();
    let mut pairs = Vec::new();
    for (k, v) in &m.attributes {
        if &**k == "file" {
            continue;
        }
        let key = coral_runtime::term::Term::atom(jit::atom(k)?);
        let val = jit::build_term(&mut tmp, v)?;
        pairs.push(
            tmp.tuple(&[key, val])
                .unwrap_or(coral_runtime::term::Term::NIL),
        );
    }
    let list = tmp.list(&pairs, coral_runtime::term::Term::NIL);
    // BEAM lists exports in the order the functions are defined.
    let exports = m
        .functions
        .iter()
        .filter(|f| matches!(f.kind, ir::FunKind::TopLevel))
        .filter(|f| {
            m.exports
                .iter()
                .any(|(n, a)| **n == *f.name && *a == f.arity)
        })
        .map(|f| (f.name.to_string(), f.arity))
        .collect();
    Ok((exports, coral_runtime::etf::term_to_binary(list, &*tmp)))
}

/// `name` as a quoted Core Erlang atom.
fn quoted_atom(name: &str) -> String {
    let mut s = String::from("'");
    for c in name.chars() {
        match c {
            '\'' | '\\' => {
                s.push('\\');
                s.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                s.push_str(&format!("\\{:03o}", c as u32))
            }
            c => s.push(c),
        }
    }
    s.push('\'');
    s
}

/// The attribute marking the module [`with_bif_exports`] makes: calls to
/// its functions are still BIF calls, not calls of compiled code.
pub const BIF_ENTRIES_ATTRIBUTE: &str = "$coral_bif_entries";

/// Whether `m` is the module of BIF export entries.
pub fn is_bif_entries(m: &ir::Module) -> bool {
    m.attributes
        .iter()
        .any(|(k, _)| &**k == BIF_ENTRIES_ATTRIBUTE)
}

/// `modules` and, when they name BIFs as export funs (`fun erlang:'+'/2`),
/// a module `erlang` with a function for each that calls the BIF, as
/// BEAM's export entries for BIFs do: the fun then has code to call, and
/// `apply` finds it too. A program that defines `erlang` itself gets none.
pub fn with_bif_exports(modules: &[ir::Module]) -> Result<Vec<ir::Module>, CodegenError> {
    let mut all = modules.to_vec();
    if modules.iter().any(|m| &*m.name == "erlang") {
        return Ok(all);
    }
    let mut wanted = std::collections::BTreeSet::new();
    for m in modules {
        for f in &m.functions {
            for b in &f.blocks {
                for i in &b.insts {
                    if let ir::Op::ExportFun {
                        module,
                        name,
                        arity,
                    } = &i.op
                        && &**module == "erlang"
                        && coral_runtime::jit_support::bif_index("erlang", name, *arity as usize)
                            .is_some()
                    {
                        wanted.insert((name.to_string(), *arity));
                    }
                }
            }
        }
    }
    all.push(erts_helpers()?);
    if wanted.is_empty() {
        return Ok(all);
    }
    let exports: Vec<String> = wanted
        .iter()
        .map(|(n, a)| format!("{}/{a}", quoted_atom(n)))
        .collect();
    let mut text = format!(
        "module 'erlang' [{}]\n    attributes [{}]\n",
        exports.join(", "),
        quoted_atom(BIF_ENTRIES_ATTRIBUTE) + " = ['true']"
    );
    for (n, a) in &wanted {
        let vars: Vec<String> = (0..*a).map(|i| format!("_{i}")).collect();
        let vars = vars.join(", ");
        let q = quoted_atom(n);
        text.push_str(&format!(
            "{q}/{a} = fun ({vars}) -> call 'erlang':{q}({vars})\n"
        ));
    }
    text.push_str("end\n");
    let ast = coral_syntax::parse_module("erlang (BIF export entries)", &text)
        .map_err(|d| CodegenError::new(format!("BIF export entries: {d:?}")))?;
    let m = coral_ir::lower(&ast)
        .map_err(|e| CodegenError::new(format!("BIF export entries: {}", e.message)))?;
    all.push(m);
    Ok(all)
}

/// The module of Erlang code the runtime's BIFs hand work to when it must
/// wait for a message (see `coral_runtime::process::code::trap`):
/// `process_info/2` of another process sends a request and waits for the
/// answer; `hibernate/3` waits for a message, then makes its call.
pub const ERTS_HELPERS: &str = "coral_erts";

fn erts_helpers() -> Result<ir::Module, CodegenError> {
    let text = "module 'coral_erts' ['process_info'/3, 'hibernate_wake'/3, 'io_wait'/1]
    attributes []
'io_wait'/1 =
    fun (Ref) ->
        receive
          <{R, Answer}> when call 'erlang':'=:='(R, Ref) -> Answer
        after 'infinity' -> 'undefined'
'hibernate_wake'/3 =
    fun (M, F, A) ->
        letrec 'wait'/0 =
            fun () ->
                let <Got, _Msg> = primop 'recv_peek_message'()
                in  case Got of
                      <'true'> when 'true' -> call 'erlang':'apply'(M, F, A)
                      <_> when 'true' ->
                          let <_T> = primop 'recv_wait_timeout'('infinity')
                          in  apply 'wait'/0()
                    end
        in  apply 'wait'/0()
'process_info'/3 =
    fun (Pid, Items, Single) ->
        let <Ref> = call 'erlang':'coral_process_info_request'(Pid, Items)
        in  receive
              <{R, Answer}> when call 'erlang':'=:='(R, Ref) ->
                  case <Single, Answer> of
                    <'true', [{'registered_name', []}|[]]> when 'true' -> []
                    <'true', [One|[]]> when 'true' -> One
                    <_, _> when 'true' -> Answer
                  end
            after 'infinity' -> 'undefined'
end
";
    let ast = coral_syntax::parse_module("coral_erts (runtime helpers)", text)
        .map_err(|d| CodegenError::new(format!("runtime helpers: {d:?}")))?;
    coral_ir::lower(&ast).map_err(|e| CodegenError::new(format!("runtime helpers: {}", e.message)))
}

/// The CLIF text of every function of `module`, as `coral dump --stage
/// clif` prints it. Uses the JIT's target for the host machine.
pub fn clif(module: &ir::Module) -> Result<Vec<(String, String)>, CodegenError> {
    jit::clif_text(std::slice::from_ref(module))
}
