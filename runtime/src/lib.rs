//! The Coral runtime: the data model that compiled Erlang code runs on.
//!
//! Built both as an rlib (for tests and the JIT driver) and as a staticlib that
//! `coral build` links into native executables.

pub mod atom;
pub mod bif;
pub mod binary;
pub mod copy;
pub mod display;
pub mod etf;
pub mod ets;
pub mod float_text;
pub mod frame;
pub mod fun;
pub mod gc;
pub mod heap;
pub mod jit_support;
pub mod literal;
pub mod mailbox;
pub mod map;
pub mod modules;
pub mod number;
pub mod order;
pub mod phash;
pub mod process;
pub mod registry;
pub mod sched;
pub mod signal;
pub mod stats;
pub mod term;
pub mod timer;
pub mod verify;
