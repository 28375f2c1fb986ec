//! Coral's intermediate representation, and the lowering from Core Erlang
//! to it. The IR is what the code generator consumes: everything it must
//! know about control flow, calls, the process stack, exceptions and
//! pattern matching is explicit here.
//!
//! ```text
//! coral_syntax::ast::Module --lower--> ir::Module --verify--> codegen
//!                                           '--print--> text
//! ```
//!
//! # Modules and functions
//!
//! A [`Module`] has its name, exports, attributes (constant [`Term`]s),
//! the source file (from the `file` attribute, for stack traces), a literal
//! table, and functions. Closure conversion makes every function flat:
//!
//! - Top-level functions keep their name and arity.
//! - A `fun` expression becomes a function taking its arguments followed by
//!   its environment (the outer values it uses, in order of first use);
//!   `make_fun` captures them. It is named as erlc names it: the name of
//!   its `{id,{_,_,Name}}` annotation, or else `-f/1-fun-N-`. Printed Core
//!   Erlang drops that annotation on most funs, so `N` is reconstructed:
//!   erlc counts the funs and comprehensions of a top-level function in
//!   the order it translates them (a call's arguments, a tuple's elements
//!   and a list's cells right to left, a comprehension's generators before
//!   it, a fun after the funs inside it), and numbers its temporaries `_K`
//!   in the same order. So the unannotated funs are ordered by the
//!   temporary each is bound to (or the first one after it) and take the
//!   numbers no annotated fun and no `lc$^N` holds. A fun erlc drops with
//!   dead code leaves a number Coral cannot see. Names are unique within
//!   the module: a name annotated on several funs (copies made by
//!   inlining) goes to the first, and a generated name skips every name
//!   taken.
//! - A `letrec` function not annotated `letrec_goto` (list comprehensions,
//!   named funs) becomes a function taking its arguments followed by the
//!   free variables of its group; calls pass them. Named `-f/1-lc$^0/1-N-`.
//! - A `letrec_goto` function (a receive loop) becomes blocks of the
//!   enclosing function: its applications, which must be in tail position
//!   with respect to the `letrec`, are jumps.
//!
//! # Inside a function
//!
//! SSA values ([`Value`], printed `v3`) are defined once, by a block
//! parameter or an instruction. Blocks take parameters (as in Cranelift);
//! `block0` is the entry, whose parameters are the arguments then the
//! environment. Instructions ([`Op`]) build terms (`tuple`, `cons`,
//! `make_fun`, `bin_build`, `map_put`), take them apart when the type is
//! known (`get_element`, `get_hd`, `get_tl`), evaluate inline BIFs
//! (`bif`: the operators, type tests and guard BIFs, which raise with the
//! instruction's line on failure) and run primops. Compound constants live
//! in the literal table; atoms, `[]` and integers of 60 bits are
//! immediates ([`Const`]).
//!
//! Terminators ([`Terminator`]) end every block: `jump`, two-way `branch`
//! on a type or equality test, `switch` on constants (by `=:=`),
//! `switch_arity` on a tuple's size, `guard` (an operation that may fail,
//! whose results go to its `ok` block as parameters and whose failure goes
//! to another block: guard BIFs, binary matching, map lookups), `return`,
//! calls, and the raising primops.
//!
//! # Calls and the process stack
//!
//! Every call is a terminator:
//!
//! - `tail_call_*`: the callee's result is this function's result. The
//!   frame is gone before the callee runs.
//! - `call_*` names the continuation block receiving the result and the
//!   `live` set: exactly the values used after the call (by the
//!   continuation and what follows, or by an active `try` handler). Code
//!   generation stores these in frame slots and emits the frame descriptor
//!   for the continuation from it.
//!
//! Callees are local functions (direct), remote `M:F/A` (through the export
//! table, names kept), funs (`call_fun`), and `M:F(Args)` with computed
//! names (`call_apply`). Self tail calls are jumps to a loop header; every
//! jump to a loop header is a back edge, marked `back_edge` (printed
//! `; back edge: reduction check`), and a loop header records the values
//! live through it (`live_through`). Reduction checks go at function entry
//! and on back edges; a process suspended there resumes at the header with
//! its parameters and `live_through` values.
//!
//! `recv_wait_timeout` suspends the process, so it is a terminator with a
//! continuation and live set like a call. When it returns `'true'` (timed
//! out) the runtime has already reset the save pointer, which is what
//! BEAM's separate `timeout` instruction does; an explicit
//! `primop 'timeout'()` is accepted too.
//!
//! # Exceptions
//!
//! `try` and `catch` end a block with `try_enter body, handler`, which
//! pushes a catch frame; `try_exit` pops it on the normal path. The handler
//! block takes (class, reason, raw stack trace) and is entered with the
//! catch frame already popped. Each block records the handler active at
//! its terminator; the values a handler needs are live out of every block
//! it protects, so they are in every call's live set inside the region and
//! in `try_enter`'s own live set (what the frame must hold while the catch
//! frame is active). `catch E` is lowered to the same mechanism with a
//! handler that builds BEAM's values: `throw` gives the reason, `exit`
//! gives `{'EXIT',Reason}`, `error` gives `{'EXIT',{Reason,Stack}}`.
//! `primop 'raise'(Trace, Reason)` re-raises with the class recorded in the
//! raw trace.
//!
//! # Pattern matching and guards
//!
//! `case` and `receive` clauses become a decision tree (see
//! `lower/matching.rs`): one test per column on each path (type, then
//! arity or value), variables bound, then the guard; a failing guard goes
//! on with the remaining candidate clauses. Guards are lowered with a
//! failure block: a guard BIF that fails, a raising primop, or any
//! exception inside the guard makes the guard false. erlc's
//! `try G of V -> V catch <_,_> -> 'false'` wrappers are lowered the same
//! way, the failure block giving the handler's value. A `case` with no
//! matching clause raises `{case_clause,V}` (`if_clause` with no values).
//!
//! # Primops
//!
//! `match_fail/1`, `raise/2`, `raw_raise/3` (terminators), `build_stacktrace/1`,
//! `recv_peek_message/0` (two results), `recv_next/0`, `remove_message/0`,
//! `recv_wait_timeout/1` (terminator), `timeout/0`, `bs_init_writable/1`,
//! `nif_start/0`. These are all the primops in the Core Erlang of OTP 25's
//! own modules except `timeout`, which erlc produces only later in its
//! pipeline. Any other primop is a [`LowerError`].
//!
//! # Source locations
//!
//! Calls, raising instructions and raising terminators carry the line of
//! the innermost enclosing node with a `%% Line N` annotation, so stack
//! trace entries `{M,F,A,[{file,File},{line,L}]}` can be built.
//!
//! # Use
//!
//! ```
//! let src = "module 'm' ['f'/1] attributes [] \
//!            'f'/1 = fun (X) -> call 'erlang':'+'(X, 1) end";
//! let ast = coral_syntax::parse_module("m.core", src).unwrap();
//! let ir = coral_ir::lower(&ast).unwrap();
//! coral_ir::verify(&ir).unwrap();
//! assert!(coral_ir::print(&ir).contains("bif 'erlang':'+'/2"));
//! ```

mod bifs;
mod ir;
pub mod liveness;
mod lower;
mod noreturn;
mod passes;
mod print;
mod verify;

pub use ir::*;
pub use lower::{LowerError, lower};
pub use print::{print, term as print_term};
pub use verify::verify;
