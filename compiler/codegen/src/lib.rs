//! Cranelift code generation for Coral IR, and the drivers on top of it.
//!
//! ```text
//! coral_ir::Module --plan (regions, liveness)--> function::compile --> Cranelift functions
//!                                                     |-> jit.rs: cranelift-jit, run now
//!                                                     '-> (object files: the same core on cranelift-object)
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

use coral_ir as ir;
use cranelift_module::{FuncId, Module};
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

/// What the code generator asks of the driver: how constants that live in
/// the runtime are addressed from code. The JIT answers with addresses in
/// this process; an object-file driver would answer with relocations.
pub trait Target {
    /// The term word of literal `lit` of module `module` (an index into the
    /// compiled modules).
    fn literal(&mut self, module: usize, lit: ir::LitId) -> u64;
    /// The term word of an atom.
    fn atom(&mut self, name: &str) -> Result<u64, CodegenError>;
    /// A location id for stack traces: function `func` of `module`, `line`.
    fn location(&mut self, module: usize, func: ir::FuncId, line: Option<u32>) -> u32;
    /// The address of the `FunEntry` of lambda `func` of `module`.
    fn fun_entry(&mut self, module: usize, func: ir::FuncId) -> u64;
    /// The address of the export-table word for `module:name/arity`, which
    /// holds the code address of the function (0 while it is not loaded).
    fn export_slot(&mut self, module: &str, name: &str, arity: u32) -> u64;
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

/// The CLIF text of every function of `module`, as `coral dump --stage
/// clif` prints it. Uses the JIT's target for the host machine.
pub fn clif(module: &ir::Module) -> Result<Vec<(String, String)>, CodegenError> {
    jit::clif_text(std::slice::from_ref(module))
}
