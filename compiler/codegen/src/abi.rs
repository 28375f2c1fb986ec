//! The calling convention of compiled Erlang code and its access to the
//! process context.
//!
//! Every compiled function uses Cranelift's `tail` convention and returns a
//! process status (the low byte of the scheduler's status word, see
//! `coral_runtime::process`). The process context pointer lives in
//! Cranelift's pinned register (r15 on x86-64) from the trampoline on:
//! compiled code reads it where it needs it, so no value holding it lives
//! across a call and no function saves a callee-saved register for it. The
//! runtime's functions, `system_v`, preserve that register. A function's
//! first two parameters are the heap top and the stack top: compiled code
//! keeps them in registers, and writes them to the context before it calls
//! the runtime or returns to the scheduler (the runtime reads and moves
//! them only then). The parameters after them are terms:
//!
//! - a function entry: the arguments, then the environment;
//! - a continuation (what a `return` enters, and a catch handler): one term,
//!   the result (`NON_VALUE` for a handler, which finds the class, reason
//!   and trace in `x[0..3]`);
//! - a join point or loop header split off into its own function: the
//!   block's parameters, then the values live into it, in increasing order.
//!
//! Erlang calls are `return_call`s, so only one compiled native frame is
//! ever live: a native `return` goes back to the entry trampoline with a
//! status. Rust enters compiled code only through that trampoline, a
//! `system_v` function made with Cranelift, and compiled code calls the
//! runtime with `system_v` calls.

use coral_runtime::heap::{
    OFFSET_ARGS, OFFSET_BIF_ARGS, OFFSET_EXC, OFFSET_HTOP, OFFSET_REDS, OFFSET_RET, OFFSET_STOP,
    OFFSET_X,
};
use cranelift_codegen::ir::{AbiParam, Signature, types};
use cranelift_codegen::isa::CallConv;

/// The machine word and term type.
pub const WORD: types::Type = types::I64;

pub const CTX_HTOP: i32 = OFFSET_HTOP as i32;
pub const CTX_STOP: i32 = OFFSET_STOP as i32;
pub const CTX_REDS: i32 = OFFSET_REDS as i32;
pub const CTX_X: i32 = OFFSET_X as i32;
pub const CTX_RET: i32 = OFFSET_RET as i32;
pub const CTX_ARGS: i32 = OFFSET_ARGS as i32;
pub const CTX_EXC: i32 = OFFSET_EXC as i32;
pub const CTX_BIF_ARGS: i32 = OFFSET_BIF_ARGS as i32;
/// BIF calls with at most this many arguments pass them in the context.
pub const CTX_BIF_ARGS_LEN: usize = 4;

/// Statuses returned to the trampoline's caller.
pub use coral_runtime::process::status;

/// Returned when the runtime reports a broken invariant (a collection that
/// failed verification, a stack it could not walk): never a user error.
pub const STATUS_INTERNAL: u64 = 0xFE;

/// The machine state an Erlang function takes before its terms: the heap
/// top and the stack top.
pub const STATE_PARAMS: usize = 2;

/// The signature of a compiled function taking `n` terms after the state
/// (the process context is in the pinned register).
pub fn erlang_sig(n: usize) -> Signature {
    let mut s = Signature::new(CallConv::Tail);
    for _ in 0..STATE_PARAMS + n {
        s.params.push(AbiParam::new(WORD));
    }
    s.returns.push(AbiParam::new(WORD));
    s
}

/// A continuation: the result.
pub fn cont_sig() -> Signature {
    erlang_sig(1)
}

/// The entry trampoline Rust calls: `extern "C" fn(ctx) -> status`.
pub fn trampoline_sig(native: CallConv) -> Signature {
    let mut s = Signature::new(native);
    s.params.push(AbiParam::new(WORD));
    s.returns.push(AbiParam::new(WORD));
    s
}

/// A runtime function: its symbol, parameter and result types.
pub struct RuntimeFn {
    pub name: &'static str,
    pub params: &'static [types::Type],
    pub ret: Option<types::Type>,
}

const W: types::Type = types::I64;
const I32: types::Type = types::I32;

/// `coral_process_gc(ctx, need, live_x) -> u32`: 0 when done; 4 when the
/// collection killed the process (past its `max_heap_size`); else a broken
/// invariant.
pub const GC: RuntimeFn = RuntimeFn {
    name: "coral_process_gc",
    params: &[W, W, I32],
    ret: Some(I32),
};
/// `coral_jit_call_bif(ctx, index, args, nargs, exc) -> Term`.
pub const CALL_BIF: RuntimeFn = RuntimeFn {
    name: "coral_jit_call_bif",
    params: &[W, I32, W, I32, W],
    ret: Some(W),
};
/// `coral_jit_raise(ctx, class, reason, loc) -> handler`.
pub const RAISE: RuntimeFn = RuntimeFn {
    name: "coral_jit_raise",
    params: &[W, W, W, I32],
    ret: Some(W),
};
/// `coral_jit_match_fail(ctx, reason, loc) -> handler`.
pub const MATCH_FAIL: RuntimeFn = RuntimeFn {
    name: "coral_jit_match_fail",
    params: &[W, W, I32],
    ret: Some(W),
};
/// `coral_jit_undef(ctx, module, name, args, nargs, loc) -> handler`.
pub const UNDEF: RuntimeFn = RuntimeFn {
    name: "coral_jit_undef",
    params: &[W, W, W, W, I32, I32],
    ret: Some(W),
};
/// `coral_jit_reraise(ctx, class, reason, trace, loc) -> handler`.
pub const RERAISE: RuntimeFn = RuntimeFn {
    name: "coral_jit_reraise",
    params: &[W, W, W, W, I32],
    ret: Some(W),
};
/// `coral_jit_build_stacktrace(ctx, raw) -> Term`.
pub const BUILD_STACKTRACE: RuntimeFn = RuntimeFn {
    name: "coral_jit_build_stacktrace",
    params: &[W, W],
    ret: Some(W),
};
/// `coral_jit_export_code(ctx, fun, nargs) -> address`.
pub const EXPORT_CODE: RuntimeFn = RuntimeFn {
    name: "coral_jit_export_code",
    params: &[W, W, I32],
    ret: Some(W),
};
/// `coral_jit_apply_code(module, name, nargs) -> address`.
pub const APPLY_CODE: RuntimeFn = RuntimeFn {
    name: "coral_jit_apply_code",
    params: &[W, W, I32],
    ret: Some(W),
};
/// `coral_jit_bad_fun_call(ctx, fun, args, nargs, loc) -> handler`.
pub const BAD_FUN_CALL: RuntimeFn = RuntimeFn {
    name: "coral_jit_bad_fun_call",
    params: &[W, W, W, I32, I32],
    ret: Some(W),
};

/// `coral_jit_map_put(ctx, map, ops, n, exc) -> Term`.
pub const MAP_PUT: RuntimeFn = RuntimeFn {
    name: "coral_jit_map_put",
    params: &[W, W, W, I32, W],
    ret: Some(W),
};
/// `coral_jit_map_get(ctx, map, key) -> Term`.
pub const MAP_GET: RuntimeFn = RuntimeFn {
    name: "coral_jit_map_get",
    params: &[W, W, W],
    ret: Some(W),
};

/// `coral_jit_bin_build(ctx, segs, n, exc) -> Term`.
pub const BIN_BUILD: RuntimeFn = RuntimeFn {
    name: "coral_jit_bin_build",
    params: &[W, W, I32, W],
    ret: Some(W),
};
/// `coral_jit_bs_init(ctx) -> Term`.
pub const BS_INIT: RuntimeFn = RuntimeFn {
    name: "coral_jit_bs_init",
    params: &[W],
    ret: Some(W),
};
/// `coral_jit_bs_get(ctx, mctx, seg, out) -> u32`.
pub const BS_GET: RuntimeFn = RuntimeFn {
    name: "coral_jit_bs_get",
    params: &[W, W, W, W],
    ret: Some(I32),
};
/// `coral_jit_bit_size(ctx, t) -> u64` (`u64::MAX` for a non-bitstring).
pub const BIT_SIZE: RuntimeFn = RuntimeFn {
    name: "coral_jit_bit_size",
    params: &[W, W],
    ret: Some(W),
};

/// `coral_jit_apply(ctx, a, b, args, loc, out) -> kind`: `apply/2,3`
/// (see `coral_runtime::process::code`).
pub const APPLY: RuntimeFn = RuntimeFn {
    name: "coral_jit_apply",
    params: &[W, W, W, W, I32, W],
    ret: Some(W),
};
/// `coral_recv_peek(ctx) -> Term`: the message at the save pointer or
/// `NON_VALUE`.
pub const RECV_PEEK: RuntimeFn = RuntimeFn {
    name: "coral_recv_peek",
    params: &[W],
    ret: Some(W),
};
/// `coral_recv_next(ctx)`.
pub const RECV_NEXT: RuntimeFn = RuntimeFn {
    name: "coral_recv_next",
    params: &[W],
    ret: None,
};
/// `coral_remove_message(ctx) -> Term`.
pub const REMOVE_MESSAGE: RuntimeFn = RuntimeFn {
    name: "coral_remove_message",
    params: &[W],
    ret: Some(W),
};
/// `coral_recv_timeout(ctx)`.
pub const RECV_TIMEOUT: RuntimeFn = RuntimeFn {
    name: "coral_recv_timeout",
    params: &[W],
    ret: None,
};
/// `coral_jit_recv_wait(ctx, timeout, loc, out) -> kind`: 0 look again,
/// 1 timed out, 2 suspend, 3 raised (`*out` = handler).
pub const RECV_WAIT: RuntimeFn = RuntimeFn {
    name: "coral_jit_recv_wait",
    params: &[W, W, I32, W],
    ret: Some(W),
};
/// `coral_jit_recv_resumed(ctx) -> 'true' | 'false'`.
pub const RECV_RESUMED: RuntimeFn = RuntimeFn {
    name: "coral_jit_recv_resumed",
    params: &[W],
    ret: Some(W),
};

/// `coral_jit_raise_bif(ctx, class, reason, loc) -> handler`: a raise
/// right after a failed BIF call (its trace starts with the BIF's entry).
pub const RAISE_BIF: RuntimeFn = RuntimeFn {
    name: "coral_jit_raise_bif",
    params: &[W, W, W, I32],
    ret: Some(W),
};

/// Runtime functions also called through a register-keeping adapter: a
/// Cranelift function in the `preserve_all` convention that calls the
/// runtime function with the context and the arguments the caller left in
/// the context's `args` words, stores its result in the context's `ret`
/// word and changes no register. The call itself takes no register either,
/// so values stay where they are around it. Compiled code calls them so on cold paths after
/// which values stay live (a collection at a heap or stack check, the BIF
/// behind an inline arithmetic or comparison fast path): a `system_v` call
/// there would make the function keep those values in callee-saved
/// registers, whose saving and restoring every run of the function pays.
/// Each takes the context first. Pairs of the function and the adapter's
/// name.
pub const KEEPING: &[(&RuntimeFn, &str)] =
    &[(&GC, "coral$keep$gc"), (&CALL_BIF, "coral$keep$call_bif")];

pub const RUNTIME_FNS: &[&RuntimeFn] = &[
    &RAISE_BIF,
    &APPLY,
    &RECV_PEEK,
    &RECV_NEXT,
    &REMOVE_MESSAGE,
    &RECV_TIMEOUT,
    &RECV_WAIT,
    &RECV_RESUMED,
    &GC,
    &CALL_BIF,
    &RAISE,
    &MATCH_FAIL,
    &UNDEF,
    &RERAISE,
    &BUILD_STACKTRACE,
    &EXPORT_CODE,
    &APPLY_CODE,
    &BAD_FUN_CALL,
    &MAP_PUT,
    &MAP_GET,
    &BIN_BUILD,
    &BS_INIT,
    &BS_GET,
    &BIT_SIZE,
];

impl RuntimeFn {
    /// The signature of its register-keeping adapter (see [`KEEPING`]):
    /// no parameters, no result.
    pub fn keeping_signature(&self) -> Signature {
        Signature::new(CallConv::PreserveAll)
    }

    pub fn signature(&self, native: CallConv) -> Signature {
        let mut s = Signature::new(native);
        s.params
            .extend(self.params.iter().map(|&t| AbiParam::new(t)));
        if let Some(r) = self.ret {
            s.returns.push(AbiParam::new(r));
        }
        s
    }
}
