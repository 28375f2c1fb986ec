//! The IR's data types: modules, functions, blocks, instructions and
//! terminators. The crate documentation (`lib.rs`) explains what each form
//! means for code generation; this file only defines them.

use coral_syntax::ast::Int;

/// An SSA value, defined once in its function: by a block parameter or an
/// instruction result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(pub u32);

/// A basic block of one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// A function of the module: an index into [`Module::functions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

/// A constant term of the module's literal table: an index into
/// [`Module::literals`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LitId(pub u32);

/// Integers in this range are immediates ([`Const::Int`]); others live in
/// the literal table as [`Term::Int`]. The range is that of a 60-bit signed
/// word, leaving four tag bits.
pub const SMALL_INT_MIN: i64 = -(1 << 59);
pub const SMALL_INT_MAX: i64 = (1 << 59) - 1;

/// A constant term, as written in the module: attribute values and the
/// literal table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    Atom(Box<str>),
    Int(Int),
    /// The bits of an `f64`, so that terms can be compared and hashed.
    Float(u64),
    Nil,
    Tuple(Vec<Term>),
    /// `[E1, ..., En | Tail]` with at least one element; `Tail` is
    /// [`Term::Nil`] for a proper list.
    List(Vec<Term>, Box<Term>),
    /// A bitstring of `bits` bits; the last byte's low bits are zero when
    /// `bits` is not a multiple of 8.
    Binary {
        bytes: Vec<u8>,
        bits: u64,
    },
    /// A map, in the order written, with distinct keys.
    Map(Vec<(Term, Term)>),
}

/// An immediate constant or a reference to the literal table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Const {
    Atom(Box<str>),
    /// An integer in [`SMALL_INT_MIN`]`..=`[`SMALL_INT_MAX`].
    Int(i64),
    Nil,
    Lit(LitId),
}

/// A whole module.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub name: Box<str>,
    pub exports: Vec<(Box<str>, u32)>,
    pub attributes: Vec<(Box<str>, Term)>,
    /// The source file, from the `file` attribute, for stack traces.
    pub file: Option<String>,
    pub literals: Vec<Term>,
    pub functions: Vec<Function>,
    /// The functions lowering made for funs and `letrec`s, in the order
    /// their lowering finished (an inner one before the one around it).
    /// erl lists them last to first after the module's own functions
    /// (`module_info(functions)`).
    pub lifted: Vec<FuncId>,
}

/// Where a function came from, which decides its name in stack traces.
#[derive(Clone, Debug, PartialEq)]
pub enum FunKind {
    /// A function of the module, `'f'/N = fun ...`.
    TopLevel,
    /// A `fun` expression inside the top-level function `parent`, the
    /// `index`th of that function in source order.
    Lambda { parent: (Box<str>, u32), index: u32 },
    /// A `letrec` function that is not a `letrec_goto`, named `local` in
    /// the source, inside the top-level function `parent`.
    Letrec {
        parent: (Box<str>, u32),
        local: (Box<str>, u32),
        index: u32,
    },
    /// The loop of the top-level function `parent` that builds its result
    /// list front to back (see `lower/trmc.rs`). Its environment is the
    /// cell whose tail is still to be written and the list's first cell;
    /// it shows as `parent` in stack traces.
    ConsLoop { parent: (Box<str>, u32) },
}

/// One function after closure conversion.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// The name the runtime shows: `f` for a top-level function,
    /// `-f/1-fun-0-` for a lambda, `-f/1-lc$^0/1-0-` for a letrec function.
    pub name: Box<str>,
    /// The Erlang arity: the number of arguments callers pass, not counting
    /// the environment.
    pub arity: u32,
    /// How many captured values follow the arguments: the fun environment of
    /// a lambda, or the free variables of a letrec function.
    pub env_len: u32,
    pub kind: FunKind,
    /// The line of the definition, if known.
    pub line: Option<u32>,
    /// `blocks[0]` is the entry; its parameters are the arguments followed
    /// by the environment.
    pub blocks: Vec<Block>,
    /// Values are numbered `0..value_count`.
    pub value_count: u32,
}

/// A basic block: parameters, straight-line instructions, one terminator.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub params: Vec<Value>,
    pub insts: Vec<Inst>,
    pub term: Terminator,
    /// The innermost `try`/`catch` handler active at the terminator, if
    /// any: an exception raised here unwinds to it.
    pub handler: Option<BlockId>,
    /// Whether the block is the target of a back edge (a loop header).
    pub loop_header: bool,
    /// For a loop header: the values other than its parameters that are
    /// live on entry, which a reduction check on a back edge must save.
    pub live_through: Vec<Value>,
}

/// A non-terminating instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct Inst {
    pub results: Vec<Value>,
    pub op: Op,
    /// The source line, for the stack-trace entry of an exception raised
    /// here.
    pub line: Option<u32>,
}

/// The type of a binary segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SegKind {
    Integer,
    Float,
    /// `binary` and `bitstring`: which one is told by the unit.
    Binary,
    Utf8,
    Utf16,
    Utf32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    Big,
    Little,
    Native,
}

/// The size of a binary segment, in units.
#[derive(Clone, Debug, PartialEq)]
pub enum SegSize {
    /// Fixed when the code was compiled.
    Fixed(u64),
    /// Computed at run time; must be a non-negative integer.
    Dynamic(Value),
    /// `all`: the whole of a binary value, or the rest of a match.
    All,
    /// No size: `utf8`/`utf16`/`utf32` segments.
    Implicit,
}

/// A segment's type, size and flags (the value is apart).
#[derive(Clone, Debug, PartialEq)]
pub struct SegSpec {
    pub kind: SegKind,
    pub size: SegSize,
    pub unit: u32,
    pub signed: bool,
    pub endian: Endian,
}

/// `=>` (insert or replace) or `:=` (replace an existing key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapOp {
    Assoc,
    Exact,
}

/// What an instruction does.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// An immediate or a literal: never fails, never allocates.
    Const(Const),
    /// `{V1, ..., Vn}`.
    Tuple(Vec<Value>),
    /// `[H | T]`.
    Cons(Value, Value),
    /// `[H | []]` in a fresh cell of the heap (never a literal), whose tail
    /// a later [`Op::SetTail`] replaces: the cell under construction of a
    /// function that builds its result list in a loop (see
    /// `lower/trmc.rs`).
    ConsHole(Value),
    /// Writes the tail of a cell made by [`Op::ConsHole`], once, before the
    /// cell is published: no other process, and no code but the loop that
    /// made it, has seen it.
    SetTail(Value, Value),
    /// Element `index` (0-based) of a value known to be a tuple with more
    /// than `index` elements.
    GetElement {
        tuple: Value,
        index: u32,
    },
    /// Head and tail of a value known to be a cons cell.
    GetHd(Value),
    GetTl(Value),
    /// A fun of a function of this module with its captured environment.
    MakeFun {
        func: FuncId,
        env: Vec<Value>,
    },
    /// `fun M:F/A` with literal names: a fun through the export table.
    ExportFun {
        module: Box<str>,
        name: Box<str>,
        arity: u32,
    },
    /// A call of the built-in function `erlang:name/args.len()` that runs
    /// inline (operators, type tests, guard BIFs). As an instruction it
    /// raises on failure; in a [`Terminator::Guard`] it fails to a block.
    Bif {
        name: Box<str>,
        args: Vec<Value>,
    },
    /// Binary construction; raises `badarg` (or fails in a guard).
    BinBuild {
        segs: Vec<(Value, SegSpec)>,
    },
    /// Map construction (`map` is `None`) or update. `:=` on a missing key
    /// raises `{badkey,K}`; updating a non-map raises `{badmap,M}`.
    MapPut {
        map: Option<Value>,
        pairs: Vec<(MapOp, Value, Value)>,
    },
    /// `primop 'recv_peek_message'()`: two results, `'true'` and the
    /// message at the save pointer, or `'false'` and a meaningless value.
    RecvPeekMessage,
    /// `primop 'recv_next'()`: move the save pointer past this message.
    RecvNext,
    /// `primop 'remove_message'()`: take the message at the save pointer
    /// out of the queue and reset the save pointer.
    RemoveMessage,
    /// `primop 'timeout'()`: reset the save pointer after a timeout.
    Timeout,
    /// `primop 'build_stacktrace'(Raw)`: the list form of a raw trace.
    BuildStacktrace(Value),
    /// `primop 'bs_init_writable'(Size)`: an empty binary to append to.
    BsInitWritable(Value),
    /// `primop 'nif_start'()`: marks where a NIF may replace the function.
    NifStart,
    /// Pops the catch frame pushed by the innermost [`Terminator::TryEnter`]
    /// on the normal path out of its body.
    TryExit,
    // Matching operations: only in `Terminator::Guard`.
    /// Starts matching a bitstring: result is a match context.
    BsStartMatch(Value),
    /// Reads one segment: results are the value and the context after it.
    BsGet {
        ctx: Value,
        spec: SegSpec,
    },
    /// Succeeds if no bits are left.
    BsTestTail {
        ctx: Value,
    },
    /// Looks a key up in a value known to be a map: result is the value.
    MapGet {
        map: Value,
        key: Value,
    },
}

impl Op {
    /// How many results the operation defines.
    pub fn result_count(&self) -> usize {
        match self {
            Op::RecvPeekMessage | Op::BsGet { .. } => 2,
            Op::RecvNext
            | Op::RemoveMessage
            | Op::Timeout
            | Op::NifStart
            | Op::TryExit
            | Op::SetTail(..)
            | Op::BsTestTail { .. } => 0,
            _ => 1,
        }
    }

    /// Whether the operation may only appear in a [`Terminator::Guard`].
    pub fn only_in_guard(&self) -> bool {
        matches!(
            self,
            Op::BsStartMatch(_) | Op::BsGet { .. } | Op::BsTestTail { .. } | Op::MapGet { .. }
        )
    }

    /// Whether the operation may fail, and so may appear in a guard.
    pub fn can_fail(&self) -> bool {
        self.only_in_guard()
            || matches!(
                self,
                Op::Bif { .. } | Op::BinBuild { .. } | Op::MapPut { .. }
            )
    }

    /// Whether removing an unused instance changes nothing observable.
    pub fn is_pure(&self) -> bool {
        matches!(
            self,
            Op::Const(_)
                | Op::Tuple(_)
                | Op::Cons(..)
                | Op::GetElement { .. }
                | Op::GetHd(_)
                | Op::GetTl(_)
                | Op::MakeFun { .. }
                | Op::ExportFun { .. }
                | Op::BuildStacktrace(_)
        )
    }

    /// Calls `f` on every value the operation reads.
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Op::Const(_)
            | Op::ExportFun { .. }
            | Op::RecvPeekMessage
            | Op::RecvNext
            | Op::RemoveMessage
            | Op::Timeout
            | Op::NifStart
            | Op::TryExit => {}
            Op::Tuple(vs) | Op::Bif { args: vs, .. } | Op::MakeFun { env: vs, .. } => {
                vs.iter().for_each(|v| f(*v))
            }
            Op::Cons(a, b) | Op::SetTail(a, b) => {
                f(*a);
                f(*b);
            }
            Op::GetElement { tuple: v, .. }
            | Op::GetHd(v)
            | Op::GetTl(v)
            | Op::ConsHole(v)
            | Op::BuildStacktrace(v)
            | Op::BsInitWritable(v)
            | Op::BsStartMatch(v)
            | Op::BsTestTail { ctx: v } => f(*v),
            Op::BinBuild { segs } => {
                for (v, spec) in segs {
                    f(*v);
                    if let SegSize::Dynamic(s) = spec.size {
                        f(s);
                    }
                }
            }
            Op::MapPut { map, pairs } => {
                if let Some(m) = map {
                    f(*m);
                }
                for (_, k, v) in pairs {
                    f(*k);
                    f(*v);
                }
            }
            Op::BsGet { ctx, spec } => {
                f(*ctx);
                if let SegSize::Dynamic(s) = spec.size {
                    f(s);
                }
            }
            Op::MapGet { map, key } => {
                f(*map);
                f(*key);
            }
        }
    }

    /// Calls `f` on every value the operation reads, allowing it to be
    /// replaced.
    pub fn for_each_use_mut(&mut self, mut f: impl FnMut(&mut Value)) {
        match self {
            Op::Const(_)
            | Op::ExportFun { .. }
            | Op::RecvPeekMessage
            | Op::RecvNext
            | Op::RemoveMessage
            | Op::Timeout
            | Op::NifStart
            | Op::TryExit => {}
            Op::Tuple(vs) | Op::Bif { args: vs, .. } | Op::MakeFun { env: vs, .. } => {
                vs.iter_mut().for_each(f)
            }
            Op::Cons(a, b) | Op::SetTail(a, b) => {
                f(a);
                f(b);
            }
            Op::GetElement { tuple: v, .. }
            | Op::GetHd(v)
            | Op::GetTl(v)
            | Op::ConsHole(v)
            | Op::BuildStacktrace(v)
            | Op::BsInitWritable(v)
            | Op::BsStartMatch(v)
            | Op::BsTestTail { ctx: v } => f(v),
            Op::BinBuild { segs } => {
                for (v, spec) in segs {
                    f(v);
                    if let SegSize::Dynamic(s) = &mut spec.size {
                        f(s);
                    }
                }
            }
            Op::MapPut { map, pairs } => {
                if let Some(m) = map {
                    f(m);
                }
                for (_, k, v) in pairs {
                    f(k);
                    f(v);
                }
            }
            Op::BsGet { ctx, spec } => {
                f(ctx);
                if let SegSize::Dynamic(s) = &mut spec.size {
                    f(s);
                }
            }
            Op::MapGet { map, key } => {
                f(map);
                f(key);
            }
        }
    }
}

/// A jump target with its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockCall {
    pub block: BlockId,
    pub args: Vec<Value>,
}

/// A two-way test of [`Terminator::Branch`].
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    IsTuple(Value),
    IsCons(Value),
    IsMap(Value),
    /// A bitstring (any number of bits).
    IsBitstring(Value),
    /// `A =:= B`.
    EqExact(Value, Value),
    /// `V =:= 'true'`.
    IsTrue(Value),
}

impl Cond {
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Cond::IsTuple(v) | Cond::IsCons(v) | Cond::IsMap(v) | Cond::IsBitstring(v) => f(*v),
            Cond::IsTrue(v) => f(*v),
            Cond::EqExact(a, b) => {
                f(*a);
                f(*b);
            }
        }
    }

    fn for_each_use_mut(&mut self, mut f: impl FnMut(&mut Value)) {
        match self {
            Cond::IsTuple(v) | Cond::IsCons(v) | Cond::IsMap(v) | Cond::IsBitstring(v) => f(v),
            Cond::IsTrue(v) => f(v),
            Cond::EqExact(a, b) => {
                f(a);
                f(b);
            }
        }
    }
}

/// What a call calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Callee {
    /// A function of this module, called directly. The arguments include
    /// the environment of a letrec function.
    Local(FuncId),
    /// `M:F/A` through the export table.
    Remote {
        module: Box<str>,
        name: Box<str>,
        arity: u32,
    },
    /// A fun value: `badfun` if it is not a fun, `badarity` if its arity
    /// differs from the number of arguments.
    Fun(Value),
    /// `M:F(Args)` with module or name computed at run time.
    Apply { module: Value, name: Value },
}

impl Callee {
    fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Callee::Local(_) | Callee::Remote { .. } => {}
            Callee::Fun(v) => f(*v),
            Callee::Apply { module, name } => {
                f(*module);
                f(*name);
            }
        }
    }

    fn for_each_use_mut(&mut self, mut f: impl FnMut(&mut Value)) {
        match self {
            Callee::Local(_) | Callee::Remote { .. } => {}
            Callee::Fun(v) => f(v),
            Callee::Apply { module, name } => {
                f(module);
                f(name);
            }
        }
    }
}

/// `try` or `catch`: the same mechanism, told apart for the runtime's and
/// the reader's sake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryKind {
    Try,
    Catch,
}

/// How a block ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Terminator {
    /// `back_edge` marks a jump to a loop header, where code generation
    /// puts a reduction check.
    Jump {
        target: BlockCall,
        back_edge: bool,
    },
    Branch {
        cond: Cond,
        then: BlockCall,
        else_: BlockCall,
    },
    /// Compares `arg` with each constant by `=:=`.
    Switch {
        arg: Value,
        cases: Vec<(Const, BlockCall)>,
        default: BlockCall,
    },
    /// Dispatches on the size of `arg`, known to be a tuple.
    SwitchArity {
        arg: Value,
        cases: Vec<(u32, BlockCall)>,
        default: BlockCall,
    },
    /// An operation that may fail: on success `ok` receives its results as
    /// its parameters; on failure control goes to `fail`, with no
    /// exception raised.
    Guard {
        op: Op,
        ok: BlockId,
        fail: BlockCall,
    },
    Return(Value),
    /// The callee's result is this function's result: the caller's frame
    /// is gone before the callee runs.
    TailCall {
        callee: Callee,
        args: Vec<Value>,
        line: Option<u32>,
    },
    /// A call that returns here: `cont` receives the result as its only
    /// parameter; `live` are the values used after the call (in `cont`,
    /// its successors, or the active handler), which the frame must keep.
    Call {
        callee: Callee,
        args: Vec<Value>,
        cont: BlockId,
        live: Vec<Value>,
        line: Option<u32>,
    },
    /// Pushes a catch frame whose handler is `handler` (parameters: class,
    /// reason, raw stack trace) and continues with `body`. `live` are the
    /// values the handler needs, which must stay in the frame while the
    /// catch frame is active.
    TryEnter {
        kind: TryKind,
        body: BlockId,
        handler: BlockId,
        live: Vec<Value>,
    },
    /// `primop 'recv_wait_timeout'(T)`: suspends the process until a new
    /// message arrives (`cont` receives `'false'`) or the timeout expires
    /// (`'true'`). A suspension point, so it carries a live set like a call.
    RecvWaitTimeout {
        timeout: Value,
        cont: BlockId,
        live: Vec<Value>,
        line: Option<u32>,
    },
    /// `primop 'match_fail'(Reason)`: raises `error:Reason`. A reason
    /// `{function_clause, A1, ..., An}` becomes BEAM's `function_clause`
    /// with the arguments in the stack trace.
    MatchFail {
        reason: Value,
        line: Option<u32>,
    },
    /// `primop 'raise'(Trace, Reason)`: re-raises with the class and stack
    /// of the raw trace `Trace`.
    Raise {
        trace: Value,
        reason: Value,
        line: Option<u32>,
    },
    /// `primop 'raw_raise'(Class, Reason, Trace)`.
    RawRaise {
        class: Value,
        reason: Value,
        trace: Value,
        line: Option<u32>,
    },
    /// Never reached: the continuation of a call to a function that never
    /// returns (`erlang:error/1` and its kin).
    Unreachable,
}

impl Terminator {
    /// The successor blocks, in order.
    pub fn successors(&self) -> Vec<BlockId> {
        match self {
            Terminator::Jump { target, .. } => vec![target.block],
            Terminator::Branch { then, else_, .. } => vec![then.block, else_.block],
            Terminator::Switch { cases, default, .. } => cases
                .iter()
                .map(|(_, c)| c.block)
                .chain(std::iter::once(default.block))
                .collect(),
            Terminator::SwitchArity { cases, default, .. } => cases
                .iter()
                .map(|(_, c)| c.block)
                .chain(std::iter::once(default.block))
                .collect(),
            Terminator::Guard { ok, fail, .. } => vec![*ok, fail.block],
            Terminator::Call { cont, .. } | Terminator::RecvWaitTimeout { cont, .. } => {
                vec![*cont]
            }
            Terminator::TryEnter { body, handler, .. } => vec![*body, *handler],
            Terminator::Return(_)
            | Terminator::TailCall { .. }
            | Terminator::MatchFail { .. }
            | Terminator::Raise { .. }
            | Terminator::RawRaise { .. }
            | Terminator::Unreachable => Vec::new(),
        }
    }

    /// The block calls with arguments (jumps, branches and switches).
    pub fn block_calls(&self) -> Vec<&BlockCall> {
        match self {
            Terminator::Jump { target, .. } => vec![target],
            Terminator::Branch { then, else_, .. } => vec![then, else_],
            Terminator::Switch { cases, default, .. } => cases
                .iter()
                .map(|(_, c)| c)
                .chain(std::iter::once(default))
                .collect(),
            Terminator::SwitchArity { cases, default, .. } => cases
                .iter()
                .map(|(_, c)| c)
                .chain(std::iter::once(default))
                .collect(),
            Terminator::Guard { fail, .. } => vec![fail],
            _ => Vec::new(),
        }
    }

    /// Mutable access to the block calls.
    pub fn block_calls_mut(&mut self) -> Vec<&mut BlockCall> {
        match self {
            Terminator::Jump { target, .. } => vec![target],
            Terminator::Branch { then, else_, .. } => vec![then, else_],
            Terminator::Switch { cases, default, .. } => cases
                .iter_mut()
                .map(|(_, c)| c)
                .chain(std::iter::once(default))
                .collect(),
            Terminator::SwitchArity { cases, default, .. } => cases
                .iter_mut()
                .map(|(_, c)| c)
                .chain(std::iter::once(default))
                .collect(),
            Terminator::Guard { fail, .. } => vec![fail],
            _ => Vec::new(),
        }
    }

    /// Calls `f` on every value the terminator reads, block arguments
    /// included, but not the live sets (which are derived, not uses).
    pub fn for_each_use(&self, mut f: impl FnMut(Value)) {
        match self {
            Terminator::Jump { .. } | Terminator::Unreachable => {}
            Terminator::Branch { cond, .. } => cond.for_each_use(&mut f),
            Terminator::Switch { arg, .. } | Terminator::SwitchArity { arg, .. } => f(*arg),
            Terminator::Guard { op, .. } => op.for_each_use(&mut f),
            Terminator::Return(v) => f(*v),
            Terminator::TailCall { callee, args, .. } | Terminator::Call { callee, args, .. } => {
                callee.for_each_use(&mut f);
                args.iter().for_each(|v| f(*v));
            }
            Terminator::TryEnter { .. } => {}
            Terminator::RecvWaitTimeout { timeout, .. } => f(*timeout),
            Terminator::MatchFail { reason, .. } => f(*reason),
            Terminator::Raise { trace, reason, .. } => {
                f(*trace);
                f(*reason);
            }
            Terminator::RawRaise {
                class,
                reason,
                trace,
                ..
            } => {
                f(*class);
                f(*reason);
                f(*trace);
            }
        }
        for call in self.block_calls() {
            call.args.iter().for_each(|v| f(*v));
        }
    }

    /// Like [`Terminator::for_each_use`], allowing the values to be replaced.
    pub fn for_each_use_mut(&mut self, mut f: impl FnMut(&mut Value)) {
        match self {
            Terminator::Jump { .. } | Terminator::TryEnter { .. } | Terminator::Unreachable => {}
            Terminator::Branch { cond, .. } => cond.for_each_use_mut(&mut f),
            Terminator::Switch { arg, .. } | Terminator::SwitchArity { arg, .. } => f(arg),
            Terminator::Guard { op, .. } => op.for_each_use_mut(&mut f),
            Terminator::Return(v) => f(v),
            Terminator::TailCall { callee, args, .. } | Terminator::Call { callee, args, .. } => {
                callee.for_each_use_mut(&mut f);
                args.iter_mut().for_each(&mut f);
            }
            Terminator::RecvWaitTimeout { timeout, .. } => f(timeout),
            Terminator::MatchFail { reason, .. } => f(reason),
            Terminator::Raise { trace, reason, .. } => {
                f(trace);
                f(reason);
            }
            Terminator::RawRaise {
                class,
                reason,
                trace,
                ..
            } => {
                f(class);
                f(reason);
                f(trace);
            }
        }
        for call in self.block_calls_mut() {
            call.args.iter_mut().for_each(&mut f);
        }
    }

    /// The live set carried by a call, try or wait, if any.
    pub fn live_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Terminator::Call { live, .. }
            | Terminator::TryEnter { live, .. }
            | Terminator::RecvWaitTimeout { live, .. } => Some(live),
            _ => None,
        }
    }

    pub fn live(&self) -> Option<&Vec<Value>> {
        match self {
            Terminator::Call { live, .. }
            | Terminator::TryEnter { live, .. }
            | Terminator::RecvWaitTimeout { live, .. } => Some(live),
            _ => None,
        }
    }
}

impl Function {
    pub fn block(&self, b: BlockId) -> &Block {
        &self.blocks[b.0 as usize]
    }
}
