//! IR functions to Cranelift functions.
//!
//! # Regions
//!
//! An IR function is cut into regions, each compiled to one Cranelift
//! function. A region starts at an *entry* block and holds the blocks only
//! that entry reaches without passing another entry. Entries are:
//!
//! - block 0, the function entry (parameters: arguments and environment);
//! - the continuation of every non-tail call, entered by the callee's
//!   `return` with the result; it reloads the call's live set from its
//!   frame on the process stack and pops it;
//! - every `try` handler, entered by a raise with `stop` at its catch frame;
//! - every loop header (so that a process suspended on a back edge can
//!   resume there), except the header a self-recursive function jumps to
//!   straight from its entry with its own arguments, which resumes by
//!   calling the function again;
//! - every block reached from two regions (a join after a call in one
//!   branch, say). Its parameters are the block's own and then the values
//!   live into it.
//!
//! A jump to another region's entry is a `return_call`. Within a region,
//! IR values are Cranelift variables, so a collection can reload them.
//!
//! # Safepoints
//!
//! A heap check at the start of each allocating block (the words of all
//! its `tuple`, `cons`, `make_fun` and `export_fun`), a stack check before
//! each frame push, and the yield of a reduction check all may collect.
//! Before calling the collector the values live there are stored into the
//! x registers (`x_live` of them, which the collector treats as roots) and
//! reloaded after, as BEAM's `test_heap` does. A call's frame holds exactly
//! the IR's live set, slot `i` being `live[i]`, under a descriptor marking
//! every slot live. BIFs never collect, so values stay in registers across
//! them.
//!
//! # Frames on the process stack
//!
//! ```text
//!   call frame:   [cont] [live 0] ... [live n-1]          (cont word at stop)
//!   catch frame:  [handler] [catch marker] [live 0] ... [live n-1]
//!   yield frame:  [resume stub] [value 0] ... [value n-1]
//! ```

use crate::abi::{self, WORD};
use crate::{CodegenError, Compiled, FrameSpec, Target, Word};
use coral_ir::liveness;
use coral_ir::{self as ir, BlockId, Callee, Cond, Const, Op, Terminator};
use coral_runtime::jit_support;
use coral_runtime::term::{HeaderKind, Term};
use cranelift_codegen::Context;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self as cl, FuncRef, InstBuilder, MemFlagsData, SigRef, StackSlotData, StackSlotKind,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{FuncId, Linkage, Module};
use std::collections::{BTreeSet, HashMap};

// A tag goes onto a heap pointer (whose low bits are zero) by addition,
// not `bor`: x86-64 then makes the tagged copy with one `lea` and keeps
// the pointer, where `or` needs a `mov` first.
const TAG_MASK: i64 = 0b11;
const TAG_LIST: i64 = 0b01;
const TAG_BOXED: i64 = 0b10;
const SMALL_MASK: i64 = 0b1111;
const SMALL_TAG: i64 = 0b1111;

/// `x name y` on `f64`s (`+ - * /`), and whether the result is finite:
/// BEAM raises badarith for an infinite or NaN result (and so for a
/// division by zero). `r - r` is 0 for a finite `r` and NaN otherwise.
fn f64_op(fb: &mut Fb, name: &str, x: cl::Value, y: cl::Value) -> (cl::Value, cl::Value) {
    let r = match name {
        "+" => fb.b.ins().fadd(x, y),
        "-" => fb.b.ins().fsub(x, y),
        "*" => fb.b.ins().fmul(x, y),
        _ => fb.b.ins().fdiv(x, y),
    };
    let z = fb.b.ins().fsub(r, r);
    let finite = fb.b.ins().fcmp(cl::condcodes::FloatCC::Ordered, z, z);
    (r, finite)
}

/// The value of `v` when it is an integer constant.
fn const_of(fb: &Fb, v: cl::Value) -> Option<i64> {
    let inst = fb.b.func.dfg.value_def(v).inst()?;
    match fb.b.func.dfg.insts[inst] {
        cl::InstructionData::UnaryImm {
            opcode: cl::Opcode::Iconst,
            imm,
        } => Some(imm.bits()),
        _ => None,
    }
}
const IMM2_MASK: i64 = 0b11_1111;
const ATOM_TAG: i64 = 0b00_1011;
const CATCH_TAG: i64 = 0b01_1011;
const NIL: i64 = Term::NIL.raw() as i64;
const NON_VALUE: i64 = Term::NON_VALUE.raw() as i64;
const TRUE: i64 = Term::boolean(true).raw() as i64;
const FALSE: i64 = Term::boolean(false).raw() as i64;
/// Bits 2..8 of a header word: the kind.
const KIND_MASK: i64 = 0xFC;

/// Whether the bits `mask` of `x` are `tag`: `(x - tag) & mask == 0`,
/// which x86-64 does as `lea` and `test` without copying `x` first.
fn tag_is(fb: &mut Fb, x: cl::Value, mask: i64, tag: i64) -> cl::Value {
    let d = fb.b.ins().iadd_imm_s(x, -tag);
    let t = fb.b.ins().band_imm_s(d, mask);
    fb.b.ins().icmp_imm_s(IntCC::Equal, t, 0)
}

fn header_word(kind: HeaderKind, arity: usize) -> i64 {
    coral_runtime::term::Header::new(kind, arity).to_word() as i64
}

fn small_word(v: i64) -> i64 {
    (v << 4) | SMALL_TAG
}

/// The largest join (IR instructions and terminators) that regions copy
/// rather than call.
const JOIN_COPY_MAX: usize = 24;

/// A Cranelift block and the arguments a branch passes it.
type BlockArgs = (cl::Block, Vec<cl::Value>);

/// How a block's code is emitted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    /// Arithmetic may split (see `Emitter::splits`), comparisons may
    /// copy their successors for their fast way (`Emitter::fast_copy`);
    /// the generic rests and the copies are emitted after the block.
    Normal,
    /// A copy for a comparison's fast way: arithmetic may split.
    Copy,
    /// A generic rest: no splits, no copies.
    Generic,
}

/// A block emitted again for the fast way of a comparison (see
/// `Emitter::fast_copy`).
struct FastCopy {
    target: BlockId,
    block: cl::Block,
    tested: Vec<(ir::Value, cl::Value)>,
    /// The indices of the target's parameters that receive one of them.
    params: Vec<usize>,
}

/// Split arithmetic (see `Emitter::splits`): at most this many
/// instructions from the split one to the end of the block, and this
/// many splits in a block.
const SPLIT_REST_MAX: usize = 12;
const SPLITS_MAX: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Entry,
    Cont,
    Handler,
    Join,
}

struct Region {
    entry: BlockId,
    kind: Kind,
    /// For a join: the block's parameters then its live-in values.
    params: Vec<ir::Value>,
    id: Option<FuncId>,
    /// A join small enough, and entered by no back edge, that a region
    /// jumping to it gets its own copy of its blocks (see
    /// [`Fb::join_copies`]) rather than making a tail call.
    copied: bool,
}

/// Everything decided about one IR function before code is emitted.
struct Plan {
    region_of: Vec<Option<usize>>,
    regions: Vec<Region>,
    live_in: Vec<Vec<ir::Value>>,
    live_out: Vec<Vec<ir::Value>>,
    /// Continuation block -> the live set of the call returning to it.
    cont_live: HashMap<BlockId, Vec<ir::Value>>,
    /// Handler block -> the live set of its `try_enter`.
    try_live: HashMap<BlockId, Vec<ir::Value>>,
    /// The handler active on entry to each block.
    entry_handler: Vec<Option<BlockId>>,
    /// Loop headers: their resume stubs.
    resume: HashMap<BlockId, FuncId>,
    /// The loop header the entry jumps to with its own arguments, if any.
    pure_header: Option<BlockId>,
    entry_resume: Option<FuncId>,
    closure_stub: Option<FuncId>,
    /// Values that are number literals (a small integer or a float).
    number_literals: std::collections::HashSet<ir::Value>,
    /// Values that are small integer literals.
    small_literals: std::collections::HashSet<ir::Value>,
    /// How many edges enter each block.
    preds: Vec<u32>,
    /// Values erlc's float pass knows to be floats: float literals and the
    /// results of `+ - * /` with such an operand (and of `/`). BEAM runs
    /// arithmetic on them as float instructions, which raise `badarith`
    /// without a BIF entry in the stack trace.
    floats: std::collections::HashSet<ir::Value>,
    /// Blocks that only lead to a match failure: laid out after the hot
    /// code.
    cold: Vec<bool>,
    /// Unboxed floats (see [`FloatPlan`]).
    fp: FloatPlan,
}

/// Float arithmetic kept in registers. An operation whose operands are all
/// known floats or number literals (a "pure" float operation) runs on
/// `f64`s with no type test, and its result is kept as an `f64` for later
/// pure operations of the same region; it is boxed on the heap only when
/// something else uses it (a call, a frame, a data structure, a
/// comparison the runtime makes).
#[derive(Default)]
struct FloatPlan {
    /// Number literals as `f64`s: float literals, and integer literals
    /// an `f64` holds exactly.
    consts: HashMap<ir::Value, f64>,
    /// Results of pure float operations, and the block that defines each.
    defs: HashMap<ir::Value, BlockId>,
    /// Those results nothing needs as a term: never boxed.
    boxless: std::collections::HashSet<ir::Value>,
}

impl FloatPlan {
    fn operand(&self, floats: &std::collections::HashSet<ir::Value>, v: ir::Value) -> bool {
        floats.contains(&v) || self.consts.contains_key(&v)
    }

    /// `name(args)` is a pure float operation giving `res`.
    fn pure_arith(
        &self,
        floats: &std::collections::HashSet<ir::Value>,
        name: &str,
        args: &[ir::Value],
        res: Option<ir::Value>,
    ) -> bool {
        matches!(name, "+" | "-" | "*" | "/")
            && args.len() == 2
            && res.is_some_and(|r| floats.contains(&r))
            && args.iter().all(|&a| self.operand(floats, a))
            && args.iter().any(|a| floats.contains(a))
    }

    /// `name(args)` is a comparison of two floats or number literals, at
    /// least one a float.
    fn pure_compare(
        &self,
        floats: &std::collections::HashSet<ir::Value>,
        name: &str,
        args: &[ir::Value],
    ) -> bool {
        matches!(name, "<" | ">" | "=<" | ">=")
            && args.len() == 2
            && args.iter().all(|&a| self.operand(floats, a))
            && args.iter().any(|a| floats.contains(a))
    }
}

fn float_plan(
    m: &ir::Module,
    f: &ir::Function,
    floats: &std::collections::HashSet<ir::Value>,
    live_sets: &[&Vec<ir::Value>],
) -> FloatPlan {
    let mut fp = FloatPlan::default();
    for b in &f.blocks {
        for i in &b.insts {
            let Some(&r) = i.results.first() else {
                continue;
            };
            match &i.op {
                Op::Const(Const::Int(k)) if k.unsigned_abs() <= 1 << 53 => {
                    fp.consts.insert(r, *k as f64);
                }
                Op::Const(Const::Lit(l)) => {
                    if let Some(ir::Term::Float(x)) = m.literals.get(l.0 as usize) {
                        fp.consts.insert(r, f64::from_bits(*x));
                    }
                }
                _ => {}
            }
        }
    }
    for (bi, b) in f.blocks.iter().enumerate() {
        for i in &b.insts {
            if let Op::Bif { name, args } = &i.op
                && fp.pure_arith(floats, name, args, i.results.first().copied())
            {
                fp.defs.insert(i.results[0], BlockId(bi as u32));
            }
        }
        if let Terminator::Guard {
            op: Op::Bif { name, args },
            ok,
            ..
        } = &b.term
            && let Some(&r) = f.block(*ok).params.first()
            && fp.pure_arith(floats, name, args, Some(r))
        {
            fp.defs.insert(r, *ok);
        }
    }
    // Uses that need a term.
    let mut boxed = std::collections::HashSet::new();
    for b in &f.blocks {
        for i in &b.insts {
            let pure = match &i.op {
                Op::Bif { name, args } => {
                    fp.pure_arith(floats, name, args, i.results.first().copied())
                        || fp.pure_compare(floats, name, args)
                }
                _ => false,
            };
            if !pure {
                i.op.for_each_use(|v| {
                    boxed.insert(v);
                });
            }
        }
        match &b.term {
            Terminator::Guard {
                op: Op::Bif { name, args },
                ok,
                fail,
            } => {
                let r = f.block(*ok).params.first().copied();
                if !fp.pure_arith(floats, name, args, r) && !fp.pure_compare(floats, name, args) {
                    boxed.extend(args.iter().copied());
                }
                boxed.extend(fail.args.iter().copied());
            }
            t => t.for_each_use(|v| {
                boxed.insert(v);
            }),
        }
        boxed.extend(b.live_through.iter().copied());
    }
    for l in live_sets {
        boxed.extend(l.iter().copied());
    }
    fp.boxless = fp
        .defs
        .keys()
        .filter(|v| !boxed.contains(v))
        .copied()
        .collect();
    fp
}

fn plan(
    m: &ir::Module,
    f: &ir::Function,
    floats: &std::collections::HashSet<ir::Value>,
) -> Result<Plan, CodegenError> {
    let n = f.blocks.len();
    if n == 0 {
        return Err(CodegenError::new(format!(
            "function {} has no blocks",
            f.name
        )));
    }
    let l = liveness::compute(f);
    let mut cont_live = HashMap::new();
    let mut try_live = HashMap::new();
    let mut kinds: HashMap<BlockId, Kind> = HashMap::new();
    kinds.insert(BlockId(0), Kind::Entry);
    let block0 = &f.blocks[0];
    let pure_header = match &block0.term {
        Terminator::Jump {
            target,
            back_edge: false,
        } if block0.insts.is_empty()
            && target.args == block0.params
            && f.block(target.block).loop_header
            && l.live_in[target.block.0 as usize].is_empty() =>
        {
            Some(target.block)
        }
        _ => None,
    };
    for b in &f.blocks {
        match &b.term {
            Terminator::Call { cont, live, .. }
            | Terminator::RecvWaitTimeout { cont, live, .. } => {
                if cont_live.insert(*cont, live.clone()).is_some() || kinds.contains_key(cont) {
                    return Err(CodegenError::new(format!(
                        "{}: block {} continues more than one call",
                        f.name, cont.0
                    )));
                }
                kinds.insert(*cont, Kind::Cont);
            }
            Terminator::TryEnter { handler, live, .. } => {
                if try_live.insert(*handler, live.clone()).is_some() || kinds.contains_key(handler)
                {
                    return Err(CodegenError::new(format!(
                        "{}: block {} handles more than one try",
                        f.name, handler.0
                    )));
                }
                kinds.insert(*handler, Kind::Handler);
            }
            _ => {}
        }
    }
    for (i, b) in f.blocks.iter().enumerate() {
        let id = BlockId(i as u32);
        if b.loop_header && Some(id) != pure_header && !kinds.contains_key(&id) {
            kinds.insert(id, Kind::Join);
        }
    }
    // Grow the entry set until every block belongs to one region.
    let region_of = loop {
        let mut owner: Vec<Option<BlockId>> = vec![None; n];
        let mut new_entries = Vec::new();
        let mut entries: Vec<BlockId> = kinds.keys().copied().collect();
        entries.sort();
        for &e in &entries {
            owner[e.0 as usize] = Some(e);
            let mut stack = vec![e];
            while let Some(b) = stack.pop() {
                // A back edge to the pure loop header from another region
                // is a call of the entry function (see `emit_edge_body`).
                let into_pure = match &f.block(b).term {
                    Terminator::Jump {
                        target,
                        back_edge: true,
                    } => e != BlockId(0) && Some(target.block) == pure_header,
                    _ => false,
                };
                if into_pure {
                    continue;
                }
                for s in f.block(b).term.successors() {
                    if kinds.contains_key(&s) {
                        continue;
                    }
                    match owner[s.0 as usize] {
                        None => {
                            owner[s.0 as usize] = Some(e);
                            stack.push(s);
                        }
                        Some(o) if o != e => new_entries.push(s),
                        Some(_) => {}
                    }
                }
            }
        }
        if new_entries.is_empty() {
            break owner;
        }
        for e in new_entries {
            kinds.insert(e, Kind::Join);
        }
    };
    let mut entries: Vec<BlockId> = kinds.keys().copied().collect();
    entries.sort();
    let mut regions = Vec::new();
    let mut index_of = HashMap::new();
    for e in entries {
        // Unreachable entries (a continuation of a call that never returns
        // has no path from block 0 only when the IR says so) still get code:
        // they are reachable from the stack.
        let kind = kinds[&e];
        let params = if kind == Kind::Join {
            let mut p = f.block(e).params.clone();
            p.extend(l.live_in[e.0 as usize].iter().copied());
            p
        } else {
            Vec::new()
        };
        index_of.insert(e, regions.len());
        regions.push(Region {
            entry: e,
            kind,
            params,
            id: None,
            copied: false,
        });
    }
    let region_of: Vec<Option<usize>> = region_of
        .iter()
        .map(|o| o.and_then(|e| index_of.get(&e).copied()))
        .collect();
    let mut size = vec![0usize; regions.len()];
    for (i, b) in f.blocks.iter().enumerate() {
        if let Some(r) = region_of[i] {
            size[r] += b.insts.len() + 1;
        }
    }
    for (r, region) in regions.iter_mut().enumerate() {
        region.copied = region.kind == Kind::Join
            && !f.block(region.entry).loop_header
            && size[r] <= JOIN_COPY_MAX;
    }
    // The handler active on entry to each block.
    let mut entry_handler = vec![None; n];
    let mut seen = vec![false; n];
    let mut stack = vec![BlockId(0)];
    seen[0] = true;
    for h in try_live.keys() {
        // Handlers run with their own try frame popped: the block's own
        // `handler` field says what is active there.
        entry_handler[h.0 as usize] = f.block(*h).handler;
    }
    while let Some(b) = stack.pop() {
        let blk = f.block(b);
        for s in blk.term.successors() {
            let active = match &blk.term {
                Terminator::TryEnter { handler, body, .. } if s == *body => Some(*handler),
                Terminator::TryEnter { handler, .. } if s == *handler => {
                    entry_handler[s.0 as usize]
                }
                _ => blk.handler,
            };
            if !seen[s.0 as usize] {
                seen[s.0 as usize] = true;
                if !try_live.contains_key(&s) {
                    entry_handler[s.0 as usize] = active;
                }
                stack.push(s);
            }
        }
    }
    let mut number_literals = std::collections::HashSet::new();
    let mut small_literals = std::collections::HashSet::new();
    for b in &f.blocks {
        for i in &b.insts {
            if let (Op::Const(Const::Int(_)), Some(&v)) = (&i.op, i.results.first()) {
                small_literals.insert(v);
            }
            let is_number = match &i.op {
                Op::Const(Const::Int(_)) => true,
                Op::Const(Const::Lit(l)) => matches!(
                    m.literals.get(l.0 as usize),
                    Some(ir::Term::Float(_) | ir::Term::Int(_))
                ),
                _ => false,
            };
            if is_number && let Some(&v) = i.results.first() {
                number_literals.insert(v);
            }
        }
    }
    let floats = floats.clone();
    let fp = {
        let mut sets: Vec<&Vec<ir::Value>> = cont_live.values().chain(try_live.values()).collect();
        let entry_live: Vec<Vec<ir::Value>> = kinds
            .keys()
            .map(|e| l.live_in[e.0 as usize].clone())
            .collect();
        sets.extend(entry_live.iter());
        float_plan(m, f, &floats, &sets)
    };
    // A block is cold when it fails a match, or jumps (doing nothing
    // else that allocates or calls) only to a cold block.
    let mut cold = vec![false; n];
    loop {
        let mut changed = false;
        for (i, b) in f.blocks.iter().enumerate() {
            if cold[i] || i == 0 {
                continue;
            }
            let c = match &b.term {
                Terminator::MatchFail { .. } => true,
                Terminator::Jump { target, .. } => cold[target.block.0 as usize],
                _ => false,
            };
            if c {
                cold[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(Plan {
        fp,
        cold,
        number_literals,
        small_literals,
        preds: {
            let mut preds = vec![0u32; n];
            for b in &f.blocks {
                for s in b.term.successors() {
                    preds[s.0 as usize] += 1;
                }
            }
            preds
        },
        floats,
        region_of,
        regions,
        live_in: l.live_in,
        live_out: l.live_out,
        cont_live,
        try_live,
        entry_handler,
        resume: HashMap::new(),
        pure_header,
        entry_resume: None,
        closure_stub: None,
    })
}

/// The symbol of a function: `module:name/arity`, made unique (object
/// files and the JIT want one symbol per name) by the function's index when
/// lowering gave two functions of the module the same name, as it can for
/// funs.
fn fn_label(m: &ir::Module, f: &ir::Function) -> String {
    let same = |g: &ir::Function| g.name == f.name && g.arity == f.arity;
    if m.functions.iter().filter(|g| same(g)).count() > 1 {
        let index = m
            .functions
            .iter()
            .position(|g| std::ptr::eq(g, f))
            .unwrap_or(0);
        format!("{}:{}/{}#{index}", m.name, f.name, f.arity)
    } else {
        format!("{}:{}/{}", m.name, f.name, f.arity)
    }
}

/// Compiles every module: plans, declares, then defines each function.
pub fn compile_program<M: Module>(
    module: &mut M,
    modules: &[ir::Module],
    target: &mut dyn Target,
    want_clif: bool,
) -> Result<Compiled, CodegenError> {
    let mut out = Compiled::default();
    let mut plans: Vec<Vec<Plan>> = Vec::new();
    for m in modules {
        let mut v = Vec::new();
        let floats = crate::types::floats(m);
        for (f, fl) in m.functions.iter().zip(&floats) {
            v.push(plan(m, f, fl)?);
        }
        plans.push(v);
    }
    // Declarations.
    let mut entry_ids: Vec<Vec<FuncId>> = Vec::new();
    for (mi, m) in modules.iter().enumerate() {
        // Functions some `make_fun` closes over need a closure stub.
        let mut fun_targets = BTreeSet::new();
        for f in &m.functions {
            for b in &f.blocks {
                for i in &b.insts {
                    if let Op::MakeFun { func, .. } = &i.op {
                        fun_targets.insert(func.0);
                    }
                }
            }
        }
        let mut ids = Vec::new();
        for (fi, f) in m.functions.iter().enumerate() {
            let label = fn_label(m, f);
            let p = &mut plans[mi][fi];
            let params = (f.arity + f.env_len) as usize;
            for r in p.regions.iter_mut() {
                let (name, sig) = match r.kind {
                    Kind::Entry => (label.clone(), abi::erlang_sig(params)),
                    Kind::Cont => (format!("{label}$c{}", r.entry.0), abi::cont_sig()),
                    Kind::Handler => (format!("{label}$h{}", r.entry.0), abi::cont_sig()),
                    Kind::Join => (
                        format!("{label}$j{}", r.entry.0),
                        abi::erlang_sig(r.params.len()),
                    ),
                };
                r.id = Some(module.declare_function(&name, Linkage::Local, &sig)?);
            }
            let entry = p.regions[0]
                .id
                .ok_or_else(|| CodegenError::new("entry region not declared"))?;
            ids.push(entry);
            p.entry_resume = Some(module.declare_function(
                &format!("{label}$resume"),
                Linkage::Local,
                &abi::cont_sig(),
            )?);
            for (i, b) in f.blocks.iter().enumerate() {
                if b.loop_header {
                    let id = module.declare_function(
                        &format!("{label}$resume{i}"),
                        Linkage::Local,
                        &abi::cont_sig(),
                    )?;
                    p.resume.insert(BlockId(i as u32), id);
                }
            }
            if fun_targets.contains(&(fi as u32)) {
                let id = module.declare_function(
                    &format!("{label}$closure"),
                    Linkage::Local,
                    &abi::erlang_sig(f.arity as usize + 1),
                )?;
                p.closure_stub = Some(id);
                out.closure_stubs.push((mi, ir::FuncId(fi as u32), id));
            }
            if matches!(f.kind, ir::FunKind::TopLevel) {
                let key = (m.name.to_string(), f.name.to_string(), f.arity);
                out.entries.insert(key.clone(), entry);
                if let Some(r) = p.entry_resume {
                    out.resume_entries.insert(key, r);
                }
            }
        }
        entry_ids.push(ids);
    }
    let mut runtime = HashMap::new();
    for rf in abi::RUNTIME_FNS {
        let sig = rf.signature(module.isa().default_call_conv());
        runtime.insert(
            rf.name,
            module.declare_function(rf.name, Linkage::Import, &sig)?,
        );
    }
    let mut keeping = Vec::new();
    for (rf, name) in abi::KEEPING {
        let id = module.declare_function(name, Linkage::Local, &rf.keeping_signature())?;
        runtime.insert(*name, id);
        keeping.push((*rf, *name, id));
    }
    let done = module.declare_function("coral$done", Linkage::Local, &abi::cont_sig())?;
    let native = module.isa().default_call_conv();
    let trampoline =
        module.declare_function("coral$enter", Linkage::Export, &abi::trampoline_sig(native))?;
    let apply = module.declare_function("coral$apply", Linkage::Local, &abi::cont_sig())?;
    let spawn = module.declare_function("coral$spawn", Linkage::Local, &abi::cont_sig())?;
    out.done = Some(done);
    out.trampoline = Some(trampoline);
    out.apply = Some(apply);
    out.spawn = Some(spawn);
    out.max_x = 3;

    let mut fctx = FunctionBuilderContext::new();
    let mut ctx = module.make_context();
    // Fixed functions: the bottom continuation and the trampoline.
    define_done(module, &mut ctx, &mut fctx, done, want_clif, &mut out)?;
    define_trampoline(
        module, &mut ctx, &mut fctx, trampoline, native, want_clif, &mut out,
    )?;
    out.frames.push(FrameSpec {
        func: done,
        size: 0,
        live: vec![],
        catches: vec![],
        location: u32::MAX,
    });
    for (rf, name, id) in keeping {
        define_keeping(
            module, &mut ctx, &mut fctx, rf, name, id, &runtime, want_clif, &mut out,
        )?;
    }
    define_apply(module, &mut ctx, &mut fctx, apply, want_clif, &mut out)?;
    define_spawn(
        module, &mut ctx, &mut fctx, spawn, &runtime, want_clif, &mut out,
    )?;
    // `[Code, N, Args]`: only the list is a term.
    out.frames.push(FrameSpec {
        func: apply,
        size: 3,
        live: vec![2],
        catches: vec![],
        location: u32::MAX,
    });
    out.frames.push(FrameSpec {
        func: spawn,
        size: 3,
        live: vec![0, 1, 2],
        catches: vec![],
        location: u32::MAX,
    });

    for (mi, m) in modules.iter().enumerate() {
        for (fi, f) in m.functions.iter().enumerate() {
            let p = &plans[mi][fi];
            let fid = ir::FuncId(fi as u32);
            let fn_loc = target.location(mi, fid, f.line);
            for ri in 0..p.regions.len() {
                let mut e = Emitter {
                    module: &mut *module,
                    target: &mut *target,
                    mi,
                    m,
                    f,
                    fid,
                    p,
                    plans: &plans,
                    entry_ids: &entry_ids,
                    runtime: &runtime,
                    out: &mut out,
                    region: ri,
                    live_now: None,
                    plain_raise: false,
                    inner_copy: false,
                    division_raise: false,
                };
                e.define_region(&mut ctx, &mut fctx, want_clif)?;
            }
            // Resume stubs.
            let params = (f.arity + f.env_len) as usize;
            let entry = entry_ids[mi][fi];
            let label = fn_label(m, f);
            if let Some(r) = p.entry_resume {
                define_resume(
                    module,
                    &mut ctx,
                    &mut fctx,
                    r,
                    entry,
                    params,
                    &format!("{label}$resume"),
                    want_clif,
                    &mut out,
                )?;
                out.frames.push(FrameSpec {
                    func: r,
                    size: params as u32,
                    live: (0..params as u32).collect(),
                    catches: vec![],
                    location: fn_loc,
                });
            }
            for (&h, &r) in &p.resume {
                let hb = f.block(h);
                let (callee, n) = match p.region_of_entry(h) {
                    Some(ri) => (
                        p.regions[ri]
                            .id
                            .ok_or_else(|| CodegenError::new("undeclared"))?,
                        p.regions[ri].params.len(),
                    ),
                    None if p.pure_header == Some(h) => (entry, hb.params.len()),
                    None => {
                        return Err(CodegenError::new(format!(
                            "{label}: loop header {} has no way to resume",
                            h.0
                        )));
                    }
                };
                define_resume(
                    module,
                    &mut ctx,
                    &mut fctx,
                    r,
                    callee,
                    n,
                    &format!("{label}$resume{}", h.0),
                    want_clif,
                    &mut out,
                )?;
                out.frames.push(FrameSpec {
                    func: r,
                    size: n as u32,
                    live: (0..n as u32).collect(),
                    catches: vec![],
                    location: fn_loc,
                });
            }
            if let Some(stub) = p.closure_stub {
                define_closure_stub(
                    module,
                    &mut ctx,
                    &mut fctx,
                    stub,
                    entry,
                    f.arity as usize,
                    f.env_len as usize,
                    &format!("{label}$closure"),
                    want_clif,
                    &mut out,
                )?;
            }
        }
    }
    Ok(out)
}

impl Plan {
    fn region_of_entry(&self, b: BlockId) -> Option<usize> {
        self.regions.iter().position(|r| r.entry == b)
    }
}

fn finish<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    id: FuncId,
    name: &str,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    cool_slow_paths(&mut ctx.func);
    if want_clif {
        // Name the functions the code refers to (CLIF shows only their
        // numbers), one comment line each, before the function.
        let mut text = String::new();
        for (fref, data) in ctx.func.dfg.ext_funcs.iter() {
            if let cl::ExternalName::User(r) = &data.name {
                let un = &ctx.func.params.user_named_funcs()[*r];
                let callee = FuncId::from_u32(un.index);
                let n = &module.declarations().get_function_decl(callee).name;
                if let Some(n) = n {
                    text.push_str(&format!("; {fref} = {n}\n"));
                }
            }
        }
        text.push_str(&ctx.func.display().to_string());
        out.clif.push((name.to_string(), text));
    }
    module
        .define_function(id, ctx)
        .map_err(|e| CodegenError::new(format!("cranelift rejected {name}: {e:?}")))?;
    module.clear_context(ctx);
    Ok(())
}

/// Marks cold every block that only cold blocks lead to.
///
/// The code generator marks the first block of each slow way cold (a
/// runtime call for operands that are not small integers, a collection, a
/// yield); the blocks after it, which that call's checks and joins make,
/// are cold too. Cranelift lays blocks out in a depth-first order and
/// moves the cold ones to the end: a slow way left partly hot sits in the
/// middle of the fast code and makes it jump over it.
fn cool_slow_paths(func: &mut cl::Function) {
    use cranelift_codegen::cursor::{Cursor, FuncCursor};
    let Some(entry) = func.layout.entry_block() else {
        return;
    };
    let cfg = cranelift_codegen::flowgraph::ControlFlowGraph::with_function(func);
    let mut hot = std::collections::HashSet::new();
    let mut stack = vec![entry];
    while let Some(b) = stack.pop() {
        if hot.insert(b) {
            stack.extend(cfg.succ_iter(b).filter(|s| !func.layout.is_cold(*s)));
        }
    }
    let cold: Vec<cl::Block> = func.layout.blocks().filter(|b| !hot.contains(b)).collect();
    for &b in &cold {
        func.layout.set_cold(b);
    }
    // A cold block that branches two ways back into a hot join: Cranelift
    // puts the moves of such an edge in a block of its own, which takes
    // the coldness of the join, and so sits in the middle of the fast code.
    // A cold block of ours on the edge takes the moves instead.
    let mut edges = Vec::new();
    for &b in &cold {
        let Some(last) = func.layout.last_inst(b) else {
            continue;
        };
        let dests = func.dfg.insts[last]
            .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables);
        if dests.len() < 2 {
            continue;
        }
        for (i, d) in dests.iter().enumerate() {
            let to = d.block(&func.dfg.value_lists);
            if !func.layout.is_cold(to) && cfg.pred_iter(to).nth(1).is_some() {
                let args: Vec<cl::BlockArg> = d.args(&func.dfg.value_lists).collect();
                edges.push((last, i, to, args));
            }
        }
    }
    for (inst, i, to, args) in edges {
        let e = func.dfg.make_block();
        func.layout.append_block(e);
        func.layout.set_cold(e);
        let mut pos = FuncCursor::new(func).at_bottom(e);
        pos.ins().jump(to, &args);
        let dfg = &mut func.stencil.dfg;
        let call = cl::BlockCall::new(e, [], &mut dfg.value_lists);
        dfg.insts[inst].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables)
            [i] = call;
    }
}

/// A stub's entry: the heap and stack tops and the terms after them.
fn stub_params(b: &FunctionBuilder, blk: cl::Block) -> (cl::Value, cl::Value, Vec<cl::Value>) {
    let p = b.block_params(blk);
    (p[0], p[1], p[abi::STATE_PARAMS..].to_vec())
}

/// Writes the heap and stack tops to the context (before a runtime call or
/// a return to the scheduler).
fn store_tops(b: &mut FunctionBuilder, c: cl::Value, htop: cl::Value, stop: cl::Value) {
    b.ins()
        .store(MemFlagsData::trusted(), htop, c, abi::CTX_HTOP);
    b.ins()
        .store(MemFlagsData::trusted(), stop, c, abi::CTX_STOP);
}

/// Reads the heap and stack tops from the context (entering compiled code,
/// or after a runtime call).
fn load_tops(b: &mut FunctionBuilder, c: cl::Value) -> (cl::Value, cl::Value) {
    let htop = b
        .ins()
        .load(WORD, MemFlagsData::trusted(), c, abi::CTX_HTOP);
    let stop = b
        .ins()
        .load(WORD, MemFlagsData::trusted(), c, abi::CTX_STOP);
    (htop, stop)
}

fn define_done<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = abi::cont_sig();
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let c = b.ins().get_pinned_reg(WORD);
    let (htop, stop, p) = stub_params(&b, blk);
    let r = p[0];
    store_tops(&mut b, c, htop, stop);
    let x = b.ins().load(WORD, MemFlagsData::trusted(), c, abi::CTX_X);
    b.ins().store(MemFlagsData::trusted(), r, x, 0);
    let s = b.ins().iconst(WORD, abi::status::EXIT as i64);
    b.ins().return_(&[s]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, "coral$done", want_clif, out)
}

fn define_trampoline<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    native: CallConv,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = abi::trampoline_sig(native);
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let sig = b.import_signature(abi::cont_sig());
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let c = b.block_params(blk)[0];
    // The caller's pinned register is callee-saved in its convention:
    // kept here and given back.
    let saved = b.ins().get_pinned_reg(WORD);
    b.ins().set_pinned_reg(c);
    let (htop, stop) = load_tops(&mut b, c);
    let w = b.ins().load(WORD, MemFlagsData::trusted(), stop, 0);
    let stop2 = b.ins().iadd_imm_s(stop, 8);
    let addr = w;
    let nv = b.ins().iconst(WORD, NON_VALUE);
    let call = b.ins().call_indirect(sig, addr, &[htop, stop2, nv]);
    let r = b.inst_results(call)[0];
    b.ins().set_pinned_reg(saved);
    b.ins().return_(&[r]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, "coral$enter", want_clif, out)
}

/// The register-keeping adapter of runtime function `rf` (see
/// `abi::KEEPING`).
#[allow(clippy::too_many_arguments)]
fn define_keeping<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    rf: &abi::RuntimeFn,
    name: &str,
    id: FuncId,
    runtime: &HashMap<&'static str, FuncId>,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = rf.keeping_signature();
    let callee = *runtime
        .get(rf.name)
        .ok_or_else(|| CodegenError::new(format!("runtime function {} missing", rf.name)))?;
    let fref = module.declare_func_in_func(callee, &mut ctx.func);
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.switch_to_block(blk);
    let t = MemFlagsData::trusted();
    let c = b.ins().get_pinned_reg(WORD);
    let mut params = vec![c];
    for (i, &ty) in rf.params.iter().enumerate().skip(1) {
        let w = b.ins().load(WORD, t, c, abi::CTX_ARGS + 8 * (i as i32 - 1));
        params.push(if ty == WORD {
            w
        } else {
            b.ins().ireduce(ty, w)
        });
    }
    let call = b.ins().call(fref, &params);
    if let Some(&r) = b.inst_results(call).first() {
        let r = if b.func.dfg.value_type(r) == WORD {
            r
        } else {
            b.ins().uextend(WORD, r)
        };
        b.ins().store(t, r, c, abi::CTX_RET);
    }
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, name, want_clif, out)
}

/// The apply continuation: pops the frame `[Code, N, Args]` that
/// `coral_jit_apply` pushed and tail-calls `Code` with the `N` elements of
/// `Args`, one dispatch case per count.
fn define_apply<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    use coral_runtime::process::code::MAX_APPLY_ARITY;
    ctx.func.signature = abi::cont_sig();
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let c = b.ins().get_pinned_reg(WORD);
    let t = MemFlagsData::trusted();
    let (htop, stop, _) = stub_params(&b, blk);
    let cw = b.ins().load(WORD, t, stop, 0);
    let code = cw;
    let nw = b.ins().load(WORD, t, stop, 8);
    let n = b.ins().ushr_imm_u(nw, 2);
    let list = b.ins().load(WORD, t, stop, 16);
    let s2 = b.ins().iadd_imm_s(stop, 24);
    let bad = b.create_block();
    let cases: Vec<cl::Block> = (0..=MAX_APPLY_ARITY).map(|_| b.create_block()).collect();
    let n32 = b.ins().ireduce(cl::types::I32, n);
    let too_many = b
        .ins()
        .icmp_imm_u(IntCC::UnsignedGreaterThan, n, MAX_APPLY_ARITY as i64);
    let dispatch = b.create_block();
    b.ins().brif(too_many, bad, &[], dispatch, &[]);
    b.switch_to_block(dispatch);
    let targets: Vec<cl::BlockCall> = cases
        .iter()
        .map(|&blk| b.func.dfg.block_call(blk, &[]))
        .collect();
    let default = b.func.dfg.block_call(bad, &[]);
    let jt = b
        .func
        .create_jump_table(cl::JumpTableData::new(default, &targets));
    b.ins().br_table(n32, jt);
    for (k, &case) in cases.iter().enumerate() {
        b.switch_to_block(case);
        let sig = b.import_signature(abi::erlang_sig(k));
        let mut args = vec![htop, s2];
        let mut l = list;
        for _ in 0..k {
            args.push(b.ins().load(WORD, t, l, -(TAG_LIST as i32)));
            l = b.ins().load(WORD, t, l, 8 - TAG_LIST as i32);
        }
        b.ins().return_call_indirect(sig, code, &args);
    }
    b.switch_to_block(bad);
    store_tops(&mut b, c, htop, s2);
    let st = b.ins().iconst(WORD, abi::STATUS_INTERNAL as i64);
    b.ins().return_(&[st]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, "coral$apply", want_clif, out)
}

/// The spawn continuation: pops `[A, B, Args]` and makes the call
/// `apply(A, B, Args)` (`B == []`: `apply(A, Args)`), in tail position.
fn define_spawn<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    runtime: &HashMap<&'static str, FuncId>,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = abi::cont_sig();
    let apply_id = *runtime
        .get(abi::APPLY.name)
        .ok_or_else(|| CodegenError::new("runtime function coral_jit_apply missing"))?;
    let apply = module.declare_func_in_func(apply_id, &mut ctx.func);
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let c = b.ins().get_pinned_reg(WORD);
    let t = MemFlagsData::trusted();
    let (htop, stop, _) = stub_params(&b, blk);
    let x = b.ins().load(WORD, t, stop, 0);
    let y = b.ins().load(WORD, t, stop, 8);
    let l = b.ins().load(WORD, t, stop, 16);
    let s2 = b.ins().iadd_imm_s(stop, 24);
    store_tops(&mut b, c, htop, s2);
    let out_slot = b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
    let op = b.ins().stack_addr(WORD, out_slot, 0);
    let loc = b.ins().iconst(cl::types::I32, u32::MAX as i64);
    let call = b.ins().call(apply, &[c, x, y, l, loc, op]);
    let k = b.inst_results(call)[0];
    let w = b.ins().stack_load(WORD, WORD, out_slot, 0);
    let sig = b.import_signature(abi::cont_sig());
    let raised = b.create_block();
    let ok = b.create_block();
    let is_raise = b.ins().icmp_imm_s(IntCC::Equal, k, 2);
    b.ins().brif(is_raise, raised, &[], ok, &[]);
    // The result (or, after a pushed apply frame, nothing) goes to the
    // continuation on top of the stack.
    b.switch_to_block(ok);
    let c = b.ins().get_pinned_reg(WORD);
    let (htop, stop) = load_tops(&mut b, c);
    let cw = b.ins().load(WORD, t, stop, 0);
    let s3 = b.ins().iadd_imm_s(stop, 8);
    let addr = cw;
    b.ins().return_call_indirect(sig, addr, &[htop, s3, w]);
    // A raise: enter the handler, or end the process.
    b.switch_to_block(raised);
    let none = b.create_block();
    let some = b.create_block();
    b.ins().brif(w, some, &[], none, &[]);
    b.switch_to_block(none);
    let st = b.ins().iconst(WORD, abi::status::ERROR as i64);
    b.ins().return_(&[st]);
    b.switch_to_block(some);
    let c = b.ins().get_pinned_reg(WORD);
    let (htop, stop) = load_tops(&mut b, c);
    let nv = b.ins().iconst(WORD, NON_VALUE);
    b.ins().return_call_indirect(sig, w, &[htop, stop, nv]);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, "coral$spawn", want_clif, out)
}

/// A continuation that pops `n` values from its frame and calls `callee`
/// with them.
#[allow(clippy::too_many_arguments)]
fn define_resume<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    callee: FuncId,
    n: usize,
    name: &str,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = abi::cont_sig();
    let fref = module.declare_func_in_func(callee, &mut ctx.func);
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let (htop, stop, _) = stub_params(&b, blk);
    let mut args = Vec::new();
    for i in 0..n {
        args.push(
            b.ins()
                .load(WORD, MemFlagsData::trusted(), stop, (8 * i) as i32),
        );
    }
    let stop2 = b.ins().iadd_imm_s(stop, (8 * n) as i64);
    args.splice(0..0, [htop, stop2]);
    b.ins().return_call(fref, &args);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, name, want_clif, out)
}

/// The code a fun entry points at: takes the arguments and the closure,
/// and calls the function with the closure's environment appended.
#[allow(clippy::too_many_arguments)]
fn define_closure_stub<M: Module>(
    module: &mut M,
    ctx: &mut Context,
    fctx: &mut FunctionBuilderContext,
    id: FuncId,
    callee: FuncId,
    arity: usize,
    env: usize,
    name: &str,
    want_clif: bool,
    out: &mut Compiled,
) -> Result<(), CodegenError> {
    ctx.func.signature = abi::erlang_sig(arity + 1);
    let fref = module.declare_func_in_func(callee, &mut ctx.func);
    // The arguments, then the closure.
    let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
    let blk = b.create_block();
    b.append_block_params_for_function_params(blk);
    b.switch_to_block(blk);
    let (htop, stop, params) = stub_params(&b, blk);
    let mut args = vec![htop, stop];
    args.extend_from_slice(&params[..arity]);
    let fun = params[arity];
    for i in 0..env {
        // Closure layout: header, entry pointer, environment.
        args.push(b.ins().load(
            WORD,
            MemFlagsData::trusted(),
            fun,
            (8 * (2 + i)) as i32 - TAG_BOXED as i32,
        ));
    }
    b.ins().return_call(fref, &args);
    b.seal_all_blocks();
    b.finalize(module.isa().frontend_config());
    finish(module, ctx, id, name, want_clif, out)
}

/// Emits one region of one function.
struct Emitter<'a, M: Module> {
    module: &'a mut M,
    target: &'a mut dyn Target,
    mi: usize,
    m: &'a ir::Module,
    f: &'a ir::Function,
    fid: ir::FuncId,
    p: &'a Plan,
    plans: &'a [Vec<Plan>],
    entry_ids: &'a [Vec<FuncId>],
    runtime: &'a HashMap<&'static str, FuncId>,
    out: &'a mut Compiled,
    region: usize,
    /// The values live before the instruction being emitted, when an
    /// inline allocation in it may need to collect.
    live_now: Option<Vec<ir::Value>>,
    /// The instruction being emitted raises, when it fails, from the
    /// current function without a BIF entry first (BEAM's `+`/`-` with a
    /// literal operand and `/` are instructions, not BIF calls).
    plain_raise: bool,
    /// The raise being emitted is of a failed division (see
    /// `jit_support::LOC_DIVISION`).
    division_raise: bool,
    /// Emitting the inner copy of a continuation region (see
    /// `emit_region`): its frame descriptors are registered by the
    /// region's own function.
    inner_copy: bool,
}

/// State while building one Cranelift function.
struct Fb<'b> {
    b: FunctionBuilder<'b>,
    /// The context copied out of the pinned register in the current block
    /// since its last call, if any (see [`Fb::ctx`]).
    ctx_here: Option<(cl::Block, cl::Value)>,
    /// The heap top and the stack top. Compiled code keeps them in these
    /// variables (registers) and passes them to every Erlang function it
    /// enters; the context's words hold them only across a runtime call
    /// and after a return to the scheduler (see [`Fb::sync_out`]).
    htop: Variable,
    stop: Variable,
    /// The reductions left, read from the context when the native function
    /// starts and written back when it leaves (a tail call, a return to the
    /// scheduler) or calls the runtime: a loop inside one native function
    /// counts in a register.
    reds: Variable,
    /// Whether `reds` is in use: in a function's entry region, where the
    /// reduction check of every call is (elsewhere a loop's check reads
    /// and writes the context, and nothing else touches the count).
    reds_owned: bool,
    /// In a function's entry region: the block after the entry block,
    /// taking the state and the arguments, where a call of the function
    /// itself can jump (no epilogue, no prologue).
    self_entry: Option<cl::Block>,
    /// Continuations of the function's calls of itself emitted inside this
    /// native function: their functions and entry blocks (which take the
    /// state and the result).
    inner: Vec<(FuncId, cl::Block)>,
    /// The copied joins (region indices) this native function jumps to,
    /// in the order first asked for; their blocks are emitted at the end
    /// (see [`Emitter::emit_region`]).
    join_copies: Vec<usize>,
    /// Small integers known where code is being emitted: the operands and
    /// results of split arithmetic (see [`Emitter::emit_from`]), as
    /// Cranelift values. Cleared wherever another way can join in.
    facts: std::collections::HashSet<cl::Value>,
    /// Set before an arithmetic instruction that may split.
    split_ok: bool,
    /// The facts the next [`Emitter::emit_from`] starts with.
    known: Vec<cl::Value>,
    /// The IR values whose values here are in `facts`.
    facts_ir: std::collections::HashSet<ir::Value>,
    /// The IR values of `known`.
    known_ir: Vec<ir::Value>,
    /// Left by a split instruction: the block its other ways join in,
    /// taking the result, and the operands as tested.
    split: Option<(cl::Block, Vec<cl::Value>)>,
    /// Blocks made by [`Fb::block`] are laid out cold while this is above
    /// zero (the float paths behind an integer fast path).
    cold: u32,
    vars: HashMap<ir::Value, Variable>,
    /// The `f64` of each result of a pure float operation of the region.
    fvars: HashMap<ir::Value, Variable>,
    blocks: HashMap<BlockId, cl::Block>,
    funcs: HashMap<FuncId, FuncRef>,
    sigs: HashMap<usize, SigRef>,
    args_slot: Option<(cl::StackSlot, usize)>,
    /// Edges whose code is emitted after the current terminator.
    pending: Vec<(cl::Block, ir::BlockCall, bool)>,
}

impl Fb<'_> {
    /// The process context: in the pinned register, copied out once per
    /// block and again after each call, so that no value holding it lives
    /// across a call.
    fn ctx(&mut self) -> cl::Value {
        let here = self.b.current_block();
        if let (Some((b, v)), Some(h)) = (self.ctx_here, here)
            && b == h
        {
            return v;
        }
        let v = self.b.ins().get_pinned_reg(WORD);
        self.ctx_here = here.map(|h| (h, v));
        v
    }

    /// Forgets the copy of the context (a call may change registers).
    /// A new block, cold inside a cold stretch of code.
    fn block(&mut self) -> cl::Block {
        let b = self.b.create_block();
        if self.cold > 0 {
            self.b.set_cold_block(b);
        }
        b
    }

    fn after_call(&mut self) {
        self.ctx_here = None;
        self.reload_tops();
    }

    /// Stores the heap and stack tops in the context, for a runtime call
    /// or the scheduler.
    fn sync_out(&mut self) {
        let c = self.ctx();
        let h = self.b.use_var(self.htop);
        let st = self.b.use_var(self.stop);
        store_tops(&mut self.b, c, h, st);
        self.store_reds();
    }

    fn store_reds(&mut self) {
        if !self.reds_owned {
            return;
        }
        let c = self.ctx();
        let r = self.b.use_var(self.reds);
        self.b
            .ins()
            .store(MemFlagsData::trusted(), r, c, abi::CTX_REDS);
    }

    fn load_reds(&mut self) {
        if !self.reds_owned {
            return;
        }
        let c = self.ctx();
        let r = self
            .b
            .ins()
            .load(WORD, MemFlagsData::trusted(), c, abi::CTX_REDS);
        self.b.def_var(self.reds, r);
    }

    /// Reads the heap and stack tops back from the context (a runtime call
    /// may have moved them).
    fn reload_tops(&mut self) {
        let c = self.ctx();
        let (h, st) = load_tops(&mut self.b, c);
        self.b.def_var(self.htop, h);
        self.b.def_var(self.stop, st);
        self.load_reds();
    }

    fn top_var(&self, offset: i32) -> Option<Variable> {
        match offset {
            abi::CTX_HTOP => Some(self.htop),
            abi::CTX_STOP => Some(self.stop),
            abi::CTX_REDS if self.reds_owned => Some(self.reds),
            _ => None,
        }
    }

    /// Makes `v` the heap or stack top (`offset` says which).
    fn know_top(&mut self, offset: i32, v: cl::Value) {
        if let Some(var) = self.top_var(offset) {
            self.b.def_var(var, v);
        }
    }

    /// The machine state every Erlang function takes before its terms.
    fn state_args(&mut self, args: &[cl::Value]) -> Vec<cl::Value> {
        let mut v = Vec::with_capacity(args.len() + abi::STATE_PARAMS);
        v.push(self.b.use_var(self.htop));
        v.push(self.b.use_var(self.stop));
        v.extend_from_slice(args);
        v
    }

    /// A tail call of an Erlang function: the state, then `args`.
    fn tail_call(&mut self, f: FuncRef, args: &[cl::Value]) {
        self.store_reds();
        let a = self.state_args(args);
        self.b.ins().return_call(f, &a);
    }

    /// A tail call through a code address.
    fn tail_call_indirect(&mut self, sig: SigRef, addr: cl::Value, args: &[cl::Value]) {
        self.store_reds();
        let a = self.state_args(args);
        self.b.ins().return_call_indirect(sig, addr, &a);
    }

    /// Returns `status` to the trampoline, the tops in the context.
    fn return_status(&mut self, status: cl::Value) {
        self.sync_out();
        self.b.ins().return_(&[status]);
    }

    fn ctx_load(&mut self, offset: i32) -> cl::Value {
        if let Some(var) = self.top_var(offset) {
            return self.b.use_var(var);
        }
        let c = self.ctx();
        self.b.ins().load(WORD, MemFlagsData::trusted(), c, offset)
    }

    fn ctx_store(&mut self, v: cl::Value, offset: i32) {
        if let Some(var) = self.top_var(offset) {
            self.b.def_var(var, v);
            return;
        }
        let c = self.ctx();
        self.b.ins().store(MemFlagsData::trusted(), v, c, offset);
    }
}

impl<M: Module> Emitter<'_, M> {
    fn define_region(
        &mut self,
        ctx: &mut Context,
        fctx: &mut FunctionBuilderContext,
        want_clif: bool,
    ) -> Result<(), CodegenError> {
        let r = &self.p.regions[self.region];
        let id = r.id.ok_or_else(|| CodegenError::new("undeclared region"))?;
        let nparams = match r.kind {
            Kind::Entry => (self.f.arity + self.f.env_len) as usize,
            Kind::Cont | Kind::Handler => 1,
            Kind::Join => r.params.len(),
        };
        ctx.func.signature = abi::erlang_sig(nparams);
        let name = match r.kind {
            Kind::Entry => fn_label(self.m, self.f),
            Kind::Cont => format!("{}$c{}", fn_label(self.m, self.f), r.entry.0),
            Kind::Handler => format!("{}$h{}", fn_label(self.m, self.f), r.entry.0),
            Kind::Join => format!("{}$j{}", fn_label(self.m, self.f), r.entry.0),
        };
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, fctx);
            let htop = b.declare_var(WORD);
            let stop = b.declare_var(WORD);
            let reds = b.declare_var(WORD);
            let mut fb = Fb {
                b,
                ctx_here: None,
                htop,
                stop,
                reds,
                reds_owned: r.kind == Kind::Entry,
                self_entry: None,
                inner: Vec::new(),
                join_copies: Vec::new(),
                facts: std::collections::HashSet::new(),
                split_ok: false,
                known: Vec::new(),
                facts_ir: std::collections::HashSet::new(),
                known_ir: Vec::new(),
                split: None,
                cold: 0,
                vars: HashMap::new(),
                fvars: HashMap::new(),
                blocks: HashMap::new(),
                funcs: HashMap::new(),
                sigs: HashMap::new(),
                args_slot: None,
                pending: Vec::new(),
            };
            self.emit_region(&mut fb)?;
            fb.b.seal_all_blocks();
            fb.b.finalize(self.module.isa().frontend_config());
        }
        finish(self.module, ctx, id, &name, want_clif, self.out)
    }

    fn var(&self, fb: &mut Fb, v: ir::Value) -> Variable {
        if let Some(&x) = fb.vars.get(&v) {
            return x;
        }
        let x = fb.b.declare_var(WORD);
        fb.vars.insert(v, x);
        x
    }

    fn get(&self, fb: &mut Fb, v: ir::Value) -> cl::Value {
        let x = self.var(fb, v);
        let val = fb.b.use_var(x);
        // Reading a variable in another block than the one that set it
        // gives a new Cranelift value (an alias, once the block is sealed):
        // a fact about the IR value holds for it too.
        if fb.facts_ir.contains(&v) {
            fb.facts.insert(val);
        }
        val
    }

    fn set(&self, fb: &mut Fb, v: ir::Value, val: cl::Value) {
        let x = self.var(fb, v);
        fb.b.def_var(x, val);
    }

    fn fvar(&self, fb: &mut Fb, v: ir::Value) -> Variable {
        if let Some(&x) = fb.fvars.get(&v) {
            return x;
        }
        let x = fb.b.declare_var(cl::types::F64);
        fb.fvars.insert(v, x);
        x
    }

    /// The `f64` of an operand of a pure float operation: a literal, a
    /// result kept unboxed in this region, or a boxed float's value.
    fn fval(&mut self, fb: &mut Fb, v: ir::Value) -> cl::Value {
        if let Some(&c) = self.p.fp.consts.get(&v) {
            return fb.b.ins().f64const(c);
        }
        if let Some(&d) = self.p.fp.defs.get(&v)
            && self.p.region_of[d.0 as usize] == Some(self.region)
        {
            let x = self.fvar(fb, v);
            return fb.b.use_var(x);
        }
        let t = self.get(fb, v);
        fb.b.ins().load(
            cl::types::F64,
            MemFlagsData::trusted(),
            t,
            8 - TAG_BOXED as i32,
        )
    }

    /// A pure float operation: `f64` arithmetic with no type test. A
    /// result that is not finite fails (to `fail`, or raising `badarith`
    /// as BEAM's float instructions do). The result is boxed unless
    /// nothing needs it as a term; `live` are the values to keep if boxing
    /// must collect. Returns the term (`[]` for an unboxed result).
    #[allow(clippy::too_many_arguments)]
    fn float_op(
        &mut self,
        fb: &mut Fb,
        name: &str,
        args: &[ir::Value],
        res: ir::Value,
        line: Option<u32>,
        fail: Option<(cl::Block, Vec<cl::Value>)>,
        live: &[ir::Value],
    ) -> Result<cl::Value, CodegenError> {
        let x = self.fval(fb, args[0]);
        let y = self.fval(fb, args[1]);
        let (r, finite) = f64_op(fb, name, x, y);
        let ok = fb.block();
        let bad = fb.b.create_block();
        fb.b.set_cold_block(bad);
        fb.b.ins().brif(finite, ok, &[], bad, &[]);
        fb.b.switch_to_block(bad);
        match fail {
            Some((b, a)) => {
                fb.b.ins().jump(b, &bargs(&a));
            }
            None => {
                let c = fb.ctx();
                let class = fb.b.ins().iconst(WORD, 0);
                let reason = self.target.atom("badarith")? as i64;
                let reason = fb.b.ins().iconst(WORD, reason);
                let loc = self.location(line);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let h = self.call_rt(fb, &abi::RAISE, &[c, class, reason, lv])?;
                self.enter_handler(fb, h);
            }
        }
        fb.b.switch_to_block(ok);
        let fv = self.fvar(fb, res);
        fb.b.def_var(fv, r);
        if self.p.fp.boxless.contains(&res) {
            return Ok(fb.b.ins().iconst(WORD, NIL));
        }
        let keep: Vec<ir::Value> = live
            .iter()
            .filter(|v| !self.p.fp.boxless.contains(v))
            .copied()
            .collect();
        self.ensure_space(fb, 2, &keep)?;
        let hp = fb.ctx_load(abi::CTX_HTOP);
        let h = fb.b.ins().iconst(WORD, header_word(HeaderKind::Float, 1));
        fb.b.ins().store(MemFlagsData::trusted(), h, hp, 0);
        fb.b.ins().store(MemFlagsData::trusted(), r, hp, 8);
        let nh = fb.b.ins().iadd_imm_s(hp, 16);
        fb.ctx_store(nh, abi::CTX_HTOP);
        Ok(fb.b.ins().iadd_imm_s(hp, TAG_BOXED))
    }

    /// A comparison of two floats or number literals, as a condition.
    fn float_cmp(&mut self, fb: &mut Fb, name: &str, a: ir::Value, b: ir::Value) -> cl::Value {
        use cl::condcodes::FloatCC;
        let x = self.fval(fb, a);
        let y = self.fval(fb, b);
        let cc = match name {
            "<" => FloatCC::LessThan,
            ">" => FloatCC::GreaterThan,
            "=<" => FloatCC::LessThanOrEqual,
            _ => FloatCC::GreaterThanOrEqual,
        };
        fb.b.ins().fcmp(cc, x, y)
    }

    fn func_ref(&mut self, fb: &mut Fb, id: FuncId) -> FuncRef {
        if let Some(&r) = fb.funcs.get(&id) {
            return r;
        }
        let r = self.module.declare_func_in_func(id, fb.b.func);
        fb.funcs.insert(id, r);
        r
    }

    fn rt(&mut self, fb: &mut Fb, f: &abi::RuntimeFn) -> Result<FuncRef, CodegenError> {
        let id = *self
            .runtime
            .get(f.name)
            .ok_or_else(|| CodegenError::new(format!("runtime function {} missing", f.name)))?;
        Ok(self.func_ref(fb, id))
    }

    fn call_rt(
        &mut self,
        fb: &mut Fb,
        f: &abi::RuntimeFn,
        args: &[cl::Value],
    ) -> Result<cl::Value, CodegenError> {
        let r = self.rt(fb, f)?;
        fb.sync_out();
        let call = fb.b.ins().call(r, args);
        fb.after_call();
        Ok(fb.b.inst_results(call)[0])
    }

    /// `f` through its register-keeping adapter (`abi::KEEPING`): no
    /// register changes but the result's.
    fn call_rt_keeping(
        &mut self,
        fb: &mut Fb,
        f: &abi::RuntimeFn,
        args: &[cl::Value],
    ) -> Result<cl::Value, CodegenError> {
        let name = abi::KEEPING
            .iter()
            .find(|(k, _)| k.name == f.name)
            .map(|(_, n)| *n)
            .ok_or_else(|| CodegenError::new(format!("no keeping adapter for {}", f.name)))?;
        let id = *self
            .runtime
            .get(name)
            .ok_or_else(|| CodegenError::new(format!("adapter {name} missing")))?;
        if args.len() > 5 {
            return Err(CodegenError::new(format!("too many arguments for {name}")));
        }
        for (i, &a) in args.iter().enumerate().skip(1) {
            let w = if fb.b.func.dfg.value_type(a) == WORD {
                a
            } else {
                fb.b.ins().uextend(WORD, a)
            };
            fb.ctx_store(w, abi::CTX_ARGS + 8 * (i as i32 - 1));
        }
        let r = self.func_ref(fb, id);
        fb.sync_out();
        fb.b.ins().call(r, &[]);
        // Registers are kept, but the call may have moved the tops.
        fb.reload_tops();
        let w = fb.ctx_load(abi::CTX_RET);
        Ok(match f.ret {
            Some(t) if t != WORD => fb.b.ins().ireduce(t, w),
            _ => w,
        })
    }

    fn call_rt_void(
        &mut self,
        fb: &mut Fb,
        f: &abi::RuntimeFn,
        args: &[cl::Value],
    ) -> Result<(), CodegenError> {
        let r = self.rt(fb, f)?;
        fb.sync_out();
        fb.b.ins().call(r, args);
        fb.after_call();
        Ok(())
    }

    /// `apply(A, B, Args)` (`b` is `NON_VALUE` for `apply(Fun, Args)`)
    /// through the runtime, in tail position: the result goes to the
    /// continuation on top of the stack; compiled targets are entered
    /// through the apply frame the runtime pushes.
    fn emit_apply(
        &mut self,
        fb: &mut Fb,
        a: cl::Value,
        b: cl::Value,
        args: cl::Value,
        loc: u32,
    ) -> Result<(), CodegenError> {
        let out =
            fb.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
        let op = fb.b.ins().stack_addr(WORD, out, 0);
        let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
        let c = fb.ctx();
        let k = self.call_rt(fb, &abi::APPLY, &[c, a, b, args, lv, op])?;
        let w = fb.b.ins().stack_load(WORD, WORD, out, 0);
        let raised = fb.b.create_block();
        let ok = fb.b.create_block();
        fb.b.set_cold_block(raised);
        let is_raise = fb.b.ins().icmp_imm_s(IntCC::Equal, k, 2);
        fb.b.ins().brif(is_raise, raised, &[], ok, &[]);
        fb.b.switch_to_block(raised);
        self.enter_handler(fb, w);
        fb.b.switch_to_block(ok);
        self.emit_return(fb, w);
        Ok(())
    }

    fn sig(&self, fb: &mut Fb, n: usize) -> SigRef {
        if let Some(&s) = fb.sigs.get(&n) {
            return s;
        }
        let s = fb.b.import_signature(abi::erlang_sig(n));
        fb.sigs.insert(n, s);
        s
    }

    fn block(&self, fb: &mut Fb, b: BlockId) -> cl::Block {
        if let Some(&x) = fb.blocks.get(&b) {
            return x;
        }
        let x = fb.b.create_block();
        // The function's first block, which nothing jumps to, takes its
        // parameters as variables set by the entry, not as block
        // parameters: a loop through the entry then moves no value into
        // another register on its way in.
        if !(b == BlockId(0) && self.p.preds[0] == 0) {
            for _ in &self.f.block(b).params {
                fb.b.append_block_param(x, WORD);
            }
        }
        fb.blocks.insert(b, x);
        x
    }

    fn location(&mut self, line: Option<u32>) -> u32 {
        self.target.location(self.mi, self.fid, line)
    }

    fn emit_region(&mut self, fb: &mut Fb) -> Result<(), CodegenError> {
        let r = &self.p.regions[self.region];
        let entry = fb.b.create_block();
        fb.b.append_block_params_for_function_params(entry);
        fb.b.switch_to_block(entry);
        let all = fb.b.block_params(entry).to_vec();
        fb.b.def_var(fb.htop, all[0]);
        fb.b.def_var(fb.stop, all[1]);
        fb.load_reds();
        let params = all[abi::STATE_PARAMS..].to_vec();
        let first = self.block(fb, r.entry);
        match r.kind {
            Kind::Entry => {
                let body = fb.b.create_block();
                for _ in 0..all.len() {
                    fb.b.append_block_param(body, WORD);
                }
                fb.b.ins().jump(body, &bargs(&all));
                fb.b.switch_to_block(body);
                let all = fb.b.block_params(body).to_vec();
                fb.b.def_var(fb.htop, all[0]);
                fb.b.def_var(fb.stop, all[1]);
                if self.f.env_len == 0 {
                    fb.self_entry = Some(body);
                }
                let args: Vec<cl::Value> = all[abi::STATE_PARAMS..].to_vec();
                for (v, &a) in self.f.blocks[0].params.iter().zip(&args) {
                    self.set(fb, *v, a);
                }
                let resume = self
                    .p
                    .entry_resume
                    .ok_or_else(|| CodegenError::new("no entry resume"))?;
                let vals = self.f.blocks[0].params.clone();
                self.reduction_check(fb, resume, &vals)?;
                let args: Vec<cl::Value> = if fb.b.block_params(first).is_empty() {
                    Vec::new()
                } else {
                    vals.iter().map(|v| self.get(fb, *v)).collect()
                };
                fb.b.ins().jump(first, &bargs(&args));
            }
            Kind::Cont => self.enter_cont(fb, first, params[0])?,
            Kind::Handler => {
                let live = self.p.try_live.get(&r.entry).cloned().unwrap_or_default();
                let stop = fb.ctx_load(abi::CTX_STOP);
                for (i, v) in live.iter().enumerate() {
                    let x =
                        fb.b.ins()
                            .load(WORD, MemFlagsData::trusted(), stop, (8 * (i + 2)) as i32);
                    self.set(fb, *v, x);
                }
                let s2 = fb.b.ins().iadd_imm_s(stop, (8 * (live.len() + 2)) as i64);
                fb.ctx_store(s2, abi::CTX_STOP);
                let xs = fb.ctx_load(abi::CTX_X);
                let mut hargs = Vec::new();
                for i in 0..3 {
                    hargs.push(fb.b.ins().load(WORD, MemFlagsData::trusted(), xs, 8 * i));
                }
                let np = self.f.block(r.entry).params.len();
                if np != 3 {
                    return Err(CodegenError::new("a handler takes three parameters"));
                }
                fb.b.ins().jump(first, &bargs(&hargs));
            }
            Kind::Join => {
                let bp = self.f.block(r.entry).params.len();
                for (v, &a) in r.params.iter().zip(&params).skip(bp) {
                    self.set(fb, *v, a);
                }
                fb.b.ins().jump(first, &bargs(&params[..bp]));
            }
        }
        // A function that calls itself keeps the continuations of those
        // calls inside its entry's native function too: a return there
        // that finds one of them on the stack jumps to it directly.
        let ri = self.region;
        let mut inner = Vec::new();
        if r.kind == Kind::Entry && fb.self_entry.is_some() {
            for (ci, c) in self.p.regions.iter().enumerate() {
                let self_call = c.kind == Kind::Cont
                    && self.f.blocks.iter().any(|b| {
                        matches!(&b.term, Terminator::Call { callee: Callee::Local(g), cont, .. }
                            if *g == self.fid && *cont == c.entry)
                    });
                if let (true, Some(id)) = (self_call, c.id) {
                    let ib = fb.b.create_block();
                    for _ in 0..abi::STATE_PARAMS + 1 {
                        fb.b.append_block_param(ib, WORD);
                    }
                    fb.inner.push((id, ib));
                    inner.push((ci, ib));
                }
            }
        }
        // Emit every block of the region.
        self.emit_blocks_of(fb, ri)?;
        // The inner copies of the continuations (their own functions stay,
        // for returns from elsewhere and for the scheduler).
        for (ci, ib) in inner {
            self.region = ci;
            self.inner_copy = true;
            fb.b.switch_to_block(ib);
            let ps = fb.b.block_params(ib).to_vec();
            fb.b.def_var(fb.htop, ps[0]);
            fb.b.def_var(fb.stop, ps[1]);
            let first = self.block(fb, self.p.regions[ci].entry);
            let done = self
                .enter_cont(fb, first, ps[2])
                .and_then(|_| self.emit_blocks_of(fb, ci));
            self.region = ri;
            self.inner_copy = false;
            done?;
        }
        // The copies of the small joins this function jumps to (a copy may
        // ask for more).
        let mut next = 0;
        while let Some(&ji) = fb.join_copies.get(next) {
            next += 1;
            let (ri, copy) = (self.region, self.inner_copy);
            self.region = ji;
            self.inner_copy = true;
            let done = self.emit_blocks_of(fb, ji);
            self.region = ri;
            self.inner_copy = copy;
            done?;
        }
        Ok(())
    }

    fn emit_blocks_of(&mut self, fb: &mut Fb, ri: usize) -> Result<(), CodegenError> {
        for i in 0..self.f.blocks.len() {
            if self.p.region_of[i] == Some(ri) {
                self.emit_block(fb, BlockId(i as u32))?;
            }
        }
        Ok(())
    }

    /// The block of this native function where the copy of the join
    /// starting at `target` begins, when that join is copied.
    fn join_copy(&self, fb: &mut Fb, target: BlockId) -> Option<cl::Block> {
        let ji = self.p.region_of_entry(target)?;
        if !self.p.regions[ji].copied || ji == self.region {
            return None;
        }
        if !fb.join_copies.contains(&ji) {
            fb.join_copies.push(ji);
        }
        Some(self.block(fb, target))
    }

    /// A continuation's entry: pops its frame's live values and goes on to
    /// `first` with the result `res`.
    fn enter_cont(
        &mut self,
        fb: &mut Fb,
        first: cl::Block,
        res: cl::Value,
    ) -> Result<(), CodegenError> {
        let entry = self.p.regions[self.region].entry;
        let live = self.p.cont_live.get(&entry).cloned().unwrap_or_default();
        let stop = fb.ctx_load(abi::CTX_STOP);
        for (i, v) in live.iter().enumerate() {
            let x =
                fb.b.ins()
                    .load(WORD, MemFlagsData::trusted(), stop, (8 * i) as i32);
            self.set(fb, *v, x);
        }
        let s2 = fb.b.ins().iadd_imm_s(stop, (8 * live.len()) as i64);
        fb.ctx_store(s2, abi::CTX_STOP);
        let waits =
            self.f.blocks.iter().any(
                |b| matches!(&b.term, Terminator::RecvWaitTimeout { cont, .. } if *cont == entry),
            );
        if waits {
            // Entered by the scheduler (with `NON_VALUE`) after the
            // process waited: ask whether the timeout fired.
            let resumed = fb.b.ins().icmp_imm_s(IntCC::Equal, res, NON_VALUE);
            let ask = fb.b.create_block();
            fb.b.set_cold_block(ask);
            let go = fb.b.create_block();
            fb.b.append_block_param(go, WORD);
            fb.b.ins().brif(resumed, ask, &[], go, &[res.into()]);
            fb.b.switch_to_block(ask);
            let c = fb.ctx();
            let v = self.call_rt(fb, &abi::RECV_RESUMED, &[c])?;
            fb.b.ins().jump(go, &[v.into()]);
            fb.b.switch_to_block(go);
            let v = fb.b.block_params(go)[0];
            fb.b.ins().jump(first, &bargs(&[v]));
        } else {
            fb.b.ins().jump(first, &bargs(&[res]));
        }
        Ok(())
    }

    /// Spills `live` to the x registers, collects so that `need` words are
    /// free, and reloads them, when fewer than `need` words are free.
    fn ensure_space(
        &mut self,
        fb: &mut Fb,
        need: usize,
        live: &[ir::Value],
    ) -> Result<(), CodegenError> {
        let mut uniq: Vec<ir::Value> = Vec::new();
        for v in live {
            // An unboxed float is no term: the collection does not see it.
            if !uniq.contains(v) && !self.p.fp.boxless.contains(v) {
                uniq.push(*v);
            }
        }
        self.out.max_x = self.out.max_x.max(uniq.len());
        let htop = fb.ctx_load(abi::CTX_HTOP);
        let stop = fb.ctx_load(abi::CTX_STOP);
        // `stop - need` is also the stack top after a push of `need`
        // words: one value for the check and the push.
        let low = fb.b.ins().iadd_imm_s(stop, -((need * 8) as i64));
        let short = fb.b.ins().icmp(IntCC::UnsignedLessThan, low, htop);
        let gc = fb.b.create_block();
        // `ok` receives the heap and stack tops, as the check read them or
        // as the collection left them.
        let ok = fb.block();
        fb.b.append_block_param(ok, WORD);
        fb.b.append_block_param(ok, WORD);
        fb.b.set_cold_block(gc);
        fb.b.ins()
            .brif(short, gc, &[], ok, &[htop.into(), stop.into()]);
        fb.b.switch_to_block(gc);
        let xs = fb.ctx_load(abi::CTX_X);
        for (i, v) in uniq.iter().enumerate() {
            let val = self.get(fb, *v);
            fb.b.ins()
                .store(MemFlagsData::trusted(), val, xs, (8 * i) as i32);
        }
        let needv = fb.b.ins().iconst(WORD, need as i64);
        let nlive = fb.b.ins().iconst(cl::types::I32, uniq.len() as i64);
        let c = fb.ctx();
        let r = self.call_rt_keeping(fb, &abi::GC, &[c, needv, nlive])?;
        let failed = fb.b.create_block();
        let reload = fb.b.create_block();
        fb.b.set_cold_block(failed);
        // Out of the fast path's way too: the check falls through to `ok`.
        fb.b.set_cold_block(reload);
        fb.b.ins().brif(r, failed, &[], reload, &[]);
        fb.b.switch_to_block(failed);
        let st = fb.b.ins().iconst(WORD, abi::STATUS_INTERNAL as i64);
        fb.return_status(st);
        fb.b.switch_to_block(reload);
        let xs = fb.ctx_load(abi::CTX_X);
        for (i, v) in uniq.iter().enumerate() {
            let val =
                fb.b.ins()
                    .load(WORD, MemFlagsData::trusted(), xs, (8 * i) as i32);
            self.set(fb, *v, val);
        }
        let htop = fb.ctx_load(abi::CTX_HTOP);
        let stop = fb.ctx_load(abi::CTX_STOP);
        fb.b.ins().jump(ok, &[htop.into(), stop.into()]);
        fb.b.switch_to_block(ok);
        let (htop, stop) = (fb.b.block_params(ok)[0], fb.b.block_params(ok)[1]);
        fb.know_top(abi::CTX_HTOP, htop);
        fb.know_top(abi::CTX_STOP, stop);
        Ok(())
    }

    /// Pushes a frame: the continuation word for `cont` and `slots`.
    fn push_frame(&mut self, fb: &mut Fb, cont: FuncId, slots: &[cl::Value]) {
        let fr = self.func_ref(fb, cont);
        let addr = fb.b.ins().func_addr(WORD, fr);
        let word = addr;
        let stop = fb.ctx_load(abi::CTX_STOP);
        let n = slots.len() + 1;
        let s2 = fb.b.ins().iadd_imm_s(stop, -((8 * n) as i64));
        fb.b.ins().store(MemFlagsData::trusted(), word, s2, 0);
        for (i, &v) in slots.iter().enumerate() {
            fb.b.ins()
                .store(MemFlagsData::trusted(), v, s2, (8 * (i + 1)) as i32);
        }
        fb.ctx_store(s2, abi::CTX_STOP);
    }

    /// Decrements the reductions; when they run out, pushes a frame of
    /// `vals` under the continuation `resume` and returns `YIELD`.
    fn reduction_check(
        &mut self,
        fb: &mut Fb,
        resume: FuncId,
        vals: &[ir::Value],
    ) -> Result<(), CodegenError> {
        let reds = fb.ctx_load(abi::CTX_REDS);
        let r2 = fb.b.ins().iadd_imm_s(reds, -1);
        fb.ctx_store(r2, abi::CTX_REDS);
        let out = fb.b.ins().icmp_imm_s(IntCC::SignedLessThan, r2, 0);
        let y = fb.b.create_block();
        let go = fb.b.create_block();
        fb.b.set_cold_block(y);
        fb.b.ins().brif(out, y, &[], go, &[]);
        fb.b.switch_to_block(y);
        self.ensure_space(fb, vals.len() + 1, vals)?;
        let slots: Vec<cl::Value> = vals.iter().map(|v| self.get(fb, *v)).collect();
        self.push_frame(fb, resume, &slots);
        let st = fb.b.ins().iconst(WORD, abi::status::YIELD as i64);
        fb.return_status(st);
        fb.b.switch_to_block(go);
        Ok(())
    }

    /// A block ending in `v = bif Cmp(A, B); branch is_true v` where `v`
    /// is used nowhere else: the comparison can branch directly instead of
    /// making the atom. Returns the operator and operands.
    fn fused_compare(&self, bid: BlockId) -> Option<(String, ir::Value, ir::Value)> {
        let blk = self.f.block(bid);
        let Terminator::Branch {
            cond: Cond::IsTrue(v),
            then,
            else_,
        } = &blk.term
        else {
            return None;
        };
        let last = blk.insts.last()?;
        let Op::Bif { name, args } = &last.op else {
            return None;
        };
        if last.results.first() != Some(v)
            || args.len() != 2
            || !matches!(&**name, "<" | ">" | "=<" | ">=" | "=:=" | "=/=")
            || then.args.contains(v)
            || else_.args.contains(v)
            || self.p.live_out[bid.0 as usize].contains(v)
        {
            return None;
        }
        Some((name.to_string(), args[0], args[1]))
    }

    /// Branches on `a Cmp b` without making the boolean atom.
    fn compare_branch(
        &mut self,
        fb: &mut Fb,
        name: &str,
        a: cl::Value,
        b: cl::Value,
        (then, ft): (BlockArgs, Option<BlockArgs>),
        (else_, fe): (BlockArgs, Option<BlockArgs>),
    ) -> Result<(), CodegenError> {
        let ta = bargs(&then.1);
        let ea = bargs(&else_.1);
        // Where the fast way goes, when it has copies of its own.
        let ft = ft.unwrap_or_else(|| then.clone());
        let fe = fe.unwrap_or_else(|| else_.clone());
        match name {
            "=:=" | "=/=" => {
                let c = self.exact_eq(fb, a, b)?;
                if name == "=:=" {
                    fb.b.ins().brif(c, then.0, &ta, else_.0, &ea);
                } else {
                    fb.b.ins().brif(c, else_.0, &ea, then.0, &ta);
                }
            }
            _ => {
                let cc = match name {
                    "<" => IntCC::SignedLessThan,
                    ">" => IntCC::SignedGreaterThan,
                    "=<" => IntCC::SignedLessThanOrEqual,
                    _ => IntCC::SignedGreaterThanOrEqual,
                };
                let fast = fb.b.create_block();
                let slow = fb.b.create_block();
                let floats = fb.b.create_block();
                fb.b.set_cold_block(floats);
                fb.b.set_cold_block(slow);
                self.branch_small2(fb, a, b, fast, floats);
                fb.b.switch_to_block(fast);
                let c = fb.b.ins().icmp(cc, a, b);
                fb.b.ins().brif(c, ft.0, &bargs(&ft.1), fe.0, &bargs(&fe.1));
                fb.b.switch_to_block(floats);
                fb.cold += 1;
                let c = self.float_compare(fb, name, a, b, slow);
                fb.cold -= 1;
                fb.b.ins().brif(c, then.0, &ta, else_.0, &ea);
                fb.b.switch_to_block(slow);
                // Term comparison never fails.
                let index = jit_support::bif_index("erlang", name, 2)
                    .ok_or_else(|| CodegenError::new(format!("the runtime has no {name}")))?;
                let r = self.call_bif(fb, index, &[a, b], true)?;
                let c = fb.b.ins().icmp_imm_s(IntCC::Equal, r, TRUE);
                fb.b.ins().brif(c, then.0, &ta, else_.0, &ea);
            }
        }
        Ok(())
    }

    /// Whether an instruction is emitted without any runtime call (so no
    /// heap words are taken behind the compiled code's back).
    fn stays_inline(op: &Op) -> bool {
        matches!(
            op,
            Op::Const(_)
                | Op::Tuple(_)
                | Op::Cons(..)
                | Op::ConsHole(_)
                | Op::SetTail(..)
                | Op::GetElement { .. }
                | Op::GetHd(_)
                | Op::GetTl(_)
                | Op::MakeFun { .. }
                | Op::ExportFun { .. }
        )
    }

    /// The values live just before instruction `i` of block `bid`.
    fn live_before(&self, bid: BlockId, i: usize) -> Vec<ir::Value> {
        let blk = self.f.block(bid);
        let mut live: BTreeSet<ir::Value> =
            self.p.live_out[bid.0 as usize].iter().copied().collect();
        blk.term.for_each_use(|v| {
            live.insert(v);
        });
        for inst in blk.insts[i..].iter().rev() {
            for r in &inst.results {
                live.remove(r);
            }
            inst.op.for_each_use(|v| {
                live.insert(v);
            });
        }
        live.into_iter().collect()
    }

    fn heap_words(op: &Op) -> usize {
        match op {
            Op::Tuple(vs) => 1 + vs.len(),
            Op::Cons(..) | Op::ConsHole(_) => 2,
            Op::MakeFun { env, .. } => 2 + env.len(),
            Op::ExportFun { .. } => 4,
            _ => 0,
        }
    }

    fn emit_block(&mut self, fb: &mut Fb, bid: BlockId) -> Result<(), CodegenError> {
        let blk = self.f.block(bid);
        let cb = self.block(fb, bid);
        if self.p.cold[bid.0 as usize] && self.p.regions[self.region].entry != bid {
            fb.b.set_cold_block(cb);
        }
        fb.b.switch_to_block(cb);
        let ps = fb.b.block_params(cb).to_vec();
        for (v, &x) in blk.params.iter().zip(&ps) {
            self.set(fb, *v, x);
        }
        self.emit_from(fb, bid, 0, Emit::Normal)
    }

    /// Whether the arithmetic instruction `i` of block `bid` should split:
    /// its failure ways (an operand not a small integer, an overflow) leave
    /// for a generic copy of the rest of the block, so that on its fast
    /// way its operands and result are known small integers. Worth it when
    /// a later integer operation of the block takes one of those, which it
    /// then need not test, and the rest of the block is short (it is
    /// emitted twice).
    fn splits(&self, bid: BlockId, i: usize) -> bool {
        let blk = self.f.block(bid);
        let inst = &blk.insts[i];
        let Op::Bif { name, args } = &inst.op else {
            return false;
        };
        let int_op = |name: &str, args: &[ir::Value]| {
            args.len() == 2
                && matches!(
                    name,
                    "+" | "-" | "*" | "<" | ">" | "=<" | ">=" | "band" | "bor" | "bxor"
                )
        };
        let Some(&r) = inst.results.first() else {
            return false;
        };
        if !matches!(&**name, "+" | "-" | "*")
            || args.len() != 2
            || args.iter().any(|v| self.p.floats.contains(v))
            || self.p.fp.pure_arith(&self.p.floats, name, args, Some(r))
            || blk.insts.len() - i > SPLIT_REST_MAX
        {
            return false;
        }
        blk.insts[i + 1..].iter().any(|x| match &x.op {
            Op::Bif { name: n, args: xs } => {
                int_op(n, xs)
                    && !self
                        .p
                        .fp
                        .pure_arith(&self.p.floats, n, xs, x.results.first().copied())
                    && !self.p.fp.pure_compare(&self.p.floats, n, xs)
                    && xs.iter().any(|v| {
                        (*v == r || args.contains(v)) && !self.p.small_literals.contains(v)
                    })
            }
            _ => false,
        })
    }

    /// Emits the instructions of block `bid` from the `start`th on, and
    /// its terminator, into the current Cranelift block (see [`Emit`]).
    fn emit_from(
        &mut self,
        fb: &mut Fb,
        bid: BlockId,
        start: usize,
        mode: Emit,
    ) -> Result<(), CodegenError> {
        let fast = mode != Emit::Generic;
        let blk = self.f.block(bid);
        fb.facts = std::mem::take(&mut fb.known).into_iter().collect();
        fb.facts_ir = std::mem::take(&mut fb.known_ir).into_iter().collect();
        let mut rests: Vec<(usize, cl::Block)> = Vec::new();
        let mut copies: Vec<FastCopy> = Vec::new();
        // One heap check covers a run of allocations with no runtime call
        // in between: a runtime call may itself take heap words.
        let mut covered = 0usize;
        let fused = self.fused_compare(bid);
        for (i, inst) in blk.insts.iter().enumerate().skip(start) {
            if fused.is_some() && i + 1 == blk.insts.len() {
                break;
            }
            let words = Self::heap_words(&inst.op);
            if !Self::stays_inline(&inst.op) {
                covered = 0;
            } else if words > covered {
                let need: usize = blk.insts[i..]
                    .iter()
                    .take_while(|x| Self::stays_inline(&x.op))
                    .map(|x| Self::heap_words(&x.op))
                    .sum();
                let live = self.live_before(bid, i);
                self.ensure_space(fb, need, &live)?;
                covered = need;
            }
            covered -= words.min(covered);
            self.live_now = match &inst.op {
                Op::Bif { name, args }
                    if args.len() == 2 && matches!(&**name, "+" | "-" | "*" | "/") =>
                {
                    Some(self.live_before(bid, i))
                }
                _ => None,
            };
            fb.split_ok = fast && rests.len() < SPLITS_MAX && self.splits(bid, i);
            let done = self.emit_inst(fb, bid, inst);
            fb.split_ok = false;
            self.live_now = None;
            done?;
            if let Some((join, tested)) = fb.split.take() {
                // The other ways: the result from the join's parameter,
                // then the generic rest of the block.
                let here =
                    fb.b.current_block()
                        .ok_or_else(|| CodegenError::new("no block"))?;
                let rest = fb.b.create_block();
                fb.b.set_cold_block(rest);
                fb.b.switch_to_block(join);
                let r = fb.b.block_params(join)[0];
                let res = inst.results.first().copied().ok_or_else(no_result)?;
                self.set(fb, res, r);
                fb.b.ins().jump(rest, &[]);
                fb.b.switch_to_block(here);
                // The operands are used again in `here`: their values there
                // are the tested ones.
                if let Op::Bif { args, .. } = &inst.op {
                    for (v, x) in args.iter().zip(tested) {
                        self.set(fb, *v, x);
                    }
                }
                rests.push((i + 1, rest));
                if let Op::Bif { args, .. } = &inst.op {
                    fb.facts_ir.extend(args.iter().copied());
                }
                fb.facts_ir.extend(inst.results.first().copied());
            }
        }
        match fused {
            Some((name, a, b)) if self.p.fp.pure_compare(&self.p.floats, &name, &[a, b]) => {
                let Terminator::Branch { then, else_, .. } = &blk.term else {
                    return Err(CodegenError::new("fused comparison without a branch"));
                };
                let c = self.float_cmp(fb, &name, a, b);
                let t = self.edge(fb, then, false);
                let e = self.edge(fb, else_, false);
                fb.b.ins().brif(c, t.0, &bargs(&t.1), e.0, &bargs(&e.1));
            }
            Some((name, a, b)) => {
                let Terminator::Branch { then, else_, .. } = &blk.term else {
                    return Err(CodegenError::new("fused comparison without a branch"));
                };
                let x = self.get(fb, a);
                let y = self.get(fb, b);
                let t = self.edge(fb, then, false);
                let e = self.edge(fb, else_, false);
                let mut fast_to = [None, None];
                if mode == Emit::Normal && start == 0 && !matches!(&*name, "=:=" | "=/=") {
                    for (k, bc) in [then, else_].into_iter().enumerate() {
                        fast_to[k] = self.fast_copy(fb, bc, [(a, x), (b, y)], &mut copies);
                    }
                }
                let [ft, fe] = fast_to;
                self.compare_branch(fb, &name, x, y, (t, ft), (e, fe))?;
            }
            None => self.emit_term(fb, bid)?,
        }
        // Edges deferred by the terminator.
        while let Some((nb, bc, back)) = fb.pending.pop() {
            fb.b.switch_to_block(nb);
            self.emit_edge_body(fb, &bc, back)?;
        }
        fb.facts.clear();
        fb.facts_ir.clear();
        // The generic rests: the same code again, registering nothing twice.
        for (i, rest) in rests {
            fb.b.switch_to_block(rest);
            let copy = std::mem::replace(&mut self.inner_copy, true);
            let done = self.emit_from(fb, bid, i, Emit::Generic);
            self.inner_copy = copy;
            done?;
        }
        // The successors copied for the fast way of the comparison.
        for c in copies {
            fb.b.switch_to_block(c.block);
            let ps = fb.b.block_params(c.block).to_vec();
            for (v, &x) in self.f.block(c.target).params.iter().zip(&ps) {
                self.set(fb, *v, x);
            }
            for &(v, x) in &c.tested {
                self.set(fb, v, x);
            }
            let mut known: Vec<cl::Value> = c.tested.iter().map(|&(_, x)| x).collect();
            known.extend(c.params.iter().filter_map(|&i| ps.get(i).copied()));
            let tparams = &self.f.block(c.target).params;
            let mut known_ir: Vec<ir::Value> = c.tested.iter().map(|&(v, _)| v).collect();
            known_ir.extend(c.params.iter().filter_map(|&i| tparams.get(i).copied()));
            fb.known_ir = known_ir;
            let copy = std::mem::replace(&mut self.inner_copy, true);
            fb.known = known;
            let done = self.emit_from(fb, c.target, 0, Emit::Copy);
            self.inner_copy = copy;
            done?;
        }
        Ok(())
    }

    /// Where the fast way of the comparison of `tested` (IR value and
    /// its tested Cranelift value) goes for the branch `bc`: a copy of its
    /// target, when that block is entered from here only and starts with
    /// integer operations on the tested values, which then need no test.
    fn fast_copy(
        &mut self,
        fb: &mut Fb,
        bc: &ir::BlockCall,
        tested: [(ir::Value, cl::Value); 2],
        copies: &mut Vec<FastCopy>,
    ) -> Option<(cl::Block, Vec<cl::Value>)> {
        let t = bc.block;
        let blk = self.f.block(t);
        let ti = t.0 as usize;
        if self.p.region_of[ti] != Some(self.region)
            || self.p.regions[self.region].entry == t
            || self.p.preds[ti] != 1
            || blk.loop_header
            || blk.insts.len() > SPLIT_REST_MAX
            || tested.iter().any(|(v, _)| self.p.floats.contains(v))
        {
            return None;
        }
        // The target's parameters that receive a tested value.
        let params: Vec<usize> = bc
            .args
            .iter()
            .enumerate()
            .filter(|(_, a)| tested.iter().any(|(t, _)| t == *a))
            .map(|(i, _)| i)
            .collect();
        let ok = |v: &ir::Value| {
            tested.iter().any(|(t, _)| t == v)
                || params.iter().any(|&i| blk.params.get(i) == Some(v))
                || self.p.small_literals.contains(v)
        };
        let benefits = blk.insts.iter().any(|x| match &x.op {
            Op::Bif { name, args } => {
                args.len() == 2
                    && matches!(&**name, "+" | "-" | "*" | "<" | ">" | "=<" | ">=")
                    && args.iter().all(ok)
                    && !self
                        .p
                        .fp
                        .pure_arith(&self.p.floats, name, args, x.results.first().copied())
                    && !self.p.fp.pure_compare(&self.p.floats, name, args)
            }
            _ => false,
        });
        if !benefits {
            return None;
        }
        let block = fb.b.create_block();
        for _ in &blk.params {
            fb.b.append_block_param(block, WORD);
        }
        let args = bc.args.iter().map(|v| self.get(fb, *v)).collect();
        copies.push(FastCopy {
            target: t,
            block,
            tested: tested.to_vec(),
            params,
        });
        Some((block, args))
    }

    /// The block and arguments a branch to `bc` goes to: the target itself
    /// when it is in this region and no reduction check is due, else a new
    /// block filled in later.
    fn edge(&mut self, fb: &mut Fb, bc: &ir::BlockCall, back: bool) -> (cl::Block, Vec<cl::Value>) {
        let local = self.p.region_of[bc.block.0 as usize] == Some(self.region)
            && self.p.regions[self.region].entry != bc.block;
        let t = if local {
            Some(self.block(fb, bc.block))
        } else {
            self.join_copy(fb, bc.block)
        };
        if let (Some(t), false) = (t, back) {
            let args = bc.args.iter().map(|v| self.get(fb, *v)).collect();
            return (t, args);
        }
        let nb = fb.b.create_block();
        fb.pending.push((nb, bc.clone(), back));
        (nb, Vec::new())
    }

    fn emit_edge_body(
        &mut self,
        fb: &mut Fb,
        bc: &ir::BlockCall,
        back: bool,
    ) -> Result<(), CodegenError> {
        let target = bc.block;
        let same_region = self.p.region_of[target.0 as usize] == Some(self.region);
        if back && !same_region && self.p.pure_header == Some(target) {
            // The entry function makes the reduction check and goes on to
            // the header: the loop is the function calling itself.
            let ri = self
                .p
                .region_of_entry(BlockId(0))
                .ok_or_else(|| CodegenError::new("no entry region"))?;
            let id = self.p.regions[ri]
                .id
                .ok_or_else(|| CodegenError::new("undeclared region"))?;
            let args: Vec<cl::Value> = bc.args.iter().map(|v| self.get(fb, *v)).collect();
            if let Some(body) = fb.self_entry {
                // An inner continuation: the entry is in this function.
                let a = fb.state_args(&args);
                fb.b.ins().jump(body, &bargs(&a));
                return Ok(());
            }
            let fr = self.func_ref(fb, id);
            fb.tail_call(fr, &args);
            return Ok(());
        }
        if back {
            let resume =
                *self.p.resume.get(&target).ok_or_else(|| {
                    CodegenError::new("back edge to a block that is no loop header")
                })?;
            let mut vals = bc.args.clone();
            if self.p.pure_header != Some(target) {
                vals.extend(self.p.live_in[target.0 as usize].iter().copied());
            }
            self.reduction_check(fb, resume, &vals)?;
        }
        if same_region && self.p.regions[self.region].entry != target {
            let t = self.block(fb, target);
            let args: Vec<cl::Value> = bc.args.iter().map(|v| self.get(fb, *v)).collect();
            fb.b.ins().jump(t, &bargs(&args));
            return Ok(());
        }
        if same_region {
            // A jump back to this region's own entry block.
            let t = self.block(fb, target);
            let args: Vec<cl::Value> = bc.args.iter().map(|v| self.get(fb, *v)).collect();
            fb.b.ins().jump(t, &bargs(&args));
            return Ok(());
        }
        if !back && let Some(t) = self.join_copy(fb, target) {
            let args: Vec<cl::Value> = bc.args.iter().map(|v| self.get(fb, *v)).collect();
            fb.b.ins().jump(t, &bargs(&args));
            return Ok(());
        }
        let ri = self.p.region_of_entry(target).ok_or_else(|| {
            CodegenError::new(format!("jump to block {} of another region", target.0))
        })?;
        let r = &self.p.regions[ri];
        let id = r.id.ok_or_else(|| CodegenError::new("undeclared region"))?;
        let mut args = Vec::new();
        match r.kind {
            Kind::Join => {
                for v in &bc.args {
                    args.push(self.get(fb, *v));
                }
                let extra: Vec<ir::Value> = r.params[bc.args.len()..].to_vec();
                for v in extra {
                    args.push(self.get(fb, v));
                }
            }
            Kind::Entry => {
                for v in &bc.args {
                    args.push(self.get(fb, *v));
                }
            }
            _ => {
                return Err(CodegenError::new(format!(
                    "jump to the continuation or handler block {}",
                    target.0
                )));
            }
        }
        let fr = self.func_ref(fb, id);
        fb.tail_call(fr, &args);
        Ok(())
    }

    fn konst(&mut self, c: &Const) -> Result<Word, CodegenError> {
        Ok(match c {
            Const::Atom(a) => Word::Imm(self.target.atom(a)?),
            Const::Int(i) => Word::Imm(small_word(*i) as u64),
            Const::Nil => Word::Imm(NIL as u64),
            Const::Lit(l) => self.target.literal(self.mi, *l),
        })
    }

    /// The value of a driver-decided word: an immediate, or a load or
    /// address through a data object (a relocation in an object file).
    fn word(&mut self, fb: &mut Fb, w: Word) -> cl::Value {
        match w {
            Word::Imm(v) => fb.b.ins().iconst(WORD, v as i64),
            Word::Load(data, offset) => {
                let gv = self.module.declare_data_in_func(data, fb.b.func);
                let base = fb.b.ins().symbol_value(WORD, gv);
                fb.b.ins().load(WORD, MemFlagsData::trusted(), base, offset)
            }
            Word::Addr(data, offset) => {
                let gv = self.module.declare_data_in_func(data, fb.b.func);
                let base = fb.b.ins().symbol_value(WORD, gv);
                fb.b.ins().iadd_imm_s(base, offset as i64)
            }
        }
    }

    /// `x` as an `f64` when it is a boxed float, else a jump to `no`.
    fn unbox_float(&mut self, fb: &mut Fb, x: cl::Value, no: cl::Block) -> cl::Value {
        let boxed = fb.block();
        let float = fb.block();
        let tag = fb.b.ins().band_imm_s(x, TAG_MASK);
        let is_boxed = fb.b.ins().icmp_imm_s(IntCC::Equal, tag, TAG_BOXED);
        fb.b.ins().brif(is_boxed, boxed, &[], no, &[]);
        fb.b.switch_to_block(boxed);
        let h =
            fb.b.ins()
                .load(WORD, MemFlagsData::trusted(), x, -(TAG_BOXED as i32));
        let is_float =
            fb.b.ins()
                .icmp_imm_s(IntCC::Equal, h, header_word(HeaderKind::Float, 1));
        fb.b.ins().brif(is_float, float, &[], no, &[]);
        fb.b.switch_to_block(float);
        fb.b.ins().load(
            cl::types::F64,
            MemFlagsData::trusted(),
            x,
            8 - TAG_BOXED as i32,
        )
    }

    /// `x` as an `f64` when it is a small integer or a boxed float, else a
    /// jump to `no`.
    fn number_as_f64(&mut self, fb: &mut Fb, x: cl::Value, no: cl::Block) -> cl::Value {
        let small = fb.block();
        let other = fb.block();
        let join = fb.block();
        fb.b.append_block_param(join, cl::types::F64);
        let t = fb.b.ins().band_imm_s(x, SMALL_MASK);
        let is_small = fb.b.ins().icmp_imm_s(IntCC::Equal, t, SMALL_TAG);
        fb.b.ins().brif(is_small, small, &[], other, &[]);
        fb.b.switch_to_block(small);
        let i = fb.b.ins().sshr_imm_u(x, 4);
        let f = fb.b.ins().fcvt_from_sint(cl::types::F64, i);
        fb.b.ins().jump(join, &[f.into()]);
        fb.b.switch_to_block(other);
        let f = self.unbox_float(fb, x, no);
        fb.b.ins().jump(join, &[f.into()]);
        fb.b.switch_to_block(join);
        fb.b.block_params(join)[0]
    }

    /// Float arithmetic inline: `a op b` when both are numbers and one is
    /// a float (the caller has ruled out two smalls) or, for `/`, any two
    /// numbers; the boxed result goes to `join`. Anything else (a bignum,
    /// a non-number, a result that is not finite, no room on the heap)
    /// jumps to `slow`, the BIF, which raises or allocates as it must.
    fn float_arith(
        &mut self,
        fb: &mut Fb,
        name: &str,
        a: cl::Value,
        b: cl::Value,
        slow: cl::Block,
        join: cl::Block,
    ) -> Result<(), CodegenError> {
        let x = self.number_as_f64(fb, a, slow);
        let y = self.number_as_f64(fb, b, slow);
        // An infinite or NaN result is left to the BIF, which raises.
        let (r, finite) = f64_op(fb, name, x, y);
        let alloc = fb.block();
        fb.b.ins().brif(finite, alloc, &[], slow, &[]);
        fb.b.switch_to_block(alloc);
        // A runtime call may come before or after this instruction, so it
        // checks its own two words: collecting when the live set is known
        // (the operands are unboxed already), else leaving the result to
        // the BIF, which allocates it in a heap fragment.
        match self.live_now.clone() {
            Some(live) => self.ensure_space(fb, 2, &live)?,
            None => {
                let hp = fb.ctx_load(abi::CTX_HTOP);
                let stop = fb.ctx_load(abi::CTX_STOP);
                let free = fb.b.ins().isub(stop, hp);
                let room =
                    fb.b.ins()
                        .icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, free, 16);
                let write = fb.block();
                fb.b.ins().brif(room, write, &[], slow, &[]);
                fb.b.switch_to_block(write);
            }
        }
        let hp = fb.ctx_load(abi::CTX_HTOP);
        let h = fb.b.ins().iconst(WORD, header_word(HeaderKind::Float, 1));
        fb.b.ins().store(MemFlagsData::trusted(), h, hp, 0);
        fb.b.ins().store(MemFlagsData::trusted(), r, hp, 8);
        let nh = fb.b.ins().iadd_imm_s(hp, 16);
        fb.ctx_store(nh, abi::CTX_HTOP);
        let t = fb.b.ins().iadd_imm_s(hp, TAG_BOXED);
        fb.b.ins().jump(join, &[t.into()]);
        Ok(())
    }

    /// `a < b` (and the others) of two floats, inline; anything else jumps
    /// to `slow`. An `i8` condition.
    fn float_compare(
        &mut self,
        fb: &mut Fb,
        name: &str,
        a: cl::Value,
        b: cl::Value,
        slow: cl::Block,
    ) -> cl::Value {
        use cl::condcodes::FloatCC;
        let x = self.unbox_float(fb, a, slow);
        let y = self.unbox_float(fb, b, slow);
        let cc = match name {
            "<" => FloatCC::LessThan,
            ">" => FloatCC::GreaterThan,
            "=<" => FloatCC::LessThanOrEqual,
            _ => FloatCC::GreaterThanOrEqual,
        };
        fb.b.ins().fcmp(cc, x, y)
    }

    /// Goes to `fast` when `a` and `b` are small integers, else to
    /// `slow`. An operand known to be small (a literal, or a value the
    /// code being emitted has checked: [`Fb::facts`]) is not tested.
    fn branch_small2(
        &self,
        fb: &mut Fb,
        a: cl::Value,
        b: cl::Value,
        fast: cl::Block,
        slow: cl::Block,
    ) {
        let known = |fb: &Fb, x: cl::Value| {
            fb.facts.contains(&x) || const_of(fb, x).is_some_and(|k| k & SMALL_MASK == SMALL_TAG)
        };
        let c = match (known(fb, a), known(fb, b)) {
            (true, true) => {
                fb.b.ins().jump(fast, &[]);
                return;
            }
            (false, true) | (true, false) => {
                let x = if known(fb, b) { a } else { b };
                tag_is(fb, x, SMALL_MASK, SMALL_TAG)
            }
            (false, false) => {
                let both = fb.b.ins().band(a, b);
                let t = fb.b.ins().band_imm_s(both, SMALL_MASK);
                fb.b.ins().icmp_imm_s(IntCC::Equal, t, SMALL_TAG)
            }
        };
        fb.b.ins().brif(c, fast, &[], slow, &[]);
    }

    /// Calls BIF `name/args.len()` of `erlang` (or `module`); the result,
    /// `NON_VALUE` on an exception (class and reason in the exception slot).
    /// `keeping`: through the register-keeping adapter, for the slow path
    /// of an inline fast path.
    fn call_bif(
        &mut self,
        fb: &mut Fb,
        index: u32,
        args: &[cl::Value],
        keeping: bool,
    ) -> Result<cl::Value, CodegenError> {
        let n = args.len();
        let ap = if n <= abi::CTX_BIF_ARGS_LEN {
            // In the context: no stack slot, so no native frame to make.
            for (i, &a) in args.iter().enumerate() {
                fb.ctx_store(a, abi::CTX_BIF_ARGS + (8 * i) as i32);
            }
            let c = fb.ctx();
            fb.b.ins().iadd_imm_s(c, abi::CTX_BIF_ARGS as i64)
        } else {
            let slot = match fb.args_slot {
                Some((s, cap)) if cap >= n => s,
                _ => {
                    let s = fb.b.create_sized_stack_slot(StackSlotData::new(
                        StackSlotKind::ExplicitSlot,
                        (8 * n) as u32,
                        3,
                    ));
                    fb.args_slot = Some((s, n));
                    s
                }
            };
            for (i, &a) in args.iter().enumerate() {
                fb.b.ins().stack_store(WORD, a, slot, (8 * i) as i32);
            }
            fb.b.ins().stack_addr(WORD, slot, 0)
        };
        let ep = self.exc_addr(fb);
        let idx = fb.b.ins().iconst(cl::types::I32, index as i64);
        let nn = fb.b.ins().iconst(cl::types::I32, n as i64);
        let c = fb.ctx();
        if keeping {
            self.call_rt_keeping(fb, &abi::CALL_BIF, &[c, idx, ap, nn, ep])
        } else {
            self.call_rt(fb, &abi::CALL_BIF, &[c, idx, ap, nn, ep])
        }
    }

    /// Raises the exception a BIF left in the exception slot.
    fn raise_from_slot(&mut self, fb: &mut Fb, line: Option<u32>) -> Result<(), CodegenError> {
        self.raise_from_slot_with(fb, line, &abi::RAISE_BIF)
    }

    /// Raises the exception a runtime operation (not a BIF) left in the
    /// exception slot.
    fn raise_op_from_slot(&mut self, fb: &mut Fb, line: Option<u32>) -> Result<(), CodegenError> {
        self.raise_from_slot_with(fb, line, &abi::RAISE)
    }

    fn raise_from_slot_with(
        &mut self,
        fb: &mut Fb,
        line: Option<u32>,
        raise: &abi::RuntimeFn,
    ) -> Result<(), CodegenError> {
        let class = fb.ctx_load(abi::CTX_EXC);
        let reason = fb.ctx_load(abi::CTX_EXC + 8);
        let mut loc = self.location(line);
        if self.division_raise && loc != u32::MAX {
            loc |= jit_support::LOC_DIVISION;
            // After a call (in a continuation or a handler) BEAM's function
            // has its stack frame.
            if matches!(self.p.regions[self.region].kind, Kind::Cont | Kind::Handler) {
                loc |= jit_support::LOC_IN_FRAME;
            }
        }
        let locv = fb.b.ins().iconst(cl::types::I32, loc as i64);
        let c = fb.ctx();
        let h = self.call_rt(fb, raise, &[c, class, reason, locv])?;
        self.enter_handler(fb, h);
        Ok(())
    }

    /// Enters the handler a raise returned, or ends the process.
    fn enter_handler(&mut self, fb: &mut Fb, h: cl::Value) {
        let none = fb.b.create_block();
        let some = fb.b.create_block();
        fb.b.ins().brif(h, some, &[], none, &[]);
        fb.b.switch_to_block(none);
        let st = fb.b.ins().iconst(WORD, abi::status::ERROR as i64);
        fb.return_status(st);
        fb.b.switch_to_block(some);
        let sig = self.sig(fb, 1);
        let nv = fb.b.ins().iconst(WORD, NON_VALUE);
        fb.tail_call_indirect(sig, h, &[nv]);
    }

    /// Emits a BIF call with a failure continuation: on failure either
    /// raises (`fail` is `None`) or jumps to `fail`. Returns the result
    /// (valid on the success path, where the builder is left).
    /// `keeping`: the slow path of an inline fast path (see `call_bif`).
    fn bif_or_fail(
        &mut self,
        fb: &mut Fb,
        name: &str,
        args: &[cl::Value],
        line: Option<u32>,
        fail: Option<(cl::Block, Vec<cl::Value>)>,
        keeping: bool,
    ) -> Result<cl::Value, CodegenError> {
        let Some(index) = jit_support::bif_index("erlang", name, args.len()) else {
            // An inline BIF the runtime lacks: undef, as a missing function.
            match fail {
                Some((b, a)) => {
                    fb.b.ins().jump(b, &bargs(&a));
                }
                None => {
                    self.undef(fb, "erlang", name, args, line)?;
                }
            }
            let dead = fb.b.create_block();
            fb.b.switch_to_block(dead);
            return Ok(fb.b.ins().iconst(WORD, NIL));
        };
        let r = self.call_bif(fb, index, args, keeping)?;
        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
        let ok = fb.b.create_block();
        match fail {
            Some((b, a)) => {
                fb.b.ins().brif(bad, b, &bargs(&a), ok, &[]);
            }
            None => {
                let raise = fb.b.create_block();
                fb.b.set_cold_block(raise);
                fb.b.ins().brif(bad, raise, &[], ok, &[]);
                fb.b.switch_to_block(raise);
                // The runtime traces a failed division as BEAM does, by
                // its operands (`jit_support::LOC_DIVISION`).
                self.division_raise = matches!(name, "/" | "div" | "rem");
                let raised = if self.plain_raise && !self.division_raise {
                    self.raise_op_from_slot(fb, line)
                } else {
                    self.raise_from_slot(fb, line)
                };
                self.division_raise = false;
                raised?;
            }
        }
        fb.b.switch_to_block(ok);
        Ok(r)
    }

    fn undef(
        &mut self,
        fb: &mut Fb,
        module: &str,
        name: &str,
        args: &[cl::Value],
        line: Option<u32>,
    ) -> Result<(), CodegenError> {
        let n = args.len();
        let ap = self.spill_args(fb, args);
        let mw = self.target.atom(module)? as i64;
        let fw = self.target.atom(name)? as i64;
        let mv = fb.b.ins().iconst(WORD, mw);
        let fv = fb.b.ins().iconst(WORD, fw);
        let nn = fb.b.ins().iconst(cl::types::I32, n as i64);
        let loc = self.location(line);
        let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
        let c = fb.ctx();
        let h = self.call_rt(fb, &abi::UNDEF, &[c, mv, fv, ap, nn, lv])?;
        self.enter_handler(fb, h);
        Ok(())
    }

    /// `a =:= b` as a Cranelift boolean (i8).
    fn exact_eq(
        &mut self,
        fb: &mut Fb,
        a: cl::Value,
        b: cl::Value,
    ) -> Result<cl::Value, CodegenError> {
        let join = fb.b.create_block();
        fb.b.append_block_param(join, cl::types::I8);
        let same = fb.b.ins().icmp(IntCC::Equal, a, b);
        let one = fb.b.ins().iconst(cl::types::I8, 1);
        let differ = fb.b.create_block();
        fb.b.ins().brif(same, join, &[one.into()], differ, &[]);
        fb.b.switch_to_block(differ);
        // Different words: equal only if both are boxed (numbers, tuples...)
        // or lists; an immediate equals only itself.
        let ta = fb.b.ins().band_imm_s(a, TAG_MASK);
        let tb = fb.b.ins().band_imm_s(b, TAG_MASK);
        let ia = fb.b.ins().icmp_imm_s(IntCC::Equal, ta, 0b11);
        let ib = fb.b.ins().icmp_imm_s(IntCC::Equal, tb, 0b11);
        let imm = fb.b.ins().bor(ia, ib);
        let zero = fb.b.ins().iconst(cl::types::I8, 0);
        let deep = fb.b.create_block();
        fb.b.ins().brif(imm, join, &[zero.into()], deep, &[]);
        fb.b.switch_to_block(deep);
        let index = jit_support::bif_index("erlang", "=:=", 2)
            .ok_or_else(|| CodegenError::new("the runtime has no =:="))?;
        let r = self.call_bif(fb, index, &[a, b], false)?;
        let t = fb.b.ins().icmp_imm_s(IntCC::Equal, r, TRUE);
        fb.b.ins().jump(join, &[t.into()]);
        fb.b.switch_to_block(join);
        Ok(fb.b.block_params(join)[0])
    }

    fn bool_term(&self, fb: &mut Fb, c: cl::Value) -> cl::Value {
        let t = fb.b.ins().iconst(WORD, TRUE);
        let f = fb.b.ins().iconst(WORD, FALSE);
        fb.b.ins().select(c, t, f)
    }

    /// The header kind bits of a value known to be boxed.
    fn header(&self, fb: &mut Fb, v: cl::Value) -> cl::Value {
        fb.b.ins()
            .load(WORD, MemFlagsData::trusted(), v, -(TAG_BOXED as i32))
    }

    /// Branches on "boxed with a header whose kind is one of `kinds`".
    fn branch_boxed_kind(
        &mut self,
        fb: &mut Fb,
        v: cl::Value,
        kinds: &[HeaderKind],
        then: (cl::Block, Vec<cl::Value>),
        else_: (cl::Block, Vec<cl::Value>),
    ) {
        let tag = fb.b.ins().band_imm_s(v, TAG_MASK);
        let boxed = fb.b.ins().icmp_imm_s(IntCC::Equal, tag, TAG_BOXED);
        let check = fb.b.create_block();
        let ea: Vec<cl::BlockArg> = else_.1.iter().map(|&x| x.into()).collect();
        fb.b.ins().brif(boxed, check, &[], else_.0, &ea);
        fb.b.switch_to_block(check);
        let h = self.header(fb, v);
        let k = fb.b.ins().band_imm_s(h, KIND_MASK);
        let mut cond: Option<cl::Value> = None;
        for kind in kinds {
            let c = fb.b.ins().icmp_imm_s(IntCC::Equal, k, (*kind as i64) << 2);
            cond = Some(match cond {
                None => c,
                Some(p) => fb.b.ins().bor(p, c),
            });
        }
        let cond = cond.unwrap_or_else(|| fb.b.ins().iconst(cl::types::I8, 0));
        let ta: Vec<cl::BlockArg> = then.1.iter().map(|&x| x.into()).collect();
        fb.b.ins().brif(cond, then.0, &ta, else_.0, &ea);
    }

    fn emit_inst(
        &mut self,
        fb: &mut Fb,
        _bid: BlockId,
        inst: &ir::Inst,
    ) -> Result<(), CodegenError> {
        let res = inst.results.first().copied();
        match &inst.op {
            Op::Const(c) => {
                let w = self.konst(c)?;
                let v = self.word(fb, w);
                self.set(fb, res.ok_or_else(no_result)?, v);
            }
            Op::Tuple(vs) => {
                let vals: Vec<cl::Value> = vs.iter().map(|v| self.get(fb, *v)).collect();
                let hp = fb.ctx_load(abi::CTX_HTOP);
                let h =
                    fb.b.ins()
                        .iconst(WORD, header_word(HeaderKind::Tuple, vals.len()));
                fb.b.ins().store(MemFlagsData::trusted(), h, hp, 0);
                for (i, &x) in vals.iter().enumerate() {
                    fb.b.ins()
                        .store(MemFlagsData::trusted(), x, hp, (8 * (i + 1)) as i32);
                }
                let nh = fb.b.ins().iadd_imm_s(hp, (8 * (vals.len() + 1)) as i64);
                fb.ctx_store(nh, abi::CTX_HTOP);
                let t = fb.b.ins().iadd_imm_s(hp, TAG_BOXED);
                self.set(fb, res.ok_or_else(no_result)?, t);
            }
            Op::Cons(..) | Op::ConsHole(_) => {
                let (hv, tv) = match &inst.op {
                    Op::Cons(h, t) => (self.get(fb, *h), self.get(fb, *t)),
                    Op::ConsHole(h) => (
                        self.get(fb, *h),
                        fb.b.ins()
                            .iconst(WORD, coral_runtime::gc::HOLE.raw() as i64),
                    ),
                    _ => unreachable!(),
                };
                let hp = fb.ctx_load(abi::CTX_HTOP);
                fb.b.ins().store(MemFlagsData::trusted(), hv, hp, 0);
                fb.b.ins().store(MemFlagsData::trusted(), tv, hp, 8);
                let nh = fb.b.ins().iadd_imm_s(hp, 16);
                fb.ctx_store(nh, abi::CTX_HTOP);
                let l = fb.b.ins().iadd_imm_s(hp, TAG_LIST);
                self.set(fb, res.ok_or_else(no_result)?, l);
            }
            Op::SetTail(cell, tail) => self.set_tail(fb, *cell, *tail)?,
            Op::GetElement { tuple, index } => {
                let t = self.get(fb, *tuple);
                let v = fb.b.ins().load(
                    WORD,
                    MemFlagsData::trusted(),
                    t,
                    (8 * (*index as i32 + 1)) - TAG_BOXED as i32,
                );
                self.set(fb, res.ok_or_else(no_result)?, v);
            }
            Op::GetHd(l) => {
                let t = self.get(fb, *l);
                let v =
                    fb.b.ins()
                        .load(WORD, MemFlagsData::trusted(), t, -(TAG_LIST as i32));
                self.set(fb, res.ok_or_else(no_result)?, v);
            }
            Op::GetTl(l) => {
                let t = self.get(fb, *l);
                let v =
                    fb.b.ins()
                        .load(WORD, MemFlagsData::trusted(), t, 8 - TAG_LIST as i32);
                self.set(fb, res.ok_or_else(no_result)?, v);
            }
            Op::MakeFun { func, env } => {
                let entry = self.target.fun_entry(self.mi, *func);
                let vals: Vec<cl::Value> = env.iter().map(|v| self.get(fb, *v)).collect();
                let hp = fb.ctx_load(abi::CTX_HTOP);
                let h =
                    fb.b.ins()
                        .iconst(WORD, header_word(HeaderKind::Fun, 1 + vals.len()));
                fb.b.ins().store(MemFlagsData::trusted(), h, hp, 0);
                let e = self.word(fb, entry);
                fb.b.ins().store(MemFlagsData::trusted(), e, hp, 8);
                for (i, &x) in vals.iter().enumerate() {
                    fb.b.ins()
                        .store(MemFlagsData::trusted(), x, hp, (8 * (i + 2)) as i32);
                }
                let nh = fb.b.ins().iadd_imm_s(hp, (8 * (vals.len() + 2)) as i64);
                fb.ctx_store(nh, abi::CTX_HTOP);
                let t = fb.b.ins().iadd_imm_s(hp, TAG_BOXED);
                self.set(fb, res.ok_or_else(no_result)?, t);
            }
            Op::ExportFun {
                module,
                name,
                arity,
            } => {
                let mw = self.target.atom(module)? as i64;
                let fw = self.target.atom(name)? as i64;
                let hp = fb.ctx_load(abi::CTX_HTOP);
                let words = [
                    header_word(HeaderKind::Export, 3),
                    mw,
                    fw,
                    small_word(*arity as i64),
                ];
                for (i, w) in words.iter().enumerate() {
                    let x = fb.b.ins().iconst(WORD, *w);
                    fb.b.ins()
                        .store(MemFlagsData::trusted(), x, hp, (8 * i) as i32);
                }
                let nh = fb.b.ins().iadd_imm_s(hp, 32);
                fb.ctx_store(nh, abi::CTX_HTOP);
                let t = fb.b.ins().iadd_imm_s(hp, TAG_BOXED);
                self.set(fb, res.ok_or_else(no_result)?, t);
            }
            Op::Bif { name, args } if self.p.fp.pure_arith(&self.p.floats, name, args, res) => {
                let live = self.live_now.clone().unwrap_or_default();
                let r = res.ok_or_else(no_result)?;
                let t = self.float_op(fb, name, args, r, inst.line, None, &live)?;
                self.set(fb, r, t);
            }
            Op::Bif { name, args } if self.p.fp.pure_compare(&self.p.floats, name, args) => {
                let c = self.float_cmp(fb, name, args[0], args[1]);
                let t = self.bool_term(fb, c);
                self.set(fb, res.ok_or_else(no_result)?, t);
            }
            Op::Bif { name, args } => {
                let lit = |i: usize| {
                    args.get(i)
                        .is_some_and(|v| self.p.number_literals.contains(v))
                };
                let float = |i: usize| args.get(i).is_some_and(|v| self.p.floats.contains(v));
                self.plain_raise = match (&**name, args.len()) {
                    ("+", 2) => lit(0) || lit(1) || float(0) || float(1),
                    ("-", 2) => lit(1) || float(0) || float(1),
                    ("*", 2) => float(0) || float(1),
                    ("/", 2) => true,
                    _ => false,
                };
                let vals: Vec<cl::Value> = args.iter().map(|v| self.get(fb, *v)).collect();
                let r = self.inline_bif(fb, name, &vals, inst.line, None);
                self.plain_raise = false;
                let r = r?;
                self.set(fb, res.ok_or_else(no_result)?, r);
            }
            Op::TryExit => {
                let h = self.p.entry_handler[_bid.0 as usize].ok_or_else(|| {
                    CodegenError::new(format!("{}: try_exit outside a try", self.f.name))
                })?;
                let n = self
                    .p
                    .try_live
                    .get(&h)
                    .map(|l| l.len())
                    .ok_or_else(|| CodegenError::new("try_exit of an unknown try"))?;
                let stop = fb.ctx_load(abi::CTX_STOP);
                let s2 = fb.b.ins().iadd_imm_s(stop, (8 * (n + 2)) as i64);
                fb.ctx_store(s2, abi::CTX_STOP);
            }
            Op::MapPut { map, pairs } => {
                let r = self.map_put(fb, map.as_ref(), pairs)?;
                self.check_or_raise(fb, r, inst.line)?;
                self.set(fb, res.ok_or_else(no_result)?, r);
            }
            Op::BinBuild { segs } => {
                let r = self.bin_build(fb, segs)?;
                self.check_or_raise(fb, r, inst.line)?;
                self.set(fb, res.ok_or_else(no_result)?, r);
            }
            Op::BsInitWritable(_) => {
                let c = fb.ctx();
                let r = self.call_rt(fb, &abi::BS_INIT, &[c])?;
                self.set(fb, res.ok_or_else(no_result)?, r);
            }
            Op::NifStart => {}
            Op::BuildStacktrace(v) => {
                let x = self.get(fb, *v);
                let c = fb.ctx();
                let r = self.call_rt(fb, &abi::BUILD_STACKTRACE, &[c, x])?;
                self.set(fb, res.ok_or_else(no_result)?, r);
            }
            Op::RecvPeekMessage => {
                let c = fb.ctx();
                let m = self.call_rt(fb, &abi::RECV_PEEK, &[c])?;
                let none = fb.b.ins().icmp_imm_s(IntCC::Equal, m, NON_VALUE);
                let t = self.target.atom("true")? as i64;
                let f = self.target.atom("false")? as i64;
                let tv = fb.b.ins().iconst(WORD, t);
                let fv = fb.b.ins().iconst(WORD, f);
                let got = fb.b.ins().select(none, fv, tv);
                let nil = fb.b.ins().iconst(WORD, NIL);
                let msg = fb.b.ins().select(none, nil, m);
                let (r0, r1) = match inst.results.as_slice() {
                    [a, b] => (*a, *b),
                    _ => return Err(no_result()),
                };
                self.set(fb, r0, got);
                self.set(fb, r1, msg);
            }
            Op::RecvNext => {
                let c = fb.ctx();
                self.call_rt_void(fb, &abi::RECV_NEXT, &[c])?;
            }
            Op::RemoveMessage => {
                let c = fb.ctx();
                self.call_rt(fb, &abi::REMOVE_MESSAGE, &[c])?;
            }
            Op::Timeout => {
                let c = fb.ctx();
                self.call_rt_void(fb, &abi::RECV_TIMEOUT, &[c])?;
            }
            other => {
                return Err(CodegenError::new(format!(
                    "{}: instruction not supported yet: {other:?}",
                    fn_label(self.m, self.f)
                )));
            }
        }
        Ok(())
    }

    /// Writes the tail of an open cell (made by `Op::ConsHole`). The
    /// collector keeps track of open cells that survive it, whose tail may
    /// then point at younger data (see `gc.rs`): no barrier here.
    fn set_tail(
        &mut self,
        fb: &mut Fb,
        cell: ir::Value,
        tail: ir::Value,
    ) -> Result<(), CodegenError> {
        let c = self.get(fb, cell);
        let t = self.get(fb, tail);
        fb.b.ins()
            .store(MemFlagsData::trusted(), t, c, 8 - TAG_LIST as i32);
        Ok(())
    }

    /// An inline BIF: fast paths for small integers and type tests, the
    /// runtime otherwise. With `fail`, a failure jumps there instead of
    /// raising.
    fn inline_bif(
        &mut self,
        fb: &mut Fb,
        name: &str,
        a: &[cl::Value],
        line: Option<u32>,
        fail: Option<(cl::Block, Vec<cl::Value>)>,
    ) -> Result<cl::Value, CodegenError> {
        match (name, a.len()) {
            ("+" | "-" | "*", 2) => {
                // Split (see `Emitter::emit_from`): every way but the fast
                // one goes to `join`, which the caller connects to a
                // generic copy of the rest of the block; the fast way goes
                // on in `cont`, where the operands and the result are
                // known to be small integers.
                let split = std::mem::take(&mut fb.split_ok);
                let join = fb.b.create_block();
                fb.b.append_block_param(join, WORD);
                let cont = if split {
                    fb.b.set_cold_block(join);
                    fb.b.create_block()
                } else {
                    join
                };
                let fast = fb.b.create_block();
                let slow = fb.b.create_block();
                let floats = fb.b.create_block();
                fb.b.set_cold_block(floats);
                fb.b.set_cold_block(slow);
                self.branch_small2(fb, a[0], a[1], fast, floats);
                // Not two smalls: floats (or a small and a float) inline.
                fb.b.switch_to_block(floats);
                fb.cold += 1;
                self.float_arith(fb, name, a[0], a[1], slow, join)?;
                fb.cold -= 1;
                fb.b.switch_to_block(fast);
                // With a small literal operand, the wrapped sum moved the
                // wrong way exactly when it overflowed: one compare, fused
                // with its branch (`sadd_overflow` needs `seto` and a test).
                let step = match (name, const_of(fb, a[0]), const_of(fb, a[1])) {
                    ("+", _, Some(k)) => Some((a[0], k >> 4)),
                    ("+", Some(k), _) => Some((a[1], k >> 4)),
                    ("-", _, Some(k)) => Some((a[0], -(k >> 4))),
                    _ => None,
                };
                let (r, of) = match (step, name) {
                    (Some((x, k)), _) if k != 0 && k.unsigned_abs() < 1 << 58 => {
                        let r = fb.b.ins().iadd_imm_s(x, k << 4);
                        let cc = if k > 0 {
                            IntCC::SignedLessThan
                        } else {
                            IntCC::SignedGreaterThan
                        };
                        (r, fb.b.ins().icmp(cc, r, x))
                    }
                    (_, "+") => {
                        let x = fb.b.ins().iadd_imm_s(a[0], -SMALL_TAG);
                        fb.b.ins().sadd_overflow(x, a[1])
                    }
                    (_, "-") => {
                        let (d, of) = fb.b.ins().ssub_overflow(a[0], a[1]);
                        (fb.b.ins().iadd_imm_s(d, SMALL_TAG), of)
                    }
                    _ => {
                        let x = fb.b.ins().iadd_imm_s(a[0], -SMALL_TAG);
                        let y = fb.b.ins().sshr_imm_u(a[1], 4);
                        let (p, of) = fb.b.ins().smul_overflow(x, y);
                        (fb.b.ins().iadd_imm_s(p, SMALL_TAG), of)
                    }
                };
                if split {
                    fb.b.ins().brif(of, slow, &[], cont, &[]);
                } else {
                    fb.b.ins().brif(of, slow, &[], join, &[r.into()]);
                }
                fb.b.switch_to_block(slow);
                let rs = self.bif_or_fail(fb, name, a, line, fail, true)?;
                fb.b.ins().jump(join, &[rs.into()]);
                Ok(self.arith_done(fb, split, join, cont, a, r))
            }
            ("/", 2) => {
                let join = fb.b.create_block();
                fb.b.append_block_param(join, WORD);
                let slow = fb.b.create_block();
                fb.b.set_cold_block(slow);
                self.float_arith(fb, name, a[0], a[1], slow, join)?;
                fb.b.switch_to_block(slow);
                let r = self.bif_or_fail(fb, name, a, line, fail, true)?;
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(join);
                Ok(fb.b.block_params(join)[0])
            }
            ("band" | "bor" | "bxor", 2) => {
                // Two smalls: the tag bits survive `and` and `or`; `xor`
                // clears them, so they are set again.
                let join = fb.b.create_block();
                fb.b.append_block_param(join, WORD);
                let fast = fb.b.create_block();
                let slow = fb.b.create_block();
                fb.b.set_cold_block(slow);
                self.branch_small2(fb, a[0], a[1], fast, slow);
                fb.b.switch_to_block(fast);
                let r = match name {
                    "band" => fb.b.ins().band(a[0], a[1]),
                    "bor" => fb.b.ins().bor(a[0], a[1]),
                    _ => {
                        let x = fb.b.ins().bxor(a[0], a[1]);
                        fb.b.ins().iadd_imm_s(x, SMALL_TAG)
                    }
                };
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(slow);
                let r = self.bif_or_fail(fb, name, a, line, fail, true)?;
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(join);
                Ok(fb.b.block_params(join)[0])
            }
            ("<" | ">" | "=<" | ">=", 2) => {
                let cc = match name {
                    "<" => IntCC::SignedLessThan,
                    ">" => IntCC::SignedGreaterThan,
                    "=<" => IntCC::SignedLessThanOrEqual,
                    _ => IntCC::SignedGreaterThanOrEqual,
                };
                let join = fb.b.create_block();
                fb.b.append_block_param(join, WORD);
                let fast = fb.b.create_block();
                let slow = fb.b.create_block();
                let floats = fb.b.create_block();
                fb.b.set_cold_block(floats);
                fb.b.set_cold_block(slow);
                self.branch_small2(fb, a[0], a[1], fast, floats);
                fb.b.switch_to_block(fast);
                let c = fb.b.ins().icmp(cc, a[0], a[1]);
                let r = self.bool_term(fb, c);
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(floats);
                fb.cold += 1;
                let c = self.float_compare(fb, name, a[0], a[1], slow);
                fb.cold -= 1;
                let r = self.bool_term(fb, c);
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(slow);
                let r = self.bif_or_fail(fb, name, a, line, fail, true)?;
                fb.b.ins().jump(join, &[r.into()]);
                fb.b.switch_to_block(join);
                Ok(fb.b.block_params(join)[0])
            }
            ("=:=" | "=/=", 2) => {
                let e = self.exact_eq(fb, a[0], a[1])?;
                let e = if name == "=/=" {
                    fb.b.ins().bxor_imm_s(e, 1)
                } else {
                    e
                };
                Ok(self.bool_term(fb, e))
            }
            ("is_atom", 1) => {
                let c = tag_is(fb, a[0], IMM2_MASK, ATOM_TAG);
                Ok(self.bool_term(fb, c))
            }
            ("is_list", 1) => {
                let c1 = tag_is(fb, a[0], TAG_MASK, TAG_LIST);
                let c2 = fb.b.ins().icmp_imm_s(IntCC::Equal, a[0], NIL);
                let c = fb.b.ins().bor(c1, c2);
                Ok(self.bool_term(fb, c))
            }
            _ => self.bif_or_fail(fb, name, a, line, fail, false),
        }
    }

    /// Ends an inline arithmetic operation: returns its result, in `join`
    /// when it is not split, else in `cont` (the fast way), where the
    /// operands `a` and the result `r` are small integers.
    fn arith_done(
        &self,
        fb: &mut Fb,
        split: bool,
        join: cl::Block,
        cont: cl::Block,
        a: &[cl::Value],
        r: cl::Value,
    ) -> cl::Value {
        if !split {
            fb.b.switch_to_block(join);
            return fb.b.block_params(join)[0];
        }
        fb.b.switch_to_block(cont);
        fb.facts.extend(a.iter().copied());
        fb.facts.insert(r);
        fb.split = Some((join, a.to_vec()));
        r
    }

    fn emit_term(&mut self, fb: &mut Fb, bid: BlockId) -> Result<(), CodegenError> {
        let blk = self.f.block(bid);
        match &blk.term {
            Terminator::Jump { target, back_edge } => {
                let (b, args) = self.edge(fb, target, *back_edge);
                fb.b.ins().jump(b, &bargs(&args));
            }
            Terminator::Branch { cond, then, else_ } => {
                let t = self.edge(fb, then, false);
                let e = self.edge(fb, else_, false);
                let ta: Vec<cl::BlockArg> = t.1.iter().map(|&x| x.into()).collect();
                let ea: Vec<cl::BlockArg> = e.1.iter().map(|&x| x.into()).collect();
                match cond {
                    Cond::IsTuple(v) => {
                        let x = self.get(fb, *v);
                        self.branch_boxed_kind(fb, x, &[HeaderKind::Tuple], t, e);
                    }
                    Cond::IsMap(v) => {
                        let x = self.get(fb, *v);
                        self.branch_boxed_kind(
                            fb,
                            x,
                            &[HeaderKind::FlatMap, HeaderKind::HashHead],
                            t,
                            e,
                        );
                    }
                    Cond::IsBitstring(v) => {
                        let x = self.get(fb, *v);
                        self.branch_boxed_kind(
                            fb,
                            x,
                            &[HeaderKind::HeapBin, HeaderKind::RefcBin, HeaderKind::SubBin],
                            t,
                            e,
                        );
                    }
                    Cond::IsCons(v) => {
                        let x = self.get(fb, *v);
                        let c = tag_is(fb, x, TAG_MASK, TAG_LIST);
                        fb.b.ins().brif(c, t.0, &ta, e.0, &ea);
                    }
                    Cond::IsTrue(v) => {
                        let x = self.get(fb, *v);
                        let c = fb.b.ins().icmp_imm_s(IntCC::Equal, x, TRUE);
                        fb.b.ins().brif(c, t.0, &ta, e.0, &ea);
                    }
                    Cond::EqExact(a, b) => {
                        let x = self.get(fb, *a);
                        let y = self.get(fb, *b);
                        let c = self.exact_eq(fb, x, y)?;
                        fb.b.ins().brif(c, t.0, &ta, e.0, &ea);
                    }
                }
            }
            Terminator::Switch {
                arg,
                cases,
                default,
            } => {
                let x = self.get(fb, *arg);
                for (c, bc) in cases {
                    let (tb, targs) = self.edge(fb, bc, false);
                    let ta: Vec<cl::BlockArg> = targs.iter().map(|&v| v.into()).collect();
                    let next = fb.b.create_block();
                    let cond = match self.konst(c)? {
                        Word::Imm(w) if !matches!(c, Const::Lit(_)) => {
                            fb.b.ins().icmp_imm_s(IntCC::Equal, x, w as i64)
                        }
                        w => {
                            let k = self.word(fb, w);
                            self.exact_eq(fb, x, k)?
                        }
                    };
                    fb.b.ins().brif(cond, tb, &ta, next, &[]);
                    fb.b.switch_to_block(next);
                }
                let (db, dargs) = self.edge(fb, default, false);
                fb.b.ins().jump(db, &bargs(&dargs));
            }
            Terminator::SwitchArity {
                arg,
                cases,
                default,
            } => {
                let x = self.get(fb, *arg);
                let h = self.header(fb, x);
                let arity = fb.b.ins().ushr_imm_u(h, 8);
                for (n, bc) in cases {
                    let (tb, targs) = self.edge(fb, bc, false);
                    let ta: Vec<cl::BlockArg> = targs.iter().map(|&v| v.into()).collect();
                    let next = fb.b.create_block();
                    let cond = fb.b.ins().icmp_imm_s(IntCC::Equal, arity, *n as i64);
                    fb.b.ins().brif(cond, tb, &ta, next, &[]);
                    fb.b.switch_to_block(next);
                }
                let (db, dargs) = self.edge(fb, default, false);
                fb.b.ins().jump(db, &bargs(&dargs));
            }
            Terminator::Guard { op, ok, fail } => {
                let (fbk, fargs) = self.edge(fb, fail, false);
                let okb = self.block(fb, *ok);
                let okb = if self.p.region_of[ok.0 as usize] == Some(self.region) {
                    okb
                } else {
                    return Err(CodegenError::new("guard success block in another region"));
                };
                let okp = self.f.block(*ok).params.first().copied();
                match op {
                    Op::Bif { name, args }
                        if okp.is_some()
                            && self.p.fp.pure_arith(&self.p.floats, name, args, okp) =>
                    {
                        let live = self.live_before(bid, self.f.block(bid).insts.len());
                        let r = okp.ok_or_else(|| CodegenError::new("guard without a result"))?;
                        let t =
                            self.float_op(fb, name, args, r, None, Some((fbk, fargs)), &live)?;
                        fb.b.ins().jump(okb, &[t.into()]);
                    }
                    Op::Bif { name, args }
                        if self.p.fp.pure_compare(&self.p.floats, name, args) =>
                    {
                        let c = self.float_cmp(fb, name, args[0], args[1]);
                        let t = self.bool_term(fb, c);
                        fb.b.ins().jump(okb, &[t.into()]);
                    }
                    Op::Bif { name, args } => {
                        let vals: Vec<cl::Value> = args.iter().map(|v| self.get(fb, *v)).collect();
                        let r = self.inline_bif(fb, name, &vals, None, Some((fbk, fargs)))?;
                        fb.b.ins().jump(okb, &[r.into()]);
                    }
                    Op::MapPut { map, pairs } => {
                        let r = self.map_put(fb, map.as_ref(), pairs)?;
                        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
                        let cont = fb.b.create_block();
                        fb.b.ins().brif(bad, fbk, &bargs(&fargs), cont, &[]);
                        fb.b.switch_to_block(cont);
                        fb.b.ins().jump(okb, &[r.into()]);
                    }
                    Op::BinBuild { segs } => {
                        let r = self.bin_build(fb, segs)?;
                        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
                        let cont = fb.b.create_block();
                        fb.b.ins().brif(bad, fbk, &bargs(&fargs), cont, &[]);
                        fb.b.switch_to_block(cont);
                        fb.b.ins().jump(okb, &[r.into()]);
                    }
                    Op::BsStartMatch(v) => {
                        let x = self.get(fb, *v);
                        let c = fb.ctx();
                        let n = self.call_rt(fb, &abi::BIT_SIZE, &[c, x])?;
                        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, n, -1);
                        let cont = fb.b.create_block();
                        fb.b.ins().brif(bad, fbk, &bargs(&fargs), cont, &[]);
                        fb.b.switch_to_block(cont);
                        fb.b.ins().jump(okb, &[x.into()]);
                    }
                    Op::BsTestTail { ctx } => {
                        let x = self.get(fb, *ctx);
                        let c = fb.ctx();
                        let n = self.call_rt(fb, &abi::BIT_SIZE, &[c, x])?;
                        let empty = fb.b.ins().icmp_imm_s(IntCC::Equal, n, 0);
                        fb.b.ins().brif(empty, okb, &[], fbk, &bargs(&fargs));
                    }
                    Op::BsGet { ctx, spec } => {
                        let x = self.get(fb, *ctx);
                        let nil = fb.b.ins().iconst(WORD, NIL);
                        let words = self.seg_words(fb, nil, spec);
                        let sp = self.spill_args(fb, &words);
                        let out = fb.b.create_sized_stack_slot(StackSlotData::new(
                            StackSlotKind::ExplicitSlot,
                            16,
                            3,
                        ));
                        let op = fb.b.ins().stack_addr(WORD, out, 0);
                        let c = fb.ctx();
                        let r = self.call_rt(fb, &abi::BS_GET, &[c, x, sp, op])?;
                        let cont = fb.b.create_block();
                        fb.b.ins().brif(r, cont, &[], fbk, &bargs(&fargs));
                        fb.b.switch_to_block(cont);
                        let v = fb.b.ins().stack_load(WORD, WORD, out, 0);
                        let rest = fb.b.ins().stack_load(WORD, WORD, out, 8);
                        fb.b.ins().jump(okb, &[v.into(), rest.into()]);
                    }
                    Op::MapGet { map, key } => {
                        let mv = self.get(fb, *map);
                        let kv = self.get(fb, *key);
                        let c = fb.ctx();
                        let r = self.call_rt(fb, &abi::MAP_GET, &[c, mv, kv])?;
                        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
                        let cont = fb.b.create_block();
                        fb.b.ins().brif(bad, fbk, &bargs(&fargs), cont, &[]);
                        fb.b.switch_to_block(cont);
                        fb.b.ins().jump(okb, &[r.into()]);
                    }
                    other => {
                        return Err(CodegenError::new(format!(
                            "guard operation not supported yet: {other:?}"
                        )));
                    }
                }
            }
            Terminator::Return(v) => {
                let x = self.get(fb, *v);
                self.emit_return(fb, x);
            }
            Terminator::TailCall { callee, args, line } => {
                self.emit_call(fb, callee, args, None, *line)?;
            }
            Terminator::Call {
                callee,
                args,
                cont,
                live,
                line,
            } => {
                self.emit_call(fb, callee, args, Some((*cont, live.clone())), *line)?;
            }
            Terminator::TryEnter {
                body,
                handler,
                live,
                ..
            } => {
                let hr = self
                    .p
                    .region_of_entry(*handler)
                    .ok_or_else(|| CodegenError::new("handler is not a region entry"))?;
                let hid = self.p.regions[hr]
                    .id
                    .ok_or_else(|| CodegenError::new("undeclared handler"))?;
                let mut spill = live.clone();
                spill.extend(self.p.live_out[bid.0 as usize].iter().copied());
                self.ensure_space(fb, live.len() + 2, &spill)?;
                let fr = self.func_ref(fb, hid);
                let addr = fb.b.ins().func_addr(WORD, fr);
                let marker = fb.b.ins().ishl_imm_u(addr, 6);
                let marker = fb.b.ins().bor_imm_s(marker, CATCH_TAG);
                let mut slots = vec![marker];
                for v in live {
                    slots.push(self.get(fb, *v));
                }
                self.push_frame(fb, hid, &slots);
                let loc = self.location(self.f.line);
                self.frame_spec(FrameSpec {
                    func: hid,
                    size: (live.len() + 1) as u32,
                    live: (1..=live.len() as u32).collect(),
                    catches: vec![0],
                    location: loc,
                });
                let bc = ir::BlockCall {
                    block: *body,
                    args: vec![],
                };
                let (b, a) = self.edge(fb, &bc, false);
                fb.b.ins().jump(b, &bargs(&a));
            }
            Terminator::MatchFail { reason, line } => {
                let r = self.get(fb, *reason);
                let loc = self.location(*line);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let c = fb.ctx();
                let h = self.call_rt(fb, &abi::MATCH_FAIL, &[c, r, lv])?;
                self.enter_handler(fb, h);
            }
            Terminator::Raise {
                trace,
                reason,
                line,
            } => {
                let t = self.get(fb, *trace);
                let r = self.get(fb, *reason);
                let nv = fb.b.ins().iconst(WORD, NON_VALUE);
                let loc = self.location(*line);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let c = fb.ctx();
                let h = self.call_rt(fb, &abi::RERAISE, &[c, nv, r, t, lv])?;
                self.enter_handler(fb, h);
            }
            Terminator::RawRaise {
                class,
                reason,
                trace,
                line,
            } => {
                let k = self.get(fb, *class);
                let t = self.get(fb, *trace);
                let r = self.get(fb, *reason);
                let loc = self.location(*line);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let c = fb.ctx();
                let h = self.call_rt(fb, &abi::RERAISE, &[c, k, r, t, lv])?;
                self.enter_handler(fb, h);
            }
            Terminator::Unreachable => {
                // The IR promises this is never reached; if it is, report a
                // broken invariant rather than trap inside compiled code.
                let st = fb.b.ins().iconst(WORD, abi::STATUS_INTERNAL as i64);
                fb.return_status(st);
            }
            Terminator::RecvWaitTimeout {
                timeout,
                cont,
                live,
                line,
            } => {
                // The continuation's frame first, as for a call: a suspended
                // process keeps everything live on its stack.
                let ri = self
                    .p
                    .region_of_entry(*cont)
                    .ok_or_else(|| CodegenError::new("continuation is not a region entry"))?;
                let cid = self.p.regions[ri]
                    .id
                    .ok_or_else(|| CodegenError::new("undeclared continuation"))?;
                let mut spill = live.clone();
                spill.push(*timeout);
                self.ensure_space(fb, live.len() + 1, &spill)?;
                let slots: Vec<cl::Value> = live.iter().map(|v| self.get(fb, *v)).collect();
                self.push_frame(fb, cid, &slots);
                let loc = self.location(*line);
                self.frame_spec(FrameSpec {
                    func: cid,
                    size: live.len() as u32,
                    live: (0..live.len() as u32).collect(),
                    catches: vec![],
                    location: loc,
                });
                let t = self.get(fb, *timeout);
                let out = fb.b.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    8,
                    3,
                ));
                let op = fb.b.ins().stack_addr(WORD, out, 0);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let c = fb.ctx();
                let k = self.call_rt(fb, &abi::RECV_WAIT, &[c, t, lv, op])?;
                let again = fb.b.create_block();
                let not_again = fb.b.create_block();
                let timed_out = fb.b.create_block();
                let not_timed_out = fb.b.create_block();
                let suspend = fb.b.create_block();
                let raised = fb.b.create_block();
                fb.b.set_cold_block(raised);
                let is0 = fb.b.ins().icmp_imm_s(IntCC::Equal, k, 0);
                fb.b.ins().brif(is0, again, &[], not_again, &[]);
                fb.b.switch_to_block(again);
                let f = self.target.atom("false")? as i64;
                let fv = fb.b.ins().iconst(WORD, f);
                self.emit_return(fb, fv);
                fb.b.switch_to_block(not_again);
                let is1 = fb.b.ins().icmp_imm_s(IntCC::Equal, k, 1);
                fb.b.ins().brif(is1, timed_out, &[], not_timed_out, &[]);
                fb.b.switch_to_block(timed_out);
                let t = self.target.atom("true")? as i64;
                let tv = fb.b.ins().iconst(WORD, t);
                self.emit_return(fb, tv);
                fb.b.switch_to_block(not_timed_out);
                let is2 = fb.b.ins().icmp_imm_s(IntCC::Equal, k, 2);
                fb.b.ins().brif(is2, suspend, &[], raised, &[]);
                fb.b.switch_to_block(suspend);
                let st = fb.b.ins().iconst(WORD, abi::status::WAIT as i64);
                fb.return_status(st);
                fb.b.switch_to_block(raised);
                let h = fb.b.ins().stack_load(WORD, WORD, out, 0);
                self.enter_handler(fb, h);
            }
        }
        Ok(())
    }

    /// Registers the descriptor of a frame this code pushes (once: the
    /// inner copy of a continuation pushes the frames its own function
    /// does).
    fn frame_spec(&mut self, spec: FrameSpec) {
        if !self.inner_copy {
            self.out.frames.push(spec);
        }
    }

    /// Pops the continuation and enters it with `x`.
    fn emit_return(&mut self, fb: &mut Fb, x: cl::Value) {
        let stop = fb.ctx_load(abi::CTX_STOP);
        let w = fb.b.ins().load(WORD, MemFlagsData::trusted(), stop, 0);
        let s2 = fb.b.ins().iadd_imm_s(stop, 8);
        fb.ctx_store(s2, abi::CTX_STOP);
        for (id, ib) in fb.inner.clone() {
            let fr = self.func_ref(fb, id);
            let a = fb.b.ins().func_addr(WORD, fr);
            let here = fb.b.ins().icmp(IntCC::Equal, w, a);
            let next = fb.b.create_block();
            let args = fb.state_args(&[x]);
            fb.b.ins().brif(here, ib, &bargs(&args), next, &[]);
            fb.b.switch_to_block(next);
        }
        let addr = w;
        let sig = self.sig(fb, 1);
        fb.tail_call_indirect(sig, addr, &[x]);
    }

    /// A call: `cont` is `None` for a tail call, else the continuation and
    /// the live set to keep in the frame.
    fn emit_call(
        &mut self,
        fb: &mut Fb,
        callee: &Callee,
        args: &[ir::Value],
        cont: Option<(BlockId, Vec<ir::Value>)>,
        line: Option<u32>,
    ) -> Result<(), CodegenError> {
        // A BIF that must wait pushes an apply frame of `TRAP_WORDS` on the
        // stack (`process::code::trap`) and cannot collect to make room:
        // the room is made here, with the frame's.
        const TRAP_WORDS: usize = 4;
        let traps = matches!(callee, Callee::Remote { module, name, arity }
            if jit_support::bif_index(module, name, *arity as usize).is_some());
        let trap_room = if traps { TRAP_WORDS } else { 0 };
        if traps && cont.is_none() {
            self.ensure_space(fb, trap_room, args)?;
        }
        // Push the frame first (it may collect, so values are read after).
        let mut cont_id = None;
        if let Some((cb, live)) = &cont {
            let ri = self
                .p
                .region_of_entry(*cb)
                .ok_or_else(|| CodegenError::new("continuation is not a region entry"))?;
            let cid = self.p.regions[ri]
                .id
                .ok_or_else(|| CodegenError::new("undeclared continuation"))?;
            let mut spill: Vec<ir::Value> = live.clone();
            spill.extend(args.iter().copied());
            if let Callee::Fun(v) = callee {
                spill.push(*v);
            }
            if let Callee::Apply { module, name } = callee {
                spill.push(*module);
                spill.push(*name);
            }
            self.ensure_space(fb, live.len() + 1 + trap_room, &spill)?;
            let slots: Vec<cl::Value> = live.iter().map(|v| self.get(fb, *v)).collect();
            self.push_frame(fb, cid, &slots);
            let loc = self.location(line);
            self.frame_spec(FrameSpec {
                func: cid,
                size: live.len() as u32,
                live: (0..live.len() as u32).collect(),
                catches: vec![],
                location: loc,
            });
            cont_id = Some(cid);
        }
        let vals: Vec<cl::Value> = args.iter().map(|v| self.get(fb, *v)).collect();
        match callee {
            Callee::Local(fid) if *fid == self.fid && fb.self_entry.is_some() => {
                // The function calling itself from its entry region: a
                // jump back to its start, in the same native frame.
                let body = fb.self_entry.ok_or_else(|| CodegenError::new("no entry"))?;
                let a = fb.state_args(&vals);
                fb.b.ins().jump(body, &bargs(&a));
            }
            Callee::Local(fid) => {
                let id = *self
                    .entry_ids
                    .get(self.mi)
                    .and_then(|v| v.get(fid.0 as usize))
                    .ok_or_else(|| CodegenError::new("call of an unknown local function"))?;
                let fr = self.func_ref(fb, id);
                fb.tail_call(fr, &vals);
            }
            Callee::Remote {
                module,
                name,
                arity,
            } => {
                // A function the runtime implements is a BIF call even
                // when its module is compiled (OTP's Erlang body of a BIF is
                // a stub), as BEAM's BIFs take precedence over module code.
                let bif = jit_support::bif_index(module, name, *arity as usize);
                if &**module == "erlang" && &**name == "apply" && (*arity == 2 || *arity == 3) {
                    let nv = fb.b.ins().iconst(WORD, NON_VALUE);
                    let (a, b, l) = if *arity == 3 {
                        (vals[0], vals[1], vals[2])
                    } else {
                        (vals[0], nv, vals[1])
                    };
                    let loc = self.location(line);
                    self.emit_apply(fb, a, b, l, loc)?;
                } else if let Some(index) = bif {
                    let r = self.call_bif(fb, index, &vals, false)?;
                    let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
                    let ok = fb.b.create_block();
                    let raise = fb.b.create_block();
                    fb.b.set_cold_block(raise);
                    fb.b.ins().brif(bad, raise, &[], ok, &[]);
                    fb.b.switch_to_block(raise);
                    self.raise_from_slot(fb, line)?;
                    fb.b.switch_to_block(ok);
                    match cont_id {
                        // The BIF returns into the frame just pushed.
                        Some(_) => self.emit_return(fb, r),
                        None => self.emit_return(fb, r),
                    }
                } else {
                    let slot = self.target.export_slot(module, name, *arity);
                    let sp = self.word(fb, slot);
                    let addr = fb.b.ins().load(WORD, MemFlagsData::trusted(), sp, 0);
                    let go = fb.b.create_block();
                    let missing = fb.b.create_block();
                    fb.b.set_cold_block(missing);
                    fb.b.ins().brif(addr, go, &[], missing, &[]);
                    fb.b.switch_to_block(missing);
                    self.undef(fb, module, name, &vals, line)?;
                    fb.b.switch_to_block(go);
                    let sig = self.sig(fb, vals.len());
                    fb.tail_call_indirect(sig, addr, &vals);
                }
            }
            Callee::Fun(fv) => {
                let fun = self.get(fb, *fv);
                self.emit_fun_call(fb, fun, vals, line)?;
            }
            Callee::Apply { module, name } => {
                let mv = self.get(fb, *module);
                let nv = self.get(fb, *name);
                let nn = fb.b.ins().iconst(cl::types::I32, vals.len() as i64);
                let addr = self.call_rt(fb, &abi::APPLY_CODE, &[mv, nv, nn])?;
                let go = fb.b.create_block();
                let missing = fb.b.create_block();
                fb.b.set_cold_block(missing);
                fb.b.ins().brif(addr, go, &[], missing, &[]);
                fb.b.switch_to_block(missing);
                let ap = self.spill_args(fb, &vals);
                let nn = fb.b.ins().iconst(cl::types::I32, vals.len() as i64);
                let loc = self.location(line);
                let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
                let c = fb.ctx();
                let h = self.call_rt(fb, &abi::UNDEF, &[c, mv, nv, ap, nn, lv])?;
                self.enter_handler(fb, h);
                fb.b.switch_to_block(go);
                let sig = self.sig(fb, vals.len());
                fb.tail_call_indirect(sig, addr, &vals);
            }
        }
        let _ = self.plans;
        Ok(())
    }
}

impl<M: Module> Emitter<'_, M> {
    /// Stores `vals` in a new stack slot of the native frame; its address.
    fn spill_args(&mut self, fb: &mut Fb, vals: &[cl::Value]) -> cl::Value {
        let s = fb.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (8 * vals.len().max(1)) as u32,
            3,
        ));
        for (i, &a) in vals.iter().enumerate() {
            fb.b.ins().stack_store(WORD, a, s, (8 * i) as i32);
        }
        fb.b.ins().stack_addr(WORD, s, 0)
    }

    /// The exception slot of this function's native frame.
    /// The address of the context's exception words, where a failing
    /// runtime call writes the class and reason.
    fn exc_addr(&mut self, fb: &mut Fb) -> cl::Value {
        let c = fb.ctx();
        fb.b.ins().iadd_imm_s(c, abi::CTX_EXC as i64)
    }

    /// Map construction or update through the runtime; `NON_VALUE` with
    /// the exception in the slot on failure.
    fn map_put(
        &mut self,
        fb: &mut Fb,
        map: Option<&ir::Value>,
        pairs: &[(ir::MapOp, ir::Value, ir::Value)],
    ) -> Result<cl::Value, CodegenError> {
        let mut words = Vec::new();
        for (op, k, v) in pairs {
            let o = match op {
                ir::MapOp::Assoc => 0,
                ir::MapOp::Exact => 1,
            };
            words.push(fb.b.ins().iconst(WORD, o));
            words.push(self.get(fb, *k));
            words.push(self.get(fb, *v));
        }
        let ap = self.spill_args(fb, &words);
        let m = match map {
            Some(v) => self.get(fb, *v),
            None => fb.b.ins().iconst(WORD, NON_VALUE),
        };
        let n = fb.b.ins().iconst(cl::types::I32, pairs.len() as i64);
        let ep = self.exc_addr(fb);
        let c = fb.ctx();
        self.call_rt(fb, &abi::MAP_PUT, &[c, m, ap, n, ep])
    }

    /// The seven words describing a segment to the runtime (see
    /// `coral_runtime::jit_support`).
    fn seg_words(&mut self, fb: &mut Fb, value: cl::Value, spec: &ir::SegSpec) -> Vec<cl::Value> {
        let kind = match spec.kind {
            ir::SegKind::Integer => 0,
            ir::SegKind::Float => 1,
            ir::SegKind::Binary => 2,
            ir::SegKind::Utf8 => 3,
            ir::SegKind::Utf16 => 4,
            ir::SegKind::Utf32 => 5,
        };
        let (size_kind, size) = match &spec.size {
            ir::SegSize::Fixed(n) => (0, fb.b.ins().iconst(WORD, *n as i64)),
            ir::SegSize::Dynamic(v) => (1, self.get(fb, *v)),
            ir::SegSize::All => (2, fb.b.ins().iconst(WORD, 0)),
            ir::SegSize::Implicit => (3, fb.b.ins().iconst(WORD, 0)),
        };
        let endian = match spec.endian {
            ir::Endian::Big => 0,
            ir::Endian::Little => 1,
            ir::Endian::Native => 2,
        };
        let k = fb.b.ins().iconst(WORD, kind);
        let sk = fb.b.ins().iconst(WORD, size_kind);
        let u = fb.b.ins().iconst(WORD, spec.unit as i64);
        let sg = fb.b.ins().iconst(WORD, spec.signed as i64);
        let e = fb.b.ins().iconst(WORD, endian);
        vec![value, k, sk, size, u, sg, e]
    }

    /// Binary construction through the runtime; `NON_VALUE` with the
    /// exception in the slot on failure.
    fn bin_build(
        &mut self,
        fb: &mut Fb,
        segs: &[(ir::Value, ir::SegSpec)],
    ) -> Result<cl::Value, CodegenError> {
        let mut words = Vec::new();
        for (v, spec) in segs {
            let x = self.get(fb, *v);
            words.extend(self.seg_words(fb, x, spec));
        }
        let sp = self.spill_args(fb, &words);
        let n = fb.b.ins().iconst(cl::types::I32, segs.len() as i64);
        let ep = self.exc_addr(fb);
        let c = fb.ctx();
        self.call_rt(fb, &abi::BIN_BUILD, &[c, sp, n, ep])
    }

    /// Raises the exception in the slot when `r` is `NON_VALUE`; the
    /// builder continues on the success path.
    fn check_or_raise(
        &mut self,
        fb: &mut Fb,
        r: cl::Value,
        line: Option<u32>,
    ) -> Result<(), CodegenError> {
        let bad = fb.b.ins().icmp_imm_s(IntCC::Equal, r, NON_VALUE);
        let ok = fb.b.create_block();
        let raise = fb.b.create_block();
        fb.b.set_cold_block(raise);
        fb.b.ins().brif(bad, raise, &[], ok, &[]);
        fb.b.switch_to_block(raise);
        self.raise_op_from_slot(fb, line)?;
        fb.b.switch_to_block(ok);
        Ok(())
    }

    /// Calls a fun value: a closure of the right arity through its entry's
    /// code (the closure stub), an export fun through the export registry,
    /// anything else raises.
    fn emit_fun_call(
        &mut self,
        fb: &mut Fb,
        fun: cl::Value,
        vals: Vec<cl::Value>,
        line: Option<u32>,
    ) -> Result<(), CodegenError> {
        let n = vals.len();
        let closure = fb.b.create_block();
        let other = fb.b.create_block();
        let arity_ok = fb.b.create_block();
        fb.b.set_cold_block(other);
        let tag = fb.b.ins().band_imm_s(fun, TAG_MASK);
        let boxed = fb.b.ins().icmp_imm_s(IntCC::Equal, tag, TAG_BOXED);
        let check = fb.b.create_block();
        fb.b.ins().brif(boxed, check, &[], other, &[]);
        fb.b.switch_to_block(check);
        let h = self.header(fb, fun);
        let k = fb.b.ins().band_imm_s(h, KIND_MASK);
        let is_fun =
            fb.b.ins()
                .icmp_imm_s(IntCC::Equal, k, (HeaderKind::Fun as i64) << 2);
        fb.b.ins().brif(is_fun, closure, &[], other, &[]);
        fb.b.switch_to_block(closure);
        let entry =
            fb.b.ins()
                .load(WORD, MemFlagsData::trusted(), fun, 8 - TAG_BOXED as i32);
        let arity = fb.b.ins().load(
            cl::types::I32,
            MemFlagsData::trusted(),
            entry,
            jit_support::FUN_ENTRY_ARITY_OFFSET as i32,
        );
        let same = fb.b.ins().icmp_imm_s(IntCC::Equal, arity, n as i64);
        fb.b.ins().brif(same, arity_ok, &[], other, &[]);
        fb.b.switch_to_block(arity_ok);
        let code = fb.b.ins().load(
            WORD,
            MemFlagsData::trusted(),
            entry,
            jit_support::FUN_ENTRY_CODE_OFFSET as i32,
        );
        let sig = self.sig(fb, n + 1);
        let mut a = vals.clone();
        a.push(fun);
        fb.tail_call_indirect(sig, code, &a);
        // Export funs, then errors.
        fb.b.switch_to_block(other);
        let nn = fb.b.ins().iconst(cl::types::I32, n as i64);
        let c = fb.ctx();
        let code = self.call_rt(fb, &abi::EXPORT_CODE, &[c, fun, nn])?;
        let go = fb.b.create_block();
        let bad = fb.b.create_block();
        fb.b.ins().brif(code, go, &[], bad, &[]);
        fb.b.switch_to_block(go);
        let sig = self.sig(fb, n);
        fb.tail_call_indirect(sig, code, &vals);
        fb.b.switch_to_block(bad);
        let ap = self.spill_args(fb, &vals);
        let nn = fb.b.ins().iconst(cl::types::I32, n as i64);
        let loc = self.location(line);
        let lv = fb.b.ins().iconst(cl::types::I32, loc as i64);
        let c = fb.ctx();
        let h = self.call_rt(fb, &abi::BAD_FUN_CALL, &[c, fun, ap, nn, lv])?;
        self.enter_handler(fb, h);
        Ok(())
    }
}

fn bargs(v: &[cl::Value]) -> Vec<cl::BlockArg> {
    v.iter().map(|&x| x.into()).collect()
}

fn no_result() -> CodegenError {
    CodegenError::new("instruction without a result")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `block0` branches to a hot `block1` and a cold `block2`; `block2`
    /// branches back into the join `block3` that `block1` also reaches, or
    /// on to `block4`, which only it reaches.
    fn diamond() -> (cl::Function, [cl::Block; 5]) {
        let mut func = cl::Function::new();
        func.signature.params.push(cl::AbiParam::new(WORD));
        func.signature.returns.push(cl::AbiParam::new(WORD));
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let bs = [(); 5].map(|_| b.create_block());
        b.append_block_params_for_function_params(bs[0]);
        b.append_block_param(bs[3], WORD);
        b.switch_to_block(bs[0]);
        let v = b.block_params(bs[0])[0];
        b.ins().brif(v, bs[1], &[], bs[2], &[]);
        b.set_cold_block(bs[2]);
        b.switch_to_block(bs[1]);
        b.ins().jump(bs[3], &[v.into()]);
        b.switch_to_block(bs[2]);
        b.ins().brif(v, bs[3], &[v.into()], bs[4], &[]);
        b.switch_to_block(bs[4]);
        b.ins().return_(&[v]);
        b.switch_to_block(bs[3]);
        let x = b.block_params(bs[3])[0];
        b.ins().return_(&[x]);
        b.seal_all_blocks();
        let flags = cranelift_codegen::settings::Flags::new(cranelift_codegen::settings::builder());
        let isa = cranelift_native::builder().unwrap().finish(flags).unwrap();
        b.finalize(isa.frontend_config());
        (func, bs)
    }

    #[test]
    fn blocks_only_cold_blocks_reach_are_cold_and_cold_edges_into_hot_joins_get_a_cold_block() {
        let (mut func, [b0, b1, b2, b3, b4]) = diamond();
        cool_slow_paths(&mut func);
        for (b, cold) in [
            (b0, false),
            (b1, false),
            (b2, true),
            (b3, false),
            (b4, true),
        ] {
            assert_eq!(func.layout.is_cold(b), cold, "{b}:\n{}", func.display());
        }
        // `block2` now goes to `block3` through a new cold block that
        // passes the argument on.
        let last = func.layout.last_inst(b2).unwrap();
        let dests: Vec<cl::Block> = func.dfg.insts[last]
            .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
            .iter()
            .map(|d| d.block(&func.dfg.value_lists))
            .collect();
        assert_eq!(dests.len(), 2);
        assert!(
            dests.iter().all(|&d| func.layout.is_cold(d)),
            "{}",
            func.display()
        );
        let e = dests[0];
        assert_ne!(e, b3);
        let jump = func.layout.last_inst(e).unwrap();
        let to = func.dfg.insts[jump]
            .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables);
        assert_eq!(to[0].block(&func.dfg.value_lists), b3);
        assert_eq!(to[0].len(&func.dfg.value_lists), 1);
        cranelift_codegen::verify_function(
            &func,
            &cranelift_codegen::settings::Flags::new(cranelift_codegen::settings::builder()),
        )
        .expect("still valid");
    }
}
