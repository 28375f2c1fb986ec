//! The Coral runtime: the data model that compiled Erlang code runs on.
//!
//! Built both as an rlib (for tests and the JIT driver) and as a staticlib that
//! `coral build` links into native executables.

pub mod atom;
pub mod binary;
pub mod copy;
pub mod frame;
pub mod fun;
pub mod gc;
pub mod heap;
pub mod literal;
pub mod term;
pub mod verify;
