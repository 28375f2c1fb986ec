//! Which `erlang:` functions become inline [`crate::Op::Bif`] instructions
//! rather than calls, and which of those can never fail.
//!
//! The inline set is what BEAM evaluates without a call frame: the
//! operators, the type tests and the other guard BIFs (OTP 25's
//! `erl_internal:guard_bif/2`). Everything else in `erlang` is called
//! through the export table like any remote function.

/// Whether `erlang:name/arity` is evaluated inline.
pub fn is_inline(name: &str, arity: usize) -> bool {
    match arity {
        0 => matches!(name, "self" | "node"),
        1 => matches!(
            name,
            "-" | "+"
                | "not"
                | "bnot"
                | "abs"
                | "bit_size"
                | "byte_size"
                | "ceil"
                | "float"
                | "floor"
                | "hd"
                | "length"
                | "map_size"
                | "node"
                | "round"
                | "size"
                | "tl"
                | "trunc"
                | "tuple_size"
                | "is_atom"
                | "is_binary"
                | "is_bitstring"
                | "is_boolean"
                | "is_float"
                | "is_function"
                | "is_integer"
                | "is_list"
                | "is_map"
                | "is_number"
                | "is_pid"
                | "is_port"
                | "is_reference"
                | "is_tuple"
        ),
        2 => matches!(
            name,
            "+" | "-"
                | "*"
                | "/"
                | "div"
                | "rem"
                | "band"
                | "bor"
                | "bxor"
                | "bsl"
                | "bsr"
                | "and"
                | "or"
                | "xor"
                | "=="
                | "/="
                | "=<"
                | "<"
                | ">="
                | ">"
                | "=:="
                | "=/="
                | "element"
                | "binary_part"
                | "is_function"
                | "is_map_key"
                | "map_get"
                | "is_record"
        ),
        3 => matches!(name, "binary_part" | "is_record"),
        _ => false,
    }
}

/// Whether the inline BIF `erlang:name/arity` returns for every argument,
/// so that inside a guard it needs no failure target.
pub fn cannot_fail(name: &str, arity: usize) -> bool {
    match arity {
        0 => matches!(name, "self" | "node"),
        1 => name.starts_with("is_"),
        2 => matches!(name, "==" | "/=" | "=<" | "<" | ">=" | ">" | "=:=" | "=/="),
        _ => false,
    }
}

/// Whether `module:name/arity` always raises: its call has no useful
/// continuation, and inside a guard it makes the guard false.
pub fn never_returns(module: &str, name: &str, arity: usize) -> bool {
    module == "erlang"
        && matches!(
            (name, arity),
            ("error", 1..=3) | ("exit", 1) | ("throw", 1) | ("nif_error", 1 | 2)
        )
}
